import * as assert from "assert/strict";
import type { FastifyInstance } from "fastify";
import { createMetrics, createMetricsServer, type Metrics } from "../src/metrics";
import { createServer } from "../src/server";
import { FakeCache, FakeDatabase } from "./fakes";

describe("app HTTP API (in-memory database and cache)", () => {
    let db: FakeDatabase;
    let cache: FakeCache;
    let metrics: Metrics;
    let app: FastifyInstance;
    let migrated: boolean;

    beforeEach(async () => {
        db = new FakeDatabase();
        cache = new FakeCache();
        metrics = createMetrics();
        migrated = true;
        app = createServer({ database: db, cache, metrics, itemTtlSeconds: 60, migrated: () => migrated, readyTimeoutMs: 200 });
        await app.ready();
    });
    afterEach(() => app.close());

    const create = async (payload: unknown) => app.inject({ method: "POST", url: "/api/items", payload: payload as Record<string, unknown> });

    it("answers liveness with 200 {status: ok}, even with both stores down", async () => {
        db.down = true;
        cache.down = true;
        const res = await app.inject({ method: "GET", url: "/api/health" });
        assert.equal(res.statusCode, 200);
        assert.deepEqual(res.json(), { status: "ok" });
        assert.deepEqual(db.calls, []);
    });

    it("is ready when the database and the cache answer and the schema is migrated", async () => {
        const res = await app.inject({ method: "GET", url: "/api/ready" });
        assert.equal(res.statusCode, 200);
        assert.deepEqual(res.json(), { status: "ready", database: "ok", cache: "ok", migrations: "ok" });
    });

    it("is not ready (503) and says which store failed", async () => {
        db.down = true;
        let res = await app.inject({ method: "GET", url: "/api/ready" });
        assert.equal(res.statusCode, 503);
        assert.deepEqual(res.json(), { status: "unavailable", database: "unavailable", cache: "ok", migrations: "ok" });
        db.down = false;
        cache.down = true;
        res = await app.inject({ method: "GET", url: "/api/ready" });
        assert.equal(res.statusCode, 503);
        assert.deepEqual(res.json(), { status: "unavailable", database: "ok", cache: "unavailable", migrations: "ok" });
        cache.down = false;
        migrated = false;
        res = await app.inject({ method: "GET", url: "/api/ready" });
        assert.equal(res.statusCode, 503);
        assert.deepEqual(res.json(), { status: "unavailable", database: "ok", cache: "ok", migrations: "pending" });
    });

    it("is not ready when a store hangs longer than the timeout", async () => {
        cache.ping = () => new Promise(() => undefined);
        const res = await app.inject({ method: "GET", url: "/api/ready" });
        assert.equal(res.statusCode, 503);
        assert.deepEqual(res.json(), { status: "unavailable", database: "ok", cache: "unavailable", migrations: "ok" });
    });

    it("creates, reads and lists items", async () => {
        const created = await create({ name: "first", description: "one" });
        assert.equal(created.statusCode, 201);
        assert.equal(created.headers.location, "/api/items/1");
        assert.deepEqual(created.json(), { id: "1", name: "first", description: "one", createdAt: "2026-01-01T00:00:01.000Z", updatedAt: "2026-01-01T00:00:01.000Z" });
        await create({ name: "second" });
        await create({ name: "third", description: null });

        const read = await app.inject({ method: "GET", url: "/api/items/1" });
        assert.equal(read.statusCode, 200);
        assert.deepEqual(read.json(), created.json());

        const list = await app.inject({ method: "GET", url: "/api/items?limit=2" });
        assert.equal(list.statusCode, 200);
        assert.deepEqual(
            list.json().items.map((i: { id: string; name: string; description: string | null }) => [i.id, i.name, i.description]),
            [
                ["3", "third", null],
                ["2", "second", null],
            ],
        );
        assert.equal((await app.inject({ method: "GET", url: "/api/items" })).json().items.length, 3);
        assert.deepEqual(db.calls.slice(-2), ["listItems 2", "listItems 20"]);
    });

    it("reads cache-aside: the first read fills the cache with the TTL, the second comes from it", async () => {
        await create({ name: "cached" });
        const first = await app.inject({ method: "GET", url: "/api/items/1" });
        assert.equal(first.headers["x-cache"], "miss");
        assert.equal(cache.values.get("item:1")?.ttlSeconds, 60);
        const second = await app.inject({ method: "GET", url: "/api/items/1" });
        assert.equal(second.headers["x-cache"], "hit");
        assert.deepEqual(second.json(), first.json());
        assert.deepEqual(
            db.calls.filter((c) => c.startsWith("getItem")),
            ["getItem 1"],
        );
        assert.deepEqual(cache.calls, ["get item:1", "set item:1 60", "get item:1"]);
        assert.equal((await metrics.cacheHits.get()).values[0].value, 1);
        assert.equal((await metrics.cacheMisses.get()).values[0].value, 1);
    });

    it("a write invalidates the cached item: the next read returns the new value from the database", async () => {
        await create({ name: "before" });
        await app.inject({ method: "GET", url: "/api/items/1" });
        const updated = await app.inject({ method: "PUT", url: "/api/items/1", payload: { name: "after", description: "changed" } });
        assert.equal(updated.statusCode, 200);
        assert.equal(updated.json().name, "after");
        assert.equal(cache.values.has("item:1"), false);
        const read = await app.inject({ method: "GET", url: "/api/items/1" });
        assert.equal(read.headers["x-cache"], "miss");
        assert.deepEqual([read.json().name, read.json().description], ["after", "changed"]);
        assert.deepEqual(
            db.calls.filter((c) => c.startsWith("getItem")),
            ["getItem 1", "getItem 1"],
        );
    });

    it("serves reads from the database when the cache is down", async () => {
        await create({ name: "resilient" });
        cache.down = true;
        const read = await app.inject({ method: "GET", url: "/api/items/1" });
        assert.equal(read.statusCode, 200);
        assert.equal(read.headers["x-cache"], "miss");
        assert.equal(read.json().name, "resilient");
    });

    it("answers 404 as JSON for an unknown item, an unknown update and an unknown route", async () => {
        assert.deepEqual((await app.inject({ method: "GET", url: "/api/items/42" })).json(), { statusCode: 404, error: "Not Found", message: "no item 42" });
        const put = await app.inject({ method: "PUT", url: "/api/items/42", payload: { name: "x" } });
        assert.equal(put.statusCode, 404);
        assert.deepEqual(put.json(), { statusCode: 404, error: "Not Found", message: "no item 42" });
        const route = await app.inject({ method: "GET", url: "/api/nothing?x=1" });
        assert.equal(route.statusCode, 404);
        assert.deepEqual(route.json(), { statusCode: 404, error: "Not Found", message: "no route GET /api/nothing" });
        assert.equal(cache.values.size, 0);
    });

    it("refuses invalid input with 400 and a JSON message, before touching the database", async () => {
        const cases: [string, Awaited<ReturnType<typeof create>>][] = [
            ["body must have required property 'name'", await create({ description: "no name" })],
            ["body/name must NOT have fewer than 1 characters", await create({ name: "" })],
            ["body/name must NOT have more than 200 characters", await create({ name: "x".repeat(201) })],
            ["body/name must be string", await create({ name: 5 })],
            ["body must NOT have additional properties", await create({ name: "x", admin: true })],
            ["body/description must be string,null", await create({ name: "x", description: 7 })],
            ["params/id must match pattern \"^[1-9][0-9]{0,17}$\"", await app.inject({ method: "GET", url: "/api/items/abc" })],
            ["querystring/limit must be <= 100", await app.inject({ method: "GET", url: "/api/items?limit=1000" })],
            ["querystring/limit must be >= 1", await app.inject({ method: "GET", url: "/api/items?limit=0" })],
            ["querystring/limit must be integer", await app.inject({ method: "GET", url: "/api/items?limit=many" })],
        ];
        for (const [message, res] of cases) {
            assert.equal(res.statusCode, 400, message);
            assert.deepEqual(res.json(), { statusCode: 400, error: "Bad Request", message });
        }
        assert.deepEqual(db.calls, []);
    });

    it("answers 500 as JSON without internals when the database fails, and counts the error", async () => {
        db.down = true;
        const res = await create({ name: "x" });
        assert.equal(res.statusCode, 500);
        assert.deepEqual(res.json(), { statusCode: 500, error: "Internal Server Error", message: "the request could not be completed" });
        const errors = await metrics.errors.get();
        assert.deepEqual(errors.values.map((v) => [v.labels, v.value]), [[{ method: "POST", route: "/api/items" }, 1]]);
    });

    it("measures requests by route and status class, in-flight requests and database latency", async () => {
        await create({ name: "m" });
        await app.inject({ method: "GET", url: "/api/items/1" });
        await app.inject({ method: "GET", url: "/api/items/1" });
        await app.inject({ method: "GET", url: "/api/items/99" });
        const requests = (await metrics.requests.get()).values.map((v) => `${v.labels.method} ${v.labels.route} ${v.labels.status_class} ${v.value}`);
        assert.deepEqual(requests.sort(), ["GET /api/items/:id 2xx 2", "GET /api/items/:id 4xx 1", "POST /api/items 2xx 1"]);
        const counts = (await metrics.duration.get()).values.filter((v) => v.metricName === "http_request_duration_seconds_count").map((v) => `${v.labels.route} ${v.labels.status_class} ${v.value}`);
        assert.deepEqual(counts.sort(), ["/api/items 2xx 1", "/api/items/:id 2xx 2", "/api/items/:id 4xx 1"]);
        assert.equal((await metrics.inFlight.get()).values[0].value, 0);
        const db = (await metrics.database.get()).values.filter((v) => v.metricName === "db_query_duration_seconds_count").map((v) => `${v.labels.operation} ${v.value}`);
        assert.deepEqual(db.sort(), ["read 2", "write 1"]);
    });

    it("exposes the metrics in the Prometheus text format on the metrics listener only", async () => {
        await create({ name: "m" });
        const metricsServer = createMetricsServer(metrics);
        try {
            const res = await metricsServer.inject({ method: "GET", url: "/metrics" });
            assert.equal(res.statusCode, 200);
            assert.equal(res.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
            for (const [name, type] of [
                ["http_requests_total", "counter"],
                ["http_request_duration_seconds", "histogram"],
                ["http_requests_in_flight", "gauge"],
                ["http_request_errors_total", "counter"],
                ["db_query_duration_seconds", "histogram"],
                ["cache_hits_total", "counter"],
                ["cache_misses_total", "counter"],
                ["process_resident_memory_bytes", "gauge"],
                ["process_cpu_seconds_total", "counter"],
                ["process_start_time_seconds", "gauge"],
                ["nodejs_heap_size_used_bytes", "gauge"],
            ]) {
                assert.match(res.body, new RegExp(`^# TYPE ${name} ${type}$`, "m"), name);
            }
            assert.match(res.body, /^http_requests_total\{method="POST",route="\/api\/items",status_class="2xx"\} 1$/m);
            assert.match(res.body, /^http_request_duration_seconds_bucket\{le="1",method="POST",route="\/api\/items",status_class="2xx"\} 1$/m);
        } finally {
            await metricsServer.close();
        }
        assert.equal((await app.inject({ method: "GET", url: "/metrics" })).statusCode, 404);
    });
});
