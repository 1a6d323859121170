// The local server harness (tools/servers) against the promises the reference service relies on: PostgreSQL
// takes only TLS + SCRAM (rds.force_ssl), Redis only TLS + its ACL user (the Cache component's users), and a
// client that does not trust the run's CA gets nowhere. Proven over real connections: node's net/tls for the
// wire-level refusals, psql for the password round trips.
//
// Skipped, with the reason in the suite's title, only when tools/servers/check.sh reports binaries missing
// (exit 3: `npm test` stays green on a machine without redis-server); any other harness failure fails.
import * as assert from "assert/strict";
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import { promisify } from "util";
import { APP_ACCESS_STRING, DISABLED_DEFAULT_ACCESS_STRING } from "../../components/cache";

const SERVERS = path.resolve(__dirname, "../../tools/servers");
const run = promisify(execFile);

// Decided at load, so the reason can be the suite's title (mocha's skip takes no message).
const check = spawnSync(path.join(SERVERS, "check.sh"), { encoding: "utf8" });
const missing = check.status === 3 ? check.stdout.trim() : undefined;
const suite = missing === undefined ? describe : describe.skip;
const title = missing === undefined ? "local servers (tools/servers)" : `local servers (tools/servers): skipped, ${missing}`;

/** Bytes received on a socket, read as framed messages; rejects after 5 s or when the peer closes first. */
class Wire {
    private buf = Buffer.alloc(0);
    private ended: Error | undefined;
    private wake: () => void = () => undefined;

    constructor(readonly socket: net.Socket) {
        socket.on("data", (d: Buffer) => {
            this.buf = Buffer.concat([this.buf, d]);
            this.wake();
        });
        const end = (e?: Error) => {
            this.ended ??= e ?? new Error("connection closed");
            this.wake();
        };
        socket.on("error", end);
        socket.on("close", () => end());
    }

    /** The next message `frame` finds at the start of the buffer (it returns the message and its length). */
    async read<T>(frame: (b: Buffer) => [T, number] | undefined): Promise<T> {
        const deadline = Date.now() + 5000;
        for (;;) {
            const found = frame(this.buf);
            if (found) {
                this.buf = this.buf.subarray(found[1]);
                return found[0];
            }
            if (this.ended) throw this.ended;
            if (Date.now() > deadline) throw new Error(`no complete message within 5 s (have ${JSON.stringify(this.buf.toString())})`);
            await new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, 100);
                this.wake = () => {
                    clearTimeout(timer);
                    resolve();
                };
            });
        }
    }

    /** Everything received until the peer closes (or resets) the connection. */
    async rest(): Promise<string> {
        await this.read(() => undefined).catch(() => undefined);
        return this.buf.toString();
    }
}

function connect(port: number): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
        const s = net.connect({ host: "127.0.0.1", port }, () => resolve(s));
        s.once("error", reject);
    });
}

/** A TLS session on `socket` (or a new connection to `port`), verifying 127.0.0.1 against `ca` or node's roots. */
function startTls(target: { socket: net.Socket } | { port: number }, ca?: string): Promise<tls.TLSSocket> {
    return new Promise((resolve, reject) => {
        const s = tls.connect({ ...target, host: "127.0.0.1", ...(ca === undefined ? {} : { ca: fs.readFileSync(ca) }) }, () => resolve(s));
        s.once("error", reject);
    });
}

// ---- PostgreSQL wire protocol (v3): just the first messages of a connection ----
const int32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
};
const SSL_REQUEST = Buffer.concat([int32(8), int32(80877103)]);
function startup(user: string, database: string): Buffer {
    const body = Buffer.concat([int32(196608), Buffer.from(`user\0${user}\0database\0${database}\0\0`)]);
    return Buffer.concat([int32(body.length + 4), body]);
}
/** One backend message: its type letter and body. */
const pgMessage = (b: Buffer): [{ type: string; body: Buffer }, number] | undefined => {
    if (b.length < 5 || b.length < 1 + b.readInt32BE(1)) return undefined;
    const len = b.readInt32BE(1);
    return [{ type: String.fromCharCode(b[0]), body: b.subarray(5, 1 + len) }, 1 + len];
};
/** An ErrorResponse's fields (S severity, C code, M message). */
function errorFields(body: Buffer): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const f of body.toString().split("\0").filter((x) => x !== "")) fields[f[0]] = f.slice(1);
    return fields;
}
/** The server's one-byte answer to SSLRequest ("S": go ahead with TLS, "N": no TLS). */
const oneByte = (b: Buffer): [string, number] | undefined => (b.length >= 1 ? [String.fromCharCode(b[0]), 1] : undefined);

