import { z } from "zod";
import { didYouMean } from "./suggest";
import { CAPACITIES, ROUTING_ALGORITHMS, type Capacity, type RoutingAlgorithm } from "../components/api-cluster/capacity";

export const TIERS = ["staging", "production"] as const;
export type Tier = (typeof TIERS)[number];

export const NAT_STRATEGIES = ["single", "onePerAz"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** AWS tag values: up to 256 letters, digits, spaces and `_ . : / = + - @`. */
const TAG_VALUE = /^[\p{L}\p{N} _.:/=+\-@]{1,256}$/u;

const dnsName = z
    .hostname({ error: "must be a DNS name such as example.com" })
    .refine((v) => v.includes(".") && v === v.toLowerCase() && !v.endsWith("."), {
        error: "must be a lower-case DNS name with at least two labels and no trailing dot, such as example.com",
    });

const tagValue = (what: string) =>
    z.string({ error: `must be ${what}` }).regex(TAG_VALUE, {
        error: `must be ${what}: 1-256 letters, digits, spaces or _ . : / = + - @`,
    });

const ZONES_PROBLEM = "must be a list of availability zone names (us-east-1a) or zone ids (use1-az1)";

/** `webstack:network`: the VPC layout. Every field has a tier default (zones: the region's first azCount). */
export const networkSchema = z.strictObject({
    cidr: z.string({ error: "must be an IPv4 CIDR block such as 10.0.0.0/16" }),
    azCount: z
        .number({ error: "must be a whole number of availability zones from 2 to 6" })
        .int({ error: "must be a whole number of availability zones from 2 to 6" })
        .min(2, { error: "must be at least 2: load balancers, RDS and high availability need two availability zones" })
        .max(6, { error: "must be at most 6 availability zones" }),
    natStrategy: z.enum(NAT_STRATEGIES, {
        error: `must be "single" (one NAT gateway, cheaper) or "onePerAz" (one per zone, highly available)`,
    }),
    flowLogRetentionDays: z.number({ error: retentionProblem() }).refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
        error: retentionProblem(),
    }),
    zones: z.array(z.string(), { error: ZONES_PROBLEM }).optional(), // count and membership: stacks/rules.ts
});
/** The network as a stack file sets it; `zones` defaults to the region's first `azCount` zone names. */
export type NetworkSettings = z.infer<typeof networkSchema>;
/** The network with its zones resolved (`azCount` = `zones.length`). */
export type NetworkConfig = Omit<NetworkSettings, "zones"> & { readonly zones: readonly string[] };

function retentionProblem(): string {
    return `must be a CloudWatch Logs retention period in days: one of ${LOG_RETENTION_DAYS.join(", ")}`;
}

export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

const flag = (meaning: string) => z.boolean({ error: `must be true or false: ${meaning}` });

/** `webstack:site`: the static UI on S3 + CloudFront. `domain` defaults to `webstack:domain`. */
export const siteSchema = z.strictObject({
    domain: dnsName.optional(),
    priceClass: z.enum(PRICE_CLASSES, {
        error: `must be "PriceClass_100" (North America and Europe, cheapest), "PriceClass_200" (adds Asia, Middle East, Africa) or "PriceClass_All"`,
    }),
    spa: flag("true serves /index.html with 200 for unknown paths (single-page apps), false serves /404.html"),
    waf: flag("true attaches a WAF web ACL with AWS managed rules and a rate limit (about $10/month plus $0.60 per million requests)"),
    www: flag("true also serves www.<domain> (certificate name and DNS records)"),
    takeOverRecords: flag("true replaces A/AAAA records of the site's names that already exist in the hosted zone; false stops pulumi up at Route 53's error instead"),
    logRetentionDays: z
        .number({ error: "must be a whole number of days from 1 to 3650 to keep access logs" })
        .int({ error: "must be a whole number of days from 1 to 3650 to keep access logs" })
        .min(1, { error: "must be a whole number of days from 1 to 3650 to keep access logs" })
        .max(3650, { error: "must be a whole number of days from 1 to 3650 to keep access logs" }),
});
export type SiteSettings = z.infer<typeof siteSchema>;
/** The site settings with the domain resolved. */
export type SiteConfig = SiteSettings & { readonly domain: string };

