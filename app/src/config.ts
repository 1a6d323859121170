// The service's settings: exactly the environment ApiCluster gives the task (components/api-cluster), read and
// checked once at start. Every problem is reported at once, one line each, naming the variable, its value and
// what is expected; secrets are never echoed.
import * as fs from "fs";

/**
 * What ApiCluster must inject in production (environment and `secrets` together): the task-definition side of
 * the contract (app/test/contract.test.ts compares this list with the recorded task definition).
 */
export const TASK_SETTINGS = [
    "ENVIRONMENT",
    "PORT",
    "METRICS_PORT",
    "DATABASE_HOST",
    "DATABASE_PORT",
    "DATABASE_NAME",
    "DATABASE_USER",
    "DATABASE_AUTH",
    "REDIS_HOST",
    "REDIS_PORT",
    "REDIS_USER",
    "REDIS_TLS",
    "REDIS_AUTH",
] as const;

/**
 * What ApiCluster also injects but the app can do without (local runs): the pool size the stacks' connection
 * budget was checked with (`webstack:database.poolSizePerTask`).
 */
export const TASK_TUNING = ["DATABASE_POOL_MAX"] as const;

/** Set by ECS itself in every task (not by the task definition); IAM tokens are signed for this region. */
export const PLATFORM_SETTINGS = ["AWS_REGION"] as const;

/** Where the image keeps AWS's RDS CA bundle (global-bundle.pem); DATABASE_CA_FILE overrides it. */
export const DEFAULT_DATABASE_CA_FILE = "/app/certs/rds-global-bundle.pem";

