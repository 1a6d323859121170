import { IPv4CidrRange, Validator } from "ip-num";
import {
    AWS_RESERVED_ADDRESSES_PER_SUBNET,
    CPU_UNITS_PER_VCPU,
    ECS_RESERVED_MEMORY_MIB,
    FARGATE_SIZES,
    HOST_TYPES,
    LOAD_BALANCER_FREE_ADDRESSES,
    REGISTERED_MEMORY_SHARE,
    hostCapacity,
    taskSlots,
    trunkingHostTypes,
    usableAddresses,
} from "../components/api-cluster/capacity";
import { MAX_VPC_PREFIX, MIN_VPC_PREFIX, LAYOUT_BITS, TIER_BLOCKS, ZONE_SLOTS, subnetLayout, type SubnetLayout } from "../components/shared/subnet-layout";
import {
    CACHE_NODE_TYPES,
    CLASS_MEMORY_SHARE_PERCENT,
    DB_INSTANCE_CLASSES,
    defaultMaxConnections,
    proxyConnections,
} from "../components/shared/instance-classes";
import { DR_REGIONS } from "./defaults";
import type { ConfigIssue } from "./errors";
import { REGION_ZONES, zoneNames } from "./regions";
import { CACHE_ENGINE_VERSIONS, type ApiConfig, type CacheConfig, type DatabaseConfig, type DrSettings, type NetworkSettings, type ScheduleEntry, type Tier } from "./schema";
import { suggestion } from "./suggest";

/** RFC 1918 private ranges: the only VPC CIDRs we accept. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => IPv4CidrRange.fromCidr(c));

/** What the cross-field rules see: each field present only if it passed its own schema check. */
export interface RuleInput {
    readonly ns: string;
    readonly tier?: Tier;
    readonly region?: string;
    readonly network: Partial<NetworkSettings>;
    readonly domain?: string;
    /** `webstack:site.domain` when the stack file sets it. */
    readonly siteDomain?: string;
    readonly hostedZone?: string;
    /** `webstack:api` merged over the tier defaults. */
    readonly api?: ApiRuleFields;
    /** `webstack:database`, `webstack:cache` and `webstack:dr` merged over the tier defaults (valid fields only). */
    readonly database?: Partial<DatabaseConfig>;
    readonly cache?: Partial<CacheConfig>;
    readonly dr?: Partial<DrSettings>;
}

/** Rules that involve more than one field or knowledge beyond the schema (CIDR math, regions, tiers, capacity). */
export function crossFieldIssues(input: RuleInput): ConfigIssue[] {
    const networkIssues = [...cidrIssues(input), ...zoneIssues(input)];
    // The address rules need the subnets, so they run only on a network that passed its own rules.
    const { cidr, azCount } = input.network;
    const layout = networkIssues.length === 0 && cidr !== undefined && azCount !== undefined ? subnetLayout(cidr, azCount) : undefined;
    const api = input.api === undefined ? [] : apiIssues({ ns: input.ns, tier: input.tier, api: input.api, cidr, layout });
    return [...networkIssues, ...tierIssues(input), ...domainIssues(input), ...api, ...databaseIssues(input), ...cacheIssues(input), ...drIssues(input)];
}