const IMAGE_PROBLEM =
    "must be an image by digest: <registry>/<repository>@sha256:<64 lower-case hex digits> (a tag can move under a running service; CI pushes the image and sets this key)";
const CPU_TARGET_PROBLEM = "must be a CPU utilisation target from 10 to 85 percent (CPU held at 90% means add capacity, so the target stays well below)";
const SCHEDULE_PROBLEM =
    "must be cron(minutes hours day-of-month month day-of-week year) with ? in day-of-month or day-of-week, such as cron(0 8 ? * MON-FRI *), or at(yyyy-mm-ddThh:mm:ss)";

interface CronField {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    readonly expected: string;
    /** Names standing for numbers (JAN = 1, SUN = 1). */
    readonly names?: readonly string[];
    /** Tokens the field allows besides values, ranges and steps. */
    readonly special?: RegExp;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
/** The six fields of an Application Auto Scaling cron expression (the EventBridge format). */
const CRON_FIELDS: readonly CronField[] = [
    { name: "minutes", min: 0, max: 59, expected: "0-59" },
    { name: "hours", min: 0, max: 23, expected: "0-23" },
    { name: "day-of-month", min: 1, max: 31, expected: "1-31, ?, L, LW or <day>W", special: /^(\?|L|LW|([1-9]|[12][0-9]|3[01])W)$/ },
    { name: "month", min: 1, max: 12, expected: "1-12 or JAN-DEC", names: MONTHS },
    { name: "day-of-week", min: 1, max: 7, expected: "1-7, SUN-SAT, ?, <day>L or <day>#<1-5>", names: DAYS, special: /^(\?|L|([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/ },
    { name: "year", min: 1970, max: 2199, expected: "1970-2199" },
];

/** True when one list item of a cron field is `*`, a value, a range, or either with a /step. */
function cronItemOk(item: string, field: CronField): boolean {
    if (field.special?.test(item)) return true;
    const [range, step, ...rest] = item.split("/");
    if (rest.length > 0 || (step !== undefined && !/^[1-9][0-9]*$/.test(step))) return false;
    if (range === "*") return true;
    const value = (v: string): number | undefined => {
        const named = field.names?.indexOf(v) ?? -1;
        const n = named >= 0 ? named + 1 : /^[0-9]+$/.test(v) ? Number(v) : undefined;
        return n !== undefined && n >= field.min && n <= field.max ? n : undefined;
    };
    const bounds = range.split("-");
    if (bounds.length > 2 || bounds.some((b) => value(b) === undefined)) return false;
    return true;
}

/** What is wrong with a scheduled action's schedule expression, or undefined when Application Auto Scaling accepts it. */
function scheduleProblem(expression: string): string | undefined {
    const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
    if (at !== null) {
        const [y, mo, d, h, mi, s] = at.slice(1).map(Number);
        const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
        const real = date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
        return real ? undefined : `${SCHEDULE_PROBLEM}: ${expression.slice(3, -1)} is not a date and time`;
    }
    const cron = /^cron\((.*)\)$/.exec(expression);
    if (cron === null) return SCHEDULE_PROBLEM;
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== CRON_FIELDS.length) return `${SCHEDULE_PROBLEM}: it has ${fields.length} fields, not 6`;
    for (const [i, field] of CRON_FIELDS.entries()) {
        if (!fields[i].split(",").every((item) => cronItemOk(item, field))) {
            return `${SCHEDULE_PROBLEM}: its ${field.name} field "${fields[i]}" is not ${field.expected} (lists, ranges and /steps allowed)`;
        }
    }
    if ((fields[2] === "?") === (fields[4] === "?")) return `${SCHEDULE_PROBLEM}: exactly one of day-of-month and day-of-week must be ?`;
    return undefined;
}

let timeZones: ReadonlySet<string> | undefined;
/** IANA zone names as this Node's ICU knows them, plus UTC (the scheduled action's default, which that list omits). */
function isTimeZone(name: string): boolean {
    timeZones ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC", "Etc/UTC"]);
    return timeZones.has(name);
}

function timezoneProblem(name?: string): string {
    const problem = "must be an IANA time zone name such as America/New_York or UTC";
    if (name === undefined) return problem;
    isTimeZone(name);
    const best = didYouMean(name, [...(timeZones ?? [])]);
    return best === undefined ? problem : `${problem}: did you mean ${best}?`;
}

const wholeNumber = (problem: string, min: number, max: number) =>
    z
        .number({ error: problem })
        .int({ error: problem })
        .min(min, { error: problem })
        .max(max, { error: problem });

/** ECS service quotas "Tasks per service" and "Container instances per cluster": 5,000 each. */
const MAX_TASKS = 5000;
const MAX_HOSTS = 5000;
const hosts = wholeNumber(`must be a whole number of hosts from 1 to ${MAX_HOSTS}`, 1, MAX_HOSTS);
const tasks = wholeNumber(`must be a whole number of tasks from 1 to ${MAX_TASKS}`, 1, MAX_TASKS);
const listenPort = wholeNumber("must be a whole port number from 1024 to 65535 (the container runs as a non-root user)", 1024, 65535);
const minutes = wholeNumber("must be a whole number of minutes from 0 to 1440 (ECS bake time)", 0, 1440);

/** `<registry>/<repository>@sha256:<digest>`: a registry host (with a dot, optional port), a lower-case repository path. */
const IMAGE_BY_DIGEST = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:[0-9]{1,5})?\/[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*@sha256:[0-9a-f]{64}$/;

/** ALB health check paths: 1-1024 printable characters starting with "/". */
const HEALTH_CHECK_PATH = /^\/[\x21-\x7e]{0,1023}$/;

/** Application Auto Scaling scheduled action names: 1-255 letters, digits, - and _ (decision: no other characters). */
const SCHEDULE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** One time-of-day scaling entry: an Application Auto Scaling scheduled action on the service's task count. */
export const scheduleEntrySchema = z.strictObject({
    name: z.string({ error: "must be 1-255 letters, digits, - or _" }).regex(SCHEDULE_NAME, { error: "must be 1-255 letters, digits, - or _" }),
    cron: z.string({ error: SCHEDULE_PROBLEM }).superRefine((v, ctx) => {
        const problem = scheduleProblem(v);
        if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    }),
    timezone: z
        .string({ error: timezoneProblem() })
        .superRefine((v, ctx) => {
            if (!isTimeZone(v)) ctx.addIssue({ code: "custom", message: timezoneProblem(v) });
        })
        .optional(),
    minTasks: tasks,
    maxTasks: tasks,
}, { error: "must be an object { name, cron, timezone?, minTasks, maxTasks }" });
export type ScheduleEntry = z.infer<typeof scheduleEntrySchema>;

/** `webstack:api`: the ApiCluster. Every field but `image` has a tier default (stacks/defaults.ts). */
export const apiSchema = z.strictObject({
    capacity: z.enum(CAPACITIES, { error: `must be "ec2" (an auto scaling group of hosts) or "fargate" (no hosts to manage)` }),
    instanceType: z.string({ error: "must be an EC2 instance type name such as m6i.large" }), // membership: stacks/rules.ts
    trunking: flag("true when the account has ECS awsvpcTrunking enabled (more tasks per host; the stack does not own that account setting)"),
    minHosts: hosts,
    desiredHosts: hosts,
    maxHosts: hosts,
    minTasks: tasks,
    desiredTasks: tasks,
    maxTasks: tasks,
    cpu: wholeNumber("must be a whole number of task CPU units from 128 to 196608 (1024 = 1 vCPU)", 128, 196608),
    memory: wholeNumber("must be a whole number of task memory MiB from 128 to 122880", 128, 122880),
    port: listenPort,
    metricsPort: listenPort,
    healthCheckPath: z
        .string({ error: `must be a path starting with "/" such as "/api/health"` })
        .regex(HEALTH_CHECK_PATH, { error: `must be a path starting with "/" such as "/api/health": 1-1024 printable characters, no spaces` }),
    routingAlgorithm: z.enum(ROUTING_ALGORITHMS, {
        error: `must be "round_robin" (steady traffic) or "least_outstanding_requests" (uneven load: the target with the fewest requests in flight)`,
    }),
    image: z.string({ error: IMAGE_PROBLEM }).regex(IMAGE_BY_DIGEST, { error: IMAGE_PROBLEM }).optional(),
    canaryPercent: z
        .number({ error: "must be a percentage of tasks from 0.1 to 100" })
        .min(0.1, { error: "must be a percentage of tasks from 0.1 to 100" })
        .max(100, { error: "must be a percentage of tasks from 0.1 to 100" }),
    canaryBakeMinutes: minutes,
    bakeMinutes: minutes,
    cpuTargetPercent: z
        .number({ error: CPU_TARGET_PROBLEM })
        .min(10, { error: CPU_TARGET_PROBLEM })
        .max(85, { error: CPU_TARGET_PROBLEM }),
    requestsPerTarget: wholeNumber("must be a whole number of load balancer requests per target from 1 to 1000000", 1, 1_000_000),
    schedule: z.array(scheduleEntrySchema, { error: "must be a list of { name, cron, timezone?, minTasks, maxTasks } entries" }),
    peakConnections: wholeNumber("must be a whole number of concurrent connections from 1 to 100000000", 1, 100_000_000),
    connectionsPerHost: wholeNumber("must be a whole number of concurrent connections from 1 to 10000000", 1, 10_000_000),
    logRetentionDays: z.number({ error: retentionProblem() }).refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
        error: retentionProblem(),
    }),
    waf: flag("true attaches a regional WAF web ACL to the load balancer (about $5/month + $1/rule + $0.60 per million requests)"),
});

/** `webstack:api` with the tier defaults applied (stacks/defaults.ts: the per-tier values and why): what stacks/ maps onto the ApiCluster's args. */
export interface ApiConfig {
    /** EC2 hosts (an auto scaling group with a capacity provider) or Fargate. */
    readonly capacity: Capacity;
    /** A HOST_TYPES key (components/api-cluster/capacity.ts); used only with ec2. */
    readonly instanceType: string;
    /** The account has awsvpcTrunking enabled (the stack does NOT own that account-wide setting); ec2 only. */
    readonly trunking: boolean;
    /** Auto scaling group bounds; ec2 only. */
    readonly minHosts: number;
    readonly desiredHosts: number;
    readonly maxHosts: number;
    /** Service task count bounds (service auto scaling). */
    readonly minTasks: number;
    readonly desiredTasks: number;
    readonly maxTasks: number;
    /** Task CPU units (1024 = 1 vCPU). */
    readonly cpu: number;
    /** Task memory, MiB. */
    readonly memory: number;
    /** The container port the load balancer reaches (1024-65535). */
    readonly port: number;
    /** The Prometheus metrics port (1024-65535, not `port`); only the monitoring tier reaches it. */
    readonly metricsPort: number;
    /** The target groups' health check path, starting with "/". */
    readonly healthCheckPath: string;
    readonly routingAlgorithm: RoutingAlgorithm;
    /**
     * `<registry>/<repository>@sha256:<64 lower-case hex>`, by digest only (a tag could move under a running service).
     * @default undefined: CI has not pushed an image yet; the ApiCluster decides what a fresh stack runs until it has.
     */
    readonly image?: string;
    /** Share of tasks the canary revision gets first, 0.1-100. */
    readonly canaryPercent: number;
    /** Minutes the canary runs before the rest shifts, 0-1440. */
    readonly canaryBakeMinutes: number;
    /** Minutes both revisions stay up after the shift, for alarm rollback, 0-1440. */
    readonly bakeMinutes: number;
    /** Target tracking CPU target, 10-85 percent. */
    readonly cpuTargetPercent: number;
    /** Target tracking ALB requests per target, whole number >= 1. */
    readonly requestsPerTarget: number;
    /** Time-of-day scaling: scheduled actions on the task count (a mutable array type, as the component args take it). */
    readonly schedule: { name: string; cron: string; timezone?: string; minTasks: number; maxTasks: number }[];
    /** Concurrent connections to plan for (seed 004). */
    readonly peakConnections: number;
    /** Concurrent connections one host (ec2) or task (fargate) holds (seed 004: 10,000). */
    readonly connectionsPerHost: number;
    /** CloudWatch Logs retention of the API's log group: a LOG_RETENTION_DAYS value. */
    readonly logRetentionDays: number;
    /** Regional WAF on the load balancer (about $5/month + $1/rule + $0.60 per million requests). */
    readonly waf: boolean;
}

export const CREDENTIALS = ["managed", "stack"] as const;
export type Credentials = (typeof CREDENTIALS)[number];
export const CACHE_ENGINES = ["valkey", "redis"] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];
export const VAULT_LOCK_MODES = ["none", "governance", "compliance"] as const;
export type VaultLockMode = (typeof VAULT_LOCK_MODES)[number];

