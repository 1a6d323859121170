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

/** Keys whose stack-file value is an object (passed by the CLI as a JSON string), merged over the tier defaults. */
export const STRUCTURED = { network: networkSchema, site: siteSchema, api: apiSchema } as const;
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
    /** Production: stateful resources are protected from deletion (protect, retainOnDelete, deletion protection). */
    readonly protectData: boolean;
    /** Project, Stack, Environment, Owner and CostCenter: the base tags of every resource. */
    readonly tags: Readonly<Record<string, string>>;
}