function cidrIssues({ ns, network }: RuleInput): ConfigIssue[] {
    const cidr = network.cidr;
    if (cidr === undefined) return [];
    const invalid = (problem: string): ConfigIssue[] => [{ key: `${ns}network.cidr`, kind: "invalid", value: cidr, problem }];
    const [isNotation] = Validator.isValidIPv4CidrNotation(cidr);
    if (!isNotation) return invalid("must be an IPv4 CIDR block such as 10.0.0.0/16 (four octets 0-255, prefix /0 to /32)");
    const range = IPv4CidrRange.fromCidr(cidr);
    const prefix = Number(range.getPrefix().getValue());
    const [isAligned] = Validator.isValidIPv4CidrRange(cidr);
    if (!isAligned) {
        return invalid(`must start on its network boundary: did you mean ${range.getFirst().toString()}/${prefix}?`);
    }
    if (prefix < MIN_VPC_PREFIX || prefix > MAX_VPC_PREFIX) {
        return invalid(
            `must have a prefix from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}: AWS allows /${MIN_VPC_PREFIX} at most, and the ` +
                `subnet layout (${TIER_BLOCKS} tier blocks x ${ZONE_SLOTS} zone slots = /prefix+${LAYOUT_BITS}) needs a /27 per subnet`,
        );
    }
    if (!PRIVATE_RANGES.some((r) => range.inside(r))) {
        return invalid("must lie inside a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
    }
    return [];
}

function zoneIssues({ ns, region, network }: RuleInput): ConfigIssue[] {
    if (region === undefined) return [];
    const available = zoneNames(region);
    if (network.zones === undefined) {
        if (network.azCount === undefined || network.azCount <= available.length) return [];
        return [
            {
                key: `${ns}network.azCount`,
                kind: "invalid",
                value: network.azCount,
                problem: `must be at most ${available.length}: aws:region ${region} has ${available.length} availability zones`,
            },
        ];
    }
    const zones = network.zones;
    const invalid = (problem: string): ConfigIssue[] => [{ key: `${ns}network.zones`, kind: "invalid", value: zones, problem }];
    if (zones.length < 2) return invalid("must list at least 2 availability zones: load balancers, RDS and high availability need two");
    if (zones.length > 6) return invalid("must list at most 6 availability zones");
    const idPrefix = zoneIdPrefix(region);
    const isId = (z: string) => new RegExp(`^${idPrefix}-az[0-9]+$`).test(z);
    const foreign = zones.filter((z) => !available.includes(z) && !isId(z));
    if (foreign.length > 0) {
        return invalid(
            `must be availability zones of aws:region ${region}: ${foreign.join(", ")} ${foreign.length === 1 ? "is" : "are"} not; ` +
                `use zone names (${available.join(", ")}) or zone ids (${idPrefix}-az1, ${idPrefix}-az2, ...)`,
        );
    }
    if (zones.some(isId) && !zones.every(isId)) return invalid("must be all zone names or all zone ids, not a mix");
    const repeated = zones.filter((z, i) => zones.indexOf(z) !== i);
    if (repeated.length > 0) return invalid(`must name each zone once: ${[...new Set(repeated)].join(", ")} repeated`);
    if (network.azCount !== undefined && network.azCount !== zones.length) {
        return invalid(`must list exactly ${ns}network.azCount (${network.azCount}) zones, or leave azCount unset to take the zones' count`);
    }
    return [];
}

/** The prefix of a region's zone ids: `use1` for us-east-1, `apse2` for ap-southeast-2, `euc1` for eu-central-1. */
export function zoneIdPrefix(region: string): string {
    const [geo, direction, number] = region.split("-");
    const short = direction.replace(/(north|south)?(east|west|central)?/, (_, ns: string | undefined, ew: string | undefined) => `${ns?.[0] ?? ""}${ew?.[0] ?? ""}`);
    return `${geo}${short}${number}`;
}

function tierIssues({ ns, tier, network }: RuleInput): ConfigIssue[] {
    if (tier !== "production" || network.natStrategy !== "single") return [];
    return [
        {
            key: `${ns}network.natStrategy`,
            kind: "invalid",
            value: network.natStrategy,
            problem: `must be "onePerAz" in production: with a single NAT gateway, losing its zone cuts egress for every private subnet`,
        },
    ];
}

function domainIssues({ ns, domain, siteDomain, hostedZone }: RuleInput): ConfigIssue[] {
    if (hostedZone === undefined) return [];
    const names: [string, string | undefined][] = [
        [`${ns}domain`, domain],
        [`${ns}site.domain`, siteDomain],
    ];
    return names
        .filter(([, name]) => name !== undefined && name !== hostedZone && !name.endsWith(`.${hostedZone}`))
        .map(([key, name]) => ({
            key,
            kind: "invalid" as const,
            value: name,
            problem: `must be ${ns}hostedZone (${hostedZone}) or a name below it, so its records can live in that zone`,
        }));
}

/** The `webstack:api` fields that passed their own checks; schedule entries keep only their valid fields. */
export type ApiRuleFields = Partial<Omit<ApiConfig, "schedule">> & { readonly schedule?: readonly Partial<ScheduleEntry>[] };

/** What the ApiCluster rules see: the api fields and the network they run in (`layout` only when the network passed its rules). */
export interface ApiRuleInput {
    readonly ns: string;
    readonly tier?: Tier;
    readonly api: ApiRuleFields;
    readonly cidr?: string;
    readonly layout?: SubnetLayout;
}

/** The ApiCluster's cross-field rules: bounds, host and Fargate sizing, addresses, seed 004 connections, production HA, ports. */
export function apiIssues(input: ApiRuleInput): ConfigIssue[] {
    const { ns, api } = input;
    const key = (field: string) => `${ns}api.${field}`;
    return [
        ...(api.capacity === "ec2" ? boundsIssues(key, "Hosts", api.minHosts, api.desiredHosts, api.maxHosts) : []),
        ...boundsIssues(key, "Tasks", api.minTasks, api.desiredTasks, api.maxTasks),
        ...scheduleIssues(input),
        ...productionIssues(input),
        ...(api.capacity === "ec2" ? hostIssues(input) : []),
        ...(api.capacity === "fargate" ? fargateIssues(input) : []),
        ...(input.layout !== undefined && input.cidr !== undefined ? addressIssues(ns, api, input.cidr, input.layout) : []),
        ...connectionIssues(input),
        ...portIssues(input),
    ];
}

/** min <= desired <= max; min > max is the one problem reported when both bounds disagree. */
function boundsIssues(key: (field: string) => string, unit: string, min?: number, desired?: number, max?: number): ConfigIssue[] {
    const issue = (field: string, value: number, problem: string): ConfigIssue[] => [{ key: key(field), kind: "invalid", value, problem }];
    if (min !== undefined && max !== undefined && min > max) return issue(`min${unit}`, min, `must be <= ${key(`max${unit}`)} (${max})`);
    if (desired === undefined) return [];
    if (min !== undefined && desired < min) return issue(`desired${unit}`, desired, `must be >= ${key(`min${unit}`)} (${min})`);
    if (max !== undefined && desired > max) return issue(`desired${unit}`, desired, `must be <= ${key(`max${unit}`)} (${max})`);
    return [];
}

function scheduleIssues({ ns, api }: ApiRuleInput): ConfigIssue[] {
    const entries = api.schedule ?? [];
    const key = (i: number, field: string) => `${ns}api.schedule[${i}].${field}`;
    return entries.flatMap((entry, i): ConfigIssue[] => {
        const issues: ConfigIssue[] = [];
        const first = entries.findIndex((e) => e.name !== undefined && e.name === entry.name);
        if (entry.name !== undefined && first < i) {
            issues.push({
                key: key(i, "name"),
                kind: "invalid",
                value: entry.name,
                problem: `must be unique: ${key(first, "name")} has it too (scheduled action names are unique per service)`,
            });
        }
        const { minTasks, maxTasks } = entry;
        if (minTasks !== undefined && maxTasks !== undefined && minTasks > maxTasks) {
            issues.push({ key: key(i, "minTasks"), kind: "invalid", value: minTasks, problem: `must be <= ${key(i, "maxTasks")} (${maxTasks})` });
        } else if (maxTasks !== undefined && api.maxTasks !== undefined && maxTasks > api.maxTasks) {
            issues.push({
                key: key(i, "maxTasks"),
                kind: "invalid",
                value: maxTasks,
                problem: `must be <= ${ns}api.maxTasks (${api.maxTasks}): hosts, addresses and connections are checked for that maximum`,
            });
        }
        return issues;
    });
}

/** Seed 001: production runs at least one host and one task in each of two zones, so losing a zone leaves the API up. */
function productionIssues({ ns, tier, api }: ApiRuleInput): ConfigIssue[] {
    if (tier !== "production") return [];
    const why = (unit: string) => `must be at least 2 in production: one ${unit} in each of two availability zones, so losing a zone leaves the API serving (seed 001)`;
    const issues: ConfigIssue[] = [];
    if (api.capacity === "ec2" && api.minHosts !== undefined && api.minHosts < 2) {
        issues.push({ key: `${ns}api.minHosts`, kind: "invalid", value: api.minHosts, problem: why("host") });
    }
    if (api.minTasks !== undefined && api.minTasks < 2) {
        issues.push({ key: `${ns}api.minTasks`, kind: "invalid", value: api.minTasks, problem: why("task") });
    }
    (api.schedule ?? []).forEach((entry, i) => {
        if (entry.minTasks !== undefined && entry.minTasks < 2) {
            issues.push({ key: `${ns}api.schedule[${i}].minTasks`, kind: "invalid", value: entry.minTasks, problem: why("task") });
        }
    });
    return issues;
}

/** ec2: a known host type, trunking only where its limit is sourced, one task fits a host, 2 x maxTasks fit maxHosts. */
function hostIssues({ ns, api }: ApiRuleInput): ConfigIssue[] {
    const type = api.instanceType;
    if (type === undefined) return [];
    const key = (field: string) => `${ns}api.${field}`;
    const host = HOST_TYPES[type];
    const capacity = hostCapacity(type);
    if (host === undefined || capacity === undefined) {
        const types = Object.keys(HOST_TYPES);
        return [{ key: key("instanceType"), kind: "invalid", value: type, problem: `must be a supported host type: ${suggestion(type, types, "supported host types are")}` }];
    }
    const issues: ConfigIssue[] = [];
    const slots = api.trunking === undefined ? undefined : taskSlots(type, api.trunking);
    if (api.trunking === true && slots === undefined) {
        issues.push({
            key: key("instanceType"),
            kind: "invalid",
            value: type,
            problem:
                `must have a sourced ENI trunking task limit when ${key("trunking")} is true: ${trunkingHostTypes().join(", ")} ` +
                `(no source gives ${type}'s trunked limit; or set trunking to false)`,
        });
    }
    const cpuFits = api.cpu === undefined || api.cpu <= capacity.cpu;
    const memoryFits = api.memory === undefined || api.memory <= capacity.memory;
    if (!cpuFits) {
        issues.push({
            key: key("cpu"),
            kind: "invalid",
            value: api.cpu,
            problem: `must be at most ${capacity.cpu} to fit one ${type} host (${host.vcpus} vCPUs x ${CPU_UNITS_PER_VCPU} units)`,
        });
    }
    if (!memoryFits) {
        issues.push({
            key: key("memory"),
            kind: "invalid",
            value: api.memory,
            problem:
                `must be at most ${capacity.memory} to fit one ${type} host (planning rule: ${REGISTERED_MEMORY_SHARE * 100}% of its ` +
                `${host.memoryMiB} MiB registers with ECS, less ${ECS_RESERVED_MEMORY_MIB} MiB reserved for the agent)`,
        });
    }
    const { maxTasks, maxHosts } = api;
    if (maxTasks === undefined || maxHosts === undefined) return issues;
    // Each limit as tasks per host; a limit already reported above (or unknown) is left out, so nothing is reported twice.
    const limits: { name: string; perHost: number; detail: string }[] = [];
    if (slots !== undefined) limits.push({ name: "task slots", perHost: slots, detail: `${slots} per host ${api.trunking ? "with" : "without"} ENI trunking` });
    if (api.cpu !== undefined && cpuFits) {
        const perHost = Math.floor(capacity.cpu / api.cpu);
        limits.push({ name: "CPU", perHost, detail: `${perHost} per host: ${capacity.cpu} CPU units / ${key("cpu")} (${api.cpu})` });
    }
    if (api.memory !== undefined && memoryFits) {
        const perHost = Math.floor(capacity.memory / api.memory);
        limits.push({ name: "memory", perHost, detail: `${perHost} per host: ${capacity.memory} MiB usable / ${key("memory")} (${api.memory})` });
    }
    const tasks = 2 * maxTasks;
    const short = limits.filter((l) => l.perHost * maxHosts < tasks);
    if (short.length === 0) return issues;
    const needed = Math.max(...limits.map((l) => Math.ceil(tasks / l.perHost)));
    issues.push({
        key: key("maxHosts"),
        kind: "invalid",
        value: maxHosts,
        problem:
            `must be at least ${needed} to run 2 x ${key("maxTasks")} (${maxTasks}) = ${tasks} tasks on ${type} hosts (a canary release runs both revisions side by side): ` +
            short.map((l) => `by ${l.name} ${maxHosts} hosts hold ${l.perHost * maxHosts} (${l.detail})`).join("; "),
    });
    return issues;
}

/** Fargate runs only its listed CPU/memory combinations. */
function fargateIssues({ ns, api }: ApiRuleInput): ConfigIssue[] {
    if (api.cpu === undefined) return [];
    const memories = FARGATE_SIZES[api.cpu];
    if (memories === undefined) {
        const sizes = Object.keys(FARGATE_SIZES).join(", ");
        return [{ key: `${ns}api.cpu`, kind: "invalid", value: api.cpu, problem: `must be a Fargate task CPU size: one of ${sizes}` }];
    }
    if (api.memory === undefined || memories.includes(api.memory)) return [];
    return [
        {
            key: `${ns}api.memory`,
            kind: "invalid",
            value: api.memory,
            problem: `must be a Fargate memory size for ${ns}api.cpu (${api.cpu}): one of ${memories.join(", ")}`,
        },
    ];
}

function prefixOf(cidr: string): number {
    return Number(cidr.split("/")[1]);
}

/**
 * Addresses: every awsvpc task and every host takes one private address, and a release runs both revisions; the
 * load balancer needs LOAD_BALANCER_FREE_ADDRESSES in each public subnet. Exported to test layouts config cannot reach.
 */
export function addressIssues(ns: string, api: ApiRuleFields, cidr: string, layout: SubnetLayout): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const { maxTasks, maxHosts } = api;
    const ec2 = api.capacity === "ec2";
    if (maxTasks !== undefined && api.capacity !== undefined && (!ec2 || maxHosts !== undefined)) {
        const hosts = ec2 ? (maxHosts ?? 0) : 0;
        const needed = 2 * maxTasks + hosts;
        const each = layout.private.map((s) => usableAddresses(prefixOf(s)));
        const free = each.reduce((a, b) => a + b, 0);
        if (needed > free) {
            const what = ec2 ? `2 x ${maxTasks} tasks + ${ns}api.maxHosts (${hosts}) hosts` : `2 x ${maxTasks} tasks`;
            issues.push({
                key: `${ns}api.maxTasks`,
                kind: "invalid",
                value: maxTasks,
                problem:
                    `must fit the private subnets' addresses: ${what} need ${needed} (each awsvpc task${ec2 ? " and each host" : ""} takes one, ` +
                    `and a release runs both revisions), the ${layout.private.length} private subnets of ${ns}network.cidr (${cidr}) have ${free} ` +
                    `(${each[0]} in each /${prefixOf(layout.private[0])} after the ${AWS_RESERVED_ADDRESSES_PER_SUBNET} AWS reserves); lower it or use a larger ${ns}network.cidr`,
            });
        }
    }
    const small = layout.public.filter((s) => usableAddresses(prefixOf(s)) < LOAD_BALANCER_FREE_ADDRESSES);
    if (small.length > 0) {
        issues.push({
            key: `${ns}network.cidr`,
            kind: "invalid",
            value: cidr,
            problem:
                `must give each public subnet at least ${LOAD_BALANCER_FREE_ADDRESSES} free addresses for the load balancer's nodes (ELB requirement): ` +
                `${small.join(", ")} ${small.length === 1 ? "has" : "have"} ${usableAddresses(prefixOf(small[0]))}`,
        });
    }
    return issues;
}

