// webstack: composition only. Load the validated stack config, build the components, export what users need.
import * as path from "path";
import { ApiCluster } from "./components/api-cluster";
import { Cache } from "./components/cache";
import { Database } from "./components/database";
import { DisasterRecovery } from "./components/disaster-recovery";
import { StaticSite } from "./components/static-site";
import { Vpc } from "./components/vpc";
import { loadStackConfig } from "./stacks";
import { apiClusterArgs } from "./stacks/api-args";
import { cacheArgs, databaseArgs, disasterRecoveryArgs } from "./stacks/data-args";

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

const db = new Database("db", databaseArgs(config, network));
const cache = new Cache("cache", cacheArgs(config, network));
const api = new ApiCluster("api", apiClusterArgs(config, network, db, cache));

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

// Weekly restore tests land in the database's isolated subnets and group, as a real restore would.
const dr = new DisasterRecovery(
    "dr",
    disasterRecoveryArgs(config, { scheduleExpression: "cron(0 6 ? * SUN *)", rdsSubnetGroupName: db.subnetGroupName, rdsSecurityGroupIds: [network.securityGroupIds.database] }),
);

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
export const databaseEndpoint = db.proxyEndpoint;
export const databasePort = db.port;
export const databaseName = db.databaseName;
export const databaseSecretArn = db.secretArn;
export const databaseInstance = db.instanceIdentifier;
export const databaseInstanceArn = db.instanceArn;
export const databaseKeyArn = db.keyArn;
export const cacheEndpoint = cache.primaryEndpoint;
export const cacheReaderEndpoint = cache.readerEndpoint;
export const cachePort = cache.port;
export const cacheUser = cache.username;
export const backupVault = dr.vaultName;
export const backupDrVault = dr.drVaultName ?? null;
export const backupPlanId = dr.planId;
