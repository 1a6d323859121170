// Load benchmark of the reference API (issue 12): the service on loopback, then autocannon at increasing
// concurrency up to seed 004's 10,000 connections per host, a bounded run per step; prints one table row per step.
// Run through bench/load.sh (it raises the open-file limit first). Prints figures; asserts nothing.
//
//   bench/load.sh [--fakes] [--connections 100,1000,5000,10000] [--duration 10] [--path /api/items/<id>]
//
// Backends: the real PostgreSQL and Redis of tools/servers (TLS, password mode) when tools/servers/check.sh finds
// their binaries, started in a throwaway directory and stopped at the end; otherwise, or with --fakes, the
// in-memory fakes of app/test/fakes.ts. The service runs in a child process (this file with --serve) so that it
// and the load generator each get a core and a file-descriptor budget of their own.
import { execFileSync, fork, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { loadConfig } from "../app/src/config";
import { shutdown, start, type StartOptions } from "../app/src/main";
import { FakeCache, FakeDatabase } from "../app/test/fakes";

// autocannon ships no type declarations: the part of its API used here.
interface AutocannonResult {
    readonly requests: { readonly average: number; readonly total: number };
    readonly latency: { readonly p50: number; readonly p99: number };
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require("autocannon") as (options: { url: string; connections: number; duration: number; timeout: number }) => Promise<AutocannonResult>;

const ROOT = path.resolve(__dirname, "..");
const SERVERS = path.join(ROOT, "tools", "servers");

interface Options {
    readonly fakes: boolean;
    readonly connections: readonly number[];
    readonly durationSeconds: number;
    /** The route to load; default: GET of one seeded item (the cache-aside read path). */
    readonly path?: string;
}

/** What the child reports once it listens. */
interface Ready {
    readonly port: number;
    readonly itemId: string;
}

function parseArgs(argv: readonly string[]): Options {
    let fakes = false;
    let connections = [100, 1000, 5000, 10000];
    let durationSeconds = 10;
    let route: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined) throw new Error(`${arg} needs a value`);
            return v;
        };
        if (arg === "--fakes") fakes = true;
        else if (arg === "--connections") connections = value().split(",").map(Number);
        else if (arg === "--duration") durationSeconds = Number(value());
        else if (arg === "--path") route = value();
        else throw new Error(`unknown argument ${arg} (--fakes, --connections a,b,c, --duration s, --path /route)`);
    }
    if (!connections.every((c) => Number.isInteger(c) && c > 0)) throw new Error("--connections: positive whole numbers, comma separated");
    if (!(durationSeconds > 0 && durationSeconds <= 120)) throw new Error("--duration: seconds, at most 120 (each step is bounded)");
    return { fakes, connections, durationSeconds, path: route };
}

async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

function readEnvFile(file: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
        const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
        if (m) env[m[1]] = m[2];
    }
    return env;
}

/** Child side: start the service (real stores from `serversEnv`, else fakes), seed one item, report the port. */
async function serve(serversEnv: string | undefined): Promise<void> {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const common = { ENVIRONMENT: "test", PORT: String(port), METRICS_PORT: String(metricsPort), LOG_LEVEL: "warn" };
    let options: StartOptions = { host: "127.0.0.1" };
    let env: Record<string, string>;
    if (serversEnv) {
        env = { ...readEnvFile(serversEnv), ...common };
    } else {
        // Password mode with placeholder values: the fakes never connect anywhere.
        env = {
            ...common,
            ...{ DATABASE_HOST: "127.0.0.1", DATABASE_PORT: "5432", DATABASE_NAME: "app", DATABASE_USER: "app", DATABASE_AUTH: "password" },
            ...{ DATABASE_PASSWORD: "unused", REDIS_HOST: "127.0.0.1", REDIS_PORT: "6379", REDIS_USER: "app", REDIS_TLS: "true" },
            ...{ REDIS_AUTH: "password", REDIS_PASSWORD: "unused", MIGRATE_ON_START: "false" },
        };
        options = { ...options, database: new FakeDatabase(), cache: new FakeCache() };
    }
    const config = serversEnv ? loadConfig(env) : loadConfig(env, () => true);
    const service = await start(config, options);
    await service.migrations;
    const created = await service.api.inject({ method: "POST", url: "/api/items", payload: { name: "load", description: "benchmark item" } });
    if (created.statusCode !== 201) throw new Error(`seeding failed: ${created.statusCode} ${created.body}`);
    const ready: Ready = { port, itemId: (JSON.parse(created.body) as { id: string }).id };
    process.send?.(ready);
    process.on("SIGTERM", () => {
        shutdown(service).then(
            () => process.exit(0),
            () => process.exit(1),
        );
    });
}

