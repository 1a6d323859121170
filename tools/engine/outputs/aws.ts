import { ALB_ZONE_IDS, NLB_ZONE_IDS, S3_ZONE_IDS, shortRegion } from "../aws-facts";
import { ACCOUNT_ID, ALNUM, BASE32, DEPLOYED_AT, DIGITS, LOWER_ALNUM, PARTITION, chars, hex, testNetIp, uuid } from "../fake-ids";

type Inputs = Record<string, unknown>;

/** What a type's identity and computed outputs are derived from. */
export interface Ctx {
    readonly type: string;
    /** Logical name. */
    readonly name: string;
    readonly region: string;
    /** Inputs with the physical name filled in. */
    readonly inputs: Inputs;
    /** The physical name (`name`, `bucket`, `identifier`...) or the logical name. */
    readonly physical: string;
    /** Seed of every derived value: `<type>:<logical name>`. */
    readonly key: string;
    /** State of an already registered resource, by id or by a property value of a type. */
    readonly find: (types: readonly string[], prop: string, value: unknown) => Inputs | undefined;
}
type WithId = Ctx & { readonly id: string };
type WithArn = WithId & { readonly arn: string };

export interface Spec {
    /** The provider's id: derived, or the ARN itself (`"arn"`); default: a generated one. */
    readonly id?: ((c: Ctx) => string) | "arn";
    readonly arn?: (c: WithId) => string;
    /** Provider-computed outputs that need the type's formats; inputs given by the program win unless the provider rewrites them. */
    readonly outputs?: (c: WithArn) => Inputs;
}

export const arnOf = (service: string, region: string, resource: string, account: string = ACCOUNT_ID) => `arn:${PARTITION}:${service}:${region}:${account}:${resource}`;
/** ARN of the AWS-managed key of a service (`aws/rds`, `aws/secretsmanager`) in the account and region. */
export const awsManagedKey = (service: string, region: string) => arnOf("kms", region, `key/${uuid(`aws-managed-key:${service}:${region}`)}`);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const SUBNETS = ["aws:ec2/subnet:Subnet"];
/** The VPC of the first subnet the program created (a fresh id when it is not in the program). */
const vpcOfSubnets = (c: Ctx, subnetIds: unknown) => str(c.find(SUBNETS, "id", list(subnetIds)[0])?.vpcId) ?? `vpc-${hex(`vpc-of:${c.key}`, 17)}`;
/** The security groups AWS attaches when none are given: the default group of the subnets' VPC (when the program made it). */
const defaultGroups = (c: Ctx, subnetIds: unknown): string[] => {
    const vpc = c.find(["aws:ec2/vpc:Vpc"], "id", c.find(SUBNETS, "id", list(subnetIds)[0])?.vpcId);
    return typeof vpc?.defaultSecurityGroupId === "string" ? [vpc.defaultSecurityGroupId] : [];
};
const dbSubnetIds = (c: Ctx) => c.find(["aws:rds/subnetGroup:SubnetGroup"], "name", c.inputs.dbSubnetGroupName)?.subnetIds;

/** The per-account-and-region label AWS puts in RDS endpoints (`<id>.<label>.<region>.rds.amazonaws.com`). */
const rdsLabel = (region: string) => chars(`rds-endpoint:${ACCOUNT_ID}:${region}`, 12, LOWER_ALNUM);
/** RDS publishes one hosted zone per region for its endpoints; known ones, else a stable stand-in. */
const RDS_ZONE_IDS: Readonly<Record<string, string>> = { "us-east-1": "Z2R2ITUGPM61AM", "us-west-2": "Z1PVIF0B656C1W", "eu-west-1": "Z29XKXDKYMONMX" };
const rdsZone = (region: string) => RDS_ZONE_IDS[region] ?? `Z${chars(`rds-zone:${region}`, 13, BASE32)}`;
/** AWS picks a random 30-minute window; a stable one per resource. */
const window = (key: string, day?: string) => {
    const h = parseInt(hex(`window:${key}`, 4), 16) % 24;
    const t = (x: number) => `${String(x % 24).padStart(2, "0")}:00`;
    return day ? `${day}:${t(h)}-${day}:${t(h).slice(0, 3)}30` : `${t(h)}-${t(h).slice(0, 3)}30`;
};
const secretSuffix = (key: string) => chars(`secret-suffix:${key}`, 6, ALNUM);

const DB_PORTS: Readonly<Record<string, number>> = { postgres: 5432, "aurora-postgresql": 5432, mysql: 3306, mariadb: 3306, "aurora-mysql": 3306, aurora: 3306 };
const dbPort = (engine: string) => DB_PORTS[engine] ?? (engine.startsWith("oracle") ? 1521 : engine.startsWith("sqlserver") ? 1433 : 5432);
/** Engine versions AWS picks when none is given, and the full version of a major one. */
const DEFAULT_VERSIONS: Readonly<Record<string, string>> = { postgres: "16.4", mysql: "8.0.39", mariadb: "10.11.9", "aurora-postgresql": "16.4", "aurora-mysql": "8.0.mysql_aurora.3.08.0" };
const fullVersion = (engine: string, v: string | undefined) => (v === undefined ? (DEFAULT_VERSIONS[engine] ?? "1.0") : /^\d+$/.test(v) ? `${v}.4` : v);
const major = (engine: string, version: string) => (engine.includes("mysql") || engine === "mariadb" ? version.split(".").slice(0, 2).join(".") : version.split(".")[0]);

function masterUserSecrets(c: Ctx, kind: "db" | "cluster") {
    if (c.inputs.manageMasterUserPassword !== true) return { masterUserSecrets: [], masterUserSecretKmsKeyId: str(c.inputs.masterUserSecretKmsKeyId) ?? "" };
    const kmsKeyId = str(c.inputs.masterUserSecretKmsKeyId) ?? awsManagedKey("secretsmanager", c.region);
    const name = `rds!${kind}-${uuid(`master-secret:${c.key}`)}`;
    const secretArn = arnOf("secretsmanager", c.region, `secret:${name}-${secretSuffix(name)}`);
    return { masterUserSecrets: [{ secretArn, secretStatus: "active", kmsKeyId }], masterUserSecretKmsKeyId: kmsKeyId };
}

