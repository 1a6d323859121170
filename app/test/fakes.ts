// In-memory stand-ins behind the same interfaces as PostgreSQL and Redis, so the HTTP behaviour is tested
// without any server running. They record calls, can be taken down, and can hold a call open (a gate).
import type { Cache } from "../src/cache";
import type { Database, Item, ItemInput } from "../src/db";

export class FakeDatabase implements Database {
    readonly items = new Map<string, Item>();
    readonly calls: string[] = [];
    down = false;
    closed = false;
    /** When set, createItem waits for it (to hold a request in flight). */
    gate?: Promise<void>;
    /** Resolves when a createItem call has started waiting at the gate. */
    entered?: () => void;
    private next = 1;
    private clock = Date.UTC(2026, 0, 1);

    private check(call: string): void {
        this.calls.push(call);
        if (this.down) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    }

    async createItem(input: ItemInput): Promise<Item> {
        this.check("createItem");
        if (this.gate) {
            this.entered?.();
            await this.gate;
        }
        const now = new Date((this.clock += 1000)).toISOString();
        const item: Item = { id: String(this.next++), name: input.name, description: input.description ?? null, createdAt: now, updatedAt: now };
        this.items.set(item.id, item);
        return item;
    }

    async getItem(id: string): Promise<Item | undefined> {
        this.check(`getItem ${id}`);
        return this.items.get(id);
    }

    async updateItem(id: string, input: ItemInput): Promise<Item | undefined> {
        this.check(`updateItem ${id}`);
        const old = this.items.get(id);
        if (!old) return undefined;
        const item: Item = { ...old, name: input.name, description: input.description ?? null, updatedAt: new Date((this.clock += 1000)).toISOString() };
        this.items.set(id, item);
        return item;
    }

    async listItems(limit: number): Promise<Item[]> {
        this.check(`listItems ${limit}`);
        return [...this.items.values()].reverse().slice(0, limit);
    }

    async ping(): Promise<void> {
        this.check("ping");
    }

    async close(): Promise<void> {
        this.calls.push("close");
        this.closed = true;
    }
}

export class FakeCache implements Cache {
    readonly values = new Map<string, { value: string; ttlSeconds: number }>();
    readonly calls: string[] = [];
    down = false;
    closed = false;

    private check(call: string): void {
        this.calls.push(call);
        if (this.down) throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
    }

    async get(key: string): Promise<string | null> {
        this.check(`get ${key}`);
        return this.values.get(key)?.value ?? null;
    }

    async set(key: string, value: string, ttlSeconds: number): Promise<void> {
        this.check(`set ${key} ${ttlSeconds}`);
        this.values.set(key, { value, ttlSeconds });
    }

    async del(key: string): Promise<void> {
        this.check(`del ${key}`);
        this.values.delete(key);
    }

    async ping(): Promise<void> {
        this.check("ping");
    }

    async close(): Promise<void> {
        this.calls.push("close");
        this.closed = true;
    }
}

/** What ApiCluster gives a production task, plus AWS_REGION, which ECS sets. */
export const IAM_ENV: Readonly<Record<string, string>> = {
    ENVIRONMENT: "production",
    PORT: "8080",
    METRICS_PORT: "9090",
    DATABASE_HOST: "webstack-db.proxy-abcdefghijkl.us-east-1.rds.amazonaws.com",
    DATABASE_PORT: "5432",
    DATABASE_NAME: "webstack",
    DATABASE_USER: "app",
    DATABASE_AUTH: "iam",
    REDIS_HOST: "master.webstack-cache-x1y2.abc123.use1.cache.amazonaws.com",
    REDIS_PORT: "6379",
    REDIS_USER: "webstack-cache-x1y2-app",
    REDIS_TLS: "true",
    REDIS_AUTH: "iam",
    AWS_REGION: "us-east-1",
};
