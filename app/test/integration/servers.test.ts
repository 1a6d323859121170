// The reference service against real PostgreSQL and Redis (tools/servers: TLS only, SCRAM, the Cache component's
// ACL user), run in-process with the settings the harness writes, in password mode: migrations under the advisory
// lock, the items round trip, cache-aside, the refusals that must fail a start (untrusted CA, wrong password),
// readiness following a server that stops and returns, and a drain that loses no acknowledged write.
//
// Skipped, with the reason in the suite's title, only when tools/servers/check.sh reports binaries missing
// (exit 3: `npm test` stays green on a machine without redis-server); any other harness failure fails.
import * as assert from "assert/strict";
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PassThrough } from "stream";
import { promisify } from "util";
import Redis from "ioredis";
import { Pool } from "pg";
import { loadConfig } from "../../src/config";
import { MIGRATION_LOCK } from "../../src/db";
import { shutdown, start, type Service } from "../../src/main";

const SERVERS = path.resolve(__dirname, "../../../tools/servers");
const run = promisify(execFile);
const MIGRATION = "1754000000000_items";

// Decided at load, so the reason can be the suite's title (mocha's skip takes no message).
const check = spawnSync(path.join(SERVERS, "check.sh"), { encoding: "utf8" });
const missing = check.status === 3 ? check.stdout.trim() : undefined;
const suite = missing === undefined ? describe : describe.skip;
const title = missing === undefined ? "app against real PostgreSQL and Redis (tools/servers)" : `app against real PostgreSQL and Redis (tools/servers): skipped, ${missing}`;

interface Running {
    readonly service: Service;
    /** The service's JSON log lines, parsed. */
    readonly logs: Record<string, unknown>[];
    /** http://127.0.0.1:<api port> */
    readonly api: string;
    readonly metricsUrl: string;
}

interface Answer {
    readonly status: number;
    readonly headers: Headers;
    readonly body: unknown;
}

