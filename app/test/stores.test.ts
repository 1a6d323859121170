import * as assert from "assert/strict";
import { elastiCacheToken, redisOptions } from "../src/cache";
import { loadConfig } from "../src/config";
import { poolConfig } from "../src/db";
import { IAM_ENV } from "./fakes";

const iam = loadConfig(IAM_ENV, () => true);
const local = loadConfig(
    { ...IAM_ENV, ENVIRONMENT: "local", DATABASE_AUTH: "password", DATABASE_PASSWORD: "pw", REDIS_AUTH: "password", REDIS_PASSWORD: "rpw", REDIS_CA_FILE: "/ca.pem", DATABASE_CA_FILE: "/ca.pem" },
    () => true,
);
const readCa = (file: string) => `PEM of ${file}`;

describe("app stores: TLS and credentials", () => {
    it("PostgreSQL: TLS verified against the CA bundle only, with the host name; an IAM token function per connection", () => {
        const pool = poolConfig(iam.database, readCa);
        assert.deepEqual(pool.ssl, { ca: "PEM of /app/certs/rds-global-bundle.pem", rejectUnauthorized: true, servername: "webstack-db.proxy-abcdefghijkl.us-east-1.rds.amazonaws.com" });
        assert.deepEqual([pool.host, pool.port, pool.database, pool.user, pool.max], ["webstack-db.proxy-abcdefghijkl.us-east-1.rds.amazonaws.com", 5432, "webstack", "app", 10]);
        assert.equal(typeof pool.password, "function");
        assert.equal(poolConfig(local.database, readCa).password, "pw");
    });

    it("Redis: TLS with the host name and the user; Node's roots unless a CA file is given", () => {
        const options = redisOptions(iam.cache, readCa);
        assert.deepEqual(options.tls, { servername: "master.webstack-cache-x1y2.abc123.use1.cache.amazonaws.com", rejectUnauthorized: true });
        assert.equal(options.username, "webstack-cache-x1y2-app");
        assert.equal(options.enableOfflineQueue, false);
        assert.deepEqual(redisOptions(local.cache, readCa).tls, { servername: "master.webstack-cache-x1y2.abc123.use1.cache.amazonaws.com", rejectUnauthorized: true, ca: "PEM of /ca.pem" });
        assert.equal(redisOptions({ ...local.cache, tls: false }, readCa).tls, undefined);
    });

    it("ElastiCache IAM token: a presigned connect request for the replication group and user, without its scheme", async () => {
        const token = await elastiCacheToken("webstack-cache-x1y2", "webstack-cache-x1y2-app", "us-east-1", { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" }, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
        const [host, query] = token.split("/?");
        assert.equal(host, "webstack-cache-x1y2");
        const params = new URLSearchParams(query);
        assert.deepEqual([...params.keys()], ["Action", "User", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"]);
        assert.deepEqual(
            [params.get("Action"), params.get("User"), params.get("X-Amz-Algorithm"), params.get("X-Amz-Credential"), params.get("X-Amz-Date"), params.get("X-Amz-Expires"), params.get("X-Amz-SignedHeaders")],
            ["connect", "webstack-cache-x1y2-app", "AWS4-HMAC-SHA256", "AKIDEXAMPLE/20260102/us-east-1/elasticache/aws4_request", "20260102T030405Z", "900", "host"],
        );
        assert.match(params.get("X-Amz-Signature") ?? "", /^[0-9a-f]{64}$/);
        // The credential scope's slashes are percent-encoded, as a query string needs.
        assert.ok(query.includes("X-Amz-Credential=AKIDEXAMPLE%2F20260102%2Fus-east-1%2Felasticache%2Faws4_request"));
        // Deterministic for the same inputs (signing date included).
        assert.equal(await elastiCacheToken("webstack-cache-x1y2", "webstack-cache-x1y2-app", "us-east-1", { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" }, new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), token);
    });
});