export const ENVIRONMENTS = ["production", "staging", "local", "test"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** How the service proves who it is: an IAM token signed per connection, or a password (local and test only). */
export type Auth = { readonly kind: "iam"; readonly region: string } | { readonly kind: "password"; readonly password: string };

export interface DatabaseConfig {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    readonly user: string;
    readonly auth: Auth;
    /** PEM bundle the server certificate must chain to (TLS is always on and always verified). */
    readonly caFile: string;
    /** Connections this task's pool may open (the stacks' connection budget assumes 10 per task). */
    readonly poolMax: number;
    /** A request's query fails after this long (milliseconds); migrations are exempt (they may wait on another task). */
    readonly queryTimeoutMs: number;
}

export interface CacheConfig {
    readonly host: string;
    readonly port: number;
    readonly user: string;
    readonly tls: boolean;
    readonly auth: Auth;
    /** The replication group id IAM tokens are signed for. */
    readonly cacheName: string;
    /** Extra CA bundle for the cache's certificate; unset: Node's public roots (ElastiCache's certificates chain to them). */
    readonly caFile?: string;
}

export interface AppConfig {
    readonly environment: Environment;
    readonly port: number;
    readonly metricsPort: number;
    readonly database: DatabaseConfig;
    readonly cache: CacheConfig;
    /** Seconds an item stays in the cache after a read. */
    readonly itemTtlSeconds: number;
    readonly logLevel: string;
    /** Run pending migrations at start, under an advisory lock. */
    readonly migrateOnStart: boolean;
}

/** The configuration cannot be used: every problem, one line each. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "ConfigError";
    }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"];
// RFC 1123 host names (endpoints) and IPv4 literals (local servers).
const HOST = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Reads and checks the settings; throws ConfigError naming every problem. `fileExists` is for tests. */
export function loadConfig(env: Env, fileExists: (path: string) => boolean = readable): AppConfig {
    const problems: string[] = [];
    const shown = (name: string) => `${name} = ${JSON.stringify(env[name])}`;
    const required = (name: string, expected: string): string | undefined => {
        const value = env[name];
        if (value === undefined || value.trim() === "") {
            problems.push(`${name} is not set: expected ${expected}`);
            return undefined;
        }
        return value;
    };
    const text = (name: string, expected: string, pattern: RegExp): string => {
        const value = required(name, expected);
        if (value !== undefined && !pattern.test(value)) problems.push(`${shown(name)} is invalid: expected ${expected}`);
        return value ?? "";
    };
    /** The value, or undefined when it is missing or not allowed (the problem is recorded). */
    const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback?: T): T | undefined => {
        const expected = `one of ${allowed.map((a) => `"${a}"`).join(", ")}`;
        if (fallback !== undefined && env[name] === undefined) return fallback;
        const value = required(name, expected);
        if (value === undefined) return undefined;
        if (allowed.includes(value as T)) return value as T;
        problems.push(`${shown(name)} is invalid: expected ${expected}`);
        return undefined;
    };
    const whole = (name: string, min: number, max: number, what: string, fallback?: number): number => {
        const expected = `${what}: a whole number from ${min} to ${max}`;
        if (fallback !== undefined && env[name] === undefined) return fallback;
        const value = required(name, expected);
        if (value === undefined) return min;
        const n = /^\d+$/.test(value) ? Number(value) : NaN;
        if (!(n >= min && n <= max)) problems.push(`${shown(name)} is invalid: expected ${expected}`);
        return n;
    };
    const file = (name: string, fallback: string | undefined, what: string): string | undefined => {
        const path = env[name] ?? fallback;
        if (path === undefined) return undefined;
        if (!fileExists(path)) problems.push(`${name} = ${JSON.stringify(path)}${env[name] === undefined ? " (the default)" : ""} is not a readable file: expected the path of ${what}`);
        return path;
    };
    let region: { value: string | undefined } | undefined;
    const auth = (prefix: "DATABASE" | "REDIS"): Auth => {
        const kind = oneOf(`${prefix}_AUTH`, ["iam", "password"]);
        // Unknown mode: nothing further to check against it.
        if (kind === undefined) return { kind: "password", password: "" };
        const passwordName = `${prefix}_PASSWORD`;
        const password = env[passwordName];
        if (kind === "password") {
            if (password === undefined || password === "") problems.push(`${passwordName} is not set: expected the password, as ${prefix}_AUTH is "password"`);
            return { kind, password: password ?? "" };
        }
        // A password next to IAM would be silently ignored: say so rather than leave a stale secret around.
        if (password !== undefined) problems.push(`${passwordName} is set but ${prefix}_AUTH is "iam": expected no password (the service signs an IAM token per connection)`);
        // Checked once for both stores.
        region ??= { value: awsRegion() };
        return { kind: "iam", region: region.value ?? "" };
    };
    const awsRegion = (): string | undefined => {
        const name = env.AWS_REGION !== undefined ? "AWS_REGION" : "AWS_DEFAULT_REGION";
        const value = env[name];
        if (value === undefined) {
            problems.push(`AWS_REGION is not set: expected the AWS region IAM tokens are signed for (ECS sets it in every task)`);
            return undefined;
        }
        if (!REGION.test(value)) problems.push(`${shown(name)} is invalid: expected an AWS region such as "us-east-1"`);
        return value;
    };

    const environment = oneOf("ENVIRONMENT", ENVIRONMENTS) ?? "local";
    const port = whole("PORT", 1, 65535, "the HTTP port");
    const metricsPort = whole("METRICS_PORT", 1, 65535, "the metrics port");
    if (env.PORT !== undefined && env.PORT === env.METRICS_PORT) problems.push(`PORT and METRICS_PORT = ${JSON.stringify(env.PORT)} are the same: expected two ports (only monitoring may reach the metrics port)`);

    const database: DatabaseConfig = {
        host: text("DATABASE_HOST", "the database (RDS Proxy) host name", HOST),
        port: whole("DATABASE_PORT", 1, 65535, "the database port"),
        name: text("DATABASE_NAME", "a PostgreSQL database name (lower case letters, digits, _)", IDENTIFIER),
        user: text("DATABASE_USER", "the database user name", /^\S+$/),
        auth: auth("DATABASE"),
        caFile: file("DATABASE_CA_FILE", DEFAULT_DATABASE_CA_FILE, "a PEM bundle of the CAs that sign the database's certificate") ?? DEFAULT_DATABASE_CA_FILE,
        poolMax: whole("DATABASE_POOL_MAX", 1, 1000, "the connections this task may open", 10),
        queryTimeoutMs: whole("DATABASE_QUERY_TIMEOUT_MS", 100, 600_000, "the milliseconds a request's query may take", 10_000),
    };

    const redisHost = text("REDIS_HOST", "the cache's primary endpoint host name", HOST);
    const redisPort = whole("REDIS_PORT", 1, 65535, "the cache port");
    const redisUser = text("REDIS_USER", "the cache user name", /^\S+$/);
    const tls = oneOf("REDIS_TLS", ["true", "false"]) === "true";
    const cacheAuth = auth("REDIS");
    if (cacheAuth.kind === "iam" && env.REDIS_TLS === "false") problems.push(`REDIS_TLS = "false" is invalid with REDIS_AUTH = "iam": expected "true" (ElastiCache accepts IAM tokens over TLS only)`);
    if (env.REDIS_CACHE_NAME !== undefined && !/^[a-z][a-z0-9-]{0,39}$/.test(env.REDIS_CACHE_NAME)) {
        problems.push(`${shown("REDIS_CACHE_NAME")} is invalid: expected a replication group id (lower case letters, digits, -)`);
    }
    const cache: CacheConfig = {
        host: redisHost,
        port: redisPort,
        user: redisUser,
        tls,
        auth: cacheAuth,
        cacheName: env.REDIS_CACHE_NAME ?? replicationGroupOf(redisHost),
        caFile: file("REDIS_CA_FILE", undefined, "a PEM bundle of the CAs that sign the cache's certificate"),
    };

    const itemTtlSeconds = whole("ITEM_CACHE_TTL_SECONDS", 1, 86400, "seconds an item stays cached", 60);
    const logLevel = oneOf("LOG_LEVEL", LOG_LEVELS, "info") ?? "info";
    const migrateOnStart = oneOf("MIGRATE_ON_START", ["true", "false"], "true") === "true";

    if (problems.length > 0) throw new ConfigError(problems);
    return { environment, port, metricsPort, database, cache, itemTtlSeconds, logLevel, migrateOnStart };
}

/**
 * The replication group id in an ElastiCache endpoint: `master.<id>.<hash>.<region>.cache.amazonaws.com` (TLS on)
 * or `<id>.<hash>.ng.0001...`; any other host (a local server) is its own name.
 */
export function replicationGroupOf(host: string): string {
    const labels = host.split(".");
    if (!host.endsWith(".cache.amazonaws.com")) return host;
    return labels[0] === "master" || labels[0] === "replica" ? labels[1] : labels[0];
}

function readable(path: string): boolean {
    try {
        fs.accessSync(path, fs.constants.R_OK);
        return fs.statSync(path).isFile();
    } catch {
        return false;
    }
}
