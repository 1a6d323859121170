import { ZodArray, ZodObject, ZodOptional, type z } from "zod";
import { DR_REGIONS, TIER_DEFAULTS } from "./defaults";
import { ConfigError, type ConfigIssue } from "./errors";
import { REGION_ZONES, zoneNames } from "./regions";
import { crossFieldIssues, type ApiRuleFields } from "./rules";
import {
    KNOWN_KEYS,
    STRUCTURED,
    STRUCTURED_KEYS,
    apiSchema,
    cacheSchema,
    databaseSchema,
    drSchema,
    networkSchema,
    siteSchema,
    stackFileSchema,
    type ApiConfig,
    type CacheConfig,
    type DatabaseConfig,
    type DrSettings,
    type NetworkSettings,
    type SiteSettings,
    type StackConfig,
    type StructuredKey,
} from "./schema";
import { suggestion } from "./suggest";

/** Where a configuration came from, for the namespace and the messages. */
export interface ConfigSource {
    /** The Pulumi project name: the config namespace (`webstack`). */
    readonly project: string;
    readonly stack: string;
    /** The file named in messages, e.g. `Pulumi.staging.yaml`. */
    readonly stackFile: string;
}

/**
 * Validates a stack's raw configuration (keys as the CLI passes them: `webstack:network` with
 * objects as JSON strings) and applies the tier defaults. Throws one ConfigError listing every
 * problem; returns only a fully valid config.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, source: ConfigSource): StackConfig {
    const ns = `${source.project}:`;
    const issues: ConfigIssue[] = [];
    const input: Record<string, unknown> = {};

    for (const [fullKey, text] of Object.entries(raw)) {
        if (!fullKey.startsWith(ns)) continue;
        const key = fullKey.slice(ns.length);
        if (!KNOWN_KEYS.includes(key)) {
            const known = KNOWN_KEYS.map((k) => ns + k);
            issues.push({ key: fullKey, kind: "unknown", problem: suggestion(fullKey, known, "known keys are") });
        } else if (STRUCTURED_KEYS.has(key)) {
            const value = parseObject(text);
            if (value === undefined) {
                issues.push({ key: fullKey, kind: "invalid", value: text, problem: objectProblem(key) });
            } else {
                input[key] = value;
            }
        } else {
            input[key] = text;
        }
    }

    const region = raw["aws:region"];
    issues.push(...regionIssues(region));

    const parsed = stackFileSchema.safeParse(input);
    const zodIssues = parsed.success ? [] : parsed.error.issues;
    issues.push(...zodIssues.flatMap((issue) => fromZod(issue, input, ns)));

    // Cross-field rules see only the fields that passed their own checks, so nothing is reported twice.
    const bad = new Set(zodIssues.filter((i) => i.code !== "unrecognized_keys").map((i) => i.path.join(".")));
    const valid = <T>(path: string, value: T): T | undefined => (bad.has(path) ? undefined : value);
    const file = input as Partial<Record<string, unknown>>;
    const tier = valid("environment", file.environment);
    const knownTier = tier === "staging" || tier === "production" ? tier : undefined;
    /**
     * A structured key: tier defaults, then the stack file's valid fields. A field the stack file sets to an invalid
     * value is left out rather than defaulted, so no rule reasons from a value the user did not choose.
     */
    const merged = (key: StructuredKey): Record<string, unknown> => {
        const own = (file[key] ?? {}) as Record<string, unknown>;
        const chosen = Object.entries(own).filter(([k]) => !bad.has(key) && !bad.has(`${key}.${k}`));
        const invalid = new Set(Object.keys(own).filter((k) => bad.has(`${key}.${k}`)));
        const defaults = Object.entries(knownTier ? TIER_DEFAULTS[knownTier][key] : {}).filter(([k]) => !invalid.has(k));
        return { ...Object.fromEntries(defaults), ...Object.fromEntries(chosen) };
    };
    const network = merged("network") as Partial<NetworkSettings>;
    // Zones set without azCount: their count is the zone count.
    const ownNetwork = (file.network ?? {}) as Partial<NetworkSettings>;
    if (network.zones !== undefined && ownNetwork.azCount === undefined) network.azCount = network.zones.length;
    const site = merged("site") as Partial<SiteSettings>;
    const api = merged("api");
    // Schedule entries reach the rules with only their valid fields (an entry that is not an object, not at all).
    const schedule = Array.isArray(api.schedule) && !bad.has("api.schedule") ? (api.schedule as unknown[]) : undefined;
    const apiFields: ApiRuleFields = {
        ...(api as Partial<ApiConfig>),
        schedule: schedule
            ?.map((entry, i) => ({ entry, i }))
            .filter(({ i }) => !bad.has(`api.schedule.${i}`))
            .map(({ entry, i }) =>
                Object.fromEntries(Object.entries(entry as Record<string, unknown>).filter(([k]) => !bad.has(`api.schedule.${i}.${k}`))),
            ),
    };
    const database = merged("database") as Partial<DatabaseConfig>;
    const cache = merged("cache") as Partial<CacheConfig>;
    const dr = merged("dr") as Partial<DrSettings>;
    const domain = valid("domain", file.domain) as string | undefined;
    issues.push(
        ...crossFieldIssues({
            ns,
            tier: knownTier,
            region: region !== undefined && region in REGION_ZONES ? region : undefined,
            network,
            domain,
            siteDomain: site.domain,
            hostedZone: valid("hostedZone", file.hostedZone) as string | undefined,
            api: apiFields,
            database,
            cache,
            dr,
        }),
    );

    if (issues.length > 0 || !parsed.success || region === undefined) throw new ConfigError(issues, source.stackFile);
    const config = parsed.data;
    return {
        project: source.project,
        stack: source.stack,
        environment: config.environment,
        region,
        domain: config.domain,
        hostedZone: config.hostedZone,
        owner: config.owner,
        costCenter: config.costCenter,
        network: withZones(networkSchema.parse(network), region),
        site: { ...siteSchema.parse(site), domain: site.domain ?? config.domain },
        api: apiSchema.parse(api),
        database: databaseSchema.parse(database),
        cache: cacheSchema.parse(cache),
        dr: { ...drSchema.parse(dr), region: dr.region ?? DR_REGIONS[region] },
        protectData: config.environment === "production",
        tags: {
            Project: source.project,
            Stack: source.stack,
            Environment: config.environment,
            Owner: config.owner,
            CostCenter: config.costCenter,
        },
    };
}