/**
 * PostgreSQL's reserved key words (PostgreSQL docs, Appendix C "SQL Key Words", the "reserved" entries of the
 * PostgreSQL column): a role or database named after one needs quoting in every statement, and RDS refuses some.
 */
const POSTGRES_RESERVED = new Set(
    (
        "all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create " +
        "current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc " +
        "distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral " +
        "leading limit localtime localtimestamp not null offset on only or order placing primary references returning " +
        "select session_user some symmetric system_user table then to trailing true union unique user using variadic when " +
        "where window with"
    ).split(" "),
);
/** Databases every RDS for PostgreSQL instance already has (the app gets its own). */
const EXISTING_DATABASES = new Set(["postgres", "rdsadmin", "template0", "template1"]);
/**
 * Master user names refused: PostgreSQL's and RDS's own roles (`pg_` and `rds` prefixes, `public`) and the names a
 * credential-guessing attack tries first (`postgres` is RDS's console default, `admin`, `root`).
 */
const REFUSED_USERNAMES = new Set(["postgres", "admin", "administrator", "root", "master", "public", "rdsadmin", "rdsrepladmin", "rds_superuser"]);
const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;
const DATABASE_NAME_PROBLEM = "must be a PostgreSQL database name: 1-63 lower-case letters, digits or _, starting with a letter";
const USERNAME_PROBLEM = "must be a PostgreSQL role name: 1-63 lower-case letters, digits or _, starting with a letter";

