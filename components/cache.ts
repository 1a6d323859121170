import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, type AwsContext } from "./shared/aws-context";
import { accountUsesKeyThrough, KEY_USE_ACTIONS, logsMayEncrypt } from "./shared/iam";
import { customerManagedKey } from "./shared/key";
import { resourceTags, type Tags } from "./shared/tags";

/** Valkey or Redis OSS: both speak the Redis protocol; Valkey is the cheaper and open-source one. */
export type CacheEngine = "valkey" | "redis";

/** The engine port (the Vpc's `cache` tier accepts only the app tier on it). */
export const CACHE_PORT = 6379;

/** The default engine versions: the newest major of each that ElastiCache offers with IAM authentication. */
export const DEFAULT_ENGINE_VERSIONS: Readonly<Record<CacheEngine, string>> = { valkey: "8.0", redis: "7.1" };

/**
 * IAM authentication needs Valkey 7.2+ or Redis OSS 7.0+ (ElastiCache guide, "Authenticating with IAM" and
 * "Migrating from AUTH to IAM authentication", prerequisites).
 */
const IAM_MINIMUM: Readonly<Record<CacheEngine, readonly [number, number]>> = { valkey: [7, 2], redis: [7, 0] };

/**
 * The app user's access string: every key (`~*`) and channel (`&*`), every command except the `@dangerous`
 * category (FLUSHALL/FLUSHDB, KEYS, CONFIG, DEBUG, MONITOR, SHUTDOWN, REPLICAOF, MIGRATE, client kills, INFO...).
 * A cache client needs reads, writes, expiries, scripts and pub/sub; it never needs to wipe or reconfigure the
 * server or block it with a full key scan, which the app would otherwise be one bug or one injection away from.
 * Clients whose connect-time check runs INFO (ioredis `enableReadyCheck`) must turn that check off.
 */
export const APP_ACCESS_STRING = "on ~* &* +@all -@dangerous";

/**
 * The replacement `default` user: disabled (`off`: no connection can authenticate as it) with no command or key
 * (`-@all`). Every user group must contain a user named `default` (CloudFormation AWS::ElastiCache::UserGroup
 * `UserIds`: "A user named default must be included"; the API's DefaultUserRequired error); ElastiCache's own
 * `default` user is `on ~* +@all` with no password, so the group carries this one instead.
 */
export const DISABLED_DEFAULT_ACCESS_STRING = "off -@all";

/** The CloudWatch Logs retention values (PutRetentionPolicy). */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** RBAC user and user group ids: ElastiCache's pattern, lower case as CloudFormation requires. */
const RBAC_ID = /^[a-z][a-z0-9-]*$/;
/** `ddd:hh24:mi-ddd:hh24:mi` (UTC), as ElastiCache takes maintenance windows. */
const MAINTENANCE_WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;
/** `hh24:mi-hh24:mi` (UTC), as ElastiCache takes snapshot windows. */
const SNAPSHOT_WINDOW = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

/** The network the cache runs in: the Vpc's isolated subnets and its `cache` security group. */
export interface CacheNetwork {
    /** Subnets with no route out of the VPC, one per zone; the subnet group spans them all. */
    readonly isolatedSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The Vpc's `cache` group: accepts only the app tier, on 6379. */
    readonly cacheSecurityGroupId: pulumi.Input<string>;
}

