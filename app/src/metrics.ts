// Prometheus metrics (prom-client), served on METRICS_PORT by a listener of their own: only the monitoring tier
// reaches that port, so the public API never exposes them. What seed 001 and seed 004 ask for: request count and
// duration by route and status class (average, maximum and p99 derive from the histogram), requests in flight,
// errors, database read/write latency, cache hits and misses, and the process's memory, CPU and uptime.
import Fastify, { type FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Database } from "./db";

/** Seconds: from 5 ms to 10 s, with the canary's 1 s p99 alarm threshold as a bucket edge. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STORE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export interface Metrics {
    readonly registry: Registry;
    readonly requests: Counter<"method" | "route" | "status_class">;
    readonly duration: Histogram<"method" | "route" | "status_class">;
    readonly inFlight: Gauge;
    readonly errors: Counter<"method" | "route">;
    readonly database: Histogram<"operation">;
    readonly cacheHits: Counter;
    readonly cacheMisses: Counter;
}

/** A registry of its own per service instance (tests build several), with Node's default metrics. */
export function createMetrics(labels: Readonly<Record<string, string>> = {}): Metrics {
    const registry = new Registry();
    registry.setDefaultLabels(labels);
    // process_resident_memory_bytes, process_cpu_seconds_total, process_start_time_seconds (uptime), heap, event loop lag.
    collectDefaultMetrics({ register: registry });
    const registers = [registry];
    return {
        registry,
        requests: new Counter({ name: "http_requests_total", help: "HTTP requests answered", labelNames: ["method", "route", "status_class"], registers }),
        duration: new Histogram({
            name: "http_request_duration_seconds",
            help: "Time to answer an HTTP request",
            labelNames: ["method", "route", "status_class"],
            buckets: HTTP_BUCKETS,
            registers,
        }),
        inFlight: new Gauge({ name: "http_requests_in_flight", help: "HTTP requests being answered", registers }),
        errors: new Counter({ name: "http_request_errors_total", help: "HTTP requests answered with a server error (5xx)", labelNames: ["method", "route"], registers }),
        database: new Histogram({ name: "db_query_duration_seconds", help: "Database query latency by read or write", labelNames: ["operation"], buckets: STORE_BUCKETS, registers }),
        cacheHits: new Counter({ name: "cache_hits_total", help: "Item reads served from the cache", registers }),
        cacheMisses: new Counter({ name: "cache_misses_total", help: "Item reads the cache could not serve (absent or unavailable)", registers }),
    };
}

/** `2xx`, `4xx`, ...: few label values, whatever the codes. */
export function statusClass(status: number): string {
    return `${Math.floor(status / 100)}xx`;
}

/** The database with every call timed as a read or a write. */
export function timedDatabase(db: Database, metrics: Metrics): Database {
    const timed =
        <A extends unknown[], R>(operation: "read" | "write", call: (...args: A) => Promise<R>) =>
        async (...args: A): Promise<R> => {
            const end = metrics.database.startTimer({ operation });
            try {
                return await call(...args);
            } finally {
                end();
            }
        };
    return {
        createItem: timed("write", (input) => db.createItem(input)),
        updateItem: timed("write", (id, input) => db.updateItem(id, input)),
        getItem: timed("read", (id) => db.getItem(id)),
        listItems: timed("read", (limit) => db.listItems(limit)),
        ping: () => db.ping(),
        close: () => db.close(),
    };
}

/** The metrics listener: `GET /metrics` in the Prometheus text format, nothing else. */
export function createMetricsServer(metrics: Metrics): FastifyInstance {
    const server = Fastify({ logger: false });
    server.get("/metrics", async (_request, reply) => {
        reply.header("content-type", metrics.registry.contentType);
        return metrics.registry.metrics();
    });
    return server;
}
