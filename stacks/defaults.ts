import type { ApiConfig, CacheConfig, DatabaseConfig, DrSettings, NetworkSettings, SiteSettings, Tier } from "./schema";

/** What each tier gets unless its stack file says otherwise. Stack files hold only the differences. */
export interface TierDefaults {
    /** No `zones`: they default to the region's first `azCount` zone names (stacks/regions.ts). */
    readonly network: Omit<NetworkSettings, "zones">;
    readonly site: Omit<SiteSettings, "domain">;
    /** No `image`: CI pushes one and sets it by digest. */
    readonly api: Omit<ApiConfig, "image">;
    readonly database: DatabaseConfig;
    readonly cache: CacheConfig;
    /** No `region`: it defaults to DR_REGIONS[aws:region]. */
    readonly dr: Omit<DrSettings, "region">;
}

/**
 * The default DR region of each stack region (stacks/regions.ts), `webstack:dr.region` unless set. Each pair stays in
 * the same jurisdiction where one has a second region without opt-in (US, EU, Japan), so backups copied there stay under
 * the same data-protection law; is far enough away not to share the disaster; and is itself in stacks/regions.ts (no
 * opt-in, every service the stack uses). Canada and South America have no such second region: ca-central-1 and
 * sa-east-1 pair with us-east-1 (set webstack:dr.region where data must stay in the country); India with Singapore,
 * Seoul with Tokyo; Sydney and Singapore with each other.
 */
export const DR_REGIONS: Readonly<Record<string, string>> = {
    "us-east-1": "us-west-2",
    "us-east-2": "us-west-2",
    "us-west-1": "us-east-1",
    "us-west-2": "us-east-1",
    "ca-central-1": "us-east-1",
    "sa-east-1": "us-east-1",
    "eu-west-1": "eu-central-1",
    "eu-west-2": "eu-west-1",
    "eu-west-3": "eu-central-1",
    "eu-central-1": "eu-west-1",
    "eu-north-1": "eu-central-1",
    "ap-south-1": "ap-southeast-1",
    "ap-southeast-1": "ap-southeast-2",
    "ap-southeast-2": "ap-southeast-1",
    "ap-northeast-1": "ap-northeast-3",
    "ap-northeast-2": "ap-northeast-1",
    "ap-northeast-3": "ap-northeast-1",
};

/** What both tiers share for the database: its identity, a current PostgreSQL, the pool and the proxy's share. */
const DATABASE_COMMON = {
    engineVersion: "17.5",
    allocatedStorage: 20,
    databaseName: "webstack",
    masterUsername: "webstack_owner",
    rotationDays: 30,
    // 2 x maxTasks x 10 must fit the proxy's share: production 2 x 10 x 10 = 200 of db.m7g.large's 689, staging 40 of 85.
    poolSizePerTask: 10,
    // The rest of max_connections stays free for the rotation function, migrations and an operator's session.
    proxyMaxConnectionsPercent: 90,
} satisfies Partial<DatabaseConfig>;

/** What both tiers share: the API's own ports and path, canary steps, scaling targets, seed 004's 10k connections per host. */
const API_COMMON = {
    instanceType: "m6i.large",
    // Trunking is an account-wide setting the stack does not own: assume it off until the account enables it.
    trunking: false,
    port: 8080,
    metricsPort: 9090,
    healthCheckPath: "/api/health",
    routingAlgorithm: "round_robin", // seed 000: steady traffic
    canaryPercent: 10,
    canaryBakeMinutes: 5,
    cpuTargetPercent: 70, // seed 000: CPU held at 90% means add capacity, so scale out well before
    requestsPerTarget: 1000,
    schedule: [],
    connectionsPerHost: 10000,
    // The load balancer's WAF costs about $5/month + $1/rule + $0.60 per million requests; the site's WAF fronts the UI.
    waf: false,
} satisfies Partial<ApiConfig>;

