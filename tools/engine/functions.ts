import { zoneNames } from "../../stacks/regions";
import { AMAZON_AMI_OWNER, BILLING_ACCOUNT, CLOUDFRONT_ORIGIN_FACING, ELB_ACCOUNTS, shortRegion } from "./aws-facts";
import { ACCOUNT_ID, BASE32, DEPLOYED_AT, LOWER_ALNUM, PARTITION, chars, hex, uuid } from "./fake-ids";
import { arnOf, awsManagedKey } from "./outputs/aws";
import { genericValue } from "./outputs/generic";
import { functionResult } from "./outputs/schema";
import { renderPolicyDocument } from "./policy-document";

type Inputs = Record<string, unknown>;
type Answer = (inputs: Inputs, region: string) => Record<string, unknown>;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const fail = (message: string): never => {
    throw new Error(`offline engine: ${message}`);
};
/** The values of a `filters: [{ name, values }]` entry. */
const filter = (inputs: Inputs, name: string): string[] | undefined =>
    (list(inputs.filters).find((f) => (f as Inputs).name === name) as Inputs | undefined)?.values as string[] | undefined;

/** An AMI id of a region for a lookup (same lookup, same id). */
const amiId = (region: string, lookup: string) => `ami-${hex(`ami:${region}:${lookup}`, 17)}`;

/** The default VPC every region has, with one default subnet per availability zone. */
function defaultVpc(region: string) {
    const id = `vpc-${hex(`default-vpc:${region}`, 17)}`;
    const zones = zoneNames(region);
    return { id, cidrBlock: "172.31.0.0/16", subnets: zones.map((az, i) => ({ az, id: `subnet-${hex(`default-subnet:${region}:${az}`, 17)}`, cidr: `172.31.${i * 16}.0/20` })) };
}

