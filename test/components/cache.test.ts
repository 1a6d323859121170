import * as assert from "assert/strict";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { APP_ACCESS_STRING, CACHE_PORT, Cache, DISABLED_DEFAULT_ACCESS_STRING, argProblems, type CacheArgs } from "../../components/cache";
import { Vpc } from "../../components/vpc";
import { POLICIES } from "../../policy/rules";
import { UNKNOWN, type Graph, type RecordedResource } from "../../tools/engine/graph";
import { evaluatePolicies } from "../../tools/policy/evaluate";
import { readPackConfig } from "../../tools/policy/pack";
import { ROOT, T, inventory, named, ofType, planProgram, registeredCount, valueOf } from "../helpers/engine";

const C = {
    component: "webstack:data:Cache",
    group: "aws:elasticache/replicationGroup:ReplicationGroup",
    subnets: "aws:elasticache/subnetGroup:SubnetGroup",
    params: "aws:elasticache/parameterGroup:ParameterGroup",
    user: "aws:elasticache/user:User",
    users: "aws:elasticache/userGroup:UserGroup",
} as const;

const TAGS = { Project: "webstack", Stack: "production", Environment: "production", Owner: "platform-team", CostCenter: "CC-1042" };
const tagsOf = (role: string) => ({ ...TAGS, Component: "cache", Name: `cache-${role}` });
const ACCOUNT = "123456789012";
const NETWORK = { isolatedSubnetIds: ["subnet-0iso000000000000a", "subnet-0iso000000000000b"], cacheSecurityGroupId: "sg-0cache00000000000" };
/** The staging shape: one small node, no zones, no protection. */
const SINGLE: CacheArgs = { network: NETWORK, nodeType: "cache.t4g.micro", nodes: 1, snapshotRetentionDays: 1, logRetentionDays: 30, tags: TAGS };
/** The production shape: a primary and a replica in two zones, protected. */
const PAIR: CacheArgs = {
    ...SINGLE,
    nodeType: "cache.r7g.large",
    nodes: 2,
    zones: ["us-east-1a", "us-east-1b"],
    snapshotRetentionDays: 7,
    snapshotWindow: "03:00-04:00",
    maintenanceWindow: "sun:05:00-sun:06:00",
    logRetentionDays: 365,
    protect: true,
};

interface Planned {
    readonly g: Graph;
    readonly cache: Cache;
}

/** Plans one Cache named "cache" (`preview`: as `plan --preview`). */
async function planCache(args: Partial<CacheArgs> = {}, { preview = false } = {}): Promise<Planned> {
    let cache: Cache | undefined;
    const g = await planProgram(
        () => {
            cache = new Cache("cache", { ...SINGLE, ...args });
        },
        "production",
        { preview },
    );
    return { g, cache: cache as Cache };
}

const one = named;
const statements = (r: RecordedResource) => (JSON.parse(r.inputs.policy as string) as { Statement: Record<string, unknown>[] }).Statement;