/** Seed 004: enough hosts (ec2) or tasks (Fargate) to hold the peak connections at the per-unit figure. */
function connectionIssues({ ns, api }: ApiRuleInput): ConfigIssue[] {
    const { peakConnections: peak, connectionsPerHost: perUnit } = api;
    if (peak === undefined || perUnit === undefined) return [];
    const needed = Math.ceil(peak / perUnit);
    const held = `to hold ${ns}api.peakConnections (${peak}) at ${ns}api.connectionsPerHost (${perUnit})`;
    if (api.capacity === "ec2" && api.maxHosts !== undefined && api.maxHosts < needed) {
        return [{ key: `${ns}api.maxHosts`, kind: "invalid", value: api.maxHosts, problem: `must be at least ${needed} ${held} per host` }];
    }
    if (api.capacity === "fargate" && api.maxTasks !== undefined && api.maxTasks < needed) {
        return [
            {
                key: `${ns}api.maxTasks`,
                kind: "invalid",
                value: api.maxTasks,
                problem: `must be at least ${needed} ${held} per task (on Fargate the task is the unit: each has its own network interface and connection table)`,
            },
        ];
    }
    return [];
}

function portIssues({ ns, api }: ApiRuleInput): ConfigIssue[] {
    if (api.port === undefined || api.metricsPort === undefined || api.port !== api.metricsPort) return [];
    return [
        {
            key: `${ns}api.metricsPort`,
            kind: "invalid",
            value: api.metricsPort,
            problem: `must differ from ${ns}api.port (${api.port}): the load balancer reaches the port, only the monitoring tier the metrics port`,
        },
    ];
}