/** AWS-managed CloudFront policies, by their documented names and ids (CloudFront Developer Guide, "Use managed ... policies"). */
const items = (...values: string[]) => (values.length > 0 ? [{ items: values }] : []);
const cachePolicy = (id: string, comment: string, [min, def, max]: number[], compress: [gzip: boolean, brotli: boolean], headers: string[], cookies: string, queryStrings: string[] | string) => ({
    id,
    comment,
    minTtl: min,
    defaultTtl: def,
    maxTtl: max,
    parametersInCacheKeyAndForwardedToOrigins: [
        {
            enableAcceptEncodingGzip: compress[0],
            enableAcceptEncodingBrotli: compress[1],
            headersConfigs: [{ headerBehavior: headers.length > 0 ? "whitelist" : "none", headers: items(...headers) }],
            cookiesConfigs: [{ cookieBehavior: cookies, cookies: [] }],
            queryStringsConfigs: [{ queryStringBehavior: typeof queryStrings === "string" ? queryStrings : "whitelist", queryStrings: typeof queryStrings === "string" ? [] : items(...queryStrings) }],
        },
    ],
});
const CACHE_POLICIES: Readonly<Record<string, Inputs>> = {
    "Managed-CachingOptimized": cachePolicy("658327ea-f89d-4fab-a63d-7e88639e58f6", "Policy with caching enabled. Supports Gzip and Brotli compression.", [1, 86400, 31536000], [true, true], [], "none", "none"),
    "Managed-CachingDisabled": cachePolicy("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "Policy with caching disabled", [0, 0, 0], [false, false], [], "none", "none"),
    "Managed-CachingOptimizedForUncompressedObjects": cachePolicy("b2884449-e4de-46a7-ac36-70bc7f1ddd6d", "Default policy when compression is disabled", [1, 86400, 31536000], [false, false], [], "none", "none"),
    "Managed-Amplify": cachePolicy("2e54312d-136d-493c-8eb9-b001f22f67d2", "Policy for Amplify Origin", [2, 2, 600], [true, true], ["Authorization", "CloudFront-Viewer-Country", "Host"], "all", "all"),
    "Managed-Elemental-MediaPackage": cachePolicy("08627262-05a9-4f76-9ded-b50ca2e3a84f", "Policy for Elemental MediaPackage Origin", [0, 86400, 31536000], [true, false], ["origin"], "none", ["aws.manifestfilter", "start", "end", "m"]),
    "Managed-UseOriginCacheControlHeaders": cachePolicy("83da9c7e-98b4-4e11-a168-04f0df8e2c65", "Policy for origins that return Cache-Control headers. Query strings are not included in the cache key.", [0, 0, 31536000], [true, true], ["host", "origin", "x-http-method-override", "x-http-method", "x-method-override"], "all", "none"),
    "Managed-UseOriginCacheControlHeaders-QueryStrings": cachePolicy("4cc15a8a-d715-48a4-82b8-cc0b614638fe", "Policy for origins that return Cache-Control headers and serve different content based on values present in the query string.", [0, 0, 31536000], [true, true], ["host", "origin", "x-http-method-override", "x-http-method", "x-method-override"], "all", "all"),
};
const originRequestPolicy = (id: string, comment: string, headerBehavior: string, headers: string[], cookies: string, queryStrings: string) => ({
    id,
    comment,
    headersConfigs: [{ headerBehavior, headers: items(...headers) }],
    cookiesConfigs: [{ cookieBehavior: cookies, cookies: [] }],
    queryStringsConfigs: [{ queryStringBehavior: queryStrings, queryStrings: [] }],
});
const ORIGIN_REQUEST_POLICIES: Readonly<Record<string, Inputs>> = {
    "Managed-AllViewer": originRequestPolicy("216adef6-5c7f-47e4-b989-5492eafa07d3", "Policy to forward all parameters in viewer requests", "allViewer", [], "all", "all"),
    "Managed-AllViewerAndCloudFrontHeaders-2022-06": originRequestPolicy("33f36d7e-f396-46d9-90e0-52428a34d9dc", "Policy to forward all parameters in viewer requests and all CloudFront headers that were released through June 2022", "allViewerAndWhitelistCloudFront", ["CloudFront-Forwarded-Proto", "CloudFront-Is-Android-Viewer", "CloudFront-Is-Desktop-Viewer", "CloudFront-Is-IOS-Viewer", "CloudFront-Is-Mobile-Viewer", "CloudFront-Is-SmartTV-Viewer", "CloudFront-Is-Tablet-Viewer", "CloudFront-Viewer-Address", "CloudFront-Viewer-ASN", "CloudFront-Viewer-City", "CloudFront-Viewer-Country", "CloudFront-Viewer-Country-Name", "CloudFront-Viewer-Country-Region", "CloudFront-Viewer-Country-Region-Name", "CloudFront-Viewer-Http-Version", "CloudFront-Viewer-Latitude", "CloudFront-Viewer-Longitude", "CloudFront-Viewer-Metro-Code", "CloudFront-Viewer-Postal-Code", "CloudFront-Viewer-Time-Zone", "CloudFront-Viewer-TLS"], "all", "all"),
    "Managed-AllViewerExceptHostHeader": originRequestPolicy("b689b0a8-53d0-40ab-baf2-68738e2966ac", "Policy to forward all parameters in viewer requests except for the Host header", "allExcept", ["host"], "all", "all"),
    "Managed-CORS-CustomOrigin": originRequestPolicy("59781a5b-3903-41f3-afcb-af62929ccde1", "Policy for Custom Origin with CORS", "whitelist", ["origin"], "none", "none"),
    "Managed-CORS-S3Origin": originRequestPolicy("88a5eaf4-2fd4-4709-b370-b4c650ea3fcf", "Policy for S3 origin with CORS", "whitelist", ["origin", "access-control-request-headers", "access-control-request-method"], "none", "none"),
    "Managed-Elemental-MediaTailor-PersonalizedManifests": originRequestPolicy("775133bc-15f2-49f9-abea-afb2e0bf67d2", "Policy for Elemental MediaTailor Personalized Manifests", "whitelist", ["origin", "access-control-request-headers", "x-forwarded-for", "access-control-request-method", "user-agent"], "none", "all"),
    "Managed-UserAgentRefererHeaders": originRequestPolicy("acba4595-bd28-49b8-b9fe-13317c0390fa", "Policy for forwarding user-agent and referer headers", "whitelist", ["user-agent", "referer"], "none", "all"),
};
const SECURITY_HEADERS = [
    {
        contentSecurityPolicies: [],
        contentTypeOptions: [{ override: true }],
        frameOptions: [{ frameOption: "SAMEORIGIN", override: false }],
        referrerPolicies: [{ referrerPolicy: "strict-origin-when-cross-origin", override: false }],
        strictTransportSecurities: [{ accessControlMaxAgeSec: 31536000, includeSubdomains: false, preload: false, override: false }],
        xssProtections: [{ protection: true, modeBlock: true, reportUri: "", override: false }],
    },
];
const cors = (preflight: boolean) => [
    {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: preflight ? items("*") : [],
        accessControlAllowMethods: items("ALL"),
        accessControlAllowOrigins: items("*"),
        accessControlExposeHeaders: preflight ? items("*") : [],
        accessControlMaxAgeSec: preflight ? 600 : 0,
        originOverride: false,
    },
];
const headersPolicy = (id: string, comment: string, corsConfigs: unknown[], securityHeadersConfigs: unknown[]) => ({
    id,
    comment,
    corsConfigs,
    securityHeadersConfigs,
    customHeadersConfigs: [],
    removeHeadersConfigs: [],
    serverTimingHeadersConfigs: [],
});
const RESPONSE_HEADERS_POLICIES: Readonly<Record<string, Inputs>> = {
    "Managed-CORS-and-SecurityHeadersPolicy": headersPolicy("e61eb60c-9c35-4d20-a928-2b84e02af89c", "Allows all origins for simple CORS requests and adds security headers", cors(false), SECURITY_HEADERS),
    "Managed-CORS-With-Preflight": headersPolicy("5cc3b908-e619-4b99-88e5-2cf7f45965bd", "Allows all origins for CORS requests, including preflight requests", cors(true), []),
    "Managed-CORS-with-preflight-and-SecurityHeadersPolicy": headersPolicy("eaab4381-ed33-4a86-88ca-d9558dc6cd63", "Allows all origins for CORS requests, including preflight requests, and adds security headers", cors(true), SECURITY_HEADERS),
    "Managed-SecurityHeadersPolicy": headersPolicy("67f7725c-6f97-4210-82d7-5512b31e9d03", "Adds a set of security headers to every response", [], SECURITY_HEADERS),
    "Managed-SimpleCORS": headersPolicy("60669652-455b-4ae9-85a4-c4c02393f86c", "Allows all origins for simple CORS requests", cors(false), []),
};

/** A managed CloudFront policy by `name` or `id`; an unknown one fails like the provider's lookup. */
function managedPolicy(kind: string, path: string, table: Readonly<Record<string, Inputs>>) {
    return (inputs: Inputs): Record<string, unknown> => {
        const entry = Object.entries(table).find(([name, p]) => name === inputs.name || p.id === inputs.id);
        if (!entry) {
            const asked = inputs.name !== undefined ? `name ${JSON.stringify(inputs.name)}` : `id ${JSON.stringify(inputs.id)}`;
            return fail(`no AWS-managed CloudFront ${kind} with ${asked}; known: ${Object.keys(table).join(", ")} (a policy the program creates is not visible to this lookup)`);
        }
        const [name, policy] = entry;
        return { ...policy, name, etag: `E${chars(`etag:${name}`, 13, BASE32.slice(0, 26))}`, arn: `arn:${PARTITION}:cloudfront::aws:${path}/${policy.id}` };
    };
}

/** Published CloudFront edge ranges (https://ip-ranges.amazonaws.com/ip-ranges.json, a stable subset) and Route 53 health checkers per region. */
const CLOUDFRONT_RANGES = ["13.32.0.0/15", "13.35.0.0/16", "13.224.0.0/14", "18.64.0.0/14", "18.154.0.0/15", "18.160.0.0/15", "18.164.0.0/15", "18.172.0.0/15", "18.238.0.0/15", "18.244.0.0/15", "52.46.0.0/18", "52.84.0.0/15", "52.124.128.0/17", "54.182.0.0/16", "54.192.0.0/16", "54.230.0.0/17", "54.239.128.0/18", "54.239.192.0/19", "54.240.128.0/18", "64.252.64.0/18", "65.8.0.0/16", "65.9.0.0/17", "70.132.0.0/18", "71.152.0.0/17", "99.84.0.0/16", "99.86.0.0/16", "108.138.0.0/15", "108.156.0.0/14", "130.176.0.0/17", "143.204.0.0/16", "144.220.0.0/16", "204.246.164.0/22", "204.246.168.0/22", "204.246.172.0/24", "204.246.176.0/20", "205.251.200.0/21", "205.251.208.0/20", "205.251.249.0/24", "205.251.250.0/23", "205.251.252.0/23", "205.251.254.0/24", "216.137.32.0/19"];
const ROUTE53_HEALTHCHECKS: Readonly<Record<string, string[]>> = {
    "us-east-1": ["107.23.255.0/26", "54.243.31.192/26"],
    "us-west-1": ["54.183.255.128/26", "54.241.32.64/26"],
    "us-west-2": ["54.244.52.192/26", "54.245.168.0/26"],
    "eu-west-1": ["54.228.16.0/26", "176.34.159.192/26"],
    "sa-east-1": ["177.71.207.128/26", "54.232.40.64/26"],
    "ap-southeast-1": ["54.251.31.128/26", "54.255.254.192/26"],
    "ap-southeast-2": ["54.252.79.128/26", "54.252.254.192/26"],
    "ap-northeast-1": ["54.248.220.0/26", "54.250.253.192/26"],
};

/** Service-linked roles: `AWSServiceRoleFor<X>` trusts `<x>.amazonaws.com` under `/aws-service-role/<x>.amazonaws.com/`. */
const SERVICE_LINKED: Readonly<Record<string, string>> = { ECS: "ecs", AutoScaling: "autoscaling", ElasticLoadBalancing: "elasticloadbalancing", RDS: "rds", ElastiCache: "elasticache", Backup: "backup", CloudFront: "cloudfront" };

/**
 * Provider functions the offline engine answers, with realistic, deterministic values. A token not
 * listed here fails the run loudly: a silent empty answer would make tests pass on fiction. Every
 * result field the SDK declares and an answer leaves out gets a generic value of its type.
 */
export const FUNCTIONS: Readonly<Record<string, Answer>> = {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: ACCOUNT_ID,
        arn: `arn:${PARTITION}:iam::${ACCOUNT_ID}:role/offline-plan`,
        userId: "AROAOFFLINEPLAN",
        id: ACCOUNT_ID,
    }),
    "aws:index/getPartition:getPartition": () => ({
        partition: PARTITION,
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
        id: PARTITION,
    }),
    "aws:index/getRegion:getRegion": (_inputs, region) => ({
        region,
        name: region,
        id: region,
        endpoint: `ec2.${region}.amazonaws.com`,
        description: region,
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, region) => {
        const names = zoneNames(region);
        if (names.length === 0) throw new Error(`offline engine: no availability zones known for region ${region}`);
        return {
            names,
            zoneIds: names.map((_, i) => `${shortRegion(region)}-az${i + 1}`),
            groupNames: names.map(() => region),
            id: region,
            region,
        };
    },
    "aws:route53/getZone:getZone": (inputs) => {
        const name = String(inputs.name ?? "example.com").replace(/\.$/, "");
        const zoneId = `Z${hex(`zone:${name}`, 20).toUpperCase()}`;
        return {
            name,
            zoneId,
            id: zoneId,
            arn: `arn:${PARTITION}:route53:::hostedzone/${zoneId}`,
            privateZone: false,
            nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"],
            resourceRecordSetCount: 2,
        };
    },
    "aws:ec2/getAmi:getAmi": (inputs, region) => {
        const pattern = filter(inputs, "name")?.[0] ?? (typeof inputs.nameRegex === "string" ? "image-*" : "al2023-ami-*-kernel-6.1-x86_64");
        const name = pattern.replace(/\*/g, "2023.6.20250101.0").replace(/\?/g, "0");
        const owner = String(list(inputs.owners)[0] ?? "amazon");
        const ownerId = owner === "amazon" ? AMAZON_AMI_OWNER : owner === "self" ? ACCOUNT_ID : /^\d{12}$/.test(owner) ? owner : "679593333241"; // aws-marketplace
        const id = amiId(region, JSON.stringify([inputs.owners, inputs.filters, inputs.nameRegex]));
        const arch = filter(inputs, "architecture")?.[0] ?? (/arm64|aarch64/.test(name) ? "arm64" : "x86_64");
        const snapshot = `snap-${hex(`ami-snapshot:${id}`, 17)}`;
        return {
            id,
            imageId: id,
            arn: `arn:${PARTITION}:ec2:${region}::image/${id}`,
            name,
            description: `Amazon Linux image ${name}`,
            architecture: arch,
            ownerId,
            imageOwnerAlias: owner === "amazon" ? "amazon" : "",
            imageLocation: `${owner === "amazon" ? "amazon" : ownerId}/${name}`,
            imageType: "machine",
            public: owner !== "self",
            state: "available",
            stateReason: { code: "UNSET", message: "UNSET" },
            creationDate: "2025-01-01T00:00:00.000Z",
            deprecationTime: "2027-01-01T00:00:00.000Z",
            rootDeviceName: "/dev/xvda",
            rootDeviceType: "ebs",
            rootSnapshotId: snapshot,
            virtualizationType: "hvm",
            hypervisor: "xen",
            enaSupport: true,
            sriovNetSupport: "simple",
            bootMode: "uefi-preferred",
            imdsSupport: "v2.0",
            platformDetails: "Linux/UNIX",
            usageOperation: "RunInstances",
            blockDeviceMappings: [
                {
                    deviceName: "/dev/xvda",
                    ebs: { delete_on_termination: "true", encrypted: "false", iops: "3000", snapshot_id: snapshot, throughput: "125", volume_size: "8", volume_type: "gp3" },
                    noDevice: "",
                    virtualName: "",
                },
            ],
            productCodes: [],
            tags: {},
            owners: inputs.owners,
            filters: inputs.filters,
            mostRecent: inputs.mostRecent ?? false,
            region,
        };
    },
    "aws:iam/getPolicyDocument:getPolicyDocument": (inputs) => renderPolicyDocument(inputs),
    "aws:elb/getServiceAccount:getServiceAccount": (inputs, region) => {
        const asked = typeof inputs.region === "string" ? inputs.region : region;
        const id = ELB_ACCOUNTS[asked] ?? fail(`getServiceAccount: unsupported AWS Region: ${asked} (no Elastic Load Balancing account; use the logdelivery.elasticloadbalancing.amazonaws.com service principal)`);
        return { id, arn: `arn:${PARTITION}:iam::${id}:root`, region: asked };
    },
    "aws:index/getBillingServiceAccount:getBillingServiceAccount": () => ({ id: BILLING_ACCOUNT, arn: `arn:${PARTITION}:iam::${BILLING_ACCOUNT}:root` }),
    "aws:ssm/getParameter:getParameter": (inputs, region) => {
        const name = String(inputs.name);
        const publicParam = name.startsWith("/aws/service/");
        let value = `offline-${hex(`ssm:${region}:${name}`, 16)}`;
        if (/\/(image_id|ami-[^/]*|al2023-ami[^/]*|amzn2-ami[^/]*)$/.test(name) || name.endsWith("/image_id")) value = amiId(region, `ssm:${name}`);
        else if (/^\/aws\/service\/ecs\/optimized-ami\/.+\/recommended$/.test(name)) {
            const os = name.includes("amazon-linux-2023") ? "Amazon Linux 2023" : "Amazon Linux 2";
            const arch = name.includes("arm64") ? "arm64" : "x86_64";
            const prefix = os === "Amazon Linux 2023" ? "al2023-ami-ecs-hvm-2023.0.20250101-kernel-6.1" : "amzn2-ami-ecs-hvm-2.0.20250101";
            value = JSON.stringify({ ecs_agent_version: "1.89.2", ecs_runtime_version: "Docker version 25.0.8", image_id: amiId(region, `ssm:${name}/image_id`), image_name: `${prefix}-${arch}-ebs`, os, schema_version: 1, source_image_name: `${prefix}-${arch}` });
        }
        const path = name.startsWith("/") ? name : `/${name}`;
        return {
            name,
            id: name,
            type: "String",
            value,
            insecureValue: value,
            version: 1,
            arn: publicParam ? `arn:${PARTITION}:ssm:${region}::parameter${path}` : arnOf("ssm", region, `parameter${path}`),
            withDecryption: inputs.withDecryption ?? true,
            region,
        };
    },
    "aws:organizations/getOrganization:getOrganization": () => {
        const id = `o-${chars(`organization:${ACCOUNT_ID}`, 10, LOWER_ALNUM)}`;
        const root = `r-${chars(`root:${ACCOUNT_ID}`, 4, LOWER_ALNUM)}`;
        const account = { arn: `arn:${PARTITION}:organizations::${ACCOUNT_ID}:account/${id}/${ACCOUNT_ID}`, email: "aws-management@example.com", id: ACCOUNT_ID, name: "management", joinedMethod: "CREATED", joinedTimestamp: DEPLOYED_AT, state: "ACTIVE", status: "ACTIVE" };
        return {
            id,
            arn: `arn:${PARTITION}:organizations::${ACCOUNT_ID}:organization/${id}`,
            featureSet: "ALL",
            masterAccountId: ACCOUNT_ID,
            masterAccountArn: account.arn,
            masterAccountEmail: account.email,
            masterAccountName: account.name,
            accounts: [account],
            nonMasterAccounts: [],
            awsServiceAccessPrincipals: [],
            enabledPolicyTypes: ["SERVICE_CONTROL_POLICY"],
            roots: [{ arn: `arn:${PARTITION}:organizations::${ACCOUNT_ID}:root/${id}/${root}`, id: root, name: "Root", policyTypes: [{ status: "ENABLED", type: "SERVICE_CONTROL_POLICY" }] }],
        };
    },
    "aws:ec2/getVpc:getVpc": (inputs, region) => {
        const vpc = defaultVpc(region);
        const asksDefault = inputs.default === true || (inputs.id ?? vpc.id) === vpc.id;
        if (!asksDefault || inputs.filters !== undefined || inputs.tags !== undefined) {
            fail(`getVpc knows only the default VPC of ${region} (${vpc.id}); pass the program's own VPC id instead of looking it up`);
        }
        return {
            id: vpc.id,
            arn: arnOf("ec2", region, `vpc/${vpc.id}`),
            cidrBlock: vpc.cidrBlock,
            cidrBlockAssociations: [{ associationId: `vpc-cidr-assoc-${hex(`assoc:${vpc.id}`, 17)}`, cidrBlock: vpc.cidrBlock, state: "associated" }],
            default: true,
            dhcpOptionsId: `dopt-${hex(`dopt:${region}`, 17)}`,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            enableNetworkAddressUsageMetrics: false,
            instanceTenancy: "default",
            ipv6AssociationId: "",
            ipv6CidrBlock: "",
            ipv6CidrBlockAssociations: [],
            mainRouteTableId: `rtb-${hex(`main-rtb:${vpc.id}`, 17)}`,
            ownerId: ACCOUNT_ID,
            region,
            state: "available",
            tags: {},
        };
    },
    "aws:ec2/getSubnets:getSubnets": (inputs, region) => {
        const vpc = defaultVpc(region);
        const vpcIds = filter(inputs, "vpc-id");
        if ((vpcIds && !vpcIds.includes(vpc.id)) || (!vpcIds && filter(inputs, "default-for-az")?.[0] !== "true")) {
            fail(`getSubnets knows only the default VPC's subnets (filter vpc-id ${vpc.id} or default-for-az true); pass the program's own subnet ids instead`);
        }
        const zones = filter(inputs, "availability-zone");
        return { id: region, ids: vpc.subnets.filter((s) => !zones || zones.includes(s.az)).map((s) => s.id), filters: inputs.filters, tags: inputs.tags ?? {}, region };
    },
    "aws:cloudfront/getCachePolicy:getCachePolicy": managedPolicy("cache policy", "cache-policy", CACHE_POLICIES),
    "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy": managedPolicy("origin request policy", "origin-request-policy", ORIGIN_REQUEST_POLICIES),
    "aws:cloudfront/getResponseHeadersPolicy:getResponseHeadersPolicy": managedPolicy("response headers policy", "response-headers-policy", RESPONSE_HEADERS_POLICIES),
    "aws:ec2/getManagedPrefixList:getManagedPrefixList": (inputs, region) => {
        const name = typeof inputs.name === "string" ? inputs.name : filter(inputs, "prefix-list-name")?.[0];
        if (name !== "com.amazonaws.global.cloudfront.origin-facing" || (inputs.id !== undefined && inputs.id !== CLOUDFRONT_ORIGIN_FACING[region])) {
            return fail(`getManagedPrefixList knows only com.amazonaws.global.cloudfront.origin-facing, not ${JSON.stringify(name ?? inputs.id)}`);
        }
        const id = CLOUDFRONT_ORIGIN_FACING[region] ?? `pl-${hex(`cloudfront-origin-facing:${region}`, 8)}`;
        return {
            id,
            name,
            arn: `arn:${PARTITION}:ec2:${region}:aws:prefix-list/${id}`,
            addressFamily: "IPv4",
            ownerId: "AWS",
            maxEntries: 55,
            version: 1,
            entries: CLOUDFRONT_RANGES.slice(0, 10).map((cidr) => ({ cidr, description: "" })),
            tags: {},
            region,
        };
    },
    "aws:index/getIpRanges:getIpRanges": (inputs) => {
        const services = list(inputs.services).map((s) => String(s).toUpperCase());
        const regions = list(inputs.regions).map(String);
        const cidrBlocks = services.flatMap((s) => {
            if (s === "CLOUDFRONT") return CLOUDFRONT_RANGES;
            if (s === "ROUTE53_HEALTHCHECKS") return Object.entries(ROUTE53_HEALTHCHECKS).flatMap(([r, c]) => (regions.length === 0 || regions.includes(r) ? c : []));
            return fail(`getIpRanges knows the CLOUDFRONT and ROUTE53_HEALTHCHECKS ranges, not ${s}`);
        });
        const url = typeof inputs.url === "string" ? inputs.url : "https://ip-ranges.amazonaws.com/ip-ranges.json";
        return {
            id: url,
            url,
            cidrBlocks: [...new Set(cidrBlocks)].sort(),
            ipv6CidrBlocks: services.includes("CLOUDFRONT") ? ["2600:9000::/28"] : [],
            createDate: "2025-01-01-00-00-00",
            syncToken: 1735689600,
            services: inputs.services,
            regions: inputs.regions,
        };
    },
    "aws:kms/getAlias:getAlias": (inputs, region) => {
        const name = String(inputs.name);
        const managed = /^alias\/aws\/(.+)$/.exec(name);
        const targetKeyArn = managed ? awsManagedKey(managed[1], region) : arnOf("kms", region, `key/${uuid(`alias-target:${region}:${name}`)}`);
        return { id: name, name, arn: arnOf("kms", region, name), targetKeyArn, targetKeyId: targetKeyArn.split("/").pop(), region };
    },
    "aws:acm/getCertificate:getCertificate": (inputs, region) => {
        const domain = String(inputs.domain ?? "example.com");
        const arn = arnOf("acm", region, `certificate/${uuid(`acm-lookup:${region}:${domain}`)}`);
        const pem = (key: string) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(hex(key, 64)).toString("base64")}\n-----END CERTIFICATE-----\n`;
        return { id: arn, arn, domain, status: "ISSUED", certificate: pem(`cert:${arn}`), certificateChain: pem(`chain:${arn}`), tags: {}, region, keyTypes: inputs.keyTypes, statuses: inputs.statuses, types: inputs.types, mostRecent: inputs.mostRecent };
    },
    "aws:iam/getRole:getRole": (inputs) => {
        const name = String(inputs.name);
        const linked = /^AWSServiceRoleFor(.+)$/.exec(name);
        const service = linked ? `${SERVICE_LINKED[linked[1]] ?? linked[1].toLowerCase()}.amazonaws.com` : undefined;
        const path = service ? `/aws-service-role/${service}/` : "/";
        const principal = service ? { Service: service } : { AWS: `arn:${PARTITION}:iam::${ACCOUNT_ID}:root` };
        return {
            id: name,
            name,
            path,
            arn: `arn:${PARTITION}:iam::${ACCOUNT_ID}:role${path}${name}`,
            assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] }),
            createDate: DEPLOYED_AT,
            description: "",
            maxSessionDuration: 3600,
            permissionsBoundary: "",
            roleLastUseds: [{ lastUsedDate: "", region: "" }],
            tags: {},
            uniqueId: `AROA${chars(`role-lookup:${name}`, 17, BASE32)}`,
        };
    },
};

/** The answer to one provider function call, or a loud failure naming the token. */
export function answer(token: string, inputs: Inputs, region: string): Record<string, unknown> {
    const fn = FUNCTIONS[token];
    if (!fn) {
        throw new Error(`offline engine: no mock for provider function ${token}; add a realistic answer to tools/engine/functions.ts`);
    }
    const result = fn(inputs, region);
    // Declared result fields the answer leaves out: a value of their type, never `undefined`.
    for (const m of functionResult(token) ?? []) {
        if (m.optional || result[m.name] !== undefined) continue;
        result[m.name] = genericValue(m, true, { type: token, key: `${token}:${JSON.stringify(inputs)}`, region, physical: String(inputs.name ?? token.split(":")[2]), service: token.split(":")[1].split("/")[0] });
    }
    return result;
}