/** Settings RDS instances and clusters report when the program leaves them to AWS. */
function rdsDefaults(c: Ctx, engine: string, version: string) {
    const encrypted = c.inputs.storageEncrypted === true;
    const insights = c.inputs.performanceInsightsEnabled === true;
    return {
        port: c.inputs.port ?? dbPort(engine),
        engineVersion: c.inputs.engineVersion ?? version,
        engineVersionActual: version,
        hostedZoneId: rdsZone(c.region),
        backupRetentionPeriod: c.inputs.backupRetentionPeriod ?? 1,
        kmsKeyId: c.inputs.kmsKeyId ?? (encrypted ? awsManagedKey("rds", c.region) : ""),
        performanceInsightsKmsKeyId: c.inputs.performanceInsightsKmsKeyId ?? (insights ? awsManagedKey("rds", c.region) : ""),
        performanceInsightsRetentionPeriod: c.inputs.performanceInsightsRetentionPeriod ?? (insights ? 7 : 0),
        dbSubnetGroupName: c.inputs.dbSubnetGroupName ?? "default",
        networkType: c.inputs.networkType ?? "IPV4",
        databaseInsightsMode: c.inputs.databaseInsightsMode ?? "standard",
        engineLifecycleSupport: c.inputs.engineLifecycleSupport ?? "open-source-rds-extended-support",
        upgradeRolloutOrder: "second",
        vpcSecurityGroupIds: c.inputs.vpcSecurityGroupIds ?? defaultGroups(c, dbSubnetIds(c)),
        ...masterUserSecrets(c, c.type === "aws:rds/cluster:Cluster" ? "cluster" : "db"),
    };
}

function loadBalancer(c: WithArn): Inputs {
    const kind = str(c.inputs.loadBalancerType) ?? "application";
    const internal = c.inputs.internal === true ? "internal-" : "";
    const subnets = c.inputs.subnets ?? list(c.inputs.subnetMappings).map((m) => (m as Inputs).subnetId);
    return {
        arnSuffix: c.arn.split(":loadbalancer/")[1],
        dnsName:
            kind === "application"
                ? `${internal}${c.physical}-${chars(`dns:${c.key}`, 10, DIGITS)}.${c.region}.elb.amazonaws.com`
                : `${internal}${c.physical}-${hex(`dns:${c.key}`, 16)}.elb.${c.region}.amazonaws.com`,
        zoneId: (kind === "network" ? NLB_ZONE_IDS : ALB_ZONE_IDS)[c.region] ?? `Z${chars(`lb-zone:${c.region}`, 13, BASE32)}`,
        vpcId: vpcOfSubnets(c, subnets),
        subnets,
        subnetMappings:
            c.inputs.subnetMappings ?? list(subnets).map((subnetId) => ({ subnetId, allocationId: "", ipv6Address: "", outpostId: "", privateIpv4Address: "" })),
        ipAddressType: c.inputs.ipAddressType ?? "ipv4",
        loadBalancerType: kind,
    };
}

function targetGroup(c: WithArn): Inputs {
    const protocol = str(c.inputs.protocol) ?? (c.inputs.targetType === "lambda" ? "" : "HTTP");
    const http = protocol.startsWith("HTTP");
    return {
        arnSuffix: c.arn.split(":").pop(),
        loadBalancerArns: [],
        healthCheck: c.inputs.healthCheck ?? {
            enabled: true,
            healthyThreshold: 5,
            interval: 30,
            matcher: http ? "200" : "",
            path: http ? "/" : "",
            port: "traffic-port",
            protocol: http ? protocol : "TCP",
            timeout: http ? 5 : 10,
            unhealthyThreshold: 2,
        },
        stickiness: c.inputs.stickiness ?? { enabled: false, type: "lb_cookie", cookieDuration: 86400, cookieName: "" },
        ipAddressType: c.inputs.ipAddressType ?? "ipv4",
        protocolVersion: c.inputs.protocolVersion ?? (http ? "HTTP1" : ""),
        loadBalancingAlgorithmType: c.inputs.loadBalancingAlgorithmType ?? "round_robin",
        loadBalancingAnomalyMitigation: c.inputs.loadBalancingAnomalyMitigation ?? "off",
        loadBalancingCrossZoneEnabled: c.inputs.loadBalancingCrossZoneEnabled ?? "use_load_balancer_configuration",
    };
}

function rdsInstance(c: WithArn): Inputs {
    const engine = str(c.inputs.engine) ?? "postgres";
    const version = fullVersion(engine, str(c.inputs.engineVersion));
    const defaults = rdsDefaults(c, engine, version);
    const address = `${c.physical}.${rdsLabel(c.region)}.${c.region}.rds.amazonaws.com`;
    const gp3 = c.inputs.storageType === "gp3";
    const family = engine.startsWith("postgres") ? `${engine}${major(engine, version)}` : `${engine}${major(engine, version)}`;
    return {
        ...defaults,
        address,
        endpoint: `${address}:${defaults.port}`,
        resourceId: c.id,
        status: "available",
        availabilityZone: c.inputs.availabilityZone ?? `${c.region}a`,
        backupWindow: c.inputs.backupWindow ?? window(c.key),
        maintenanceWindow: c.inputs.maintenanceWindow ?? window(`m:${c.key}`, "sun"),
        caCertIdentifier: c.inputs.caCertIdentifier ?? "rds-ca-rsa2048-g1",
        backupTarget: c.inputs.backupTarget ?? "region",
        licenseModel: c.inputs.licenseModel ?? (engine.startsWith("postgres") ? "postgresql-license" : "general-public-license"),
        optionGroupName: c.inputs.optionGroupName ?? `default:${engine}-${major(engine, version).replace(".", "-")}`,
        parameterGroupName: c.inputs.parameterGroupName ?? `default.${family}`,
        storageType: c.inputs.storageType ?? "gp2",
        iops: c.inputs.iops ?? (gp3 ? 3000 : 0),
        storageThroughput: c.inputs.storageThroughput ?? (gp3 ? 125 : 0),
        latestRestorableTime: DEPLOYED_AT,
    };
}

function rdsCluster(c: WithArn): Inputs {
    const engine = str(c.inputs.engine) ?? "aurora-postgresql";
    const version = fullVersion(engine, str(c.inputs.engineVersion));
    const label = rdsLabel(c.region);
    return {
        ...rdsDefaults(c, engine, version),
        endpoint: `${c.physical}.cluster-${label}.${c.region}.rds.amazonaws.com`,
        readerEndpoint: `${c.physical}.cluster-ro-${label}.${c.region}.rds.amazonaws.com`,
        clusterResourceId: `cluster-${chars(`resource-id:${c.key}`, 26, BASE32)}`,
        availabilityZones: c.inputs.availabilityZones ?? ["a", "b", "c"].map((z) => `${c.region}${z}`),
        caCertificateIdentifier: c.inputs.caCertificateIdentifier ?? "rds-ca-rsa2048-g1",
        caCertificateValidTill: "2061-01-01T00:00:00Z",
        dbClusterParameterGroupName: c.inputs.dbClusterParameterGroupName ?? `default.${engine}${major(engine, version)}`,
        preferredBackupWindow: c.inputs.preferredBackupWindow ?? window(c.key),
        preferredMaintenanceWindow: c.inputs.preferredMaintenanceWindow ?? window(`m:${c.key}`, "sun"),
        storageType: c.inputs.storageType ?? (engine.startsWith("aurora") ? "aurora" : ""),
        allocatedStorage: c.inputs.allocatedStorage ?? (engine.startsWith("aurora") ? 1 : 0),
        autoMinorVersionUpgrade: c.inputs.autoMinorVersionUpgrade ?? true,
        clusterScalabilityType: c.inputs.clusterScalabilityType ?? "standard",
    };
}

