// Valkey/Redis on ElastiCache: TLS, an RBAC user, and in production an IAM token (a SigV4-presigned `connect`
// request) instead of a password. The HTTP layer sees only the Cache interface, so tests replace it with a fake.
import * as fs from "fs";
import * as net from "net";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import Redis, { type RedisOptions } from "ioredis";
import type { CacheConfig } from "./config";
import { refusalOf } from "./refusals";

/** What the HTTP layer needs of the cache. */
export interface Cache {
    /** null: not cached. */
    get(key: string): Promise<string | null>;
    set(key: string, value: string, ttlSeconds: number): Promise<void>;
    del(key: string): Promise<void>;
    /** Resolves when the cache answers PING. */
    ping(): Promise<void>;
    close(): Promise<void>;
}

/** ElastiCache accepts a token for 15 minutes after signing; it is checked only when a connection authenticates. */
export const TOKEN_LIFETIME_SECONDS = 900;
/** Re-sign well within the lifetime, so a reconnect at any moment presents a valid token. */
export const TOKEN_REFRESH_MS = 5 * 60_000;

/**
 * The IAM authentication token for `user` on replication group `cacheName`: a presigned
 * `GET http://<cacheName>/?Action=connect&User=<user>` (service `elasticache`) without its scheme, as AWS's
 * ElastiCache "Authenticating with IAM" guide describes. The ElastiCache user's id and name must be equal.
 */
export async function elastiCacheToken(
    cacheName: string,
    user: string,
    region: string,
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
    now: Date = new Date(),
): Promise<string> {
    const signer = new SignatureV4({ service: "elasticache", region, credentials, sha256: Hash.bind(null, "sha256") });
    const request = new HttpRequest({ method: "GET", protocol: "http:", hostname: cacheName, path: "/", query: { Action: "connect", User: user }, headers: { host: cacheName } });
    const signed = await signer.presign(request, { expiresIn: TOKEN_LIFETIME_SECONDS, signingDate: now });
    const query = Object.entries(signed.query ?? {})
        .map(([k, v]) => `${rfc3986(k)}=${rfc3986(String(v))}`)
        .join("&");
    return `${cacheName}/?${query}`;
}

function rfc3986(value: string): string {
    return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** ioredis options for the config (the password is filled in by RedisCache.connect). */
export function redisOptions(config: CacheConfig, readFile: (file: string) => string = (f) => fs.readFileSync(f, "utf8")): RedisOptions {
    return {
        host: config.host,
        port: config.port,
        username: config.user,
        // The host is checked against the certificate, with Node's roots or the given bundle. SNI carries host names
        // only (RFC 6066; Node warns about an IP there): a local server's IP is checked all the same.
        tls: config.tls
            ? { ...(net.isIP(config.host) ? {} : { servername: config.host }), rejectUnauthorized: true, ...(config.caFile ? { ca: readFile(config.caFile) } : {}) }
            : undefined,
        connectTimeout: 5_000,
        commandTimeout: 1_000,
        // Fail commands at once while disconnected: a read falls back to the database instead of queueing.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
        connectionName: "webstack-api",
        // The ready check sends INFO, which the app's user may not run (-@dangerous, as ElastiCache grants it):
        // it would only print a warning on stderr, outside the JSON logs.
        enableReadyCheck: false,
    };
}

export class RedisCache implements Cache {
    private refresh?: NodeJS.Timeout;

    constructor(readonly client: Redis) {}

    /**
     * Connects, and waits for the first attempt: rejects when the cache refuses this task for good (its
     * certificate is not trusted, or the user or credential is refused), so a misconfigured release fails at start
     * instead of running without its cache; an unreachable cache only delays readiness (reconnects go on).
     */
    static async connect(config: CacheConfig, credentials: AwsCredentialIdentityProvider = fromNodeProviderChain()): Promise<RedisCache> {
        const options = redisOptions(config);
        const auth = config.auth;
        if (auth.kind === "password") return RedisCache.firstAttempt(new RedisCache(new Redis({ ...options, password: auth.password })), config);
        const sign = () => elastiCacheToken(config.cacheName, config.user, auth.region, credentials);
        const client = new Redis({ ...options, password: await sign() });
        const cache = new RedisCache(client);
        // ioredis reads options.password on every (re)connect: keep a fresh token there. ElastiCache also closes
        // IAM connections after 12 hours; the reconnect then authenticates with the current token.
        cache.refresh = setInterval(() => {
            sign().then(
                (token) => (client.options.password = token),
                (err: unknown) => client.emit("error", err),
            );
        }, TOKEN_REFRESH_MS);
        cache.refresh.unref();
        return RedisCache.firstAttempt(cache, config);
    }

    private static firstAttempt(cache: RedisCache, config: CacheConfig): Promise<RedisCache> {
        const client = cache.client;
        return new Promise((resolve, reject) => {
            const settle = (err?: Error) => {
                client.off("ready", settle);
                client.off("error", settle);
                const refusal = err && refusalOf(err, "REDIS");
                if (!refusal) return resolve(cache);
                clearInterval(cache.refresh);
                client.disconnect();
                reject(new Error(`the cache at ${config.host}:${config.port} refused this service: ${refusal}`, { cause: err }));
            };
            client.once("ready", settle);
            client.once("error", settle);
        });
    }

    async get(key: string): Promise<string | null> {
        return this.client.get(key);
    }

    async set(key: string, value: string, ttlSeconds: number): Promise<void> {
        await this.client.set(key, value, "EX", ttlSeconds);
    }

    async del(key: string): Promise<void> {
        await this.client.del(key);
    }

    async ping(): Promise<void> {
        await this.client.ping();
    }

    async close(): Promise<void> {
        clearInterval(this.refresh);
        try {
            await this.client.quit();
        } catch {
            // Already disconnected: nothing to flush.
            this.client.disconnect();
        }
    }
}