/** An issue for a production-only refusal, or none outside production or when the value is fine. */
function inProduction(tier: Tier | undefined, refused: boolean, key: string, value: unknown, problem: string): ConfigIssue[] {
    return tier === "production" && refused ? [{ key, kind: "invalid", value, problem }] : [];
}

/** The non-burstable families of a table, e.g. "db.m6g, db.m7g, db.r6g or db.r7g". */
function steadyFamilies(table: Readonly<Record<string, { readonly burstable: boolean }>>): string {
    const families = [...new Set(Object.entries(table).filter(([, t]) => !t.burstable).map(([name]) => name.split(".").slice(0, 2).join(".")))];
    return `${families.slice(0, -1).join(", ")} or ${families.at(-1)}`;
}

/** A known class (or node type), and no burstable one in production. */
function classIssues(
    key: string,
    value: string | undefined,
    table: Readonly<Record<string, { readonly burstable: boolean }>>,
    what: string,
    whats: string,
    tier: Tier | undefined,
    sustained: string,
): ConfigIssue[] {
    if (value === undefined) return [];
    const spec = table[value];
    if (spec === undefined) {
        return [{ key, kind: "invalid", value, problem: `must be a supported ${what}: ${suggestion(value, Object.keys(table), `supported ${whats} are`)}` }];
    }
    return inProduction(
        tier,
        spec.burstable,
        key,
        value,
        `must not be burstable in production: ${sustained} once its CPU credits run out; use a ${steadyFamilies(table)} ${what}`,
    );
}