function replicationGroup(c: WithArn): Inputs {
    const clusterMode = str(c.inputs.clusterMode) ?? (Number(c.inputs.numNodeGroups ?? 1) > 1 ? "enabled" : "disabled");
    const cluster = clusterMode === "enabled";
    const host = (prefix: string) => `${prefix}.${c.id}.${chars(`cache:${ACCOUNT_ID}:${c.region}`, 6, LOWER_ALNUM)}.${shortRegion(c.region)}.cache.amazonaws.com`;
    const nodes = Number(c.inputs.numCacheClusters ?? (cluster ? Number(c.inputs.numNodeGroups ?? 1) * (Number(c.inputs.replicasPerNodeGroup ?? 0) + 1) : 1));
    const engine = str(c.inputs.engine) ?? "redis";
    const version = str(c.inputs.engineVersion) ?? (engine === "valkey" ? "8.0" : "7.1");
    const transit = c.inputs.transitEncryptionEnabled === true;
    return {
        replicationGroupId: c.id, // ElastiCache stores it in lower case
        clusterEnabled: cluster,
        clusterMode,
        primaryEndpointAddress: cluster ? "" : host("master"),
        readerEndpointAddress: cluster ? "" : host("replica"),
        configurationEndpointAddress: cluster ? host("clustercfg") : "",
        memberClusters: Array.from({ length: nodes }, (_, i) => `${c.id}-${String(i + 1).padStart(3, "0")}`),
        engine,
        engineVersion: version,
        engineVersionActual: version.split(".").length < 3 ? `${version}.0` : version,
        numCacheClusters: nodes,
        numNodeGroups: c.inputs.numNodeGroups ?? 1,
        replicasPerNodeGroup: c.inputs.replicasPerNodeGroup ?? nodes - 1,
        parameterGroupName: c.inputs.parameterGroupName ?? `default.${engine}${version.split(".")[0]}${cluster ? ".cluster.on" : ""}`,
        subnetGroupName: c.inputs.subnetGroupName ?? "default",
        securityGroupIds: c.inputs.securityGroupIds ?? defaultGroups(c, c.find(["aws:elasticache/subnetGroup:SubnetGroup"], "name", c.inputs.subnetGroupName)?.subnetIds),
        maintenanceWindow: c.inputs.maintenanceWindow ?? window(`m:${c.key}`, "sun"),
        snapshotWindow: c.inputs.snapshotWindow ?? window(c.key),
        transitEncryptionMode: c.inputs.transitEncryptionMode ?? (transit ? "required" : ""),
        networkType: c.inputs.networkType ?? "ipv4",
        ipDiscovery: c.inputs.ipDiscovery ?? "ipv4",
        autoMinorVersionUpgrade: c.inputs.autoMinorVersionUpgrade ?? true,
    };
}

function lambdaFunction(c: WithArn): Inputs {
    const version = c.inputs.publish === true ? "1" : "$LATEST";
    const qualifiedArn = `${c.arn}:${version}`;
    const invoke = (arn: string) => `arn:${PARTITION}:apigateway:${c.region}:lambda:path/2015-03-31/functions/${arn}/invocations`;
    const sha = Buffer.from(hex(`code:${c.key}`, 64), "hex").toString("base64");
    return {
        version,
        qualifiedArn,
        invokeArn: invoke(c.arn),
        qualifiedInvokeArn: invoke(qualifiedArn),
        responseStreamingInvokeArn: `arn:${PARTITION}:apigateway:${c.region}:lambda:path/2021-11-15/functions/${c.arn}/response-streaming-invocations`,
        lastModified: "2025-01-01T00:00:00.000+0000",
        sourceCodeSize: 1024 + (parseInt(hex(`size:${c.key}`, 4), 16) % 4096),
        codeSha256: sha,
        sourceCodeHash: c.inputs.sourceCodeHash ?? sha,
        signingJobArn: "", // only for signed code
        signingProfileVersionArn: "",
        architectures: c.inputs.architectures ?? ["x86_64"],
        ephemeralStorage: c.inputs.ephemeralStorage ?? { size: 512 },
        loggingConfig: c.inputs.loggingConfig ?? { logFormat: "Text", logGroup: `/aws/lambda/${c.physical}`, applicationLogLevel: "", systemLogLevel: "" },
        tracingConfig: c.inputs.tracingConfig ?? { mode: "PassThrough" },
    };
}

function dynamoTable(c: WithArn): Inputs {
    const label = c.inputs.streamEnabled === true ? "2025-01-01T00:00:00.000" : "";
    return {
        streamArn: label ? `${c.arn}/stream/${label}` : "",
        streamLabel: label,
        pointInTimeRecovery: c.inputs.pointInTimeRecovery ?? { enabled: false, recoveryPeriodInDays: 0 },
        serverSideEncryption: c.inputs.serverSideEncryption ?? { enabled: false, kmsKeyArn: "" },
        ttl: c.inputs.ttl ?? { enabled: false, attributeName: "" },
        warmThroughput: c.inputs.warmThroughput ?? { readUnitsPerSecond: 12000, writeUnitsPerSecond: 4000 },
    };
}

/** The API an API Gateway v2 stage belongs to, and its invoke scheme. */
function stage(c: WithArn): Inputs {
    const apiId = String(c.inputs.apiId);
    const ws = c.find(["aws:apigatewayv2/api:Api"], "id", apiId)?.protocolType === "WEBSOCKET";
    const path = c.physical === "$default" ? "" : c.physical;
    return {
        executionArn: arnOf("execute-api", c.region, `${apiId}/${c.physical}`),
        invokeUrl: `${ws ? "wss" : "https"}://${apiId}.execute-api.${c.region}.amazonaws.com/${path}`,
        deploymentId: c.inputs.deploymentId ?? (c.inputs.autoDeploy === true ? chars(`deployment:${c.key}`, 6, LOWER_ALNUM) : ""),
    };
}