describe("Cache", () => {
    describe("inventory", () => {
        it("registers the key, subnet and parameter groups, two users and their group, two log groups and the replication group, all under the component", async () => {
            for (const args of [SINGLE, PAIR]) {
                const { g } = await planCache(args);
                assert.deepEqual(inventory(g), [
                    `${T.logGroup} cache-engine-log`,
                    `${T.logGroup} cache-slow-log`,
                    `${C.params} cache-params`,
                    `${C.group} cache-group`,
                    `${C.subnets} cache-subnets`,
                    `${C.user} cache-app`,
                    `${C.user} cache-default`,
                    `${C.users} cache-users`,
                    `${T.kmsKey} cache-key`,
                    `${C.component} cache`,
                ]);
                const component = one(g, C.component, "cache");
                for (const r of g.resources.filter((x) => x !== component)) assert.equal(r.parent, component.urn, `${r.name} is the component's child`);
            }
        });
    });

    describe("replication group", () => {
        it("encrypts at rest with its own key and in transit (required), authenticates through the user group, and sits in the isolated subnets behind the cache group", async () => {
            const { g } = await planCache(PAIR);
            const group = one(g, C.group, "cache-group");
            const key = one(g, T.kmsKey, "cache-key");
            assert.equal(group.inputs.atRestEncryptionEnabled, true);
            assert.equal(group.inputs.kmsKeyId, key.outputs.arn);
            assert.equal(group.inputs.transitEncryptionEnabled, true);
            assert.equal(group.inputs.transitEncryptionMode, "required");
            assert.deepEqual(group.inputs.userGroupIds, ["cache-users"]);
            assert.equal(group.inputs.authToken, undefined);
            assert.equal(group.inputs.authTokenWo, undefined);
            assert.deepEqual(group.inputs.securityGroupIds, ["sg-0cache00000000000"]);
            const subnets = one(g, C.subnets, "cache-subnets");
            assert.equal(group.inputs.subnetGroupName, subnets.outputs.name);
            assert.deepEqual(subnets.inputs.subnetIds, NETWORK.isolatedSubnetIds);
            assert.equal(group.inputs.parameterGroupName, one(g, C.params, "cache-params").outputs.name);
            assert.equal(group.inputs.port, 6379);
            assert.equal(CACHE_PORT, 6379);
        });

        it("runs 2 nodes in 2 zones with Multi-AZ and automatic failover, snapshots, windows and minor upgrades", async () => {
            const { g } = await planCache(PAIR);
            const group = one(g, C.group, "cache-group");
            assert.deepEqual(
                {
                    engine: group.inputs.engine,
                    engineVersion: group.inputs.engineVersion,
                    nodeType: group.inputs.nodeType,
                    numCacheClusters: group.inputs.numCacheClusters,
                    automaticFailoverEnabled: group.inputs.automaticFailoverEnabled,
                    multiAzEnabled: group.inputs.multiAzEnabled,
                    preferredCacheClusterAzs: group.inputs.preferredCacheClusterAzs,
                    snapshotRetentionLimit: group.inputs.snapshotRetentionLimit,
                    snapshotWindow: group.inputs.snapshotWindow,
                    maintenanceWindow: group.inputs.maintenanceWindow,
                    autoMinorVersionUpgrade: group.inputs.autoMinorVersionUpgrade,
                    finalSnapshotIdentifier: group.inputs.finalSnapshotIdentifier,
                    description: group.inputs.description,
                },
                {
                    engine: "valkey",
                    engineVersion: "8.0",
                    nodeType: "cache.r7g.large",
                    numCacheClusters: 2,
                    automaticFailoverEnabled: true,
                    multiAzEnabled: true,
                    preferredCacheClusterAzs: ["us-east-1a", "us-east-1b"],
                    snapshotRetentionLimit: 7,
                    snapshotWindow: "03:00-04:00",
                    maintenanceWindow: "sun:05:00-sun:06:00",
                    autoMinorVersionUpgrade: true,
                    finalSnapshotIdentifier: "cache-final",
                    description: "cache: valkey 8.0 cache, 2 nodes",
                },
            );
        });

        it("runs 1 node without failover or Multi-AZ, lets ElastiCache pick the zone and windows, and takes no final snapshot unprotected", async () => {
            const { g } = await planCache(SINGLE);
            const group = one(g, C.group, "cache-group");
            assert.equal(group.inputs.numCacheClusters, 1);
            assert.equal(group.inputs.automaticFailoverEnabled, false);
            assert.equal(group.inputs.multiAzEnabled, false);
            assert.equal(group.inputs.preferredCacheClusterAzs, undefined);
            assert.equal(group.inputs.snapshotRetentionLimit, 1);
            assert.equal(group.inputs.snapshotWindow, undefined);
            assert.equal(group.inputs.maintenanceWindow, undefined);
            assert.equal(group.inputs.finalSnapshotIdentifier, undefined);
            assert.equal(group.inputs.description, "cache: valkey 8.0 cache, 1 node");
        });

        it("places node i in zones[i mod zones], the first being the primary's", async () => {
            const one1 = one((await planCache({ zones: ["us-east-1c", "us-east-1a"] })).g, C.group, "cache-group");
            assert.deepEqual(one1.inputs.preferredCacheClusterAzs, ["us-east-1c"]);
            const three = one((await planCache({ nodes: 3, zones: ["us-east-1a", "us-east-1b"] })).g, C.group, "cache-group");
            assert.deepEqual(three.inputs.preferredCacheClusterAzs, ["us-east-1a", "us-east-1b", "us-east-1a"]);
            assert.equal(three.inputs.numCacheClusters, 3);
        });

        it("delivers the slow log and the engine log as JSON to its own log groups, by name, kept for logRetentionDays under the key", async () => {
            const { g } = await planCache(PAIR);
            const group = one(g, C.group, "cache-group");
            const slow = one(g, T.logGroup, "cache-slow-log");
            const engine = one(g, T.logGroup, "cache-engine-log");
            assert.match(String(slow.outputs.name), /^cache-slow-log-[0-9a-f]{7}$/);
            assert.deepEqual(group.inputs.logDeliveryConfigurations, [
                { destination: slow.outputs.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
                { destination: engine.outputs.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "engine-log" },
            ]);
            const key = one(g, T.kmsKey, "cache-key");
            for (const logGroup of [slow, engine]) {
                assert.equal(logGroup.inputs.retentionInDays, 365);
                assert.equal(logGroup.inputs.kmsKeyId, key.outputs.arn);
            }
        });
    });

    describe("engine and parameters", () => {
        it("derives the parameter group family from the engine's major version and evicts least recently used keys by default", async () => {
            const valkey = one((await planCache()).g, C.params, "cache-params");
            assert.deepEqual(
                { family: valkey.inputs.family, parameters: valkey.inputs.parameters, description: valkey.inputs.description },
                { family: "valkey8", parameters: [{ name: "maxmemory-policy", value: "allkeys-lru" }], description: "cache: valkey 8 as a cache" },
            );
            const { g } = await planCache({ engine: "redis", maxmemoryPolicy: "volatile-lfu" });
            const redis = one(g, C.params, "cache-params");
            assert.equal(redis.inputs.family, "redis7");
            assert.deepEqual(redis.inputs.parameters, [{ name: "maxmemory-policy", value: "volatile-lfu" }]);
            const group = one(g, C.group, "cache-group");
            assert.equal(group.inputs.engine, "redis");
            assert.equal(group.inputs.engineVersion, "7.1");
            const older = one((await planCache({ engineVersion: "7.2" })).g, C.params, "cache-params");
            assert.equal(older.inputs.family, "valkey7");
        });
    });

    describe("authentication", () => {
        it("gives the app an IAM-authenticated user (user name = user id) limited to non-dangerous commands, and replaces default with a disabled user", async () => {
            for (const engine of ["valkey", "redis"] as const) {
                const { g } = await planCache({ engine });
                const strip = (r: RecordedResource) => {
                    const { tags: _tags, ...rest } = r.inputs;
                    return rest;
                };
                assert.deepEqual(strip(one(g, C.user, "cache-app")), {
                    userId: "cache-app",
                    userName: "cache-app",
                    engine: "redis",
                    accessString: "on ~* &* +@all -@dangerous",
                    authenticationMode: { type: "iam" },
                });
                assert.deepEqual(strip(one(g, C.user, "cache-default")), {
                    userId: "cache-default",
                    userName: "default",
                    engine: "redis",
                    accessString: "off -@all",
                    authenticationMode: { type: "no-password-required" },
                });
                assert.deepEqual(strip(one(g, C.users, "cache-users")), { userGroupId: "cache-users", engine: "redis", userIds: ["cache-default", "cache-app"] });
            }
            assert.equal(APP_ACCESS_STRING, "on ~* &* +@all -@dangerous");
            assert.equal(DISABLED_DEFAULT_ACCESS_STRING, "off -@all");
        });

        it("names the users, the group and the final snapshot from uniqueName, so two stacks can share an account and region", async () => {
            const { g, cache } = await planCache({ ...PAIR, uniqueName: "staging-cache" });
            assert.equal(one(g, C.user, "cache-app").inputs.userId, "staging-cache-app");
            assert.equal(one(g, C.user, "cache-app").inputs.userName, "staging-cache-app");
            assert.equal(one(g, C.user, "cache-default").inputs.userId, "staging-cache-default");
            assert.equal(one(g, C.users, "cache-users").inputs.userGroupId, "staging-cache-users");
            assert.deepEqual(one(g, C.users, "cache-users").inputs.userIds, ["staging-cache-default", "staging-cache-app"]);
            assert.equal(one(g, C.group, "cache-group").inputs.finalSnapshotIdentifier, "staging-cache-final");
            assert.equal(cache.username, "staging-cache-app");
            assert.equal(await valueOf(cache.userArn), `arn:aws:elasticache:us-east-1:${ACCOUNT}:user:staging-cache-app`);
        });

        it("holds no password, AUTH token or secret anywhere in the recorded graph or the outputs", async () => {
            for (const args of [SINGLE, PAIR]) {
                const { g, cache } = await planCache(args);
                // No credential-carrying property (set or computed) and no Pulumi secret (its wire signature) anywhere.
                const recorded = JSON.stringify(g.resources.map((r) => [r.inputs, r.outputs]));
                for (const word of ['"authToken', '"passwords', '"password"', "4dabf18193072939515e22adb298388d"]) {
                    assert.equal(recorded.includes(word), false, `${word} in the graph`);
                }
                assert.deepEqual(
                    g.resources.filter((r) => /secretsmanager|random:/.test(r.type)).map((r) => r.type),
                    [],
                );
                const outputs = await valueOf(
                    pulumi.all([cache.primaryEndpoint, cache.readerEndpoint, cache.userArn, cache.replicationGroupId, cache.replicationGroupArn, cache.keyArn, ...cache.connectPolicyResources]),
                );
                assert.deepEqual(outputs.filter((v) => /password|token|secret/i.test(v)), []);
            }
        });
    });

    describe("key", () => {
        it("rotates, waits 30 days before deletion, and lets only ElastiCache (for the account) and CloudWatch Logs (for its log groups) use it", async () => {
            const { g } = await planCache(PAIR);
            const key = one(g, T.kmsKey, "cache-key");
            assert.equal(key.inputs.enableKeyRotation, true);
            assert.equal(key.inputs.deletionWindowInDays, 30);
            assert.equal(key.inputs.description, "cache: cache data at rest, snapshots and logs");
            const [admin, elasticache, logs] = statements(key);
            assert.equal(statements(key).length, 3);
            assert.equal(admin.Sid, "AccountAdministers");
            assert.deepEqual(elasticache, {
                Sid: "AccountUsesThroughElastiCache",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants"],
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": "elasticache.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT } },
            });
            assert.deepEqual(logs, {
                Sid: "CloudWatchLogsEncrypts",
                Effect: "Allow",
                Principal: { Service: "logs.us-east-1.amazonaws.com" },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*` } },
            });
        });
    });

    describe("protection and tags", () => {
        it("protects and retains the replication group, its key and log groups only with protect", async () => {
            const stateful = ["cache-group", "cache-key", "cache-slow-log", "cache-engine-log"];
            for (const [args, expected] of [[PAIR, true], [SINGLE, false]] as const) {
                const { g } = await planCache(args);
                const flags = g.resources.filter((r) => r.custom).map((r) => [r.name, r.protect, r.retainOnDelete]);
                assert.deepEqual(
                    flags,
                    g.resources.filter((r) => r.custom).map((r) => [r.name, expected && stateful.includes(r.name), expected && stateful.includes(r.name)]),
                );
            }
        });

        it("tags every child with the stack's tags, the component and its Name", async () => {
            const { g } = await planCache(PAIR);
            const roles: Record<string, string> = {
                "cache-key": "key",
                "cache-subnets": "subnets",
                "cache-params": "params",
                "cache-app": "app",
                "cache-default": "default",
                "cache-users": "users",
                "cache-slow-log": "slow-log",
                "cache-engine-log": "engine-log",
                "cache-group": "group",
            };
            const children = g.resources.filter((r) => r.custom);
            assert.equal(children.length, 9);
            for (const r of children) assert.deepEqual(r.inputs.tags, tagsOf(roles[r.name]), r.name);
        });
    });

    describe("outputs", () => {
        it("exposes the endpoints, port, user, ids and ARNs, and the elasticache:Connect resources", async () => {
            const { g, cache } = await planCache(PAIR);
            const group = one(g, C.group, "cache-group");
            const id = String(group.outputs.replicationGroupId);
            assert.match(id, /^cache-group-[0-9a-f]{7}$/);
            assert.equal(await valueOf(cache.primaryEndpoint), group.outputs.primaryEndpointAddress);
            assert.match(await valueOf(cache.primaryEndpoint), /^master\.cache-group-[0-9a-f]{7}\.[a-z0-9]{6}\.use1\.cache\.amazonaws\.com$/);
            assert.equal(await valueOf(cache.readerEndpoint), group.outputs.readerEndpointAddress);
            assert.match(await valueOf(cache.readerEndpoint), /^replica\./);
            assert.equal(cache.port, 6379);
            assert.equal(cache.username, "cache-app");
            assert.equal(await valueOf(cache.replicationGroupId), id);
            const groupArn = `arn:aws:elasticache:us-east-1:${ACCOUNT}:replicationgroup:${id}`;
            assert.equal(await valueOf(cache.replicationGroupArn), groupArn);
            assert.equal(await valueOf(cache.replicationGroupArn), group.outputs.arn, "the ARN ElastiCache assigns");
            const userArn = `arn:aws:elasticache:us-east-1:${ACCOUNT}:user:cache-app`;
            assert.equal(await valueOf(cache.userArn), userArn);
            assert.equal(await valueOf(cache.userArn), one(g, C.user, "cache-app").outputs.arn, "the ARN ElastiCache assigns");
            assert.deepEqual(await valueOf(pulumi.all(cache.connectPolicyResources)), [groupArn, userArn]);
            assert.equal(await valueOf(cache.keyArn), one(g, T.kmsKey, "cache-key").outputs.arn);
            const registered = one(g, C.component, "cache").outputs;
            assert.deepEqual(registered.connectPolicyResources, [groupArn, userArn]);
            assert.equal(registered.username, "cache-app");
            assert.equal(registered.port, 6379);
        });

        it("knows the elasticache:Connect resources during preview, where the endpoints are not yet known", async () => {
            const { g, cache } = await planCache(PAIR, { preview: true });
            const id = String(one(g, C.group, "cache-group").inputs.replicationGroupId ?? one(g, C.group, "cache-group").outputs.replicationGroupId);
            assert.match(id, /^cache-group-[0-9a-f]{7}$/);
            assert.deepEqual(await valueOf(pulumi.all(cache.connectPolicyResources)), [
                `arn:aws:elasticache:us-east-1:${ACCOUNT}:replicationgroup:${id}`,
                `arn:aws:elasticache:us-east-1:${ACCOUNT}:user:cache-app`,
            ]);
            const registered = one(g, C.component, "cache").outputs;
            assert.equal(registered.primaryEndpoint, UNKNOWN);
        });
    });

    describe("argument checks", () => {
        it("refuses unusable args before registering anything, naming every problem at once", async () => {
            const args: CacheArgs = {
                ...PAIR,
                engine: "redis",
                engineVersion: "6.2",
                nodes: 7,
                snapshotRetentionDays: 36,
                logRetentionDays: 45,
                zones: [],
                snapshotWindow: "3:00-4:00",
                maintenanceWindow: "sunday 05:00",
                uniqueName: "Cache_1",
            };
            const expected = [
                "engineVersion 6.2 of redis is older than 7.0, the first with IAM authentication",
                "nodes (7) must be a whole number from 1 to 6 (a primary and up to 5 replicas)",
                "snapshotRetentionDays (36) must be whole days from 0 to 35",
                "logRetentionDays (45) must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
                "zones must list at least one zone when given",
                'snapshotWindow "3:00-4:00" must be hh24:mi-hh24:mi (UTC)',
                'maintenanceWindow "sunday 05:00" must be ddd:hh24:mi-ddd:hh24:mi (UTC, e.g. sun:05:00-sun:06:00)',
                'uniqueName "Cache_1" must match [a-z][a-z0-9-]* and be at most 32 characters (it names the RBAC users)',
            ];
            assert.deepEqual(argProblems(args, "cache"), expected);
            await assert.rejects(
                planProgram(() => new Cache("cache", args), "production"),
                (e: Error) => e.message.includes(`Cache cache has invalid arguments:\n${expected.map((p) => `  - ${p}`).join("\n")}`),
            );
            assert.equal(registeredCount(), 0);
        });

        it("names the other problems: engine, version format, Valkey before 7.2, one zone for a replicated group", () => {
            assert.deepEqual(argProblems({ ...SINGLE, engine: "memcached" as "redis" }, "cache"), ['engine "memcached" must be "valkey" or "redis"']);
            assert.deepEqual(argProblems({ ...SINGLE, engineVersion: "8" }, "cache"), ['engineVersion "8" must be major.minor (e.g. "8.0")']);
            assert.deepEqual(argProblems({ ...SINGLE, engineVersion: "7.1" }, "cache"), ["engineVersion 7.1 of valkey is older than 7.2, the first with IAM authentication"]);
            assert.deepEqual(argProblems({ ...PAIR, zones: ["us-east-1a", "us-east-1a"] }, "cache"), [
                "zones (us-east-1a, us-east-1a) must name 2 different zones for 2 nodes: Multi-AZ keeps a replica outside the primary's zone",
            ]);
            assert.deepEqual(argProblems({ ...SINGLE, nodes: 1.5 }, "cache"), ["nodes (1.5) must be a whole number from 1 to 6 (a primary and up to 5 replicas)"]);
            assert.deepEqual(argProblems(PAIR, "cache"), []);
            assert.deepEqual(argProblems({ ...SINGLE, engine: "redis", engineVersion: "7.0" }, "cache"), []);
        });
    });

    describe("policy pack", () => {
        const production = readPackConfig(path.join(ROOT, "policy", "config", "production.json"));

        it("passes every production rule with a real Vpc's network (plan and plan --preview)", async () => {
            for (const preview of [false, true]) {
                const g = await planProgram(
                    () => {
                        const net = new Vpc("network", { cidr: "10.20.0.0/16", zones: ["us-east-1a", "us-east-1b"], natStrategy: "onePerAz", flowLogRetentionDays: 365, protect: true, tags: TAGS });
                        return new Cache("cache", { ...PAIR, network: { isolatedSubnetIds: net.isolatedSubnetIds, cacheSecurityGroupId: net.securityGroupIds.cache } });
                    },
                    "production",
                    { preview },
                );
                assert.equal(ofType(g, C.group).length, 1);
                const verdict = await evaluatePolicies(g, POLICIES, production);
                assert.deepEqual(verdict.findings.map((f) => [f.policy, f.level, f.resource, f.message]), [], `preview=${preview}`);
            }
        });

        it("fails no resource rule but R75 on the single-node shape (no failover, not Multi-AZ) under the production config", async () => {
            const { g } = await planCache(SINGLE);
            const verdict = await evaluatePolicies(g, POLICIES, production);
            assert.deepEqual(
                verdict.findings.filter((f) => f.resource === "cache-group" && f.policy.startsWith("R")).map((f) => [f.policy, f.level, f.message]),
                [
                    ["R75-elasticache-resilience", "mandatory", "replication group does not fail over automatically (automaticFailoverEnabled is false) [finding failover]"],
                    ["R75-elasticache-resilience", "mandatory", "replication group is not Multi-AZ (multiAzEnabled is false) [finding multi-az]"],
                ],
            );
        });
    });
});
