// The HTTP API: liveness and readiness for the load balancer and ECS, and the items resource, written to
// PostgreSQL and read cache-aside through Redis (seed 001: the cache takes read load off the database).
import Ajv from "ajv";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from "fastify";
import type { Cache } from "./cache";
import type { Database, Item, ItemInput } from "./db";
import { statusClass, timedDatabase, type Metrics } from "./metrics";

/** The liveness path: the target groups' and the container's health check (ApiCluster's healthCheckPath). */
export const HEALTH_PATH = "/api/health";
export const READY_PATH = "/api/ready";
export const ITEMS_PATH = "/api/items";

export interface ServerOptions {
    readonly database: Database;
    readonly cache: Cache;
    readonly metrics: Metrics;
    /** Seconds an item stays cached after a read. */
    readonly itemTtlSeconds: number;
    /**
     * The pino logger requests log to (main.ts: JSON on stdout); unset logs nothing.
     * @default undefined
     */
    readonly logger?: FastifyBaseLogger;
    /**
     * Whether the schema is migrated: readiness waits for it, liveness does not (a long migration must not get
     * the task replaced).
     * @default () => true
     */
    readonly migrated?: () => boolean;
    /**
     * How long readiness waits for each store before calling it unavailable.
     * @default 2000
     */
    readonly readyTimeoutMs?: number;
}

const ID = { type: "string", pattern: "^[1-9][0-9]{0,17}$" } as const;
const itemBody = {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
        name: { type: "string", minLength: 1, maxLength: 200 },
        description: { type: ["string", "null"], maxLength: 2000 },
    },
} as const;
const itemSchema = {
    type: "object",
    required: ["id", "name", "description", "createdAt", "updatedAt"],
    properties: {
        id: { type: "string" },
        name: { type: "string" },
        description: { type: ["string", "null"] },
        createdAt: { type: "string" },
        updatedAt: { type: "string" },
    },
} as const;
const errorSchema = {
    type: "object",
    properties: { statusCode: { type: "integer" }, error: { type: "string" }, message: { type: "string" } },
} as const;

export const cacheKey = (id: string) => `item:${id}`;

