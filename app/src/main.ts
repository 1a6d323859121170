// Start and stop: configuration checked first (exit 1 with one line per problem, no stack trace), JSON logs to
// stdout (CloudWatch through the awslogs driver), migrations after the listeners are up, and on SIGTERM a drain
// that ends within ECS's 30 s stop timeout.
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { RedisCache, type Cache } from "./cache";
import { ConfigError, loadConfig, type AppConfig } from "./config";
import { PgDatabase, databaseError, migrate, type Database } from "./db";
import { createMetrics, createMetricsServer } from "./metrics";
import { createServer } from "./server";

/** ECS sends SIGKILL 30 s after SIGTERM (the task's stopTimeout): finish before, with room to exit. */
export const SHUTDOWN_TIMEOUT_MS = 25_000;

export interface Service {
    readonly api: FastifyInstance;
    readonly metricsServer: FastifyInstance;
    readonly database: Database;
    readonly cache: Cache;
    readonly log: Logger;
    /** Settles when start-up migrations have run (at once when they are off). */
    readonly migrations: Promise<void>;
}

export interface StartOptions {
    /**
     * The database; tests pass a fake.
     * @default PostgreSQL from the config
     */
    readonly database?: Database;
    /**
     * The cache; tests pass a fake.
     * @default Redis from the config
     */
    readonly cache?: Cache;
    /**
     * Runs the migrations; tests pass a stub.
     * @default node-pg-migrate on the PostgreSQL pool (when config.migrateOnStart)
     */
    readonly migrate?: () => Promise<void>;
    /**
     * Where JSON logs go.
     * @default stdout
     */
    readonly logStream?: NodeJS.WritableStream;
    /**
     * The interface to listen on; tests use loopback.
     * @default "0.0.0.0" (the task's network interface, awsvpc)
     */
    readonly host?: string;
}

export function createLogger(config: AppConfig, stream: NodeJS.WritableStream = process.stdout): Logger {
    return pino(
        {
            level: config.logLevel,
            base: { service: "webstack-api", environment: config.environment },
            timestamp: pino.stdTimeFunctions.isoTime,
            // Never log credentials, whatever an error object carries.
            redact: ["req.headers.authorization", "req.headers.cookie", "*.password", "password"],
        },
        stream,
    );
}

/** Builds the service and listens on PORT and METRICS_PORT; migrations run in the background (readiness waits). */
export async function start(config: AppConfig, options: StartOptions = {}): Promise<Service> {
    const log = createLogger(config, options.logStream);
    const pg = options.database ? undefined : PgDatabase.fromConfig(config.database);
    const database = options.database ?? (pg as PgDatabase);
    const cache = options.cache ?? (await RedisCache.connect(config.cache));
    if (cache instanceof RedisCache) cache.client.on("error", (err: Error) => log.warn({ err }, "cache connection error"));
    if (pg) pg.pool.on("error", (err) => log.warn({ err }, "idle database connection failed"));

    const metrics = createMetrics({ environment: config.environment });
    let migrated = !config.migrateOnStart;
    const api = createServer({ database, cache, metrics, itemTtlSeconds: config.itemTtlSeconds, logger: log, migrated: () => migrated });
    const metricsServer = createMetricsServer(metrics);
    const host = options.host ?? "0.0.0.0";
    await api.listen({ port: config.port, host });
    await metricsServer.listen({ port: config.metricsPort, host });
    log.info({ port: config.port, metricsPort: config.metricsPort }, "listening");

    const runMigrations =
        options.migrate ??
        (async () => {
            if (!pg) return;
            const applied = await migrate(pg.pool, (message) => log.debug({ migrations: message }, "migration")).catch((err: unknown) => {
                throw databaseError(config.database, "migrations", err);
            });
            log.info({ applied }, applied.length > 0 ? "migrations applied" : "schema up to date");
        });
    const migrations = config.migrateOnStart
        ? runMigrations().then(() => {
              migrated = true;
          })
        : Promise.resolve();
    return { api, metricsServer, database, cache, log, migrations };
}

/**
 * Stops accepting connections, lets in-flight requests finish (Fastify answers 503 to requests that arrive on
 * kept-alive connections meanwhile), then closes the pools and the metrics listener last, so the final scrape
 * still sees the drain. Rejects if this takes longer than `timeoutMs`.
 */
export async function shutdown(service: Service, timeoutMs: number = SHUTDOWN_TIMEOUT_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`shutdown took longer than ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
    });
    const drain = async () => {
        await service.api.close();
        await Promise.allSettled([service.database.close(), service.cache.close()]);
        await service.metricsServer.close();
    };
    try {
        await Promise.race([drain(), deadline]);
    } finally {
        clearTimeout(timer);
    }
}

/** The process: exit 1 on invalid config or failed migrations, 0 after a clean drain. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
    let config: AppConfig;
    try {
        config = loadConfig(env);
    } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
    }
    const service = await start(config);
    let stopping = false;
    const stop = (signal: string, code: number) => {
        if (stopping) return;
        stopping = true;
        service.log.info({ signal }, "shutting down");
        shutdown(service).then(
            () => {
                service.log.info("stopped");
                process.exit(code);
            },
            (err: unknown) => {
                service.log.error({ err }, "shutdown incomplete");
                process.exit(1);
            },
        );
    };
    process.on("SIGTERM", () => stop("SIGTERM", 0));
    process.on("SIGINT", () => stop("SIGINT", 0));
    service.migrations.catch((err: unknown) => {
        service.log.fatal({ err }, "migrations failed");
        stop("migrations failed", 1);
    });
}

if (require.main === module) {
    main().catch((err: unknown) => {
        // Only unexpected failures get here (a port in use, an unreadable CA file): one JSON line, exit 1.
        process.stdout.write(`${JSON.stringify({ level: 60, service: "webstack-api", msg: "start failed", err: String(err) })}\n`);
        process.exit(1);
    });
}
