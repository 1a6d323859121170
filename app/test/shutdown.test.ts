import * as assert from "assert/strict";
import { PassThrough } from "stream";
import { loadConfig } from "../src/config";
import { shutdown, start, type Service } from "../src/main";
import { FakeCache, FakeDatabase, IAM_ENV } from "./fakes";

/** A local config on free ports (0: the system picks). */
const config = () => ({ ...loadConfig({ ...IAM_ENV, ENVIRONMENT: "test" }, () => true), port: 0, metricsPort: 0 });
const portOf = (service: Service["api"]) => (service.server.address() as { port: number }).port;

describe("app start and graceful shutdown (SIGTERM)", () => {
    it("finishes an in-flight request after shutdown begins, refuses new connections, then closes the pools", async () => {
        const db = new FakeDatabase();
        const cache = new FakeCache();
        const logs = new PassThrough();
        const lines: string[] = [];
        logs.on("data", (chunk: Buffer) => lines.push(...chunk.toString().trim().split("\n")));
        let release!: () => void;
        db.gate = new Promise((resolve) => (release = resolve));
        const entered = new Promise<void>((resolve) => (db.entered = resolve));
        const service = await start(config(), { database: db, cache, migrate: async () => undefined, logStream: logs, host: "127.0.0.1" });
        await service.migrations;
        const port = portOf(service.api);

        const inFlight = fetch(`http://127.0.0.1:${port}/api/items`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "kept" }) });
        await entered;
        const stopping = shutdown(service, 5_000);
        // Shutdown waits for the request: nothing is closed yet.
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.equal(db.closed, false);
        await assert.rejects(fetch(`http://127.0.0.1:${port}/api/health`), TypeError);

        release();
        const res = await inFlight;
        assert.equal(res.status, 201);
        assert.deepEqual(await res.json(), { id: "1", name: "kept", description: null, createdAt: "2026-01-01T00:00:01.000Z", updatedAt: "2026-01-01T00:00:01.000Z" });
        await stopping;
        assert.deepEqual([db.closed, cache.closed, service.metricsServer.server.listening], [true, true, false]);
        assert.equal(db.items.get("1")?.name, "kept");

        // Every log line is one JSON object with the service's base fields.
        const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
        assert.ok(logged.every((l) => l.service === "webstack-api" && l.environment === "test" && typeof l.time === "string" && typeof l.level === "number"));
        assert.deepEqual(
            logged.filter((l) => l.msg === "listening").map((l) => [l.level, l.port, l.metricsPort]),
            [[30, 0, 0]],
        );
    });

    it("gives up after the timeout when a request never finishes", async () => {
        const db = new FakeDatabase();
        db.gate = new Promise(() => undefined);
        const entered = new Promise<void>((resolve) => (db.entered = resolve));
        const service = await start(config(), { database: db, cache: new FakeCache(), migrate: async () => undefined, logStream: new PassThrough(), host: "127.0.0.1" });
        const port = portOf(service.api);
        const stuck = fetch(`http://127.0.0.1:${port}/api/items`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "stuck" }) }).catch((e: unknown) => e);
        await entered;
        await assert.rejects(shutdown(service, 100), { message: "shutdown took longer than 100 ms" });
        service.api.server.closeAllConnections();
        await stuck;
        await service.metricsServer.close();
    });

    it("is not ready until start-up migrations have run", async () => {
        let finish!: () => void;
        const gate = new Promise<void>((resolve) => (finish = resolve));
        const service = await start(config(), { database: new FakeDatabase(), cache: new FakeCache(), migrate: () => gate, logStream: new PassThrough(), host: "127.0.0.1" });
        try {
            assert.equal((await service.api.inject({ method: "GET", url: "/api/health" })).statusCode, 200);
            assert.deepEqual((await service.api.inject({ method: "GET", url: "/api/ready" })).json(), { status: "unavailable", database: "ok", cache: "ok", migrations: "pending" });
            finish();
            await service.migrations;
            assert.equal((await service.api.inject({ method: "GET", url: "/api/ready" })).statusCode, 200);
        } finally {
            await shutdown(service, 5_000);
        }
    });
});