/** Builds the API (not listening: main.ts listens, tests use inject). */
export function createServer(options: ServerOptions): FastifyInstance {
    const { cache, metrics, itemTtlSeconds } = options;
    const database = timedDatabase(options.database, metrics);
    const migrated = options.migrated ?? (() => true);
    const readyTimeoutMs = options.readyTimeoutMs ?? 2_000;
    const app = Fastify({
        ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
        // One line per request at 10k connections per host costs more than it tells: the load balancer's access
        // logs hold every request; the service logs what fails.
        logController: new LogController({ disableRequestLogging: true }),
        bodyLimit: 16 * 1024,
        // Behind the load balancer, whose idle timeout is 60 s: keep connections open a little longer than it.
        keepAliveTimeout: 65_000,
    });

    // Unknown fields are refused, not silently dropped; JSON bodies keep their types (5 is not a name), while the
    // text of the URL (parameters, query) is read as the numbers it spells.
    const strict = new Ajv({ removeAdditional: false, useDefaults: true, coerceTypes: false });
    const url = new Ajv({ removeAdditional: false, useDefaults: true, coerceTypes: true });
    app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === "body" ? strict : url).compile(schema));

    // While closing, answers end their connection: a kept-alive client would otherwise hold the drain open.
    let draining = false;
    app.addHook("preClose", async () => {
        draining = true;
    });
    app.addHook("onSend", async (_request, reply) => {
        if (draining) reply.header("connection", "close");
    });

    app.addHook("onRequest", async (request) => {
        metrics.inFlight.inc();
        (request as { startedAt?: bigint }).startedAt = process.hrtime.bigint();
    });
    app.addHook("onResponse", async (request, reply) => {
        metrics.inFlight.dec();
        const labels = { method: request.method, route: request.routeOptions.url ?? "unmatched", status_class: statusClass(reply.statusCode) };
        const started = (request as { startedAt?: bigint }).startedAt ?? process.hrtime.bigint();
        metrics.requests.inc(labels);
        metrics.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        if (reply.statusCode >= 500) metrics.errors.inc({ method: labels.method, route: labels.route });
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
        if (error.validation) {
            return reply.status(400).send({ statusCode: 400, error: "Bad Request", message: error.message });
        }
        const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status >= 500) {
            request.log.error({ err: error, route: request.routeOptions.url }, "request failed");
            // Internals (SQL, hosts) stay in the log.
            return reply.status(500).send({ statusCode: 500, error: "Internal Server Error", message: "the request could not be completed" });
        }
        return reply.status(status).send({ statusCode: status, error: reply.raw.statusMessage ?? "Error", message: error.message });
    });
    app.setNotFoundHandler((request, reply) => {
        reply.status(404).send({ statusCode: 404, error: "Not Found", message: `no route ${request.method} ${request.url.split("?")[0]}` });
    });

    app.get(HEALTH_PATH, { schema: { response: { 200: { type: "object", properties: { status: { type: "string" } } } } } }, async () => ({ status: "ok" }));

    app.get(READY_PATH, async (request, reply) => {
        const check = async (name: string, ping: () => Promise<void>): Promise<"ok" | "unavailable"> => {
            try {
                await within(ping(), readyTimeoutMs, `${name} did not answer within ${readyTimeoutMs} ms`);
                return "ok";
            } catch (err) {
                request.log.warn({ err, store: name }, "readiness check failed");
                return "unavailable";
            }
        };
        const [db, kv] = await Promise.all([check("database", () => database.ping()), check("cache", () => cache.ping())]);
        const schema = migrated() ? "ok" : "pending";
        const ready = db === "ok" && kv === "ok" && schema === "ok";
        return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "unavailable", database: db, cache: kv, migrations: schema });
    });

    app.post<{ Body: ItemInput }>(ITEMS_PATH, { schema: { body: itemBody, response: { 201: itemSchema, 400: errorSchema } } }, async (request, reply) => {
        const item = await database.createItem(request.body);
        return reply.status(201).header("location", `${ITEMS_PATH}/${item.id}`).send(item);
    });

    app.get<{ Params: { id: string } }>(`${ITEMS_PATH}/:id`, { schema: { params: { type: "object", properties: { id: ID }, required: ["id"] }, response: { 200: itemSchema } } }, async (request, reply) => {
        const { id } = request.params;
        const key = cacheKey(id);
        const cached = await attempt(() => cache.get(key), (err) => request.log.warn({ err }, "cache read failed; reading the database"));
        if (cached !== undefined && cached !== null) {
            metrics.cacheHits.inc();
            return reply.header("x-cache", "hit").send(JSON.parse(cached) as Item);
        }
        metrics.cacheMisses.inc();
        const item = await database.getItem(id);
        if (!item) return reply.status(404).send({ statusCode: 404, error: "Not Found", message: `no item ${id}` });
        await attempt(() => cache.set(key, JSON.stringify(item), itemTtlSeconds), (err) => request.log.warn({ err }, "cache write failed"));
        return reply.header("x-cache", "miss").send(item);
    });

    app.put<{ Params: { id: string }; Body: ItemInput }>(
        `${ITEMS_PATH}/:id`,
        { schema: { params: { type: "object", properties: { id: ID }, required: ["id"] }, body: itemBody, response: { 200: itemSchema } } },
        async (request, reply) => {
            const { id } = request.params;
            const item = await database.updateItem(id, request.body);
            if (!item) return reply.status(404).send({ statusCode: 404, error: "Not Found", message: `no item ${id}` });
            // Database first, then the cache: a failed delete leaves a stale copy for at most the TTL, never a lost write.
            await attempt(() => cache.del(cacheKey(id)), (err) => request.log.error({ err, id }, "cache invalidation failed; stale until the TTL ends"));
            return reply.send(item);
        },
    );

    app.get<{ Querystring: { limit: number } }>(
        ITEMS_PATH,
        {
            schema: {
                querystring: { type: "object", additionalProperties: false, properties: { limit: { type: "integer", minimum: 1, maximum: 100, default: 20 } } },
                response: { 200: { type: "object", properties: { items: { type: "array", items: itemSchema } } } },
            },
        },
        async (request) => ({ items: await database.listItems(request.query.limit) }),
    );

    return app;
}

/** The value, or undefined after reporting the failure (the cache is an optimisation: never fail a request on it). */
async function attempt<T>(call: () => Promise<T>, report: (err: unknown) => void): Promise<T | undefined> {
    try {
        return await call();
    } catch (err) {
        report(err);
        return undefined;
    }
}

function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