/** The Database's rules: class, production HA and retention, storage ceiling, credentials that allow a replica, connection budget. */
function databaseIssues({ ns, tier, database: db, api }: RuleInput): ConfigIssue[] {
    if (db === undefined) return [];
    const key = (field: string) => `${ns}database.${field}`;
    const issues = [
        ...classIssues(key("instanceClass"), db.instanceClass, DB_INSTANCE_CLASSES, "RDS instance class", "RDS instance classes", tier, "a burstable database is throttled under sustained load"),
        ...inProduction(
            tier,
            db.multiAz === false,
            key("multiAz"),
            db.multiAz,
            "must be true in production: a single instance takes the API down with its availability zone, and during every patch (seed 001)",
        ),
    ];
    if (db.allocatedStorage !== undefined && db.maxAllocatedStorage !== undefined && db.maxAllocatedStorage < db.allocatedStorage) {
        issues.push({
            key: key("maxAllocatedStorage"),
            kind: "invalid",
            value: db.maxAllocatedStorage,
            problem: `must be >= ${key("allocatedStorage")} (${db.allocatedStorage}): it is the ceiling storage autoscaling grows the volume to`,
        });
    }
    issues.push(
        ...inProduction(
            tier,
            db.backupRetentionDays !== undefined && db.backupRetentionDays < 14,
            key("backupRetentionDays"),
            db.backupRetentionDays,
            "must be at least 14 in production: two weeks of point-in-time recovery to notice and undo bad writes",
        ),
        ...inProduction(
            tier,
            db.credentials === "managed",
            key("credentials"),
            db.credentials,
            `must be "stack" in production: the DR tier adds a cross-region read replica, and AWS refuses one of a source whose master password RDS manages in Secrets Manager`,
        ),
        ...connectionBudgetIssues(ns, db, api?.maxTasks),
    );
    return issues;
}

