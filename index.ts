// webstack: composition only. Load the validated stack config, build the components, export what users need.
import * as path from "path";
import { ApiCluster } from "./components/api-cluster";
import { StaticSite } from "./components/static-site";
import { Vpc } from "./components/vpc";
import { loadStackConfig } from "./stacks";
import { apiClusterArgs } from "./stacks/api-args";

const config = loadStackConfig();

const network = new Vpc("network", {
    cidr: config.network.cidr,
    zones: config.network.zones,
    natStrategy: config.network.natStrategy,
    flowLogRetentionDays: config.network.flowLogRetentionDays,
    ports: { app: config.api.port, metrics: config.api.metricsPort },
    loadBalancerIngress: "cloudfront",
    protect: config.protectData,
    tags: config.tags,
});

const api = new ApiCluster("api", apiClusterArgs(config, network));

const site = new StaticSite("site", {
    domain: config.site.domain,
    hostedZone: config.hostedZone,
    priceClass: config.site.priceClass,
    spa: config.site.spa,
    waf: config.site.waf,
    www: config.site.www,
    takeOverRecords: config.site.takeOverRecords,
    logRetentionDays: config.site.logRetentionDays,
    siteDir: path.join(__dirname, "site"),
    publicConfig: { environment: config.environment },
    protect: config.protectData,
    providerSettings: config.providerSettings,
    api: api.originHeader ? { domainName: api.domain, originHeader: api.originHeader } : undefined,
    tags: config.tags,
});

export const region = config.region;
export const environment = config.environment;
export const vpcId = network.vpcId;
export const availabilityZones = network.availabilityZones;
export const publicSubnetIds = network.publicSubnetIds;
export const privateSubnetIds = network.privateSubnetIds;
export const isolatedSubnetIds = network.isolatedSubnetIds;
export const natPublicIps = network.natPublicIps;
export const securityGroupIds = network.securityGroupIds;
export const siteUrl = site.url;
export const siteBucket = site.bucketName;
export const siteDistributionId = site.distributionId;
export const siteDistributionDomain = site.distributionDomain;
export const apiUrl = api.url;
export const apiLoadBalancerArn = api.loadBalancerArn;
export const apiLoadBalancerDnsName = api.loadBalancerDnsName;
export const apiLoadBalancerArnSuffix = api.loadBalancerArnSuffix;
export const apiTargetGroupArnSuffixes = api.targetGroupArnSuffixes;
export const apiClusterName = api.clusterName;
export const apiServiceName = api.serviceName;
export const apiLogGroup = api.logGroupName;
/** null on Fargate (no hosts). */
export const apiAutoScalingGroup = api.autoScalingGroupName ?? null;
export const apiRepositoryUrl = api.repositoryUrl;
export const apiDiscoveryName = api.discoveryName;