export interface CacheArgs {
    readonly network: CacheNetwork;
    /** A node type with at-rest encryption support (cache.t4g.*, cache.m7g.*, cache.r7g.*, ...), validated per tier by stacks/. */
    readonly nodeType: pulumi.Input<string>;
    /**
     * Nodes: 1 is a single primary (no replica, no failover: a node or zone failure loses the cache until it is
     * replaced); 2 to 6 are a primary and replicas in different zones with Multi-AZ and automatic failover.
     */
    readonly nodes: number;
    /** Days to keep automatic daily snapshots, 0 (none: a lost node loses its data) to 35. */
    readonly snapshotRetentionDays: number;
    /** Days to keep the slow and engine logs (a CloudWatch Logs retention value). */
    readonly logRetentionDays: number;
    /** Base tags of the stack (Project, Stack, Environment, Owner, CostCenter). */
    readonly tags: Tags;
    /**
     * The engine. Valkey costs about 20% less per node than Redis OSS on ElastiCache and is the open-source
     * continuation of Redis; clients are the same.
     * @default "valkey"
     */
    readonly engine?: CacheEngine;
    /**
     * `major.minor`, at least 7.2 for Valkey and 7.0 for Redis OSS (IAM authentication). The parameter group family
     * follows the major version (`valkey8`, `redis7`); a new major replaces the parameter group.
     * @default "8.0" for valkey, "7.1" for redis
     */
    readonly engineVersion?: string;
    /**
     * Preferred availability zones, node i in zones[i % zones.length], so the first is the primary's. Production
     * lists 2 or more so the replica survives the primary's zone. Only read when the group is created.
     * @default none: ElastiCache chooses (it may put every node in one zone)
     */
    readonly zones?: readonly string[];
    /**
     * Daily snapshot window, `hh24:mi-hh24:mi` UTC, at least 60 minutes; snapshots slow a node for their duration.
     * @default ElastiCache picks a window per region
     */
    readonly snapshotWindow?: string;
    /**
     * Weekly maintenance window (minor upgrades, patches), `ddd:hh24:mi-ddd:hh24:mi` UTC, at least 60 minutes;
     * a single node is unavailable while it is patched, a replicated group fails over.
     * @default ElastiCache picks a window per region
     */
    readonly maintenanceWindow?: string;
    /**
     * What the engine evicts at maxmemory. `allkeys-lru` suits a cache: every key is disposable, so the least
     * recently used goes, with or without a TTL. ElastiCache's default (`volatile-lru`) evicts only keys with a TTL
     * and then fails writes with OOM once memory holds keys without one.
     * @default "allkeys-lru"
     */
    readonly maxmemoryPolicy?: string;
    /**
     * A name unique in the account and region for the cache's named ElastiCache objects: the RBAC user ids
     * (`<name>-app`, `<name>-default`), the user group (`<name>-users`) and the final snapshot (`<name>-final`).
     * Lower case, `[a-z][a-z0-9-]*`. Two stacks sharing an account and region must pass different values
     * (e.g. `<stack>-cache`), or the second stack's users collide with the first's.
     * @default the component's name
     */
    readonly uniqueName?: string;
    /**
     * Protect stateful children (the replication group, its key and its log groups): `protect` blocks
     * `pulumi destroy` and replacement, `retainOnDelete` keeps them in AWS if they leave the program, and the
     * group takes a final snapshot (`<uniqueName>-final`) when it is deleted. Without it, a destroy drops the
     * cache's contents and logs.
     * @default false
     */
    readonly protect?: boolean;
}

/** What makes the args unusable, for one error naming them all (stacks/ validates config more closely, with its keys). */
export function argProblems(args: CacheArgs, name: string): string[] {
    const problems: string[] = [];
    const engine = args.engine ?? "valkey";
    if (engine !== "valkey" && engine !== "redis") problems.push(`engine "${String(engine)}" must be "valkey" or "redis"`);
    else {
        const version = args.engineVersion ?? DEFAULT_ENGINE_VERSIONS[engine];
        const match = /^(\d+)\.(\d+)$/.exec(version);
        const [major, minor] = IAM_MINIMUM[engine];
        if (!match) problems.push(`engineVersion "${version}" must be major.minor (e.g. "${DEFAULT_ENGINE_VERSIONS[engine]}")`);
        else if (Number(match[1]) < major || (Number(match[1]) === major && Number(match[2]) < minor)) {
            problems.push(`engineVersion ${version} of ${engine} is older than ${major}.${minor}, the first with IAM authentication`);
        }
    }
    if (!(Number.isInteger(args.nodes) && args.nodes >= 1 && args.nodes <= 6)) problems.push(`nodes (${args.nodes}) must be a whole number from 1 to 6 (a primary and up to 5 replicas)`);
    if (!(Number.isInteger(args.snapshotRetentionDays) && args.snapshotRetentionDays >= 0 && args.snapshotRetentionDays <= 35)) {
        problems.push(`snapshotRetentionDays (${args.snapshotRetentionDays}) must be whole days from 0 to 35`);
    }
    if (!LOG_RETENTION_DAYS.includes(args.logRetentionDays)) problems.push(`logRetentionDays (${args.logRetentionDays}) must be a CloudWatch Logs retention value (${LOG_RETENTION_DAYS.join(", ")})`);
    if (args.zones !== undefined) {
        if (args.zones.length === 0) problems.push("zones must list at least one zone when given");
        else if (args.nodes >= 2 && new Set(args.zones).size < 2) problems.push(`zones (${args.zones.join(", ")}) must name 2 different zones for ${args.nodes} nodes: Multi-AZ keeps a replica outside the primary's zone`);
    }
    if (args.snapshotWindow !== undefined && !SNAPSHOT_WINDOW.test(args.snapshotWindow)) problems.push(`snapshotWindow "${args.snapshotWindow}" must be hh24:mi-hh24:mi (UTC)`);
    if (args.maintenanceWindow !== undefined && !MAINTENANCE_WINDOW.test(args.maintenanceWindow)) problems.push(`maintenanceWindow "${args.maintenanceWindow}" must be ddd:hh24:mi-ddd:hh24:mi (UTC, e.g. sun:05:00-sun:06:00)`);
    const unique = args.uniqueName ?? name;
    if (!RBAC_ID.test(unique) || unique.length > 32) problems.push(`uniqueName "${unique}" must match [a-z][a-z0-9-]* and be at most 32 characters (it names the RBAC users)`);
    return problems;
}