/** The zones as configured, else the region's first azCount zone names: a fixed list that never follows AWS's live one. */
function withZones({ zones, ...network }: NetworkSettings, region: string): StackConfig["network"] {
    return { ...network, zones: zones ?? zoneNames(region).slice(0, network.azCount) };
}

function parseObject(text: string): Record<string, unknown> | undefined {
    try {
        const value: unknown = JSON.parse(text);
        return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

function objectProblem(key: string): string {
    const fields = Object.keys(STRUCTURED[key as StructuredKey].shape).join(", ");
    return `must be an object with any of the keys ${fields}`;
}

function regionIssues(region: string | undefined): ConfigIssue[] {
    const regions = Object.keys(REGION_ZONES);
    if (region === undefined) {
        return [{ key: "aws:region", kind: "missing", problem: "must be an AWS region such as us-east-1 (pulumi config set aws:region us-east-1)" }];
    }
    if (region in REGION_ZONES) return [];
    return [{ key: "aws:region", kind: "invalid", value: region, problem: `must be a supported region: ${suggestion(region, regions, "supported regions are")}` }];
}

/** One zod issue as ConfigIssues: key path from the zod path, the value read from the input. */
function fromZod(issue: z.core.$ZodIssue, input: Record<string, unknown>, ns: string): ConfigIssue[] {
    const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
    const key = ns + keyPath(path);
    if (issue.code === "unrecognized_keys") {
        const fields = Object.keys(schemaAt(path));
        return issue.keys.map((k) => ({
            key: `${key}.${k}`,
            kind: "unknown" as const,
            problem: suggestion(`${key}.${k}`, fields.map((f) => `${key}.${f}`), "known keys are"),
        }));
    }
    const value = path.reduce<unknown>((v, p) => (v as Record<string | number, unknown> | undefined)?.[p], input);
    if (value === undefined) return [{ key, kind: "missing", problem: issue.message }];
    return [{ key, kind: "invalid", value, problem: issue.message }];
}

/** `api.schedule.0.name` as a key: `api.schedule[0].name`. */
function keyPath(path: readonly (string | number)[]): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** The fields of the object schema at a zod path inside a structured key (list indexes step into the element). */
function schemaAt(path: readonly (string | number)[]): Record<string, unknown> {
    const [key, ...rest] = path;
    if (typeof key !== "string" || !(key in STRUCTURED)) return {};
    let schema: z.ZodType = STRUCTURED[key as StructuredKey];
    for (const step of rest) {
        if (schema instanceof ZodArray) schema = schema.element as z.ZodType;
        else if (schema instanceof ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(step)];
        if (schema instanceof ZodOptional) schema = schema.unwrap() as z.ZodType;
    }
    return schema instanceof ZodObject ? schema.shape : {};
}