/** What is wrong with a database name, or undefined when it is usable unquoted. */
function databaseNameProblem(name: string): string | undefined {
    if (!IDENTIFIER.test(name)) return DATABASE_NAME_PROBLEM;
    if (POSTGRES_RESERVED.has(name)) return `${DATABASE_NAME_PROBLEM}, not a PostgreSQL reserved word (it would need quoting everywhere)`;
    if (EXISTING_DATABASES.has(name)) return `${DATABASE_NAME_PROBLEM}, not ${name}: every RDS for PostgreSQL instance already has it (the app gets its own)`;
    return undefined;
}

/** What is wrong with a master user name, or undefined when RDS and PostgreSQL accept it and it is not a first guess. */
function usernameProblem(name: string): string | undefined {
    if (!IDENTIFIER.test(name)) return USERNAME_PROBLEM;
    if (POSTGRES_RESERVED.has(name)) return `${USERNAME_PROBLEM}, not a PostgreSQL reserved word (it would need quoting everywhere)`;
    if (REFUSED_USERNAMES.has(name) || name.startsWith("pg_") || name.startsWith("rds")) {
        return `${USERNAME_PROBLEM}, not ${name}: PostgreSQL and RDS reserve pg_*, rds* and public, and postgres, admin, root and master are the first names a password-guessing attack tries`;
    }
    return undefined;
}

