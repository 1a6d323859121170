import * as assert from "assert/strict";
import { CACHE_RULES, R11, R34, R75 } from "../../policy/rules/cache";
import { findings, mutate, verdictOf, type Fixture, UNKNOWN, PROD_TAGS } from "../helpers/policy";

const RG = "aws:elasticache/replicationGroup:ReplicationGroup";
const CLUSTER = "aws:elasticache/cluster:Cluster";

/** The cache as the Cache component creates it. */
const redis: Fixture = {
    type: RG,
    name: "cache",
    props: {
        replicationGroupId: "webstack-production",
        description: "webstack sessions",
        engine: "redis",
        engineVersion: "7.1",
        nodeType: "cache.t4g.small",
        numCacheClusters: 2,
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
        port: 6379,
        snapshotRetentionLimit: 7,
        snapshotWindow: "03:00-04:00",
        subnetGroupName: "webstack-cache",
        securityGroupIds: ["sg-cache"],
        atRestEncryptionEnabled: true,
        kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        transitEncryptionEnabled: true,
        transitEncryptionMode: "required",
        authToken: "a-long-random-token-from-a-secret-0123456789",
        tags: PROD_TAGS,
    },
};

describe("cache rules", () => {
    describe("R11 Redis encrypted and authenticated", () => {
        it("passes an encrypted replication group with an AUTH token, and a Valkey group with RBAC and default at-rest encryption", async () => {
            const valkey = { ...mutate(redis, { engine: "valkey", atRestEncryptionEnabled: undefined, transitEncryptionMode: undefined, authToken: undefined, userGroupIds: ["webstack-users"] }), name: "valkey" };
            assert.deepEqual(await findings(R11, [redis, valkey]), []);
        });

        it("reports a Redis group left at the defaults (no encryption, no auth)", async () => {
            const bare = mutate(redis, { engine: undefined, atRestEncryptionEnabled: undefined, transitEncryptionEnabled: undefined, transitEncryptionMode: undefined, authToken: undefined });
            assert.deepEqual(await findings(R11, [bare]), [
                "cache: replication group does not encrypt at rest (atRestEncryptionEnabled is unset, default false) [finding at-rest]",
                "cache: replication group does not encrypt in transit (transitEncryptionEnabled is unset, default false) [finding in-transit]",
                "cache: replication group lets clients in without authentication (no authToken and no userGroupIds) [finding auth]",
            ]);
        });

        it("reports transit encryption in preferred mode", async () => {
            assert.deepEqual(await findings(R11, [mutate(redis, { transitEncryptionMode: "preferred" })]), [
                'cache: replication group still accepts unencrypted connections (transitEncryptionMode is "preferred") [finding transit-mode]',
            ]);
        });

        it("reports Valkey with at-rest encryption turned off and an empty user group list", async () => {
            assert.deepEqual(await findings(R11, [mutate(redis, { engine: "valkey", atRestEncryptionEnabled: false, authToken: undefined, userGroupIds: [] })]), [
                "cache: replication group does not encrypt at rest (atRestEncryptionEnabled is false) [finding at-rest]",
                "cache: replication group lets clients in without authentication (no authToken and no userGroupIds) [finding auth]",
            ]);
        });

        it("reports a standalone Redis cluster, but not memcached or replication group members", async () => {
            const standalone: Fixture = { type: CLUSTER, name: "single", props: { clusterId: "single", engine: "redis", nodeType: "cache.t4g.micro", numCacheNodes: 1, subnetGroupName: "webstack-cache", securityGroupIds: ["sg-cache"] } };
            const memcached: Fixture = { ...standalone, name: "memcached", props: { ...standalone.props, engine: "memcached" } };
            const memberCluster: Fixture = { type: CLUSTER, name: "member", props: { clusterId: "member", replicationGroupId: "webstack-production" } };
            assert.deepEqual(await findings(R11, [standalone, memcached, memberCluster]), [
                "single: standalone redis cache cluster cannot encrypt at rest, encrypt in transit or require AUTH; use a replication group [finding standalone]",
            ]);
        });

        it("decides during preview with an AUTH token known only after deploy (a generated secret is set)", async () => {
            const verdict = await verdictOf([R11], [mutate(redis, { authToken: UNKNOWN, userGroupIds: [UNKNOWN] })]);
            assert.deepEqual(verdict.findings, []);
            assert.deepEqual(await findings(R11, [mutate(redis, { authToken: undefined, userGroupIds: [] })]), [
                "cache: replication group lets clients in without authentication (no authToken and no userGroupIds) [finding auth]",
            ]);
        });
    });

    describe("R34 own subnet group and security groups", () => {
        it("passes the replication group, a standalone memcached cluster with both, and skips group members", async () => {
            const memcached: Fixture = { type: CLUSTER, name: "memcached", props: { clusterId: "mc", engine: "memcached", subnetGroupName: "webstack-cache", securityGroupIds: ["sg-cache"] } };
            const memberCluster: Fixture = { type: CLUSTER, name: "member", props: { clusterId: "member", replicationGroupId: "webstack-production" } };
            assert.deepEqual(await findings(R34, [redis, memcached, memberCluster]), []);
        });

        it("reports a replication group without subnet group or security groups", async () => {
            assert.deepEqual(await findings(R34, [mutate(redis, { subnetGroupName: undefined, securityGroupIds: [] })]), [
                "cache: replication group has no securityGroupIds, so the VPC's default security group applies [finding security-groups]",
                "cache: replication group has no subnetGroupName, so AWS places it in the default subnet group (the default VPC) [finding subnet-group]",
            ]);
        });

        it("reports a standalone cluster in the default subnet group", async () => {
            const standalone: Fixture = { type: CLUSTER, name: "single", props: { clusterId: "single", engine: "memcached", subnetGroupName: "default", securityGroupIds: ["sg-cache"] } };
            assert.deepEqual(await findings(R34, [standalone]), ['single: cache cluster uses the "default" cache subnet group (the default VPC) [finding subnet-group]']);
        });
    });

    describe("R75 ElastiCache backups, failover and minor upgrades", () => {
        it("passes the production group, memcached, group members and a standalone Redis cluster with backups", async () => {
            const memcached: Fixture = { type: CLUSTER, name: "memcached", props: { engine: "memcached", numCacheNodes: 2, autoMinorVersionUpgrade: "true" } };
            const memberCluster: Fixture = { type: CLUSTER, name: "member", props: { replicationGroupId: UNKNOWN } };
            const standalone: Fixture = { type: CLUSTER, name: "standalone", props: { engine: "redis", numCacheNodes: 1, snapshotRetentionLimit: 1 } };
            assert.deepEqual(await findings(R75, [redis, memcached, memberCluster, standalone]), []);
        });

        it("reports a group left at the defaults and one with minor upgrades off", async () => {
            const bare = mutate(redis, { snapshotRetentionLimit: undefined, automaticFailoverEnabled: undefined, multiAzEnabled: undefined, numCacheClusters: 1 });
            const pinned = { ...mutate(redis, { autoMinorVersionUpgrade: false, multiAzEnabled: false, snapshotRetentionLimit: 0 }), name: "pinned" };
            assert.deepEqual(await findings(R75, [bare, pinned]), [
                "cache: replication group does not fail over automatically (automaticFailoverEnabled is unset, default false) [finding failover]",
                "cache: replication group is not Multi-AZ (multiAzEnabled is unset, default false) [finding multi-az]",
                "cache: replication group keeps no automatic backups (snapshotRetentionLimit is unset, default 0) [finding backups]",
                "pinned: replication group has automatic minor version upgrades turned off [finding minor-upgrades]",
                "pinned: replication group is not Multi-AZ (multiAzEnabled is false) [finding multi-az]",
                "pinned: replication group keeps no automatic backups (snapshotRetentionLimit is 0) [finding backups]",
            ]);
        });

        it("reports a standalone Redis cluster without backups and with the string flag turning minor upgrades off", async () => {
            const standalone: Fixture = { type: CLUSTER, name: "standalone", props: { engine: "redis", numCacheNodes: 1, autoMinorVersionUpgrade: "false" } };
            assert.deepEqual(await findings(R75, [standalone]), [
                "standalone: cache cluster has automatic minor version upgrades turned off [finding minor-upgrades]",
                "standalone: cache cluster keeps no automatic backups (snapshotRetentionLimit is unset, default 0) [finding backups]",
            ]);
        });
    });

    it("mixed graph: exactly the non-compliant resources fail", async () => {
        const fixtures: Fixture[] = [
            redis,
            { ...mutate(redis, { transitEncryptionEnabled: false }), name: "legacy-cache" },
            { ...mutate(redis, { securityGroupIds: undefined }), name: "open-cache" },
            { type: CLUSTER, name: "single", props: { clusterId: "single", engine: "redis" } },
            { type: CLUSTER, name: "member", props: { clusterId: "member", replicationGroupId: "webstack-production" } },
        ];
        const verdict = await verdictOf(CACHE_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R11-redis-encrypted-authenticated legacy-cache",
            "R11-redis-encrypted-authenticated single",
            "R34-elasticache-subnet-and-groups open-cache",
            "R34-elasticache-subnet-and-groups single",
            "R75-elasticache-resilience single",
        ]);
    });
});
