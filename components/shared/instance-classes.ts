/**
 * The RDS for PostgreSQL instance classes and ElastiCache node types the stack config allows, with their memory, and
 * the connection ceiling PostgreSQL gets on RDS by default. Pure data and arithmetic: config validation (the
 * connection budget) and plan views read it; no resource depends on it.
 */

/** One RDS DB instance class. */
export interface DbInstanceClass {
    readonly vcpus: number;
    /** Nominal memory, GiB, as the hardware table lists it. */
    readonly memoryGiB: number;
    /** A burstable (db.t) class: CPU credits run out under sustained load. */
    readonly burstable: boolean;
}

const burstable = (vcpus: number, memoryGiB: number): DbInstanceClass => ({ vcpus, memoryGiB, burstable: true });
const steady = (vcpus: number, memoryGiB: number): DbInstanceClass => ({ vcpus, memoryGiB, burstable: false });

/**
 * Graviton classes only (the cheapest per GiB in every region of stacks/regions.ts): burstable t4g, general-purpose
 * m6g/m7g, memory-optimised r6g/r7g. Source: RDS User Guide, "Hardware specifications for DB instance classes"
 * (Concepts.DBInstanceClass.Summary), vCPUs and memory (GiB) columns. Which engine minor versions each class
 * supports is not checked here: RDS refuses an unsupported pair when the instance is created.
 */
export const DB_INSTANCE_CLASSES: Readonly<Record<string, DbInstanceClass>> = {
    "db.t4g.micro": burstable(2, 1),
    "db.t4g.small": burstable(2, 2),
    "db.t4g.medium": burstable(2, 4),
    "db.t4g.large": burstable(2, 8),
    "db.t4g.xlarge": burstable(4, 16),
    "db.t4g.2xlarge": burstable(8, 32),
    ...family("db.m6g", 4),
    ...family("db.m7g", 4),
    ...family("db.r6g", 8),
    ...family("db.r7g", 8),
};

/** large .. 16xlarge of a Graviton family: 2 vCPUs per large step, `perVcpu` GiB per vCPU. */
function family(prefix: string, perVcpu: number): Record<string, DbInstanceClass> {
    const sizes: [string, number][] = [
        ["large", 2],
        ["xlarge", 4],
        ["2xlarge", 8],
        ["4xlarge", 16],
        ["8xlarge", 32],
        ["12xlarge", 48],
        ["16xlarge", 64],
    ];
    return Object.fromEntries(sizes.map(([size, vcpus]) => [`${prefix}.${size}`, steady(vcpus, vcpus * perVcpu)]));
}

/** Bytes per connection in RDS for PostgreSQL's default `max_connections` formula. */
export const BYTES_PER_CONNECTION = 9531392;
/** The formula's cap. */
export const MAX_CONNECTIONS_CAP = 5000;
/**
 * Planning rule: `DBInstanceClassMemory` taken as 85% of the class's nominal memory. RDS defines it as the memory left
 * to the database after the operating system and the RDS processes take theirs, "always somewhat lower" than the table's
 * figure, and does not publish the amount (RDS User Guide, "Specifying DB parameters", DB parameter formula variables).
 * Published `SHOW max_connections` readings on 2 and 4 GiB classes (198 and 413) put it at 88-92% of nominal; 85% stays
 * below both, so the connection budget errs toward refusing a pool that might just fit rather than accepting one that
 * does not.
 */
export const CLASS_MEMORY_SHARE_PERCENT = 85;
const GIB = 1024 ** 3;

/** The planning figure for `DBInstanceClassMemory`, bytes (see CLASS_MEMORY_SHARE_PERCENT). */
export function classMemoryBytes(instanceClass: string): number | undefined {
    const spec = DB_INSTANCE_CLASSES[instanceClass];
    return spec === undefined ? undefined : Math.floor((spec.memoryGiB * GIB * CLASS_MEMORY_SHARE_PERCENT) / 100);
}

/**
 * PostgreSQL's default `max_connections` on RDS: `LEAST({DBInstanceClassMemory/9531392}, 5000)` (RDS User Guide,
 * "Quotas and constraints for Amazon RDS", "Maximum number of database connections"; parameter formulas truncate).
 */
export function defaultMaxConnections(instanceClass: string): number | undefined {
    const memory = classMemoryBytes(instanceClass);
    return memory === undefined ? undefined : Math.min(Math.floor(memory / BYTES_PER_CONNECTION), MAX_CONNECTIONS_CAP);
}

/** The connections RDS Proxy may open to the instance: `maxConnectionsPercent` of max_connections, rounded down. */
export function proxyConnections(instanceClass: string, maxConnectionsPercent: number): number | undefined {
    const max = defaultMaxConnections(instanceClass);
    return max === undefined ? undefined : Math.floor((max * maxConnectionsPercent) / 100);
}

/** One ElastiCache node type. */
export interface CacheNodeType {
    readonly vcpus: number;
    /** Node memory, GiB, as AWS lists it (ElastiCache reserves part of it: `reserved-memory-percent`, 25% by default). */
    readonly memoryGiB: number;
    readonly burstable: boolean;
}

/**
 * Graviton node types: burstable t4g, general-purpose m7g, memory-optimised r7g (large .. 4xlarge). Source: ElastiCache
 * User Guide "Supported node types" (the names) and the ElastiCache pricing page (vCPU and memory per node). No rule
 * reads the memory; it is there for sizing and the plan's views.
 */
export const CACHE_NODE_TYPES: Readonly<Record<string, CacheNodeType>> = {
    "cache.t4g.micro": { vcpus: 2, memoryGiB: 0.5, burstable: true },
    "cache.t4g.small": { vcpus: 2, memoryGiB: 1.37, burstable: true },
    "cache.t4g.medium": { vcpus: 2, memoryGiB: 3.09, burstable: true },
    "cache.m7g.large": { vcpus: 2, memoryGiB: 6.38, burstable: false },
    "cache.m7g.xlarge": { vcpus: 4, memoryGiB: 12.93, burstable: false },
    "cache.m7g.2xlarge": { vcpus: 8, memoryGiB: 26.04, burstable: false },
    "cache.m7g.4xlarge": { vcpus: 16, memoryGiB: 52.26, burstable: false },
    "cache.r7g.large": { vcpus: 2, memoryGiB: 13.07, burstable: false },
    "cache.r7g.xlarge": { vcpus: 4, memoryGiB: 26.32, burstable: false },
    "cache.r7g.2xlarge": { vcpus: 8, memoryGiB: 52.82, burstable: false },
    "cache.r7g.4xlarge": { vcpus: 16, memoryGiB: 105.81, burstable: false },
};