/**
 * ElastiCache (Valkey or Redis OSS) as one replication group: KMS-encrypted at rest with its own key, TLS
 * required in transit, clients authenticated by IAM through an RBAC user group whose `default` user is disabled,
 * in the isolated subnets behind the Vpc's `cache` group, with a cache-suited eviction policy, snapshots,
 * maintenance windows, and slow and engine logs in CloudWatch. Nothing holds a password or an AUTH token: the
 * app signs a short-lived IAM token (SigV4, valid 15 minutes) per connection as user `username`, and its role
 * needs `elasticache:Connect` on `connectPolicyResources`.
 */
export class Cache extends pulumi.ComponentResource {
    /** The primary's DNS name (writes and reads). */
    readonly primaryEndpoint: pulumi.Output<string>;
    /** Spreads reads over the replicas (the primary when there are none). */
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port: number;
    /** The IAM-authenticated RBAC user the app connects as (user name = user id, as IAM authentication requires). */
    readonly username: string;
    readonly userArn: pulumi.Output<string>;
    readonly replicationGroupId: pulumi.Output<string>;
    readonly replicationGroupArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    /** The ARNs `elasticache:Connect` must name (the replication group and the user), built from names: known at preview. */
    readonly connectPolicyResources: pulumi.Output<string>[];