interface Row {
    readonly connections: number;
    readonly requestsPerSecond: number;
    readonly p50: number;
    readonly p99: number;
    readonly errors: number;
    readonly requests: number;
}

async function step(url: string, connections: number, durationSeconds: number): Promise<Row> {
    const result = await autocannon({
        url,
        connections,
        duration: durationSeconds,
        // A request unanswered for 10 s counts as a timeout (an error) and its connection is reopened.
        timeout: 10,
    });
    return {
        connections,
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        // Socket errors, timeouts and non-2xx answers: every request that did not succeed.
        errors: result.errors + result.timeouts + result.non2xx,
        requests: result.requests.total,
    };
}

const pad = (s: string, n: number) => s.padStart(n);

function printTable(rows: readonly Row[]): void {
    const header = ["connections", "requests/s", "p50 (ms)", "p99 (ms)", "errors", "requests"];
    const widths = [11, 10, 8, 8, 8, 9];
    console.log(`| ${header.map((h, i) => pad(h, widths[i])).join(" | ")} |`);
    console.log(`| ${widths.map((w) => "-".repeat(w - 1) + ":").join(" | ")} |`);
    for (const r of rows) {
        const cells = [r.connections.toLocaleString("en-US"), Math.round(r.requestsPerSecond).toLocaleString("en-US"), String(r.p50), String(r.p99), r.errors.toLocaleString("en-US"), r.requests.toLocaleString("en-US")];
        console.log(`| ${cells.map((c, i) => pad(c, widths[i])).join(" | ")} |`);
    }
}

/** Real servers when their binaries are installed (and not --fakes): their run directory, else undefined. */
function startServers(fakes: boolean): string | undefined {
    if (fakes) return undefined;
    try {
        execFileSync(path.join(SERVERS, "check.sh"), { stdio: "pipe" });
    } catch {
        console.log("tools/servers/check.sh: PostgreSQL or Redis not installed: using the in-memory fakes");
        return undefined;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-load-"));
    execFileSync(path.join(SERVERS, "start.sh"), [dir], { stdio: ["ignore", "ignore", "inherit"] });
    return dir;
}

async function main(): Promise<void> {
    const options = parseArgs(process.argv.slice(2));
    const serversDir = startServers(options.fakes);
    let child: ChildProcess | undefined;
    try {
        const args = ["--serve", ...(serversDir ? [path.join(serversDir, "env")] : [])];
        child = fork(__filename, args, { execArgv: ["-r", path.join(ROOT, "tools", "register.js")], stdio: ["ignore", "inherit", "inherit", "ipc"] });
        const ready = await new Promise<Ready>((resolve, reject) => {
            child?.once("message", (m) => resolve(m as Ready));
            child?.once("exit", (code) => reject(new Error(`the service exited (${code}) before it was ready`)));
        });
        const route = options.path ?? `/api/items/${ready.itemId}`;
        const cpus = os.cpus();
        console.log(
            `GET ${route} on 127.0.0.1 (${serversDir ? "real PostgreSQL and Redis from tools/servers, TLS" : "in-memory fakes"}); ` +
                `${options.durationSeconds} s per step; machine: ${cpus.length} x ${cpus[0]?.model.trim() ?? "cpu"}, ` +
                `${Math.round(os.totalmem() / 2 ** 30)} GiB, open files ${process.env.LOAD_NOFILE ?? "(unknown: run bench/load.sh)"}`,
        );
        const url = `http://127.0.0.1:${ready.port}${route}`;
        const rows: Row[] = [];
        for (const connections of options.connections) rows.push(await step(url, connections, options.durationSeconds));
        printTable(rows);
    } finally {
        if (child && child.exitCode === null) {
            child.kill("SIGTERM");
            await new Promise((resolve) => child?.once("exit", resolve));
        }
        if (serversDir) {
            execFileSync(path.join(SERVERS, "stop.sh"), [serversDir], { stdio: ["ignore", "ignore", "inherit"] });
            fs.rmSync(serversDir, { recursive: true, force: true });
        }
    }
}

if (process.argv[2] === "--serve") {
    serve(process.argv[3]).catch((err: unknown) => {
        console.error(err);
        process.exit(1);
    });
} else {
    main().catch((err: unknown) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
    });
}
