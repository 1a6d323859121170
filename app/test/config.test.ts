import * as assert from "assert/strict";
import { ConfigError, DEFAULT_DATABASE_CA_FILE, loadConfig, replicationGroupOf, type AppConfig } from "../src/config";
import { IAM_ENV } from "./fakes";

const onlyDefaultCa = (path: string): boolean => path === DEFAULT_DATABASE_CA_FILE;

function problemsOf(env: Record<string, string | undefined>, fileExists = onlyDefaultCa): readonly string[] {
    try {
        loadConfig(env, fileExists);
    } catch (err) {
        assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
        return err.problems;
    }
    assert.fail("the configuration was accepted");
}

describe("app config", () => {
    it("reads the IAM-mode environment ApiCluster injects, with the documented defaults", () => {
        const expected: AppConfig = {
            environment: "production",
            port: 8080,
            metricsPort: 9090,
            database: {
                host: "webstack-db.proxy-abcdefghijkl.us-east-1.rds.amazonaws.com",
                port: 5432,
                name: "webstack",
                user: "app",
                auth: { kind: "iam", region: "us-east-1" },
                caFile: "/app/certs/rds-global-bundle.pem",
                poolMax: 10,
                queryTimeoutMs: 10000,
            },
            cache: {
                host: "master.webstack-cache-x1y2.abc123.use1.cache.amazonaws.com",
                port: 6379,
                user: "webstack-cache-x1y2-app",
                tls: true,
                auth: { kind: "iam", region: "us-east-1" },
                cacheName: "webstack-cache-x1y2",
                caFile: undefined,
            },
            itemTtlSeconds: 60,
            logLevel: "info",
            migrateOnStart: true,
        };
        assert.deepEqual(loadConfig(IAM_ENV, onlyDefaultCa), expected);
    });

    it("reads password mode for local use, with its CA files and tunables", () => {
        const config = loadConfig(
            {
                ...IAM_ENV,
                ENVIRONMENT: "local",
                DATABASE_HOST: "127.0.0.1",
                DATABASE_AUTH: "password",
                DATABASE_PASSWORD: "db-secret",
                DATABASE_CA_FILE: "/tmp/ca.pem",
                DATABASE_POOL_MAX: "4",
                REDIS_HOST: "localhost",
                REDIS_AUTH: "password",
                REDIS_PASSWORD: "cache-secret",
                REDIS_CA_FILE: "/tmp/ca.pem",
                AWS_REGION: undefined,
                ITEM_CACHE_TTL_SECONDS: "5",
                LOG_LEVEL: "debug",
                MIGRATE_ON_START: "false",
            },
            (path) => path === "/tmp/ca.pem",
        );
        assert.deepEqual(config.database.auth, { kind: "password", password: "db-secret" });
        assert.deepEqual(config.cache.auth, { kind: "password", password: "cache-secret" });
        assert.equal(config.database.caFile, "/tmp/ca.pem");
        assert.equal(config.database.poolMax, 4);
        assert.equal(config.cache.caFile, "/tmp/ca.pem");
        assert.equal(config.cache.cacheName, "localhost");
        assert.equal(config.itemTtlSeconds, 5);
        assert.equal(config.logLevel, "debug");
        assert.equal(config.migrateOnStart, false);
    });

    it("names every missing variable at once, one line each", () => {
        assert.deepEqual(problemsOf({}), [
            `ENVIRONMENT is not set: expected one of "production", "staging", "local", "test"`,
            "PORT is not set: expected the HTTP port: a whole number from 1 to 65535",
            "METRICS_PORT is not set: expected the metrics port: a whole number from 1 to 65535",
            "DATABASE_HOST is not set: expected the database (RDS Proxy) host name",
            "DATABASE_PORT is not set: expected the database port: a whole number from 1 to 65535",
            "DATABASE_NAME is not set: expected a PostgreSQL database name (lower case letters, digits, _)",
            "DATABASE_USER is not set: expected the database user name",
            `DATABASE_AUTH is not set: expected one of "iam", "password"`,
            "REDIS_HOST is not set: expected the cache's primary endpoint host name",
            "REDIS_PORT is not set: expected the cache port: a whole number from 1 to 65535",
            "REDIS_USER is not set: expected the cache user name",
            `REDIS_TLS is not set: expected one of "true", "false"`,
            `REDIS_AUTH is not set: expected one of "iam", "password"`,
        ]);
    });

    it("names every invalid value with the value and what is expected", () => {
        assert.deepEqual(
            problemsOf({
                ...IAM_ENV,
                ENVIRONMENT: "prod",
                PORT: "80a",
                METRICS_PORT: "70000",
                DATABASE_HOST: "bad host",
                DATABASE_PORT: "0",
                DATABASE_NAME: "Web-Stack",
                DATABASE_AUTH: "secret",
                DATABASE_CA_FILE: "/nowhere/ca.pem",
                DATABASE_POOL_MAX: "-1",
                REDIS_TLS: "yes",
                REDIS_AUTH: "token",
                REDIS_CACHE_NAME: "Cache!",
                ITEM_CACHE_TTL_SECONDS: "1.5",
                LOG_LEVEL: "verbose",
                MIGRATE_ON_START: "1",
            }),
            [
                `ENVIRONMENT = "prod" is invalid: expected one of "production", "staging", "local", "test"`,
                `PORT = "80a" is invalid: expected the HTTP port: a whole number from 1 to 65535`,
                `METRICS_PORT = "70000" is invalid: expected the metrics port: a whole number from 1 to 65535`,
                `DATABASE_HOST = "bad host" is invalid: expected the database (RDS Proxy) host name`,
                `DATABASE_PORT = "0" is invalid: expected the database port: a whole number from 1 to 65535`,
                `DATABASE_NAME = "Web-Stack" is invalid: expected a PostgreSQL database name (lower case letters, digits, _)`,
                `DATABASE_AUTH = "secret" is invalid: expected one of "iam", "password"`,
                `DATABASE_CA_FILE = "/nowhere/ca.pem" is not a readable file: expected the path of a PEM bundle of the CAs that sign the database's certificate`,
                `DATABASE_POOL_MAX = "-1" is invalid: expected the connections this task may open: a whole number from 1 to 1000`,
                `REDIS_TLS = "yes" is invalid: expected one of "true", "false"`,
                `REDIS_AUTH = "token" is invalid: expected one of "iam", "password"`,
                `REDIS_CACHE_NAME = "Cache!" is invalid: expected a replication group id (lower case letters, digits, -)`,
                `ITEM_CACHE_TTL_SECONDS = "1.5" is invalid: expected seconds an item stays cached: a whole number from 1 to 86400`,
                `LOG_LEVEL = "verbose" is invalid: expected one of "fatal", "error", "warn", "info", "debug", "trace"`,
                `MIGRATE_ON_START = "1" is invalid: expected one of "true", "false"`,
            ],
        );
    });

    it("checks the credential modes: passwords only where asked for, TLS and a region for IAM", () => {
        assert.deepEqual(
            problemsOf({ ...IAM_ENV, PORT: "9090", DATABASE_PASSWORD: "leftover", REDIS_TLS: "false", AWS_REGION: undefined }),
            [
                `PORT and METRICS_PORT = "9090" are the same: expected two ports (only monitoring may reach the metrics port)`,
                `DATABASE_PASSWORD is set but DATABASE_AUTH is "iam": expected no password (the service signs an IAM token per connection)`,
                "AWS_REGION is not set: expected the AWS region IAM tokens are signed for (ECS sets it in every task)",
                `REDIS_TLS = "false" is invalid with REDIS_AUTH = "iam": expected "true" (ElastiCache accepts IAM tokens over TLS only)`,
            ],
        );
        assert.deepEqual(problemsOf({ ...IAM_ENV, DATABASE_AUTH: "password", REDIS_AUTH: "password", AWS_REGION: "moon-1" }), [
            `DATABASE_PASSWORD is not set: expected the password, as DATABASE_AUTH is "password"`,
            `REDIS_PASSWORD is not set: expected the password, as REDIS_AUTH is "password"`,
        ]);
        assert.deepEqual(problemsOf({ ...IAM_ENV, AWS_REGION: "moon-1" }), [`AWS_REGION = "moon-1" is invalid: expected an AWS region such as "us-east-1"`]);
    });

    it("never shows a password in a message", () => {
        const problems = problemsOf({ ...IAM_ENV, DATABASE_PASSWORD: "hunter2", REDIS_PASSWORD: "hunter3" });
        assert.deepEqual(problems, [
            `DATABASE_PASSWORD is set but DATABASE_AUTH is "iam": expected no password (the service signs an IAM token per connection)`,
            `REDIS_PASSWORD is set but REDIS_AUTH is "iam": expected no password (the service signs an IAM token per connection)`,
        ]);
        assert.ok(!problems.join("\n").includes("hunter"));
    });

    it("says the default CA bundle path when it is missing", () => {
        assert.deepEqual(problemsOf(IAM_ENV, () => false), [
            `DATABASE_CA_FILE = "/app/certs/rds-global-bundle.pem" (the default) is not a readable file: expected the path of a PEM bundle of the CAs that sign the database's certificate`,
        ]);
    });

    it("formats the error as one line per problem", () => {
        assert.equal(new ConfigError(["a is wrong", "b is wrong"]).message, "invalid configuration:\n  - a is wrong\n  - b is wrong");
    });

    it("finds the replication group id in ElastiCache endpoints", () => {
        assert.equal(replicationGroupOf("master.webstack-cache-x1y2.abc123.use1.cache.amazonaws.com"), "webstack-cache-x1y2");
        assert.equal(replicationGroupOf("replica.webstack-cache-x1y2.abc123.use1.cache.amazonaws.com"), "webstack-cache-x1y2");
        assert.equal(replicationGroupOf("webstack-cache-x1y2.abc123.ng.0001.use1.cache.amazonaws.com"), "webstack-cache-x1y2");
        assert.equal(replicationGroupOf("127.0.0.1"), "127.0.0.1");
    });
});