    constructor(name: string, args: CacheArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // Before anything is registered: every problem at once.
        const problems = argProblems(args, name);
        if (problems.length > 0) throw new pulumi.RunError(`Cache ${name} has invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        super("webstack:data:Cache", name, {}, opts);
        const tags = (role: string) => resourceTags(args.tags, name, `${name}-${role}`);
        const ctx = awsContext(this);
        const protect = args.protect ?? false;
        const stateful = { parent: this, protect, retainOnDelete: protect };
        const engine = args.engine ?? "valkey";
        const version = args.engineVersion ?? DEFAULT_ENGINE_VERSIONS[engine];
        const unique = args.uniqueName ?? name;
        const replicated = args.nodes >= 2;
        const zones = args.zones;

        const key = createKey(this, name, protect, ctx, tags);

        const subnetGroup = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            { description: `${name}: isolated subnets (no route out of the VPC)`, subnetIds: args.network.isolatedSubnetIds, tags: tags("subnets") },
            { parent: this },
        );
        const parameterGroup = new aws.elasticache.ParameterGroup(
            `${name}-params`,
            {
                description: `${name}: ${engine} ${version.split(".")[0]} as a cache`,
                family: `${engine}${version.split(".")[0]}`,
                parameters: [{ name: "maxmemory-policy", value: args.maxmemoryPolicy ?? "allkeys-lru" }],
                tags: tags("params"),
            },
            { parent: this },
        );

        // Users and group on engine "redis": a Redis OSS cluster accepts only REDIS user groups, a Valkey cluster both,
        // and a VALKEY group may hold only users with a password or IAM (ElastiCache RBAC guide), which the disabled
        // default user has no use for.
        const appUser = new aws.elasticache.User(
            `${name}-app`,
            {
                userId: `${unique}-app`,
                userName: `${unique}-app`,
                engine: "redis",
                accessString: APP_ACCESS_STRING,
                authenticationMode: { type: "iam" },
                tags: tags("app"),
            },
            { parent: this },
        );
        const defaultUser = new aws.elasticache.User(
            `${name}-default`,
            {
                userId: `${unique}-default`,
                userName: "default",
                engine: "redis",
                accessString: DISABLED_DEFAULT_ACCESS_STRING,
                authenticationMode: { type: "no-password-required" },
                tags: tags("default"),
            },
            { parent: this },
        );
        const userGroup = new aws.elasticache.UserGroup(
            `${name}-users`,
            { userGroupId: `${unique}-users`, engine: "redis", userIds: [defaultUser.userId, appUser.userId], tags: tags("users") },
            { parent: this },
        );

        // The log groups ElastiCache delivers to (it adds their resource policy for delivery.logs.amazonaws.com).
        const logGroups = (["slow-log", "engine-log"] as const).map(
            (logType) =>
                [
                    logType,
                    new aws.cloudwatch.LogGroup(`${name}-${logType}`, { retentionInDays: args.logRetentionDays, kmsKeyId: key.arn, tags: tags(logType) }, stateful),
                ] as const,
        );

        const group = new aws.elasticache.ReplicationGroup(
            `${name}-group`,
            {
                description: `${name}: ${engine} ${version} cache, ${args.nodes} node${replicated ? "s" : ""}`,
                engine,
                engineVersion: version,
                nodeType: args.nodeType,
                port: CACHE_PORT,
                numCacheClusters: args.nodes,
                automaticFailoverEnabled: replicated,
                multiAzEnabled: replicated,
                preferredCacheClusterAzs: zones ? Array.from({ length: args.nodes }, (_, i) => zones[i % zones.length]) : undefined,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [args.network.cacheSecurityGroupId],
                parameterGroupName: parameterGroup.name,
                atRestEncryptionEnabled: true,
                kmsKeyId: key.arn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                userGroupIds: [userGroup.userGroupId],
                snapshotRetentionLimit: args.snapshotRetentionDays,
                snapshotWindow: args.snapshotWindow,
                maintenanceWindow: args.maintenanceWindow,
                autoMinorVersionUpgrade: true,
                finalSnapshotIdentifier: protect ? `${unique}-final` : undefined,
                logDeliveryConfigurations: logGroups.map(([logType, logGroup]) => ({
                    destination: logGroup.name,
                    destinationType: "cloudwatch-logs",
                    logFormat: "json",
                    logType,
                })),
                tags: tags("group"),
            },
            stateful,
        );

        this.primaryEndpoint = group.primaryEndpointAddress;
        this.readerEndpoint = group.readerEndpointAddress;
        this.port = CACHE_PORT;
        this.username = `${unique}-app`;
        this.userArn = ctx.arn("elasticache", `user:${this.username}`);
        this.replicationGroupId = group.replicationGroupId;
        this.replicationGroupArn = ctx.arn("elasticache", pulumi.interpolate`replicationgroup:${group.replicationGroupId}`);
        this.keyArn = key.arn;
        this.connectPolicyResources = [this.replicationGroupArn, this.userArn];
        this.registerOutputs({
            primaryEndpoint: this.primaryEndpoint,
            readerEndpoint: this.readerEndpoint,
            port: this.port,
            username: this.username,
            userArn: this.userArn,
            replicationGroupId: this.replicationGroupId,
            replicationGroupArn: this.replicationGroupArn,
            keyArn: this.keyArn,
            connectPolicyResources: this.connectPolicyResources,
        });
    }
}

/**
 * The cache's key: snapshots and on-disk data, used by the account only through ElastiCache (which takes grants
 * for the nodes), and by CloudWatch Logs only for this account's log groups (the slow and engine logs).
 */
function createKey(parent: pulumi.ComponentResource, name: string, protect: boolean, ctx: AwsContext, tags: (role: string) => Tags): aws.kms.Key {
    return customerManagedKey(
        `${name}-key`,
        `${name}: cache data at rest, snapshots and logs`,
        ctx.accountRoot,
        [accountUsesKeyThrough(ctx, "ElastiCache", ctx.region, ["elasticache"], [...KEY_USE_ACTIONS, "kms:ListGrants"]), logsMayEncrypt(ctx.arn, ctx.region)],
        tags("key"),
        { parent, protect, retainOnDelete: protect },
    );
}