const checked = (problem: string, check: (v: string) => string | undefined) =>
    z.string({ error: problem }).superRefine((v, ctx) => {
        const found = check(v);
        if (found !== undefined) ctx.addIssue({ code: "custom", message: found });
    });

const POSTGRES_VERSION = /^(1[3-7])\.(0|[1-9][0-9]?)$/;
const POSTGRES_VERSION_PROBLEM = "must be a PostgreSQL major.minor version with a major version from 13 to 17, such as 17.5";
const STORAGE_PROBLEM = "must be a whole number of GiB from 20 to 65536 (gp3 storage for RDS for PostgreSQL)";
const logRetention = z.number({ error: retentionProblem() }).refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
    error: retentionProblem(),
});

/** `webstack:database`: RDS for PostgreSQL behind RDS Proxy. Every field has a tier default (stacks/defaults.ts). */
export const databaseSchema = z.strictObject({
    engineVersion: z.string({ error: POSTGRES_VERSION_PROBLEM }).regex(POSTGRES_VERSION, { error: POSTGRES_VERSION_PROBLEM }),
    instanceClass: z.string({ error: "must be an RDS instance class name such as db.m7g.large" }), // membership and tier: stacks/rules.ts
    multiAz: flag("true keeps a synchronous standby in a second availability zone (about twice the instance cost); false runs one instance"),
    allocatedStorage: wholeNumber(STORAGE_PROBLEM, 20, 65536),
    maxAllocatedStorage: wholeNumber(STORAGE_PROBLEM, 20, 65536),
    databaseName: checked(DATABASE_NAME_PROBLEM, databaseNameProblem),
    masterUsername: checked(USERNAME_PROBLEM, usernameProblem),
    credentials: z.enum(CREDENTIALS, {
        error: `must be "managed" (RDS keeps and rotates the master password in Secrets Manager; no read replica possible) or "stack" (a stack-owned secret rotated by AWS's rotation function; replicas possible)`,
    }),
    // The pack (R65) requires a rotation at least every 90 days.
    rotationDays: wholeNumber("must be a whole number of days from 1 to 90 between rotations of the master password", 1, 90),
    backupRetentionDays: wholeNumber("must be a whole number of days from 1 to 35 to keep automated backups (RDS's range; 0 would turn backups off)", 1, 35),
    logRetentionDays: logRetention,
    poolSizePerTask: wholeNumber("must be a whole number of database connections from 1 to 1000 that each API task opens", 1, 1000),
    proxyMaxConnectionsPercent: wholeNumber("must be a whole percentage from 1 to 100 of the database's max_connections that RDS Proxy may use", 1, 100),
});

