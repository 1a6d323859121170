// PostgreSQL through RDS Proxy: TLS verified against the RDS CA bundle, and in production an IAM token signed
// per new connection (the task holds no password). The HTTP layer sees only the Database interface, so tests
// replace it with an in-memory fake.
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { Signer } from "@aws-sdk/rds-signer";
import { Client, Pool, type PoolConfig } from "pg";
import type { DatabaseConfig } from "./config";
import { refusalOf } from "./refusals";

export interface Item {
    readonly id: string;
    readonly name: string;
    readonly description: string | null;
    /** ISO 8601. */
    readonly createdAt: string;
    readonly updatedAt: string;
}

export interface ItemInput {
    readonly name: string;
    readonly description?: string | null;
}

/** What the HTTP layer needs of the database. */
export interface Database {
    createItem(input: ItemInput): Promise<Item>;
    /** undefined: no such item. */
    getItem(id: string): Promise<Item | undefined>;
    /** undefined: no such item. */
    updateItem(id: string, input: ItemInput): Promise<Item | undefined>;
    /** Newest first. */
    listItems(limit: number): Promise<Item[]>;
    /** Resolves when the database answers a query. */
    ping(): Promise<void>;
    close(): Promise<void>;
}

/** The migrations folder (app/migrations), next to src/ in the repository and next to dist/ in the image. */
export const MIGRATIONS_DIR = path.join(__dirname, "..", "migrations");
/** The advisory lock every task takes to migrate: one migrates, the others wait and then find nothing to do. */
export const MIGRATION_LOCK = 7_240_612;

/** pg settings for the config: TLS that verifies the certificate and the host name, IAM token or password. */
export function poolConfig(config: DatabaseConfig, readFile: (file: string) => string = (f) => fs.readFileSync(f, "utf8")): PoolConfig {
    let password: PoolConfig["password"];
    if (config.auth.kind === "iam") {
        // A token lasts 15 minutes and is checked only when a connection opens: sign one per connection.
        const signer = new Signer({ hostname: config.host, port: config.port, username: config.user, region: config.auth.region });
        password = () => signer.getAuthToken();
    } else {
        password = config.auth.password;
    }
    return {
        host: config.host,
        port: config.port,
        database: config.name,
        user: config.user,
        password,
        // rejectUnauthorized with the bundle as the only roots; Node checks the host against the certificate. SNI
        // carries host names only (RFC 6066; Node warns about an IP there): a local server's IP is checked all the same.
        ssl: { ca: readFile(config.caFile), rejectUnauthorized: true, ...(net.isIP(config.host) ? {} : { servername: config.host }) },
        max: config.poolMax,
        idleTimeoutMillis: 30_000,
        // Fail a request rather than queue it forever when the proxy is unreachable.
        connectionTimeoutMillis: 5_000,
        query_timeout: config.queryTimeoutMs,
        application_name: "webstack-api",
    };
}

interface ItemRow {
    id: string;
    name: string;
    description: string | null;
    created_at: Date;
    updated_at: Date;
}

const COLUMNS = "id::text AS id, name, description, created_at, updated_at";

function toItem(row: ItemRow): Item {
    return { id: row.id, name: row.name, description: row.description, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}

export class PgDatabase implements Database {
    constructor(readonly pool: Pool) {}

    static fromConfig(config: DatabaseConfig): PgDatabase {
        return new PgDatabase(new Pool(poolConfig(config)));
    }

    async createItem(input: ItemInput): Promise<Item> {
        const { rows } = await this.pool.query<ItemRow>(`INSERT INTO items (name, description) VALUES ($1, $2) RETURNING ${COLUMNS}`, [input.name, input.description ?? null]);
        return toItem(rows[0]);
    }

    async getItem(id: string): Promise<Item | undefined> {
        const { rows } = await this.pool.query<ItemRow>(`SELECT ${COLUMNS} FROM items WHERE id = $1`, [id]);
        return rows[0] ? toItem(rows[0]) : undefined;
    }

    async updateItem(id: string, input: ItemInput): Promise<Item | undefined> {
        const { rows } = await this.pool.query<ItemRow>(
            `UPDATE items SET name = $2, description = $3, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
            [id, input.name, input.description ?? null],
        );
        return rows[0] ? toItem(rows[0]) : undefined;
    }

    async listItems(limit: number): Promise<Item[]> {
        const { rows } = await this.pool.query<ItemRow>(`SELECT ${COLUMNS} FROM items ORDER BY id DESC LIMIT $1`, [limit]);
        return rows.map(toItem);
    }

    async ping(): Promise<void> {
        await this.pool.query("SELECT 1");
    }

    async close(): Promise<void> {
        await this.pool.end();
    }
}

/** A failed start-up step's error, naming the database and, for a refusal retrying cannot fix, what to check. */
export function databaseError(config: DatabaseConfig, step: string, err: unknown): Error {
    const where = `${config.host}:${config.port}`;
    const refusal = refusalOf(err, "DATABASE");
    const message = refusal ? `the database at ${where} refused this service: ${refusal}` : `${step} failed on the database at ${where}: ${String((err as Error)?.message ?? err)}`;
    return new Error(message, { cause: err });
}

/**
 * Runs pending migrations (app/migrations) on one dedicated connection under a session advisory lock: with two
 * revisions starting at once (a canary), one migrates and the other waits, then finds nothing left to run.
 * Through RDS Proxy the lock pins that connection to one backend, which is what a session lock needs.
 */
export async function migrate(pool: Pool, log: (message: string) => void): Promise<string[]> {
    // node-pg-migrate is an ES module: loaded here, when a real database is used.
    const { runner } = await import("node-pg-migrate");
    // The pool's settings (TLS, IAM token) but not its per-query timeout: waiting for another task's migration
    // (the lock) or running a long one must not fail the start.
    const { query_timeout: _perQuery, password, ...settings } = (pool as unknown as { options: PoolConfig }).options;
    // A fresh IAM token (or the password) for this one connection.
    const client = new Client({ ...settings, password: typeof password === "function" ? await password() : password });
    await client.connect();
    try {
        const applied = await runner({
            dbClient: client,
            dir: MIGRATIONS_DIR,
            direction: "up",
            migrationsTable: "pgmigrations",
            checkOrder: true,
            singleTransaction: true,
            lockValue: MIGRATION_LOCK,
            advisoryLockMode: "wait",
            log,
        });
        return applied.map((m) => m.name);
    } finally {
        await client.end();
    }
}