function proxyTarget(c: WithArn): Inputs {
    const clusterId = str(c.inputs.dbClusterIdentifier);
    const identifier = clusterId ?? str(c.inputs.dbInstanceIdentifier) ?? "";
    const db = clusterId
        ? c.find(["aws:rds/cluster:Cluster"], "clusterIdentifier", clusterId)
        : c.find(["aws:rds/instance:Instance"], "identifier", identifier);
    return {
        type: clusterId ? "TRACKED_CLUSTER" : "RDS_INSTANCE",
        rdsResourceId: identifier,
        targetArn: str(db?.arn) ?? arnOf("rds", c.region, `${clusterId ? "cluster" : "db"}:${identifier}`),
        endpoint: clusterId ? "" : (str(db?.address) ?? `${identifier}.${rdsLabel(c.region)}.${c.region}.rds.amazonaws.com`),
        port: db?.port ?? 5432,
        trackedClusterId: clusterId ?? "",
    };
}

/**
 * The template outputs of a Serverless Application Repository stack: AWS's Secrets Manager rotation applications
 * (`SecretsManager<Engine>Rotation{Single,Multi}User`) output the function they create as `RotationLambdaARN`,
 * named by their `functionName` parameter; other applications' outputs are unknown here (none).
 */
function sarOutputs(c: Ctx): Record<string, string> {
    const app = str(c.inputs.applicationId) ?? "";
    const fn = str((c.inputs.parameters as Inputs | undefined)?.functionName);
    return /:applications\/SecretsManager\w+Rotation(Single|Multi)User$/.test(app) && fn ? { RotationLambdaARN: arnOf("lambda", c.region, `function:${fn}`) } : {};
}

const byName = (c: Ctx) => c.physical;
const S3_BUCKET: Spec = {
    id: byName,
    arn: (c) => `arn:${PARTITION}:s3:::${c.physical}`,
    outputs: (c) => ({
        bucketDomainName: `${c.physical}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${c.physical}.s3.${c.region}.amazonaws.com`,
        bucketRegion: c.region,
        hostedZoneId: S3_ZONE_IDS[c.region] ?? `Z${chars(`s3-zone:${c.region}`, 13, BASE32)}`,
        // S3 encrypts every new bucket with SSE-S3 since 2023 and reports it.
        serverSideEncryptionConfiguration: c.inputs.serverSideEncryptionConfiguration ?? {
            rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256", kmsMasterKeyId: "" }, bucketKeyEnabled: false },
        },
        versioning: c.inputs.versioning ?? { enabled: false, mfaDelete: false },
        websiteEndpoint: c.inputs.website ? `${c.physical}.s3-website-${c.region}.amazonaws.com` : "",
        websiteDomain: c.inputs.website ? `s3-website-${c.region}.amazonaws.com` : "",
        requestPayer: c.inputs.requestPayer ?? "BucketOwner",
    }),
};
const LB: Spec = {
    id: "arn",
    arn: (c) => {
        const code = { network: "net", gateway: "gwy" }[str(c.inputs.loadBalancerType) ?? ""] ?? "app";
        return arnOf("elasticloadbalancing", c.region, `loadbalancer/${code}/${c.physical}/${hex(`lb:${c.key}`, 16)}`);
    },
    outputs: loadBalancer,
};
const TG: Spec = { id: "arn", arn: (c) => arnOf("elasticloadbalancing", c.region, `targetgroup/${c.physical}/${hex(`tg:${c.key}`, 16)}`), outputs: targetGroup };
const LISTENER: Spec = {
    id: "arn",
    arn: (c) => {
        const lb = str(c.inputs.loadBalancerArn) ?? arnOf("elasticloadbalancing", c.region, `loadbalancer/app/unknown/${hex(`lb-of:${c.key}`, 16)}`);
        return `${lb.replace(":loadbalancer/", ":listener/")}/${hex(`listener:${c.key}`, 16)}`;
    },
    outputs: (c) => {
        const protocol = str(c.inputs.protocol) ?? "HTTP";
        const tls = protocol === "HTTPS" || protocol === "TLS";
        return {
            protocol,
            sslPolicy: c.inputs.sslPolicy ?? (tls ? "ELBSecurityPolicy-2016-08" : ""),
            mutualAuthentication: c.inputs.mutualAuthentication ?? (protocol === "HTTPS" ? { mode: "off", ignoreClientCertificateExpiry: false, trustStoreArn: "", advertiseTrustStoreCaNames: "" } : null),
            routingHttpResponseServerEnabled: c.inputs.routingHttpResponseServerEnabled ?? true,
            tcpIdleTimeoutSeconds: c.inputs.tcpIdleTimeoutSeconds ?? (protocol === "TCP" ? 350 : 0),
        };
    },
};
const LISTENER_RULE: Spec = {
    id: "arn",
    arn: (c) => `${(str(c.inputs.listenerArn) ?? arnOf("elasticloadbalancing", c.region, "listener/app/unknown/0/0")).replace(":listener/", ":listener-rule/")}/${hex(`rule:${c.key}`, 16)}`,
};
const ecsArn = (c: Ctx, resource: string) => arnOf("ecs", c.region, resource);
const clusterName = (cluster: unknown) => (str(cluster) ?? "default").split("/").pop()!;

/**
 * Identity (id, ARN in the service's documented format) and computed outputs per type. Ids follow the
 * provider: ARN-identified types use the ARN (`byArn`), name-identified ones the physical name.
 */