/** `webstack:database` with the tier defaults applied: what stacks/ maps onto the Database's args. */
export interface DatabaseConfig {
    /** PostgreSQL `major.minor`, major 13-17 (the parameter group family follows the major). */
    readonly engineVersion: string;
    /** A DB_INSTANCE_CLASSES key (components/shared/instance-classes.ts); production refuses burstable classes. */
    readonly instanceClass: string;
    /** A standby in a second zone; production refuses false. */
    readonly multiAz: boolean;
    /** gp3 storage, GiB (20-65536), and the storage autoscaling ceiling (>= allocatedStorage). */
    readonly allocatedStorage: number;
    readonly maxAllocatedStorage: number;
    /** The app's database: a lower-case PostgreSQL identifier, not reserved, not one RDS already creates. */
    readonly databaseName: string;
    /** The master user: a lower-case PostgreSQL identifier, not reserved, not a first guess. */
    readonly masterUsername: string;
    /** "managed": RDS manages the master password (no replica); "stack": a stack-owned, rotated secret (replicas possible). */
    readonly credentials: Credentials;
    /** Days between rotations of a "stack" secret, 1-365. */
    readonly rotationDays: number;
    /** Automated backup retention, 1-35 days; production at least 14. */
    readonly backupRetentionDays: number;
    /** CloudWatch Logs retention of the PostgreSQL logs: a LOG_RETENTION_DAYS value. */
    readonly logRetentionDays: number;
    /** Connections each API task's pool opens to the proxy (the connection budget counts both canary revisions). */
    readonly poolSizePerTask: number;
    /** RDS Proxy's `maxConnectionsPercent`: its share of the instance's max_connections, 1-100. */
    readonly proxyMaxConnectionsPercent: number;
}