async function call(base: string, method: string, url: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${base}${url}`, {
        method,
        ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
}

/** Polls `probe` every 100 ms until it returns true; fails after `ms` naming what it waited for. */
async function until(what: string, ms: number, probe: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await probe())) {
        if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

const READY = { status: "ready", database: "ok", cache: "ok", migrations: "ok" };

suite(title, function () {
    let dir: string;
    let env: Record<string, string>;
    /** A CA that did not sign the servers' certificates. */
    let otherCa: string;
    /** The superuser, to look at the database behind the service's back. */
    let admin: Pool;
    /** The app's Redis user, to look at the cache behind the service's back. */
    let redis: Redis;
    const running = new Set<Service>();

    before(async function () {
        this.timeout(60000);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-app-"));
        await run(path.join(SERVERS, "start.sh"), [dir]);
        await run(path.join(SERVERS, "certs.sh"), [path.join(dir, "other")]);
        otherCa = path.join(dir, "other", "tls", "ca.crt");
        env = Object.fromEntries(
            fs
                .readFileSync(path.join(dir, "env"), "utf8")
                .split("\n")
                .filter((l) => /^[A-Z_]+=/.test(l))
                .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
        const ca = fs.readFileSync(env.DATABASE_CA_FILE, "utf8");
        admin = new Pool({
            host: env.DATABASE_HOST,
            port: Number(env.DATABASE_PORT),
            database: env.DATABASE_NAME,
            user: env.DATABASE_ADMIN_USER,
            password: env.DATABASE_ADMIN_PASSWORD,
            ssl: { ca, rejectUnauthorized: true },
            max: 3,
        });
        // Idle connections die when a test stops PostgreSQL: the pool drops them.
        admin.on("error", () => undefined);
        redis = new Redis({
            host: env.REDIS_HOST,
            port: Number(env.REDIS_PORT),
            username: env.REDIS_USER,
            password: env.REDIS_PASSWORD,
            tls: { ca, rejectUnauthorized: true },
            enableReadyCheck: false,
            retryStrategy: () => 200,
        });
        redis.on("error", () => undefined);
    });

    // A test that fails half-way leaves nothing running for the next one.
    afterEach(async function () {
        this.timeout(30000);
        for (const service of running) await stop(service);
    });

    after(async function () {
        this.timeout(60000);
        if (dir === undefined) return;
        await admin?.end();
        redis?.disconnect();
        await run(path.join(SERVERS, "stop.sh"), [dir]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Starts the service on free loopback ports with the harness's settings, `overrides` applied (undefined unsets). */
    async function launch(overrides: Record<string, string | undefined> = {}): Promise<Running> {
        const config = { ...loadConfig({ ...env, ENVIRONMENT: "test", PORT: "8080", METRICS_PORT: "9090", ...overrides }), port: 0, metricsPort: 0 };
        const logs: Record<string, unknown>[] = [];
        const stream = new PassThrough();
        stream.on("data", (chunk: Buffer) => logs.push(...chunk.toString().trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>)));
        const service = await start(config, { logStream: stream, host: "127.0.0.1" });
        running.add(service);
        const port = (server: Service["api"]) => (server.server.address() as { port: number }).port;
        return { service, logs, api: `http://127.0.0.1:${port(service.api)}`, metricsUrl: `http://127.0.0.1:${port(service.metricsServer)}/metrics` };
    }

    async function stop(service: Service): Promise<void> {
        running.delete(service);
        // A start whose migrations failed still has its listeners and pools to close.
        service.migrations.catch(() => undefined);
        await shutdown(service, 20_000);
    }

    /** The value of the sample `name` whose labels are exactly `labels` plus the service's environment="test". */
    async function metric(service: Running, name: string, labels: Record<string, string> = {}): Promise<number> {
        const wanted = JSON.stringify(Object.entries({ ...labels, environment: "test" }).sort());
        const text = await (await fetch(service.metricsUrl)).text();
        for (const line of text.split("\n")) {
            const sample = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
            if (sample?.[1] !== name) continue;
            const found = [...sample[2].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]).sort();
            if (JSON.stringify(found) === wanted) return Number(sample[3]);
        }
        throw new Error(`no sample ${name} with labels ${wanted} in /metrics`);
    }

    const ready = async (service: Running) => {
        const { status, body } = await call(service.api, "GET", "/api/ready");
        return { status, body };
    };
    const appliedBy = (service: Running) => service.logs.filter((l) => l.msg === "migrations applied" || l.msg === "schema up to date").map((l) => l.applied);

    describe("migrations", () => {
        it("two services starting together wait on the advisory lock; one applies the migration, the other finds nothing to do", async function () {
            this.timeout(20000);
            const holder = await admin.connect();
            try {
                await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
                const [a, b] = await Promise.all([launch(), launch()]);
                // Both wait on the very lock node-pg-migrate takes (pg_advisory_lock(bigint): objid = the value, objsubid 1).
                await until("both services to wait on the migration lock", 5000, async () => {
                    const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = $1 AND objsubid = 1 AND NOT granted", [MIGRATION_LOCK]);
                    return rows[0].n === 2;
                });
                for (const s of [a, b]) assert.deepEqual(await ready(s), { status: 503, body: { status: "unavailable", database: "ok", cache: "ok", migrations: "pending" } });
                assert.equal((await admin.query("SELECT to_regclass('public.items') AS t")).rows[0].t, null);

                await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
                await Promise.all([a.service.migrations, b.service.migrations]);
                assert.deepEqual([...appliedBy(a), ...appliedBy(b)].sort((x, y) => String(x).length - String(y).length), [[], [MIGRATION]]);
                assert.deepEqual((await admin.query("SELECT name FROM pgmigrations")).rows, [{ name: MIGRATION }]);
                const columns = await admin.query(
                    "SELECT column_name, data_type, is_nullable, is_identity FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'items' ORDER BY ordinal_position",
                );
                assert.deepEqual(
                    columns.rows.map((r) => [r.column_name, r.data_type, r.is_nullable, r.is_identity]),
                    [
                        ["id", "bigint", "NO", "YES"],
                        ["name", "text", "NO", "NO"],
                        ["description", "text", "YES", "NO"],
                        ["created_at", "timestamp with time zone", "NO", "NO"],
                        ["updated_at", "timestamp with time zone", "NO", "NO"],
                    ],
                );
                // Owned by the app's role (it created it), not by the superuser.
                assert.equal((await admin.query("SELECT tableowner FROM pg_tables WHERE tablename = 'items'")).rows[0].tableowner, "app");
                for (const s of [a, b]) assert.deepEqual(await ready(s), { status: 200, body: READY });
            } finally {
                holder.release();
            }
        });

        it("waits on the lock longer than a request's query timeout (another task's long migration) and then starts", async function () {
            this.timeout(20000);
            const holder = await admin.connect();
            try {
                await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
                const c = await launch({ DATABASE_QUERY_TIMEOUT_MS: "300" });
                await until("the service to wait on the migration lock", 5000, async () => {
                    const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted", [MIGRATION_LOCK]);
                    return rows[0].n === 1;
                });
                await new Promise((resolve) => setTimeout(resolve, 1000)); // three of its query timeouts
                await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]);
                await c.service.migrations;
                assert.deepEqual(await ready(c), { status: 200, body: READY });
            } finally {
                holder.release();
            }
        });

        it("a further start is a no-op: nothing applied, the migrations table unchanged", async () => {
            const before = (await admin.query("SELECT id, name, run_on FROM pgmigrations")).rows;
            const c = await launch();
            await c.service.migrations;
            assert.deepEqual(appliedBy(c), [[]]);
            assert.deepEqual((await admin.query("SELECT id, name, run_on FROM pgmigrations")).rows, before);
            assert.deepEqual(await ready(c), { status: 200, body: READY });
        });
    });

    describe("items", () => {
        it("round trip through PostgreSQL: create, read, update, list, not found", async () => {
            const s = await launch();
            await s.service.migrations;
            const created = await call(s.api, "POST", "/api/items", { name: "round trip", description: "through PostgreSQL" });
            assert.equal(created.status, 201);
            const item = created.body as { id: string; createdAt: string };
            assert.equal(created.headers.get("location"), `/api/items/${item.id}`);
            const row = async (id: string) =>
                (await admin.query("SELECT id::text, name, description, created_at, updated_at FROM items WHERE id = $1", [id])).rows.map((r) => ({
                    id: r.id,
                    name: r.name,
                    description: r.description,
                    createdAt: r.created_at.toISOString(),
                    updatedAt: r.updated_at.toISOString(),
                }));
            assert.deepEqual(await row(item.id), [{ id: item.id, name: "round trip", description: "through PostgreSQL", createdAt: item.createdAt, updatedAt: item.createdAt }]);
            assert.deepEqual(created.body, (await row(item.id))[0]);

            const read = await call(s.api, "GET", `/api/items/${item.id}`);
            assert.deepEqual([read.status, read.body], [200, created.body]);

            const updated = await call(s.api, "PUT", `/api/items/${item.id}`, { name: "renamed" });
            assert.equal(updated.status, 200);
            const [stored] = await row(item.id);
            assert.deepEqual(updated.body, stored);
            assert.deepEqual([stored.name, stored.description, stored.createdAt], ["renamed", null, item.createdAt]);

            const second = await call(s.api, "POST", "/api/items", { name: "second" });
            assert.equal(second.status, 201);
            const list = await call(s.api, "GET", "/api/items?limit=2");
            assert.deepEqual([list.status, list.body], [200, { items: [second.body, updated.body] }]);

            const absent = await call(s.api, "GET", "/api/items/999999999");
            assert.deepEqual([absent.status, absent.body], [404, { statusCode: 404, error: "Not Found", message: "no item 999999999" }]);
        });

        it("cache-aside through Redis: the second read is a cache hit (no database read), an update invalidates", async () => {
            const s = await launch();
            await s.service.migrations;
            const created = await call(s.api, "POST", "/api/items", { name: "cached" });
            const id = (created.body as { id: string }).id;
            const key = `item:${id}`;
            assert.equal(await redis.exists(key), 0);

            const first = await call(s.api, "GET", `/api/items/${id}`);
            assert.deepEqual([first.status, first.headers.get("x-cache"), first.body], [200, "miss", created.body]);
            assert.deepEqual(JSON.parse((await redis.get(key)) ?? "null"), created.body);
            // ITEM_CACHE_TTL_SECONDS' default; Redis rounds the remaining time, so 59 if a second boundary passed.
            assert.ok([59, 60].includes(await redis.ttl(key)), "TTL 60 s");

            // Changed behind the service's back: a hit still serves the cached copy, and reads nothing from the database.
            await admin.query("UPDATE items SET name = 'changed in the database' WHERE id = $1", [id]);
            const second = await call(s.api, "GET", `/api/items/${id}`);
            assert.deepEqual([second.status, second.headers.get("x-cache"), second.body], [200, "hit", created.body]);
            assert.deepEqual(
                [await metric(s, "cache_hits_total"), await metric(s, "cache_misses_total"), await metric(s, "db_query_duration_seconds_count", { operation: "read" })],
                [1, 1, 1],
            );

            const updated = await call(s.api, "PUT", `/api/items/${id}`, { name: "updated through the API" });
            assert.equal(updated.status, 200);
            assert.equal(await redis.exists(key), 0);
            const third = await call(s.api, "GET", `/api/items/${id}`);
            assert.deepEqual([third.status, third.headers.get("x-cache"), third.body], [200, "miss", updated.body]);
            assert.equal((third.body as { name: string }).name, "updated through the API");
            assert.deepEqual(
                [await metric(s, "cache_hits_total"), await metric(s, "cache_misses_total"), await metric(s, "db_query_duration_seconds_count", { operation: "read" })],
                [1, 2, 2],
            );
        });
    });

    describe("refusals that fail the start", () => {
        it("PostgreSQL over TLS with a CA that did not sign its certificate: the migrations, so the start, fail naming DATABASE_CA_FILE", async () => {
            const s = await launch({ DATABASE_CA_FILE: otherCa });
            await assert.rejects(s.service.migrations, {
                message: `the database at 127.0.0.1:${env.DATABASE_PORT} refused this service: its TLS certificate is not trusted (unable to verify the first certificate): DATABASE_CA_FILE must hold the CA that signs it`,
            });
            assert.deepEqual(await ready(s), { status: 503, body: { status: "unavailable", database: "unavailable", cache: "ok", migrations: "pending" } });
        });

        it("Redis over TLS with another CA or Node's public roots only: start fails naming REDIS_CA_FILE", async () => {
            const message = `the cache at 127.0.0.1:${env.REDIS_PORT} refused this service: its TLS certificate is not trusted (self-signed certificate in certificate chain): REDIS_CA_FILE must hold the CA that signs it`;
            await assert.rejects(launch({ REDIS_CA_FILE: otherCa }), { message });
            await assert.rejects(launch({ REDIS_CA_FILE: undefined }), { message });
        });

        it("a wrong PostgreSQL password: the migrations, so the start, fail naming DATABASE_USER", async () => {
            const s = await launch({ DATABASE_PASSWORD: "not-the-password" });
            await assert.rejects(s.service.migrations, {
                message: `the database at 127.0.0.1:${env.DATABASE_PORT} refused this service: password authentication failed for user "app" (check DATABASE_USER and its password or IAM token)`,
            });
        });

        it("a wrong Redis password: start fails naming REDIS_USER", async () => {
            await assert.rejects(launch({ REDIS_PASSWORD: "not-the-password" }), {
                message: `the cache at 127.0.0.1:${env.REDIS_PORT} refused this service: WRONGPASS invalid username-password pair or user is disabled. (check REDIS_USER and its password or IAM token)`,
            });
        });
    });

    describe("readiness follows the servers", () => {
        it("503 while Redis is stopped (reads fall back to PostgreSQL), 200 again once start.sh brings it back", async function () {
            this.timeout(30000);
            const s = await launch();
            await s.service.migrations;
            const id = ((await call(s.api, "POST", "/api/items", { name: "while the cache is away" })).body as { id: string }).id;
            assert.deepEqual(await ready(s), { status: 200, body: READY });

            await run(path.join(SERVERS, "stop.sh"), [dir, "redis"]);
            assert.deepEqual(await ready(s), { status: 503, body: { status: "unavailable", database: "ok", cache: "unavailable", migrations: "ok" } });
            const read = await call(s.api, "GET", `/api/items/${id}`);
            assert.deepEqual([read.status, read.headers.get("x-cache"), (read.body as { name: string }).name], [200, "miss", "while the cache is away"]);

            await run(path.join(SERVERS, "start.sh"), [dir]);
            await until("/api/ready to answer 200 after Redis returned", 10000, async () => (await ready(s)).status === 200);
            assert.deepEqual(await ready(s), { status: 200, body: READY });
        });

        it("503 while PostgreSQL is stopped (writes answer 500), 200 again once start.sh brings it back", async function () {
            this.timeout(30000);
            const s = await launch();
            await s.service.migrations;
            assert.deepEqual(await ready(s), { status: 200, body: READY });

            await run(path.join(SERVERS, "stop.sh"), [dir, "postgres"]);
            assert.deepEqual(await ready(s), { status: 503, body: { status: "unavailable", database: "unavailable", cache: "ok", migrations: "ok" } });
            const write = await call(s.api, "POST", "/api/items", { name: "while the database is away" });
            assert.deepEqual([write.status, write.body], [500, { statusCode: 500, error: "Internal Server Error", message: "the request could not be completed" }]);

            await run(path.join(SERVERS, "start.sh"), [dir]);
            await until("/api/ready to answer 200 after PostgreSQL returned", 10000, async () => (await ready(s)).status === 200);
            assert.deepEqual(await ready(s), { status: 200, body: READY });
            assert.equal((await call(s.api, "POST", "/api/items", { name: "after the database returned" })).status, 201);
        });
    });

    describe("graceful shutdown", () => {
        it("every write acknowledged with a 2xx is in PostgreSQL; writes after the close are refused and absent", async function () {
            this.timeout(30000);
            const s = await launch();
            await s.service.migrations;
            const tag = `drain-${Date.now()}`;
            type Outcome = { readonly i: number; readonly status: number; readonly body: { id?: string; name?: string }; readonly code?: string };
            const post = (i: number): Promise<Outcome> =>
                fetch(`${s.api}/api/items`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: `${tag}-${i}` }) }).then(
                    async (res) => ({ i, status: res.status, body: (await res.json()) as { id?: string; name?: string } }),
                    // fetch rejects with a TypeError whose cause is the socket's error.
                    (err: Error) => ({ i, status: 0, body: {}, code: (err.cause as { code?: string } | undefined)?.code }),
                );

            // The table is locked: the first writes are held in flight inside PostgreSQL while the drain begins.
            const holder = await admin.connect();
            let held = true;
            try {
                await holder.query("BEGIN");
                await holder.query("LOCK TABLE items IN EXCLUSIVE MODE");
                const first = Array.from({ length: 20 }, (_, i) => post(i));
                await until("20 writes in flight", 5000, async () => (await metric(s, "http_requests_in_flight")) === 20);
                const stopping = shutdown(s.service, 20_000);
                running.delete(s.service);
                await until("the API to stop listening", 2000, async () => !s.service.api.server.listening);
                const late = await Promise.all(Array.from({ length: 10 }, (_, i) => post(100 + i)));
                await holder.query("COMMIT");
                held = false;
                const answered = await Promise.all(first);
                await stopping;

                // Every write in flight when the drain began finished and was acknowledged; none after it got in.
                assert.deepEqual(
                    answered.map((a) => [a.status, a.body.name]),
                    answered.map((a) => [201, `${tag}-${a.i}`]),
                );
                assert.deepEqual(
                    late.map((a) => [a.status, a.code]),
                    late.map(() => [0, "ECONNREFUSED"]),
                );
                const { rows } = await admin.query("SELECT id::text AS id, name FROM items WHERE name LIKE $1 ORDER BY name", [`${tag}-%`]);
                const acknowledged = answered.filter((a) => a.status >= 200 && a.status < 300).map((a) => ({ id: a.body.id, name: a.body.name }));
                assert.deepEqual(rows, acknowledged.sort((x, y) => String(x.name).localeCompare(String(y.name))));
                // The pools are closed: no connection of the service is left on the server.
                await until("the service's connections to close", 3000, async () => {
                    const { rows: left } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'webstack-api'");
                    return left[0].n === 0;
                });
            } finally {
                if (held) await holder.query("ROLLBACK").catch(() => undefined);
                holder.release();
            }
        });
    });
});