/**
 * Every API task opens `poolSizePerTask` connections to the proxy, and a canary release runs both revisions at up to
 * maxTasks each; the proxy may open `proxyMaxConnectionsPercent` of the instance's default max_connections.
 */
function connectionBudgetIssues(ns: string, db: Partial<DatabaseConfig>, maxTasks: number | undefined): ConfigIssue[] {
    const { instanceClass, poolSizePerTask: pool, proxyMaxConnectionsPercent: percent } = db;
    if (instanceClass === undefined || pool === undefined || percent === undefined || maxTasks === undefined) return [];
    const max = defaultMaxConnections(instanceClass);
    const share = proxyConnections(instanceClass, percent);
    if (max === undefined || share === undefined) return [];
    const needed = 2 * maxTasks * pool;
    if (needed <= share) return [];
    const key = (field: string) => `${ns}database.${field}`;
    return [
        {
            key: key("poolSizePerTask"),
            kind: "invalid",
            value: pool,
            problem:
                `must fit the proxy's share of the database's connections: 2 x ${ns}api.maxTasks (${maxTasks}) x ${pool} = ${needed} connections ` +
                `(a canary release runs both revisions), but RDS Proxy may open ${share}: ${key("proxyMaxConnectionsPercent")} (${percent}%) of ` +
                `${instanceClass}'s default max_connections ${max} (LEAST(DBInstanceClassMemory/9531392, 5000), DBInstanceClassMemory planned as ` +
                `${CLASS_MEMORY_SHARE_PERCENT}% of ${DB_INSTANCE_CLASSES[instanceClass].memoryGiB} GiB); lower ${key("poolSizePerTask")} or ` +
                `${ns}api.maxTasks, or choose a larger ${key("instanceClass")}`,
        },
    ];
}