const CACHE_VERSION_PROBLEM = "must be an engine major.minor version such as 8.0";

/** `webstack:cache`: the ElastiCache replication group. Every field has a tier default. */
export const cacheSchema = z.strictObject({
    engine: z.enum(CACHE_ENGINES, { error: `must be "valkey" (the default: open source, cheaper per node-hour) or "redis" (Redis OSS)` }),
    engineVersion: z.string({ error: CACHE_VERSION_PROBLEM }).regex(/^[0-9]+\.[0-9]+$/, { error: CACHE_VERSION_PROBLEM }), // per engine: stacks/rules.ts
    nodeType: z.string({ error: "must be an ElastiCache node type name such as cache.m7g.large" }), // membership and tier: stacks/rules.ts
    nodes: wholeNumber("must be a whole number of nodes from 1 to 6 (a primary and up to 5 replicas)", 1, 6),
    snapshotRetentionDays: wholeNumber("must be a whole number of days from 0 to 35 to keep daily snapshots (0 turns snapshots off)", 0, 35),
    logRetentionDays: logRetention,
});

/** `webstack:cache` with the tier defaults applied: what stacks/ maps onto the Cache's args. */
export interface CacheConfig {
    readonly engine: CacheEngine;
    /** `major.minor`, one of CACHE_ENGINE_VERSIONS[engine] (IAM authentication needs Valkey 7.2+ or Redis OSS 7.0+). */
    readonly engineVersion: string;
    /** A CACHE_NODE_TYPES key (components/shared/instance-classes.ts); production refuses burstable types. */
    readonly nodeType: string;
    /** 1 = a single node; >= 2 = a primary and replicas with Multi-AZ and automatic failover. Production at least 2. */
    readonly nodes: number;
    /** Daily snapshots kept, 0-35 days (0 = none); production at least 1. */
    readonly snapshotRetentionDays: number;
    /** CloudWatch Logs retention of the slow and engine logs: a LOG_RETENTION_DAYS value. */
    readonly logRetentionDays: number;
}

/**
 * The engine versions the Cache accepts: those with ElastiCache IAM authentication (Valkey 7.2 and later, Redis OSS 7.0
 * and later: ElastiCache User Guide, "Authenticating with IAM", limitations).
 */
export const CACHE_ENGINE_VERSIONS: Readonly<Record<CacheEngine, readonly string[]>> = {
    valkey: ["7.2", "8.0", "8.1"],
    redis: ["7.0", "7.1"],
};