// ---- RESP: commands out, one reply back (as its raw text, type prefix included) ----
const command = (...args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
const respReply = (b: Buffer): [string, number] | undefined => {
    const s = b.toString("latin1");
    const eol = s.indexOf("\r\n");
    if (eol < 0) return undefined;
    if (s[0] !== "$" || s.startsWith("$-1")) return [s.slice(0, eol), eol + 2];
    const end = eol + 2 + Number(s.slice(1, eol)) + 2;
    return s.length >= end ? [s.slice(0, end - 2).replace("\r\n", " "), end] : undefined;
};
async function redis(wire: Wire, ...args: string[]): Promise<string> {
    wire.socket.write(command(...args));
    return wire.read(respReply);
}

suite(title, function () {
    let dir: string;
    let env: Record<string, string>;
    let psqlBin: string;
    const open: net.Socket[] = [];
    const track = <S extends net.Socket>(s: S): S => (open.push(s), s);

    before(async function () {
        this.timeout(60000);
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-servers-"));
        await run(path.join(SERVERS, "start.sh"), [dir]);
        // Where the harness found psql (Debian keeps the PostgreSQL binaries off PATH).
        psqlBin = (await run("bash", ["-c", `. "${SERVERS}/common.sh" && pg_bin psql`])).stdout.trim();
        env = Object.fromEntries(
            fs
                .readFileSync(path.join(dir, "env"), "utf8")
                .split("\n")
                .filter((l) => /^[A-Z_]+=/.test(l))
                .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
    });

    afterEach(() => open.splice(0).forEach((s) => s.destroy()));

    after(async function () {
        this.timeout(60000);
        if (dir === undefined) return;
        await run(path.join(SERVERS, "stop.sh"), [dir]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    /** psql as `user` with `password`, verifying the server against the run's CA; resolves stdout, rejects with stderr. */
    async function psql(user: string, password: string, sql: string): Promise<string> {
        const conninfo = `host=127.0.0.1 port=${env.DATABASE_PORT} dbname=${env.DATABASE_NAME} user=${user} sslmode=verify-full sslrootcert=${env.DATABASE_CA_FILE}`;
        try {
            return (await run(psqlBin, ["-XAtq", conninfo, "-c", sql], { env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: "5" } })).stdout;
        } catch (e) {
            throw new Error((e as { stderr: string }).stderr.trim(), { cause: e });
        }
    }

    it("writes the settings the app reads, in ApiCluster's names, with generated passwords", () => {
        const ca = path.join(fs.realpathSync(dir), "tls", "ca.crt");
        assert.deepEqual(Object.keys(env), [
            "DATABASE_HOST", "DATABASE_PORT", "DATABASE_NAME", "DATABASE_USER", "DATABASE_PASSWORD", "DATABASE_AUTH", "DATABASE_CA_FILE",
            "DATABASE_ADMIN_USER", "DATABASE_ADMIN_PASSWORD",
            "REDIS_HOST", "REDIS_PORT", "REDIS_USER", "REDIS_PASSWORD", "REDIS_TLS", "REDIS_AUTH", "REDIS_CA_FILE",
        ]);
        assert.deepEqual(
            { ...env, DATABASE_PORT: "", DATABASE_PASSWORD: "", DATABASE_ADMIN_PASSWORD: "", REDIS_PORT: "", REDIS_PASSWORD: "" },
            {
                DATABASE_HOST: "127.0.0.1", DATABASE_PORT: "", DATABASE_NAME: "app", DATABASE_USER: "app", DATABASE_PASSWORD: "",
                DATABASE_AUTH: "password", DATABASE_CA_FILE: ca, DATABASE_ADMIN_USER: "postgres", DATABASE_ADMIN_PASSWORD: "",
                REDIS_HOST: "127.0.0.1", REDIS_PORT: "", REDIS_USER: "app", REDIS_PASSWORD: "", REDIS_TLS: "true", REDIS_AUTH: "password",
                REDIS_CA_FILE: ca,
            },
        );
        for (const k of ["DATABASE_PASSWORD", "DATABASE_ADMIN_PASSWORD", "REDIS_PASSWORD"]) assert.match(env[k], /^[0-9a-f]{48}$/, k);
        assert.equal(new Set([env.DATABASE_PASSWORD, env.DATABASE_ADMIN_PASSWORD, env.REDIS_PASSWORD]).size, 3);
        assert.notEqual(env.DATABASE_PORT, env.REDIS_PORT);
        assert.equal((fs.statSync(path.join(dir, "env")).mode & 0o777).toString(8), "600");
    });

    describe("PostgreSQL", () => {
        it("refuses a connection without TLS (pg_hba.conf has hostssl only)", async () => {
            const wire = new Wire(track(await connect(Number(env.DATABASE_PORT))));
            wire.socket.write(startup("app", "app"));
            const reply = await wire.read(pgMessage);
            assert.equal(reply.type, "E");
            const { S, C, M } = errorFields(reply.body);
            assert.deepEqual({ S, C, M }, { S: "FATAL", C: "28000", M: 'no pg_hba.conf entry for host "127.0.0.1", user "app", database "app", no encryption' });
        });

        it("over TLS verified against the run's CA, asks for a SCRAM-SHA-256 password", async () => {
            const wire = new Wire(track(await connect(Number(env.DATABASE_PORT))));
            wire.socket.write(SSL_REQUEST);
            assert.equal(await wire.read(oneByte), "S");
            const secure = track(await startTls({ socket: wire.socket }, env.DATABASE_CA_FILE));
            assert.deepEqual({ authorized: secure.authorized, protocol: secure.getProtocol() }, { authorized: true, protocol: "TLSv1.3" });
            const tlsWire = new Wire(secure);
            secure.write(startup("app", "app"));
            const reply = await tlsWire.read(pgMessage);
            // AuthenticationSASL (10) and the mechanisms offered: SCRAM only, with channel binding over TLS.
            assert.equal(reply.type, "R");
            assert.equal(reply.body.readInt32BE(0), 10);
            assert.deepEqual(reply.body.subarray(4).toString().split("\0").filter((x) => x !== ""), ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"]);
        });

        it("refuses TLS to a client that does not trust the run's CA", async () => {
            const wire = new Wire(track(await connect(Number(env.DATABASE_PORT))));
            wire.socket.write(SSL_REQUEST);
            assert.equal(await wire.read(oneByte), "S");
            await assert.rejects(startTls({ socket: wire.socket }), { code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", message: "unable to verify the first certificate" });
        });

        it("refuses a wrong password", async () => {
            await assert.rejects(psql("app", "not-the-password", "select 1"), {
                message: `psql: error: connection to server at "127.0.0.1", port ${env.DATABASE_PORT} failed: FATAL:  password authentication failed for user "app"`,
            });
        });

        it("accepts the app user with its password over TLS, in its own database", async () => {
            const sql = "select current_user, current_database(), ssl, version from pg_stat_ssl where pid = pg_backend_pid()";
            assert.equal(await psql("app", env.DATABASE_PASSWORD, sql), "app|app|t|TLSv1.3\n");
            // It owns the database, so its migrations can create tables.
            assert.equal(await psql("app", env.DATABASE_PASSWORD, "create table t (id int); drop table t; select 'ok'"), "ok\n");
            assert.equal(await psql("postgres", env.DATABASE_ADMIN_PASSWORD, "select rolsuper from pg_roles where rolname = current_user"), "t\n");
        });
    });

    describe("Redis", () => {
        it("refuses plain TCP: the port speaks TLS only and there is no other", async () => {
            const wire = new Wire(track(await connect(Number(env.REDIS_PORT))));
            wire.socket.write(command("PING"));
            assert.equal(await wire.rest(), "");
            assert.match(fs.readFileSync(path.join(dir, "redis", "redis.conf"), "utf8"), /^port 0$/m);
        });

        it("refuses the default user", async () => {
            const wire = new Wire(track(await startTls({ port: Number(env.REDIS_PORT) }, env.REDIS_CA_FILE)));
            assert.equal(await redis(wire, "PING"), "-NOAUTH Authentication required.");
            assert.equal(await redis(wire, "AUTH", env.REDIS_PASSWORD), "-WRONGPASS invalid username-password pair or user is disabled.");
            assert.equal(await redis(wire, "AUTH", "default", ""), "-WRONGPASS invalid username-password pair or user is disabled.");
        });

        it("accepts the ACL user over TLS verified against the run's CA, with the Cache component's permissions", async () => {
            const secure = track(await startTls({ port: Number(env.REDIS_PORT) }, env.REDIS_CA_FILE));
            assert.deepEqual({ authorized: secure.authorized, protocol: secure.getProtocol() }, { authorized: true, protocol: "TLSv1.3" });
            const wire = new Wire(secure);
            assert.equal(await redis(wire, "AUTH", "app", "not-the-password"), "-WRONGPASS invalid username-password pair or user is disabled.");
            assert.equal(await redis(wire, "AUTH", "app", env.REDIS_PASSWORD), "+OK");
            assert.equal(await redis(wire, "ACL", "WHOAMI"), "$3 app");
            assert.equal(await redis(wire, "SET", "servers-test", "round trip", "EX", "60"), "+OK");
            assert.equal(await redis(wire, "GET", "servers-test"), "$10 round trip");
            // -@dangerous, as ElastiCache grants it: no INFO (so no ioredis ready check), no FLUSHALL.
            assert.equal(await redis(wire, "INFO"), "-NOPERM this user has no permissions to run the 'info' command");
            assert.equal(await redis(wire, "FLUSHALL"), "-NOPERM this user has no permissions to run the 'flushall' command");
        });

        it("configures exactly the users of components/cache.ts", () => {
            const users = fs
                .readFileSync(path.join(dir, "redis", "redis.conf"), "utf8")
                .split("\n")
                .filter((l) => l.startsWith("user "));
            assert.deepEqual(users, [`user default reset ${DISABLED_DEFAULT_ACCESS_STRING}`, `user app ${APP_ACCESS_STRING} >${env.REDIS_PASSWORD}`]);
        });

        it("refuses TLS to a client that does not trust the run's CA", async () => {
            // Redis sends the CA along with its certificate (PostgreSQL sends the leaf only): the same refusal, worded differently.
            await assert.rejects(startTls({ port: Number(env.REDIS_PORT) }), { code: "SELF_SIGNED_CERT_IN_CHAIN", message: "self-signed certificate in certificate chain" });
        });
    });

    // Last: it restarts Redis.
    describe("stop.sh and start.sh", () => {
        it("stop.sh stops one server and start.sh brings it back on the same port with the same users", async function () {
            this.timeout(30000);
            const before = new Wire(track(await startTls({ port: Number(env.REDIS_PORT) }, env.REDIS_CA_FILE)));
            assert.equal(await redis(before, "AUTH", "app", env.REDIS_PASSWORD), "+OK");
            assert.equal(await redis(before, "SET", "restart-marker", "1"), "+OK");
            await run(path.join(SERVERS, "stop.sh"), [dir, "redis"]);
            await assert.rejects(connect(Number(env.REDIS_PORT)), { code: "ECONNREFUSED" });
            const { stdout } = await run(path.join(SERVERS, "start.sh"), [dir]);
            assert.equal(stdout.split("\n")[0], `PostgreSQL already running (pid ${fs.readFileSync(path.join(dir, "pg", "data", "postmaster.pid"), "utf8").split("\n")[0]})`);
            assert.equal(fs.readFileSync(path.join(dir, "env"), "utf8").includes(`REDIS_PASSWORD=${env.REDIS_PASSWORD}\n`), true);
            const wire = new Wire(track(await startTls({ port: Number(env.REDIS_PORT) }, env.REDIS_CA_FILE)));
            assert.equal(await redis(wire, "AUTH", "app", env.REDIS_PASSWORD), "+OK");
            // A new process: the marker is gone (no persistence: the cache is throwaway, like a replaced node).
            assert.equal(await redis(wire, "GET", "restart-marker"), "$-1");
        });
    });
});