export const SPECS: Readonly<Record<string, Spec>> = {
    "aws:s3/bucket:Bucket": S3_BUCKET,
    "aws:s3/bucketV2:BucketV2": S3_BUCKET,
    "aws:s3/bucketObjectv2:BucketObjectv2": {
        id: (c) => String(c.inputs.key),
        arn: (c) => `arn:${PARTITION}:s3:::${c.inputs.bucket}/${c.inputs.key}`,
        outputs: (c) => ({ etag: hex(`etag:${c.name}`, 32), versionId: hex(`version:${c.name}`, 32), key: c.inputs.key, storageClass: c.inputs.storageClass ?? "STANDARD" }),
    },
    "aws:lb/loadBalancer:LoadBalancer": LB,
    "aws:alb/loadBalancer:LoadBalancer": LB,
    "aws:lb/targetGroup:TargetGroup": TG,
    "aws:alb/targetGroup:TargetGroup": TG,
    "aws:lb/listener:Listener": LISTENER,
    "aws:alb/listener:Listener": LISTENER,
    "aws:lb/listenerRule:ListenerRule": LISTENER_RULE,
    "aws:alb/listenerRule:ListenerRule": LISTENER_RULE,
    "aws:ecs/cluster:Cluster": {
        id: "arn",
        arn: (c) => ecsArn(c, `cluster/${c.physical}`),
        outputs: (c) => ({ settings: c.inputs.settings ?? [{ name: "containerInsights", value: "disabled" }] }),
    },
    "aws:ecs/service:Service": {
        id: "arn",
        arn: (c) => ecsArn(c, `service/${clusterName(c.inputs.cluster)}/${c.physical}`),
        outputs: (c) => ({
            cluster: c.inputs.cluster ?? ecsArn(c, "cluster/default"),
            launchType: c.inputs.launchType ?? (c.inputs.capacityProviderStrategies ? "" : "EC2"),
            platformVersion: c.inputs.platformVersion ?? (c.inputs.launchType === "FARGATE" ? "LATEST" : ""),
            deploymentConfiguration: c.inputs.deploymentConfiguration ?? { strategy: "ROLLING", bakeTimeInMinutes: "0" },
        }),
    },
    "aws:ecs/taskDefinition:TaskDefinition": {
        id: (c) => String(c.inputs.family),
        arn: (c) => ecsArn(c, `task-definition/${c.inputs.family}:1`),
        outputs: (c) => ({ revision: 1, arnWithoutRevision: ecsArn(c, `task-definition/${c.inputs.family}`), networkMode: c.inputs.networkMode ?? "bridge" }),
    },
    "aws:ecs/capacityProvider:CapacityProvider": { id: "arn", arn: (c) => ecsArn(c, `capacity-provider/${c.physical}`) },
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": { id: (c) => clusterName(c.inputs.clusterName) },
    "aws:autoscaling/group:Group": {
        id: byName,
        arn: (c) => arnOf("autoscaling", c.region, `autoScalingGroup:${uuid(`asg:${c.key}`)}:autoScalingGroupName/${c.physical}`),
        outputs: (c) => {
            const zones = list(c.inputs.vpcZoneIdentifiers).map((id) => str(c.find(SUBNETS, "id", id)?.availabilityZone) ?? `${c.region}a`);
            return {
                availabilityZones: c.inputs.availabilityZones ?? [...new Set(zones)],
                desiredCapacity: c.inputs.desiredCapacity ?? c.inputs.minSize,
                defaultCooldown: c.inputs.defaultCooldown ?? 300,
                healthCheckType: c.inputs.healthCheckType ?? "EC2",
                serviceLinkedRoleArn: c.inputs.serviceLinkedRoleArn ?? `arn:${PARTITION}:iam::${ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
                availabilityZoneDistribution: c.inputs.availabilityZoneDistribution ?? { capacityDistributionStrategy: "balanced-best-effort" },
                capacityReservationSpecification: c.inputs.capacityReservationSpecification ?? { capacityReservationPreference: "default" },
            };
        },
    },
    "aws:ec2/launchTemplate:LaunchTemplate": {
        id: (c) => `lt-${hex(c.key, 17)}`,
        arn: (c) => arnOf("ec2", c.region, `launch-template/${c.id}`),
        outputs: (c) => ({ defaultVersion: c.inputs.defaultVersion ?? 1, latestVersion: 1 }),
    },
    "aws:rds/instance:Instance": {
        id: (c) => `db-${chars(`resource-id:${c.key}`, 26, BASE32)}`,
        arn: (c) => arnOf("rds", c.region, `db:${c.physical}`),
        outputs: rdsInstance,
    },
    "aws:rds/cluster:Cluster": { id: byName, arn: (c) => arnOf("rds", c.region, `cluster:${c.physical}`), outputs: rdsCluster },
    "aws:rds/clusterInstance:ClusterInstance": {
        id: byName,
        arn: (c) => arnOf("rds", c.region, `db:${c.physical}`),
        outputs: (c) => {
            const engine = str(c.inputs.engine) ?? "aurora-postgresql";
            const port = dbPort(engine);
            return { endpoint: `${c.physical}.${rdsLabel(c.region)}.${c.region}.rds.amazonaws.com`, port, dbiResourceId: `db-${chars(`resource-id:${c.key}`, 26, BASE32)}`, writer: true };
        },
    },
    "aws:rds/subnetGroup:SubnetGroup": {
        id: byName,
        arn: (c) => arnOf("rds", c.region, `subgrp:${c.physical}`),
        outputs: (c) => ({ vpcId: vpcOfSubnets(c, c.inputs.subnetIds), supportedNetworkTypes: ["IPV4"] }),
    },
    "aws:rds/parameterGroup:ParameterGroup": { id: byName, arn: (c) => arnOf("rds", c.region, `pg:${c.physical}`) },
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": { id: byName, arn: (c) => arnOf("rds", c.region, `cluster-pg:${c.physical}`) },
    "aws:rds/optionGroup:OptionGroup": { id: byName, arn: (c) => arnOf("rds", c.region, `og:${c.physical}`) },
    "aws:rds/proxy:Proxy": {
        id: byName,
        arn: (c) => arnOf("rds", c.region, `db-proxy:prx-${hex(`proxy:${c.key}`, 17)}`),
        outputs: (c) => ({
            endpoint: `${c.physical}.proxy-${rdsLabel(c.region)}.${c.region}.rds.amazonaws.com`,
            defaultAuthScheme: c.inputs.defaultAuthScheme ?? "NONE",
            idleClientTimeout: c.inputs.idleClientTimeout ?? 1800,
            endpointNetworkType: c.inputs.endpointNetworkType ?? "IPV4",
            targetConnectionNetworkType: c.inputs.targetConnectionNetworkType ?? "IPV4",
            vpcSecurityGroupIds: c.inputs.vpcSecurityGroupIds ?? defaultGroups(c, c.inputs.vpcSubnetIds),
        }),
    },
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": {
        id: (c) => String(c.inputs.dbProxyName),
        arn: (c) => arnOf("rds", c.region, `target-group:prx-tg-${hex(`proxy-tg:${c.key}`, 17)}`),
        outputs: (c) => ({
            name: "default",
            connectionPoolConfig: c.inputs.connectionPoolConfig ?? { connectionBorrowTimeout: 120, initQuery: "", maxConnectionsPercent: 100, maxIdleConnectionsPercent: 50, sessionPinningFilters: [] },
        }),
    },
    "aws:rds/proxyTarget:ProxyTarget": {
        id: (c) =>
            [c.inputs.dbProxyName, c.inputs.targetGroupName, c.inputs.dbClusterIdentifier ? "TRACKED_CLUSTER" : "RDS_INSTANCE", c.inputs.dbClusterIdentifier ?? c.inputs.dbInstanceIdentifier].join("/"),
        outputs: proxyTarget,
    },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        id: (c) => c.physical.toLowerCase(),
        arn: (c) => arnOf("elasticache", c.region, `replicationgroup:${c.id}`),
        outputs: replicationGroup,
    },
    "aws:elasticache/subnetGroup:SubnetGroup": {
        id: (c) => c.physical.toLowerCase(),
        arn: (c) => arnOf("elasticache", c.region, `subnetgroup:${c.id}`),
        outputs: (c) => ({ name: c.id, vpcId: vpcOfSubnets(c, c.inputs.subnetIds) }),
    },
    "aws:elasticache/parameterGroup:ParameterGroup": { id: (c) => c.physical.toLowerCase(), arn: (c) => arnOf("elasticache", c.region, `parametergroup:${c.id}`) },
    // RBAC users and user groups: identified by the id the program gives (ElastiCache `user:<id>`, `usergroup:<id>` ARNs).
    "aws:elasticache/user:User": { id: (c) => String(c.inputs.userId), arn: (c) => arnOf("elasticache", c.region, `user:${c.id}`) },
    "aws:elasticache/userGroup:UserGroup": { id: (c) => String(c.inputs.userGroupId), arn: (c) => arnOf("elasticache", c.region, `usergroup:${c.id}`) },
    "aws:secretsmanager/secret:Secret": {
        id: "arn",
        arn: (c) => arnOf("secretsmanager", c.region, `secret:${c.physical}-${secretSuffix(c.key)}`),
    },
    "aws:secretsmanager/secretRotation:SecretRotation": {
        // The provider's id is the secret's; AWS reports rotation on once a function is configured.
        id: (c) => String(c.inputs.secretId),
        outputs: (c) => ({ rotationEnabled: c.inputs.rotationLambdaArn !== undefined && c.inputs.rotationLambdaArn !== "" }),
    },
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": {
        // Terraform creates the stack as `serverlessrepo-<name>`; its id is the CloudFormation stack ARN.
        id: (c) => arnOf("cloudformation", c.region, `stack/serverlessrepo-${c.physical}/${uuid(`sar-stack:${c.key}`)}`),
        arn: (c) => c.id,
        outputs: (c) => ({ outputs: sarOutputs(c) }),
    },
    "aws:backup/vault:Vault": {
        id: byName,
        arn: (c) => arnOf("backup", c.region, `backup-vault:${c.physical}`),
        outputs: (c) => ({ recoveryPoints: 0, kmsKeyArn: c.inputs.kmsKeyArn ?? awsManagedKey("backup", c.region) }),
    },
    "aws:backup/plan:Plan": {
        id: (c) => uuid(`backup-plan:${c.key}`),
        arn: (c) => arnOf("backup", c.region, `backup-plan:${c.id}`),
        outputs: (c) => ({ version: Buffer.from(uuid(`backup-plan-version:${c.key}`)).toString("base64").replace(/=+$/, "") }),
    },
    "aws:backup/selection:Selection": { id: (c) => uuid(`backup-selection:${c.key}`) },
    "aws:iam/role:Role": {
        id: byName,
        arn: (c) => `arn:${PARTITION}:iam::${ACCOUNT_ID}:role${c.inputs.path ?? "/"}${c.physical}`,
        outputs: ({ name }) => ({ uniqueId: `AROA${hex(`role:${name}`, 17).toUpperCase()}`, createDate: DEPLOYED_AT }),
    },
    "aws:iam/user:User": {
        id: byName,
        arn: (c) => `arn:${PARTITION}:iam::${ACCOUNT_ID}:user${c.inputs.path ?? "/"}${c.physical}`,
        outputs: (c) => ({ uniqueId: `AIDA${chars(`user:${c.key}`, 17, BASE32)}`, path: c.inputs.path ?? "/" }),
    },
    "aws:iam/group:Group": {
        id: byName,
        arn: (c) => `arn:${PARTITION}:iam::${ACCOUNT_ID}:group${c.inputs.path ?? "/"}${c.physical}`,
        outputs: (c) => ({ uniqueId: `AGPA${chars(`group:${c.key}`, 17, BASE32)}` }),
    },
    "aws:iam/policy:Policy": {
        id: "arn",
        arn: (c) => `arn:${PARTITION}:iam::${ACCOUNT_ID}:policy${c.inputs.path ?? "/"}${c.physical}`,
        outputs: (c) => ({ policyId: `ANPA${chars(`policy:${c.key}`, 17, BASE32)}`, attachmentCount: 0 }),
    },
    "aws:iam/instanceProfile:InstanceProfile": {
        id: byName,
        arn: (c) => `arn:${PARTITION}:iam::${ACCOUNT_ID}:instance-profile${c.inputs.path ?? "/"}${c.physical}`,
        outputs: (c) => ({ uniqueId: `AIPA${chars(`profile:${c.key}`, 17, BASE32)}`, createDate: DEPLOYED_AT }),
    },
    "aws:iam/rolePolicy:RolePolicy": { id: (c) => `${c.inputs.role}:${c.physical}` },
    "aws:sqs/queue:Queue": {
        id: (c) => `https://sqs.${c.region}.amazonaws.com/${ACCOUNT_ID}/${c.physical}`,
        arn: (c) => arnOf("sqs", c.region, c.physical),
        outputs: (c) => ({
            url: c.id,
            sqsManagedSseEnabled: c.inputs.sqsManagedSseEnabled ?? c.inputs.kmsMasterKeyId === undefined, // SSE-SQS is the default since 2022
            kmsDataKeyReusePeriodSeconds: c.inputs.kmsDataKeyReusePeriodSeconds ?? 300,
            deduplicationScope: c.inputs.deduplicationScope ?? (c.inputs.fifoQueue === true ? "queue" : ""),
            fifoThroughputLimit: c.inputs.fifoThroughputLimit ?? (c.inputs.fifoQueue === true ? "perQueue" : ""),
        }),
    },
    "aws:sns/topic:Topic": {
        id: "arn",
        arn: (c) => arnOf("sns", c.region, c.physical),
        outputs: (c) => ({
            // The policy SNS gives every new topic: owner-only.
            policy:
                c.inputs.policy ??
                JSON.stringify({
                    Version: "2008-10-17",
                    Id: "__default_policy_ID",
                    Statement: [
                        {
                            Sid: "__default_statement_ID",
                            Effect: "Allow",
                            Principal: { AWS: "*" },
                            Action: ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"],
                            Resource: c.arn,
                            Condition: { StringEquals: { "AWS:SourceOwner": ACCOUNT_ID } },
                        },
                    ],
                }),
            signatureVersion: c.inputs.signatureVersion ?? 1,
            tracingConfig: c.inputs.tracingConfig ?? "PassThrough",
            fifoThroughputScope: c.inputs.fifoThroughputScope ?? (c.inputs.fifoTopic === true ? "Topic" : ""),
            beginningArchiveTime: "",
        }),
    },
    // The provider identifies a topic policy by its topic: id and arn are the topic's ARN.
    "aws:sns/topicPolicy:TopicPolicy": { id: (c) => String(c.inputs.arn), arn: (c) => String(c.inputs.arn), outputs: () => ({ owner: ACCOUNT_ID }) },
    "aws:sns/topicSubscription:TopicSubscription": {
        id: "arn",
        arn: (c) => `${c.inputs.topic}:${uuid(`subscription:${c.key}`)}`,
    },
    "aws:lambda/function:Function": { id: byName, arn: (c) => arnOf("lambda", c.region, `function:${c.physical}`), outputs: lambdaFunction },
    "aws:dynamodb/table:Table": { id: byName, arn: (c) => arnOf("dynamodb", c.region, `table/${c.physical}`), outputs: dynamoTable },
    "aws:ecr/repository:Repository": {
        id: byName,
        arn: (c) => arnOf("ecr", c.region, `repository/${c.physical}`),
        outputs: (c) => ({ registryId: ACCOUNT_ID, repositoryUrl: `${ACCOUNT_ID}.dkr.ecr.${c.region}.amazonaws.com/${c.physical}` }),
    },
    "aws:apigatewayv2/api:Api": {
        id: (c) => chars(`api:${c.key}`, 10, LOWER_ALNUM),
        arn: (c) => `arn:${PARTITION}:apigateway:${c.region}::/apis/${c.id}`,
        outputs: (c) => ({
            apiEndpoint: `${c.inputs.protocolType === "WEBSOCKET" ? "wss" : "https"}://${c.id}.execute-api.${c.region}.amazonaws.com`,
            executionArn: arnOf("execute-api", c.region, c.id),
            ipAddressType: c.inputs.ipAddressType ?? "ipv4",
        }),
    },
    "aws:apigatewayv2/stage:Stage": {
        id: byName,
        arn: (c) => `arn:${PARTITION}:apigateway:${c.region}::/apis/${c.inputs.apiId}/stages/${c.physical}`,
        outputs: stage,
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { id: byName, arn: (c) => arnOf("cloudwatch", c.region, `alarm:${c.physical}`) },
    "aws:cloudwatch/logGroup:LogGroup": {
        id: byName,
        arn: (c) => arnOf("logs", c.region, `log-group:${c.physical}`),
        outputs: (c) => ({ logGroupClass: c.inputs.logGroupClass ?? "STANDARD" }),
    },
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": {
        id: byName,
        arn: (c) => arnOf("logs", c.region, `delivery-source:${c.physical}`),
        outputs: (c) => ({ service: str(c.inputs.resourceArn)?.split(":")[2] ?? "" }),
    },
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": { id: byName, arn: (c) => arnOf("logs", c.region, `delivery-destination:${c.physical}`) },
    "aws:cloudwatch/logDelivery:LogDelivery": {
        id: (c) => chars(`delivery:${c.key}`, 16, ALNUM),
        arn: (c) => arnOf("logs", c.region, `delivery:${c.id}`),
    },
    "aws:route53/healthCheck:HealthCheck": {
        id: (c) => uuid(`health-check:${c.key}`),
        arn: (c) => `arn:${PARTITION}:route53:::healthcheck/${c.id}`,
        outputs: (c) => ({ enableSni: c.inputs.enableSni ?? c.inputs.type === "HTTPS", failureThreshold: c.inputs.failureThreshold ?? 3 }),
    },
    "aws:route53/record:Record": {
        id: (c) => [c.inputs.zoneId, c.inputs.name, c.inputs.type, c.inputs.setIdentifier].filter((p) => p !== undefined).join("_"),
        outputs: ({ inputs }) => ({ fqdn: String(inputs.name).replace(/\.$/, "") }),
    },
    "aws:wafv2/webAcl:WebAcl": {
        id: (c) => uuid(c.key),
        // CloudFront ACLs live in us-east-1 under `global`; others under `regional`.
        arn: (c) => arnOf("wafv2", c.region, `${c.inputs.scope === "REGIONAL" ? "regional" : "global"}/webacl/${c.physical}/${c.id}`),
        outputs: (c) => ({
            capacity: list(c.inputs.rules).length * 50,
            lockToken: uuid(`lock:${c.key}`),
            applicationIntegrationUrl: `https://${hex(`waf:${c.key}`, 12)}.${c.region}.sdk.awswaf.com/${hex(`waf2:${c.key}`, 12)}/${hex(`waf3:${c.key}`, 12)}/`,
        }),
    },
    "aws:kms/key:Key": {
        id: (c) => uuid(c.key),
        arn: (c) => arnOf("kms", c.region, `key/${c.id}`),
        outputs: ({ id }) => ({ keyId: id }),
    },
    "aws:kms/alias:Alias": {
        id: byName,
        arn: (c) => arnOf("kms", c.region, c.physical),
        outputs: (c) => {
            const target = String(c.inputs.targetKeyId ?? "");
            return { targetKeyArn: target.startsWith("arn:") ? target : arnOf("kms", c.region, `key/${target}`) };
        },
    },
    "aws:acm/certificate:Certificate": {
        id: "arn",
        arn: (c) => arnOf("acm", c.region, `certificate/${uuid(c.key)}`),
        outputs: ({ inputs }) => ({
            domainValidationOptions: [inputs.domainName, ...list(inputs.subjectAlternativeNames)].map((domainName) => ({
                domainName,
                resourceRecordName: `_${hex(`acm-name:${domainName}`, 32)}.${domainName}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${hex(`acm-value:${domainName}`, 32)}.acm-validations.aws.`,
            })),
            status: "ISSUED",
            type: "AMAZON_ISSUED",
            keyAlgorithm: inputs.keyAlgorithm ?? "RSA_2048",
            renewalEligibility: "INELIGIBLE",
        }),
    },
    "aws:acm/certificateValidation:CertificateValidation": { id: (c) => String(c.inputs.certificateArn) },
    "aws:cloudfront/distribution:Distribution": {
        id: (c) => `E${hex(c.key, 13).toUpperCase()}`,
        arn: (c) => `arn:${PARTITION}:cloudfront::${ACCOUNT_ID}:distribution/${c.id}`,
        outputs: ({ id, key }) => ({
            domainName: `${id.toLowerCase()}.cloudfront.net`,
            hostedZoneId: "Z2FDTNDATAQYW2", // CloudFront's fixed alias zone
            status: "Deployed",
            etag: `E${chars(`etag:${key}`, 13, BASE32.slice(0, 26) + DIGITS)}`,
            callerReference: `terraform-2025010100000000000000${hex(`ref:${key}`, 4)}`,
        }),
    },
    "aws:cloudfront/originAccessControl:OriginAccessControl": {
        id: (c) => `E${chars(`oac:${c.key}`, 13, BASE32.slice(0, 26) + DIGITS)}`,
        arn: (c) => `arn:${PARTITION}:cloudfront::${ACCOUNT_ID}:origin-access-control/${c.id}`,
        outputs: ({ key }) => ({ etag: `E${chars(`etag:${key}`, 13, BASE32.slice(0, 26) + DIGITS)}` }),
    },
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": {
        id: (c) => uuid(c.key),
        arn: (c) => `arn:${PARTITION}:cloudfront::${ACCOUNT_ID}:response-headers-policy/${c.id}`,
        outputs: ({ key }) => ({ etag: `E${chars(`etag:${key}`, 13, BASE32.slice(0, 26) + DIGITS)}` }),
    },
    "aws:ec2/eip:Eip": {
        outputs: ({ id, name, region }) => {
            const ip = testNetIp(`eip:${name}`);
            const host = region === "us-east-1" ? "compute-1.amazonaws.com" : `${region}.compute.amazonaws.com`;
            return { allocationId: id, publicIp: ip, domain: "vpc", publicDns: `ec2-${ip.replace(/\./g, "-")}.${host}` };
        },
    },
    "aws:ec2/vpc:Vpc": {
        outputs: ({ name, inputs }) => ({
            defaultSecurityGroupId: `sg-${hex(`default-sg:${name}`, 17)}`,
            mainRouteTableId: `rtb-${hex(`main-rtb:${name}`, 17)}`,
            defaultRouteTableId: `rtb-${hex(`main-rtb:${name}`, 17)}`, // the main route table is the default one
            defaultNetworkAclId: `acl-${hex(`acl:${name}`, 17)}`,
            ownerId: ACCOUNT_ID,
            instanceTenancy: inputs.instanceTenancy ?? "default",
            enableDnsSupport: inputs.enableDnsSupport ?? true,
        }),
    },
    "aws:ec2/subnet:Subnet": {
        outputs: (c) => {
            const zone = str(c.inputs.availabilityZone) ?? `${c.region}a`;
            return { availabilityZone: zone, availabilityZoneId: `${shortRegion(c.region)}-az${zone.charCodeAt(zone.length - 1) - 96}` };
        },
    },
    "aws:ec2/securityGroup:SecurityGroup": { outputs: () => ({ ownerId: ACCOUNT_ID }) },
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": { outputs: () => ({ name: "default", description: "default VPC security group", ownerId: ACCOUNT_ID }) },
    "aws:ec2/route:Route": { outputs: () => ({ instanceId: "", instanceOwnerId: "", origin: "CreateRoute", state: "active" }) },
    "aws:ec2/natGateway:NatGateway": {
        outputs: (c) => ({
            networkInterfaceId: `eni-${hex(`nat-eni:${c.key}`, 17)}`,
            privateIp: c.inputs.privateIp ?? `10.0.${parseInt(hex(`nat-ip:${c.key}`, 2), 16)}.10`,
            publicIp: str(c.find(["aws:ec2/eip:Eip"], "id", c.inputs.allocationId)?.publicIp) ?? (c.inputs.connectivityType === "private" ? "" : testNetIp(`nat:${c.key}`)),
            connectivityType: c.inputs.connectivityType ?? "public",
        }),
    },
    "aws:ec2/vpcEndpoint:VpcEndpoint": {
        outputs: (c) => {
            const gateway = (c.inputs.vpcEndpointType ?? "Gateway") === "Gateway";
            const service = String(c.inputs.serviceName ?? "").split(".").pop() ?? "";
            return {
                vpcEndpointType: c.inputs.vpcEndpointType ?? "Gateway",
                prefixListId: gateway ? (GATEWAY_PREFIX_LISTS[`${c.region}:${service}`] ?? `pl-${hex(`pl:${c.region}:${service}`, 8)}`) : "",
                state: "available",
                requesterManaged: false,
                policy: c.inputs.policy ?? JSON.stringify({ Version: "2008-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] }),
            };
        },
    },
};

/** Gateway endpoints' AWS-managed prefix lists (`com.amazonaws.<region>.s3` / `.dynamodb`), as published for us-east-1. */
const GATEWAY_PREFIX_LISTS: Readonly<Record<string, string>> = { "us-east-1:s3": "pl-63a5400a", "us-east-1:dynamodb": "pl-02cd2c6b" };

/** EC2-style ids (`vpc-0a1b...`) and ARN resource kinds, per type. */
export const EC2_STYLE: Readonly<Record<string, readonly [prefix: string, arnKind: string]>> = {
    "aws:ec2/vpc:Vpc": ["vpc", "vpc"],
    "aws:ec2/subnet:Subnet": ["subnet", "subnet"],
    "aws:ec2/internetGateway:InternetGateway": ["igw", "internet-gateway"],
    "aws:ec2/eip:Eip": ["eipalloc", "elastic-ip"],
    "aws:ec2/natGateway:NatGateway": ["nat", "natgateway"],
    "aws:ec2/routeTable:RouteTable": ["rtb", "route-table"],
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ["rtbassoc", "route-table-association"],
    "aws:ec2/route:Route": ["r-rtb", "route"],
    "aws:ec2/vpcEndpoint:VpcEndpoint": ["vpce", "vpc-endpoint"],
    "aws:ec2/securityGroup:SecurityGroup": ["sg", "security-group"],
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ["sg", "security-group"],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["sgr", "security-group-rule"],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ["sgr", "security-group-rule"],
    "aws:ec2/flowLog:FlowLog": ["fl", "vpc-flow-log"],
    "aws:ec2/networkAcl:NetworkAcl": ["acl", "network-acl"],
    "aws:ec2/instance:Instance": ["i", "instance"],
    "aws:ec2/networkInterface:NetworkInterface": ["eni", "network-interface"],
};

/** The ARN service namespace of a module where it differs from the module name. */
export const ARN_SERVICES: Readonly<Record<string, string>> = {
    lb: "elasticloadbalancing",
    alb: "elasticloadbalancing",
    elb: "elasticloadbalancing",
    cloudwatch: "logs",
    apigatewayv2: "apigateway",
    sfn: "states",
    cognito: "cognito-idp",
    opensearch: "es",
    elasticsearch: "es",
    vpc: "ec2",
    ec2transitgateway: "ec2",
    servicediscovery: "servicediscovery",
    cfg: "config",
    appautoscaling: "application-autoscaling",
};