/** `webstack:dr`: the backup layer of DisasterRecovery. `region` defaults to the stack region's pair (stacks/defaults.ts). */
export const drSchema = z.strictObject({
    region: z.string({ error: "must be an AWS region name such as us-west-2" }).optional(), // membership, != aws:region: stacks/rules.ts
    backupRetentionDays: wholeNumber("must be a whole number of days from 1 to 36500 to keep daily AWS Backup recovery points", 1, 36500),
    continuousBackupDays: wholeNumber("must be a whole number of days from 1 to 35 of point-in-time recovery (AWS Backup continuous backup)", 1, 35),
    copyToDr: flag("true copies every recovery point to a vault in webstack:dr.region (a second vault and key, cross-region transfer and storage)"),
    vaultLock: z.enum(VAULT_LOCK_MODES, {
        error: `must be "none", "governance" (retention enforced; users with the IAM permission can remove the lock) or "compliance" (immutable once its grace time ends: not even the account root can delete recovery points early)`,
    }),
});
export type DrSettings = z.infer<typeof drSchema>;
/** `webstack:dr` with the tier defaults applied and the region resolved: what stacks/ maps onto DisasterRecovery's args. */
export interface DrConfig {
    /** The DR region: in stacks/regions.ts, not aws:region; defaults to DR_REGIONS[aws:region] (stacks/defaults.ts). */
    readonly region: string;
    /** Daily recovery points kept, days. */
    readonly backupRetentionDays: number;
    /** Point-in-time recovery window for RDS, 1-35 days. */
    readonly continuousBackupDays: number;
    /** A vault in the DR region and a copy action to it; production refuses false (policy S07). */
    readonly copyToDr: boolean;
    /** AWS Backup Vault Lock mode; production refuses "none". */
    readonly vaultLock: VaultLockMode;
}

/** Keys whose stack-file value is an object (passed by the CLI as a JSON string), merged over the tier defaults. */
export const STRUCTURED = { network: networkSchema, site: siteSchema, api: apiSchema, database: databaseSchema, cache: cacheSchema, dr: drSchema } as const;
export type StructuredKey = keyof typeof STRUCTURED;
export const STRUCTURED_KEYS: ReadonlySet<string> = new Set(Object.keys(STRUCTURED));

/** The `webstack:` keys as a stack file may set them; structured values override tier defaults. */
export const stackFileSchema = z.object({
    environment: z.enum(TIERS, { error: `must be "staging" or "production"` }),
    domain: dnsName,
    hostedZone: dnsName,
    owner: tagValue("the owning team (the Owner tag)"),
    costCenter: tagValue("the cost center billed for the stack (the CostCenter tag)"),
    network: networkSchema.partial().optional(),
    site: siteSchema.partial().optional(),
    api: apiSchema.partial().optional(),
    database: databaseSchema.partial().optional(),
    cache: cacheSchema.partial().optional(),
    dr: drSchema.partial().optional(),
});
export type StackFileConfig = z.infer<typeof stackFileSchema>;

/** Every key of the `webstack:` namespace, for unknown-key detection. */
export const KNOWN_KEYS: readonly string[] = Object.keys(stackFileSchema.shape);

/** The validated configuration of one stack, tier defaults applied. Components get parts of it as args. */
export interface StackConfig {
    readonly project: string;
    readonly stack: string;
    readonly environment: Tier;
    readonly region: string;
    readonly domain: string;
    readonly hostedZone: string;
    readonly owner: string;
    readonly costCenter: string;
    readonly network: Readonly<NetworkConfig>;
    readonly site: Readonly<SiteConfig>;
    readonly api: Readonly<ApiConfig>;
    readonly database: Readonly<DatabaseConfig>;
    readonly cache: Readonly<CacheConfig>;
    readonly dr: Readonly<DrConfig>;
    /** Production: stateful resources are protected from deletion (protect, retainOnDelete, deletion protection). */
    readonly protectData: boolean;
    /** Project, Stack, Environment, Owner and CostCenter: the base tags of every resource. */
    readonly tags: Readonly<Record<string, string>>;
}