export const TIER_DEFAULTS: Readonly<Record<Tier, TierDefaults>> = {
    // Small and cheap: one NAT gateway shared by both zones (~$33/month instead of ~$66).
    staging: {
        network: { cidr: "10.20.0.0/16", azCount: 2, natStrategy: "single", flowLogRetentionDays: 30 },
        // Edge locations in North America and Europe only; no WAF (~$10/month) in front of a test UI.
        site: { priceClass: "PriceClass_100", spa: false, waf: false, www: false, takeOverRecords: false, logRetentionDays: 30 },
        // Fargate: no hosts to pay for while idle; the smallest task, one of it, a shorter bake. Host fields apply if
        // the stack switches to ec2. One task is allowed here: staging need not survive losing a zone.
        api: {
            ...API_COMMON,
            capacity: "fargate",
            minHosts: 1,
            desiredHosts: 1,
            maxHosts: 2,
            minTasks: 1,
            desiredTasks: 1,
            maxTasks: 2,
            cpu: 256,
            memory: 512,
            bakeMinutes: 10,
            peakConnections: 10000,
            logRetentionDays: 30,
        },
        // One burstable Graviton instance (~$12/month), 20-100 GiB, RDS-managed password (no replica in staging), a week of backups.
        database: {
            ...DATABASE_COMMON,
            instanceClass: "db.t4g.micro",
            multiAz: false,
            maxAllocatedStorage: 100,
            credentials: "managed",
            backupRetentionDays: 7,
            logRetentionDays: 30,
        },
        // One small node, no failover; one day of snapshots (cheap, and R75 wants backups).
        cache: { engine: "valkey", engineVersion: "8.0", nodeType: "cache.t4g.micro", nodes: 1, snapshotRetentionDays: 1, logRetentionDays: 30 },
        // A week of daily and point-in-time backups in the stack's region only; no lock, so a test stack can be destroyed.
        dr: { backupRetentionDays: 7, continuousBackupDays: 7, copyToDr: false, vaultLock: "none" },
    },
    // Highly available: a NAT gateway per zone, so losing a zone never cuts the others' egress.
    production: {
        network: { cidr: "10.10.0.0/16", azCount: 2, natStrategy: "onePerAz", flowLogRetentionDays: 365 },
        // Every edge location, WAF in front, www. served too, a year of access logs.
        site: { priceClass: "PriceClass_All", spa: false, waf: true, www: true, takeOverRecords: false, logRetentionDays: 365 },
        // Seed 001: an auto scaling group of 4 hosts over 2 zones; seed 004: room toward 100k connections (10 hosts x 10k).
        // A release runs both revisions: 2 x 10 tasks = 20 awsvpc slots = 10 m6i.large hosts x 2 slots without trunking.
        api: {
            ...API_COMMON,
            capacity: "ec2",
            minHosts: 4,
            desiredHosts: 4,
            maxHosts: 10,
            minTasks: 4,
            desiredTasks: 4,
            maxTasks: 10,
            cpu: 512,
            memory: 1024,
            bakeMinutes: 15,
            peakConnections: 100000,
            logRetentionDays: 365,
        },
        // Seed 001: Multi-AZ; a steady (not burstable) class; a stack-owned rotated secret so DR can add a cross-region
        // replica (AWS refuses one of a source whose master password RDS manages); storage grows to 1 TiB on its own.
        database: {
            ...DATABASE_COMMON,
            instanceClass: "db.m7g.large",
            multiAz: true,
            allocatedStorage: 100,
            maxAllocatedStorage: 1000,
            credentials: "stack",
            backupRetentionDays: 14,
            logRetentionDays: 365,
        },
        // A primary and a replica in two zones with automatic failover; a week of snapshots.
        cache: { engine: "valkey", engineVersion: "8.0", nodeType: "cache.m7g.large", nodes: 2, snapshotRetentionDays: 7, logRetentionDays: 365 },
        // 35 days of daily and point-in-time recovery points, copied to the DR region, in a governance-mode locked vault:
        // retention is enforced against accidental or hostile deletion, yet an operator with the IAM permission can
        // remove the lock (compliance mode could never be undone, and would make the vault undeletable by pulumi destroy).
        dr: { backupRetentionDays: 35, continuousBackupDays: 35, copyToDr: true, vaultLock: "governance" },
    },
};