/** The Cache's rules: node type, an engine version with IAM authentication, production failover and snapshots. */
function cacheIssues({ ns, tier, cache }: RuleInput): ConfigIssue[] {
    if (cache === undefined) return [];
    const key = (field: string) => `${ns}cache.${field}`;
    const issues = classIssues(key("nodeType"), cache.nodeType, CACHE_NODE_TYPES, "ElastiCache node type", "ElastiCache node types", tier, "a burstable cache node slows every request");
    const versions = cache.engine === undefined ? undefined : CACHE_ENGINE_VERSIONS[cache.engine];
    if (versions !== undefined && cache.engineVersion !== undefined && !versions.includes(cache.engineVersion)) {
        issues.push({
            key: key("engineVersion"),
            kind: "invalid",
            value: cache.engineVersion,
            problem: `must be a ${key("engine")} (${cache.engine}) version with IAM authentication: one of ${versions.join(", ")}`,
        });
    }
    issues.push(
        ...inProduction(
            tier,
            cache.nodes !== undefined && cache.nodes < 2,
            key("nodes"),
            cache.nodes,
            "must be at least 2 in production: a primary and a replica in another availability zone, for Multi-AZ automatic failover",
        ),
        ...inProduction(
            tier,
            cache.snapshotRetentionDays !== undefined && cache.snapshotRetentionDays < 1,
            key("snapshotRetentionDays"),
            cache.snapshotRetentionDays,
            "must be at least 1 in production: without a snapshot a flushed or corrupted cache cannot be restored (policy R75)",
        ),
    );
    return issues;
}

/** DisasterRecovery's rules: a supported DR region that is not the stack's, and in production a copy there and a vault lock. */
function drIssues({ ns, tier, region, dr }: RuleInput): ConfigIssue[] {
    if (dr === undefined) return [];
    const key = (field: string) => `${ns}dr.${field}`;
    const issues: ConfigIssue[] = [];
    if (dr.region !== undefined) {
        if (!(dr.region in REGION_ZONES)) {
            const regions = Object.keys(REGION_ZONES);
            issues.push({ key: key("region"), kind: "invalid", value: dr.region, problem: `must be a supported region: ${suggestion(dr.region, regions, "supported regions are")}` });
        } else if (dr.region === region) {
            issues.push({
                key: key("region"),
                kind: "invalid",
                value: dr.region,
                problem: `must differ from aws:region (${region}): a disaster that takes the stack's region must not take its backup copies too (leave it unset for ${DR_REGIONS[region]})`,
            });
        }
    }
    issues.push(
        ...inProduction(
            tier,
            dr.copyToDr === false,
            key("copyToDr"),
            dr.copyToDr,
            "must be true in production: a copy of every recovery point in another region is what survives the loss of the stack's region (policy S07)",
        ),
        ...inProduction(
            tier,
            dr.vaultLock === "none",
            key("vaultLock"),
            dr.vaultLock,
            `must be "governance" or "compliance" in production: a vault lock keeps recovery points from being deleted or shortened before their retention ends`,
        ),
    );
    return issues;
}
