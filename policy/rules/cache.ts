import { resourceRule, type Props } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { isPresent, known, knownItems } from "../lib/values";

const isSet = (v: unknown): v is string => typeof v === "string" && v !== "";
const shown = (v: unknown, dflt: string) => (v === undefined ? `unset, default ${dflt}` : JSON.stringify(v));

/** A cache cluster created inside a replication group takes its settings from the group. */
const isGroupMember = (props: Props) => isPresent(known(props, "replicationGroupId"));

export const R11 = resourceRule(
    {
        id: "R11",
        slug: "redis-encrypted-authenticated",
        requirement: "Redis/Valkey replication groups encrypt at rest and in transit (mode required) and authenticate clients with an AUTH token or an RBAC user group.",
        why: "Cache contents (sessions, tokens, query results) otherwise sit unencrypted on disk and on the wire, and anyone who reaches the port can read and write them.",
        anchors: ["FSBP ElastiCache.4", "FSBP ElastiCache.5", "FSBP ElastiCache.6", "cdk-nag AEC3", "cdk-nag AEC6"],
        level: "M",
        severity: "high",
        remediation: 'Use an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled: true, kmsKeyId, transitEncryptionEnabled: true, transitEncryptionMode: "required" (or unset), and authToken (from a secret) or userGroupIds.',
    },
    [...T.replicationGroup, ...T.cacheCluster],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.cacheCluster)) {
            // Memcached is not Redis; a member cluster is checked through its replication group.
            const engine = props.engine;
            if (engine === "memcached" || isGroupMember(props)) return;
            report(
                "standalone",
                `standalone ${isSet(engine) ? engine : "(engine unset)"} cache cluster cannot encrypt at rest, encrypt in transit or require AUTH; use a replication group`,
            );
            return;
        }
        // engine defaults to redis; at-rest encryption defaults to false for redis and true for valkey.
        const engine = isSet(props.engine) ? props.engine : "redis";
        const atRest = props.atRestEncryptionEnabled ?? (engine === "valkey" ? true : undefined);
        if (atRest !== true) report("at-rest", `replication group does not encrypt at rest (atRestEncryptionEnabled is ${shown(props.atRestEncryptionEnabled, "false")})`);
        if (props.transitEncryptionEnabled !== true) {
            report("in-transit", `replication group does not encrypt in transit (transitEncryptionEnabled is ${shown(props.transitEncryptionEnabled, "false")})`);
        } else if (typeof props.transitEncryptionMode === "string" && props.transitEncryptionMode.toLowerCase() === "preferred") {
            // Unset, AWS uses required once transit encryption is on.
            report("transit-mode", 'replication group still accepts unencrypted connections (transitEncryptionMode is "preferred")');
        }
        // A token or user group known only after deploy (a generated secret, a group's id) is set.
        const hasToken = isPresent(known(props, "authToken")) || isPresent(known(props, "authTokenWo"));
        const hasUsers = knownItems(known(props, "userGroupIds")).some(isPresent);
        if (!hasToken && !hasUsers) report("auth", "replication group lets clients in without authentication (no authToken and no userGroupIds)");
    },
);

export const R34 = resourceRule(
    {
        id: "R34",
        slug: "elasticache-subnet-and-groups",
        requirement: "ElastiCache replication groups and standalone clusters use their own subnet group and explicit security groups.",
        why: "Without them the cache lands in the default VPC's subnets behind the default security group, outside the traffic paths the stack defines.",
        anchors: ["FSBP ElastiCache.7", "cdk-nag AEC1"],
        level: "M",
        severity: "high",
        remediation: "Set subnetGroupName to an aws.elasticache.SubnetGroup of private subnets and securityGroupIds to the cache's own security group.",
    },
    [...T.replicationGroup, ...T.cacheCluster],
    (props, subject, report) => {
        const isCluster = isOneOf(subject.type, T.cacheCluster);
        if (isCluster && isGroupMember(props)) return;
        const kind = isCluster ? "cache cluster" : "replication group";
        // Names and ids known only after deploy are the stack's own subnet group and security groups.
        const group = known(props, "subnetGroupName");
        if (!isPresent(group)) report("subnet-group", `${kind} has no subnetGroupName, so AWS places it in the default subnet group (the default VPC)`);
        else if (typeof group === "string" && group.toLowerCase() === "default") report("subnet-group", `${kind} uses the "default" cache subnet group (the default VPC)`);
        if (!knownItems(known(props, "securityGroupIds")).some(isPresent)) {
            report("security-groups", `${kind} has no securityGroupIds, so the VPC's default security group applies`);
        }
    },
);

export const R75 = resourceRule(
    {
        id: "R75",
        slug: "elasticache-resilience",
        requirement:
            "Redis/Valkey replication groups keep automatic backups (snapshotRetentionLimit of 1 day or more), run Multi-AZ with automatic failover, and take automatic minor version upgrades; standalone Redis/Valkey clusters keep backups and minor upgrades too.",
        why: "Without backups a flushed or corrupted cache (sessions, rate-limit state) cannot be restored; a single-AZ primary without failover takes the API down with its zone; skipped minor versions keep known security fixes out.",
        anchors: ["FSBP ElastiCache.1", "FSBP ElastiCache.2", "FSBP ElastiCache.3", "cdk-nag AEC4"],
        level: "MP",
        severity: "medium",
        remediation: "Set snapshotRetentionLimit: 7 (1 or more) and a snapshotWindow, numCacheClusters: 2 or more (or replicasPerNodeGroup: 1+), automaticFailoverEnabled: true, multiAzEnabled: true, and leave autoMinorVersionUpgrade at true.",
    },
    [...T.replicationGroup, ...T.cacheCluster],
    (props, subject, report) => {
        const isCluster = isOneOf(subject.type, T.cacheCluster);
        // Memcached keeps no snapshots and has no replicas; a member cluster follows its replication group.
        if (isCluster && (props.engine === "memcached" || isGroupMember(props))) return;
        const kind = isCluster ? "cache cluster" : "replication group";
        const retention = props.snapshotRetentionLimit;
        if (typeof retention !== "number" || retention < 1) {
            report("backups", `${kind} keeps no automatic backups (snapshotRetentionLimit is ${shown(retention, "0")})`);
        }
        // The replication group carries a boolean, the cluster the string "true"/"false"; both default to true.
        const minor: unknown = props.autoMinorVersionUpgrade;
        if (minor === false || minor === "false") report("minor-upgrades", `${kind} has automatic minor version upgrades turned off`);
        if (isCluster) return;
        if (props.automaticFailoverEnabled !== true) {
            report("failover", `replication group does not fail over automatically (automaticFailoverEnabled is ${shown(props.automaticFailoverEnabled, "false")})`);
        }
        if (props.multiAzEnabled !== true) report("multi-az", `replication group is not Multi-AZ (multiAzEnabled is ${shown(props.multiAzEnabled, "false")})`);
    },
);

export const CACHE_RULES = [R11, R34, R75];
