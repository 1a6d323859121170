import * as assert from "assert/strict";
import {
    CACHE_NODE_TYPES,
    DB_INSTANCE_CLASSES,
    classMemoryBytes,
    defaultMaxConnections,
    proxyConnections,
} from "../../components/shared/instance-classes";
import { DR_REGIONS, REGION_ZONES } from "../../stacks";
import { parseWith, problems } from "./config-helpers";

const S = "Pulumi.staging.yaml";
const P = "Pulumi.production.yaml";
const database = (fields: Record<string, unknown>) => ({ "webstack:database": fields });
const cache = (fields: Record<string, unknown>) => ({ "webstack:cache": fields });
const dr = (fields: Record<string, unknown>) => ({ "webstack:dr": fields });
const RETENTION =
    "must be a CloudWatch Logs retention period in days: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653";
const DB_KEYS = [
    "engineVersion",
    "instanceClass",
    "multiAz",
    "allocatedStorage",
    "maxAllocatedStorage",
    "databaseName",
    "masterUsername",
    "credentials",
    "rotationDays",
    "backupRetentionDays",
    "logRetentionDays",
    "poolSizePerTask",
    "proxyMaxConnectionsPercent",
];
const REGIONS =
    "us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, sa-east-1, eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-north-1, ap-south-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, ap-northeast-2, ap-northeast-3";
const NAME_PROBLEM = "must be a PostgreSQL database name: 1-63 lower-case letters, digits or _, starting with a letter";
const USER_PROBLEM = "must be a PostgreSQL role name: 1-63 lower-case letters, digits or _, starting with a letter";
const USER_REFUSED = "PostgreSQL and RDS reserve pg_*, rds* and public, and postgres, admin, root and master are the first names a password-guessing attack tries";

/** The budget message for a refused pool, with every number. */
function budget(pool: number, maxTasks: number, percent: number, share: number, cls: string, max: number, gib: number): string {
    return (
        `webstack:database.poolSizePerTask = ${pool} must fit the proxy's share of the database's connections: 2 x webstack:api.maxTasks (${maxTasks}) x ${pool} = ` +
        `${2 * maxTasks * pool} connections (a canary release runs both revisions), but RDS Proxy may open ${share}: webstack:database.proxyMaxConnectionsPercent ` +
        `(${percent}%) of ${cls}'s default max_connections ${max} (LEAST(DBInstanceClassMemory/9531392, 5000), DBInstanceClassMemory planned as 85% of ${gib} GiB); ` +
        `lower webstack:database.poolSizePerTask or webstack:api.maxTasks, or choose a larger webstack:database.instanceClass`
    );
}

describe("instance class tables", () => {
    it("holds the Graviton RDS classes with their nominal memory", () => {
        assert.equal(Object.keys(DB_INSTANCE_CLASSES).length, 34);
        assert.deepEqual(DB_INSTANCE_CLASSES["db.t4g.micro"], { vcpus: 2, memoryGiB: 1, burstable: true });
        assert.deepEqual(DB_INSTANCE_CLASSES["db.m7g.large"], { vcpus: 2, memoryGiB: 8, burstable: false });
        assert.deepEqual(DB_INSTANCE_CLASSES["db.r6g.12xlarge"], { vcpus: 48, memoryGiB: 384, burstable: false });
        assert.deepEqual(DB_INSTANCE_CLASSES["db.m6g.16xlarge"], { vcpus: 64, memoryGiB: 256, burstable: false });
        assert.equal(DB_INSTANCE_CLASSES["db.m5.large"], undefined);
    });

    it("plans DBInstanceClassMemory as 85% of nominal and max_connections as LEAST(memory/9531392, 5000)", () => {
        assert.equal(classMemoryBytes("db.t4g.micro"), 912680550);
        assert.equal(classMemoryBytes("db.m7g.large"), 7301444403);
        assert.deepEqual(
            ["db.t4g.micro", "db.t4g.small", "db.t4g.medium", "db.m7g.large", "db.m7g.xlarge", "db.r7g.4xlarge", "db.r7g.8xlarge", "db.r7g.16xlarge"].map(
                defaultMaxConnections,
            ),
            [95, 191, 383, 766, 1532, 5000, 5000, 5000],
        );
        // The published readings it must stay below: 198 on a 2 GiB class, 413 on a 4 GiB class.
        assert.ok(defaultMaxConnections("db.t4g.small")! < 198 && defaultMaxConnections("db.t4g.medium")! < 413);
        assert.equal(defaultMaxConnections("db.m7g.lage"), undefined);
    });

    it("gives the proxy its percentage of max_connections, rounded down", () => {
        assert.deepEqual([proxyConnections("db.m7g.large", 90), proxyConnections("db.t4g.micro", 90), proxyConnections("db.m7g.large", 26), proxyConnections("db.m7g.large", 100)], [689, 85, 199, 766]);
        assert.equal(proxyConnections("db.x.large", 90), undefined);
    });

    it("lists the ElastiCache node types", () => {
        assert.deepEqual(Object.keys(CACHE_NODE_TYPES), [
            "cache.t4g.micro",
            "cache.t4g.small",
            "cache.t4g.medium",
            "cache.m7g.large",
            "cache.m7g.xlarge",
            "cache.m7g.2xlarge",
            "cache.m7g.4xlarge",
            "cache.r7g.large",
            "cache.r7g.xlarge",
            "cache.r7g.2xlarge",
            "cache.r7g.4xlarge",
        ]);
        assert.deepEqual(CACHE_NODE_TYPES["cache.m7g.large"], { vcpus: 2, memoryGiB: 6.38, burstable: false });
        assert.deepEqual(CACHE_NODE_TYPES["cache.t4g.micro"], { vcpus: 2, memoryGiB: 0.5, burstable: true });
    });

    it("pairs every supported region with another supported region", () => {
        assert.deepEqual(Object.keys(DR_REGIONS).sort(), Object.keys(REGION_ZONES).sort());
        for (const [region, pair] of Object.entries(DR_REGIONS)) {
            assert.ok(pair in REGION_ZONES && pair !== region, `${region} -> ${pair}`);
        }
        assert.deepEqual([DR_REGIONS["us-east-1"], DR_REGIONS["eu-west-1"], DR_REGIONS["ap-northeast-1"]], ["us-west-2", "eu-central-1", "ap-northeast-3"]);
    });
});

describe("webstack:database, webstack:cache and webstack:dr config", () => {
    it("applies the staging defaults: one small instance with an RDS-managed password, one cache node, local backups", () => {
        const config = parseWith("staging", {});
        assert.deepEqual(config.database, {
            engineVersion: "17.5",
            instanceClass: "db.t4g.micro",
            multiAz: false,
            allocatedStorage: 20,
            maxAllocatedStorage: 100,
            databaseName: "webstack",
            masterUsername: "webstack_owner",
            credentials: "managed",
            rotationDays: 30,
            backupRetentionDays: 7,
            logRetentionDays: 30,
            poolSizePerTask: 10,
            proxyMaxConnectionsPercent: 90,
        });
        assert.deepEqual(config.cache, { engine: "valkey", engineVersion: "8.0", nodeType: "cache.t4g.micro", nodes: 1, snapshotRetentionDays: 1, logRetentionDays: 30 });
        assert.deepEqual(config.dr, { region: "us-west-2", backupRetentionDays: 7, continuousBackupDays: 7, copyToDr: false, vaultLock: "none" });
    });

    it("applies the production defaults, which pass every rule (200 connections of the proxy's 689)", () => {
        const config = parseWith("production", {});
        assert.deepEqual(config.database, {
            engineVersion: "17.5",
            instanceClass: "db.m7g.large",
            multiAz: true,
            allocatedStorage: 100,
            maxAllocatedStorage: 1000,
            databaseName: "webstack",
            masterUsername: "webstack_owner",
            credentials: "stack",
            rotationDays: 30,
            backupRetentionDays: 14,
            logRetentionDays: 365,
            poolSizePerTask: 10,
            proxyMaxConnectionsPercent: 90,
        });
        assert.deepEqual(config.cache, { engine: "valkey", engineVersion: "8.0", nodeType: "cache.m7g.large", nodes: 2, snapshotRetentionDays: 7, logRetentionDays: 365 });
        assert.deepEqual(config.dr, { region: "us-west-2", backupRetentionDays: 35, continuousBackupDays: 35, copyToDr: true, vaultLock: "governance" });
        assert.equal(2 * config.api.maxTasks * config.database.poolSizePerTask, 200);
        assert.equal(proxyConnections(config.database.instanceClass, config.database.proxyMaxConnectionsPercent), 689);
    });

    it("merges partial objects over the tier defaults, and takes the DR region from the stack region's pair", () => {
        const config = parseWith("production", {
            "aws:region": "eu-west-1",
            ...database({ instanceClass: "db.r7g.xlarge", engineVersion: "16.9" }),
            ...cache({ engine: "redis", engineVersion: "7.1", nodes: 3 }),
            ...dr({ vaultLock: "compliance" }),
        });
        assert.deepEqual(
            [config.database.instanceClass, config.database.engineVersion, config.database.multiAz, config.cache.engine, config.cache.engineVersion, config.cache.nodes],
            ["db.r7g.xlarge", "16.9", true, "redis", "7.1", 3],
        );
        assert.deepEqual(config.dr, { region: "eu-central-1", backupRetentionDays: 35, continuousBackupDays: 35, copyToDr: true, vaultLock: "compliance" });
        assert.equal(parseWith("staging", dr({ region: "us-east-2" })).dr.region, "us-east-2");
    });

    it("accepts a budget exactly at the proxy's share, and refuses one connection more", () => {
        // Staging: db.t4g.micro -> 95 max_connections, 90% -> 85; 2 x 4 tasks x 10 = 80 fits, x 11 = 88 does not.
        assert.equal(parseWith("staging", { "webstack:api": { maxTasks: 4 } }).database.poolSizePerTask, 10);
        assert.deepEqual(problems("staging", { "webstack:api": { maxTasks: 4 }, ...database({ poolSizePerTask: 11 }) }), [`${S}: ${budget(11, 4, 90, 85, "db.t4g.micro", 95, 1)}`]);
        // Production: 27% of 766 = 206 holds 200; 26% = 199 does not.
        assert.equal(parseWith("production", database({ proxyMaxConnectionsPercent: 27 })).database.proxyMaxConnectionsPercent, 27);
        assert.deepEqual(problems("production", database({ proxyMaxConnectionsPercent: 26 })), [`${P}: ${budget(10, 10, 26, 199, "db.m7g.large", 766, 8)}`]);
    });

    it("accepts the identifiers PostgreSQL takes unquoted", () => {
        const config = parseWith("staging", database({ databaseName: "orders_2", masterUsername: "app_owner" })).database;
        assert.deepEqual([config.databaseName, config.masterUsername], ["orders_2", "app_owner"]);
    });

    const cases: { name: string; stack: string; changes: Record<string, unknown>; expected: string[] }[] = [
        // Shapes and unknown keys.
        {
            name: "webstack:database, webstack:cache and webstack:dr that are not objects",
            stack: "staging",
            changes: { "webstack:database": "postgres", "webstack:cache": "[1]", "webstack:dr": "us-west-2" },
            expected: [
                `${S}: webstack:database = "postgres" must be an object with any of the keys ${DB_KEYS.join(", ")}`,
                `${S}: webstack:cache = "[1]" must be an object with any of the keys engine, engineVersion, nodeType, nodes, snapshotRetentionDays, logRetentionDays`,
                `${S}: webstack:dr = "us-west-2" must be an object with any of the keys region, backupRetentionDays, continuousBackupDays, copyToDr, vaultLock`,
            ],
        },
        {
            name: "a misspelt top-level data key",
            stack: "staging",
            changes: { "webstack:databse": {} },
            expected: [
                `${S}: webstack:databse is not a known key; did you mean webstack:database? known keys are: webstack:environment, webstack:domain, webstack:hostedZone, webstack:owner, webstack:costCenter, webstack:network, webstack:site, webstack:api, webstack:database, webstack:cache, webstack:dr`,
            ],
        },
        {
            name: "misspelt keys inside each data key",
            stack: "staging",
            changes: { ...database({ instanceclass: "db.t4g.small" }), ...cache({ node: 2 }), ...dr({ regoin: "us-west-2" }) },
            expected: [
                `${S}: webstack:database.instanceclass is not a known key; did you mean webstack:database.instanceClass? known keys are: ${DB_KEYS.map((k) => `webstack:database.${k}`).join(", ")}`,
                `${S}: webstack:cache.node is not a known key; did you mean webstack:cache.nodes? known keys are: webstack:cache.engine, webstack:cache.engineVersion, webstack:cache.nodeType, webstack:cache.nodes, webstack:cache.snapshotRetentionDays, webstack:cache.logRetentionDays`,
                `${S}: webstack:dr.regoin is not a known key; did you mean webstack:dr.region? known keys are: webstack:dr.region, webstack:dr.backupRetentionDays, webstack:dr.continuousBackupDays, webstack:dr.copyToDr, webstack:dr.vaultLock`,
            ],
        },
        // webstack:database, one field at a time.
        {
            name: "engine versions outside 13-17 or not major.minor",
            stack: "staging",
            changes: database({ engineVersion: "12.22" }),
            expected: [`${S}: webstack:database.engineVersion = "12.22" must be a PostgreSQL major.minor version with a major version from 13 to 17, such as 17.5`],
        },
        {
            name: "an engine version without its minor",
            stack: "production",
            changes: database({ engineVersion: "17" }),
            expected: [`${P}: webstack:database.engineVersion = "17" must be a PostgreSQL major.minor version with a major version from 13 to 17, such as 17.5`],
        },
        {
            name: "an instance class as a number",
            stack: "staging",
            changes: database({ instanceClass: 5, engineVersion: 17.5 }),
            expected: [
                `${S}: webstack:database.engineVersion = 17.5 must be a PostgreSQL major.minor version with a major version from 13 to 17, such as 17.5`,
                `${S}: webstack:database.instanceClass = 5 must be an RDS instance class name such as db.m7g.large`,
            ],
        },
        {
            name: "an instance class not in the table",
            stack: "staging",
            changes: database({ instanceClass: "db.m7g.lage" }),
            expected: [
                `${S}: webstack:database.instanceClass = "db.m7g.lage" must be a supported RDS instance class: did you mean db.m7g.large? supported RDS instance classes are: ${Object.keys(DB_INSTANCE_CLASSES).join(", ")}`,
            ],
        },
        {
            name: "multiAz as a string",
            stack: "staging",
            changes: database({ multiAz: "yes" }),
            expected: [
                `${S}: webstack:database.multiAz = "yes" must be true or false: true keeps a synchronous standby in a second availability zone (about twice the instance cost); false runs one instance`,
            ],
        },
        {
            name: "storage below 20 GiB and above 64 TiB",
            stack: "staging",
            changes: database({ allocatedStorage: 10, maxAllocatedStorage: 70000 }),
            expected: [
                `${S}: webstack:database.allocatedStorage = 10 must be a whole number of GiB from 20 to 65536 (gp3 storage for RDS for PostgreSQL)`,
                `${S}: webstack:database.maxAllocatedStorage = 70000 must be a whole number of GiB from 20 to 65536 (gp3 storage for RDS for PostgreSQL)`,
            ],
        },
        {
            name: "a storage ceiling below the allocated storage",
            stack: "production",
            changes: database({ allocatedStorage: 200, maxAllocatedStorage: 150 }),
            expected: [`${P}: webstack:database.maxAllocatedStorage = 150 must be >= webstack:database.allocatedStorage (200): it is the ceiling storage autoscaling grows the volume to`],
        },
        {
            name: "database names that are not lower-case identifiers",
            stack: "staging",
            changes: database({ databaseName: "Orders" }),
            expected: [`${S}: webstack:database.databaseName = "Orders" ${NAME_PROBLEM}`],
        },
        {
            name: "a database name that is too long",
            stack: "staging",
            changes: database({ databaseName: "d".repeat(64) }),
            expected: [`${S}: webstack:database.databaseName = "${"d".repeat(64)}" ${NAME_PROBLEM}`],
        },
        {
            name: "a reserved database name",
            stack: "staging",
            changes: database({ databaseName: "select" }),
            expected: [`${S}: webstack:database.databaseName = "select" ${NAME_PROBLEM}, not a PostgreSQL reserved word (it would need quoting everywhere)`],
        },
        {
            name: "a database every instance already has",
            stack: "staging",
            changes: database({ databaseName: "postgres" }),
            expected: [`${S}: webstack:database.databaseName = "postgres" ${NAME_PROBLEM}, not postgres: every RDS for PostgreSQL instance already has it (the app gets its own)`],
        },
        {
            name: "a user name starting with a digit",
            stack: "staging",
            changes: database({ masterUsername: "1admin" }),
            expected: [`${S}: webstack:database.masterUsername = "1admin" ${USER_PROBLEM}`],
        },
        {
            name: "a reserved word as the user name",
            stack: "staging",
            changes: database({ masterUsername: "user" }),
            expected: [`${S}: webstack:database.masterUsername = "user" ${USER_PROBLEM}, not a PostgreSQL reserved word (it would need quoting everywhere)`],
        },
        {
            name: "the user names attacks try first",
            stack: "staging",
            changes: database({ masterUsername: "postgres" }),
            expected: [`${S}: webstack:database.masterUsername = "postgres" ${USER_PROBLEM}, not postgres: ${USER_REFUSED}`],
        },
        {
            name: "an RDS-reserved user name",
            stack: "staging",
            changes: database({ masterUsername: "rdsadmin" }),
            expected: [`${S}: webstack:database.masterUsername = "rdsadmin" ${USER_PROBLEM}, not rdsadmin: ${USER_REFUSED}`],
        },
        {
            name: "a pg_ user name",
            stack: "production",
            changes: database({ masterUsername: "pg_owner" }),
            expected: [`${P}: webstack:database.masterUsername = "pg_owner" ${USER_PROBLEM}, not pg_owner: ${USER_REFUSED}`],
        },
        {
            name: "unknown credentials, and rotation out of range",
            stack: "staging",
            changes: database({ credentials: "password", rotationDays: 0 }),
            expected: [
                `${S}: webstack:database.credentials = "password" must be "managed" (RDS keeps and rotates the master password in Secrets Manager; no read replica possible) or "stack" (a stack-owned secret rotated by AWS's rotation function; replicas possible)`,
                `${S}: webstack:database.rotationDays = 0 must be a whole number of days from 1 to 90 between rotations of the master password`,
            ],
        },
        {
            name: "rotation less often than the pack's 90 days",
            stack: "production",
            changes: database({ rotationDays: 91 }),
            expected: [`${P}: webstack:database.rotationDays = 91 must be a whole number of days from 1 to 90 between rotations of the master password`],
        },
        {
            name: "backup retention of 0 and 36 days, and a retention CloudWatch does not offer",
            stack: "staging",
            changes: database({ backupRetentionDays: 0, logRetentionDays: 31 }),
            expected: [
                `${S}: webstack:database.backupRetentionDays = 0 must be a whole number of days from 1 to 35 to keep automated backups (RDS's range; 0 would turn backups off)`,
                `${S}: webstack:database.logRetentionDays = 31 ${RETENTION}`,
            ],
        },
        {
            name: "pool and proxy settings out of range",
            stack: "staging",
            changes: database({ poolSizePerTask: 0, proxyMaxConnectionsPercent: 101, backupRetentionDays: 36 }),
            expected: [
                `${S}: webstack:database.backupRetentionDays = 36 must be a whole number of days from 1 to 35 to keep automated backups (RDS's range; 0 would turn backups off)`,
                `${S}: webstack:database.poolSizePerTask = 0 must be a whole number of database connections from 1 to 1000 that each API task opens`,
                `${S}: webstack:database.proxyMaxConnectionsPercent = 101 must be a whole percentage from 1 to 100 of the database's max_connections that RDS Proxy may use`,
            ],
        },
        // webstack:database in production.
        {
            name: "a single-AZ production database, with a burstable class, an RDS-managed password and a week of backups",
            stack: "production",
            changes: database({ multiAz: false, instanceClass: "db.t4g.large", credentials: "managed", backupRetentionDays: 7 }),
            expected: [
                `${P}: webstack:database.instanceClass = "db.t4g.large" must not be burstable in production: a burstable database is throttled under sustained load once its CPU credits run out; use a db.m6g, db.m7g, db.r6g or db.r7g RDS instance class`,
                `${P}: webstack:database.multiAz = false must be true in production: a single instance takes the API down with its availability zone, and during every patch (seed 001)`,
                `${P}: webstack:database.backupRetentionDays = 7 must be at least 14 in production: two weeks of point-in-time recovery to notice and undo bad writes`,
                `${P}: webstack:database.credentials = "managed" must be "stack" in production: the DR tier adds a cross-region read replica, and AWS refuses one of a source whose master password RDS manages in Secrets Manager`,
            ],
        },
        {
            name: "a pool too large for the production instance",
            stack: "production",
            changes: database({ poolSizePerTask: 35 }),
            expected: [`${P}: ${budget(35, 10, 90, 689, "db.m7g.large", 766, 8)}`],
        },
        {
            name: "more tasks than a smaller class's connections",
            stack: "production",
            changes: { ...database({ instanceClass: "db.m6g.large" }), "webstack:api": { maxTasks: 40, maxHosts: 40, peakConnections: 100000 } },
            expected: [`${P}: ${budget(10, 40, 90, 689, "db.m6g.large", 766, 8)}`],
        },
        // webstack:cache.
        {
            name: "an unknown engine, a version as a number, an unknown node type",
            stack: "staging",
            changes: cache({ engine: "memcached", engineVersion: 8, nodeType: "cache.t4g.mirco" }),
            expected: [
                `${S}: webstack:cache.engine = "memcached" must be "valkey" (the default: open source, cheaper per node-hour) or "redis" (Redis OSS)`,
                `${S}: webstack:cache.engineVersion = 8 must be an engine major.minor version such as 8.0`,
                `${S}: webstack:cache.nodeType = "cache.t4g.mirco" must be a supported ElastiCache node type: did you mean cache.t4g.micro? supported ElastiCache node types are: ${Object.keys(CACHE_NODE_TYPES).join(", ")}`,
            ],
        },
        {
            name: "a version the engine does not have with IAM authentication",
            stack: "staging",
            changes: cache({ engine: "redis", engineVersion: "6.2" }),
            expected: [`${S}: webstack:cache.engineVersion = "6.2" must be a webstack:cache.engine (redis) version with IAM authentication: one of 7.0, 7.1`],
        },
        {
            name: "a Redis version with the default Valkey engine",
            stack: "staging",
            changes: cache({ engineVersion: "7.1" }),
            expected: [`${S}: webstack:cache.engineVersion = "7.1" must be a webstack:cache.engine (valkey) version with IAM authentication: one of 7.2, 8.0, 8.1`],
        },
        {
            name: "node counts and retentions out of range",
            stack: "staging",
            changes: cache({ nodes: 7, snapshotRetentionDays: -1, logRetentionDays: 0 }),
            expected: [
                `${S}: webstack:cache.nodes = 7 must be a whole number of nodes from 1 to 6 (a primary and up to 5 replicas)`,
                `${S}: webstack:cache.snapshotRetentionDays = -1 must be a whole number of days from 0 to 35 to keep daily snapshots (0 turns snapshots off)`,
                `${S}: webstack:cache.logRetentionDays = 0 ${RETENTION}`,
            ],
        },
        {
            name: "one burstable production cache node without snapshots",
            stack: "production",
            changes: cache({ nodes: 1, nodeType: "cache.t4g.medium", snapshotRetentionDays: 0 }),
            expected: [
                `${P}: webstack:cache.nodeType = "cache.t4g.medium" must not be burstable in production: a burstable cache node slows every request once its CPU credits run out; use a cache.m7g or cache.r7g ElastiCache node type`,
                `${P}: webstack:cache.nodes = 1 must be at least 2 in production: a primary and a replica in another availability zone, for Multi-AZ automatic failover`,
                `${P}: webstack:cache.snapshotRetentionDays = 0 must be at least 1 in production: without a snapshot a flushed or corrupted cache cannot be restored (policy R75)`,
            ],
        },
        // webstack:dr.
        {
            name: "the stack's own region as the DR region",
            stack: "staging",
            changes: dr({ region: "us-east-1" }),
            expected: [
                `${S}: webstack:dr.region = "us-east-1" must differ from aws:region (us-east-1): a disaster that takes the stack's region must not take its backup copies too (leave it unset for us-west-2)`,
            ],
        },
        {
            name: "a region not in the table",
            stack: "staging",
            changes: dr({ region: "us-west-3" }),
            expected: [`${S}: webstack:dr.region = "us-west-3" must be a supported region: did you mean us-west-1? supported regions are: ${REGIONS}`],
        },
        {
            name: "DR fields out of range",
            stack: "staging",
            changes: dr({ region: 2, backupRetentionDays: 0, continuousBackupDays: 36, copyToDr: "no", vaultLock: "legal-hold" }),
            expected: [
                `${S}: webstack:dr.region = 2 must be an AWS region name such as us-west-2`,
                `${S}: webstack:dr.backupRetentionDays = 0 must be a whole number of days from 1 to 36500 to keep daily AWS Backup recovery points`,
                `${S}: webstack:dr.continuousBackupDays = 36 must be a whole number of days from 1 to 35 of point-in-time recovery (AWS Backup continuous backup)`,
                `${S}: webstack:dr.copyToDr = "no" must be true or false: true copies every recovery point to a vault in webstack:dr.region (a second vault and key, cross-region transfer and storage)`,
                `${S}: webstack:dr.vaultLock = "legal-hold" must be "none", "governance" (retention enforced; users with the IAM permission can remove the lock) or "compliance" (immutable once its grace time ends: not even the account root can delete recovery points early)`,
            ],
        },
        {
            name: "production backups without a DR copy or a vault lock",
            stack: "production",
            changes: dr({ copyToDr: false, vaultLock: "none" }),
            expected: [
                `${P}: webstack:dr.copyToDr = false must be true in production: a copy of every recovery point in another region is what survives the loss of the stack's region (policy S07)`,
                `${P}: webstack:dr.vaultLock = "none" must be "governance" or "compliance" in production: a vault lock keeps recovery points from being deleted or shortened before their retention ends`,
            ],
        },
        // All at once; an invalid field is never replaced by its default in the rules, nor reported twice.
        {
            name: "several problems across the data keys at once, each reported once",
            stack: "production",
            changes: {
                ...database({ multiAz: false, instanceClass: "db.m7g.huge", poolSizePerTask: 500, allocatedStorage: 100, maxAllocatedStorage: 50, masterUsername: "admin" }),
                ...cache({ nodes: 1, engine: "Valkey" }),
                ...dr({ region: "us-east-1", vaultLok: "governance" }),
            },
            expected: [
                `${P}: webstack:database.masterUsername = "admin" ${USER_PROBLEM}, not admin: ${USER_REFUSED}`,
                `${P}: webstack:cache.engine = "Valkey" must be "valkey" (the default: open source, cheaper per node-hour) or "redis" (Redis OSS)`,
                `${P}: webstack:dr.vaultLok is not a known key; did you mean webstack:dr.vaultLock? known keys are: webstack:dr.region, webstack:dr.backupRetentionDays, webstack:dr.continuousBackupDays, webstack:dr.copyToDr, webstack:dr.vaultLock`,
                `${P}: webstack:database.instanceClass = "db.m7g.huge" must be a supported RDS instance class: did you mean db.m7g.large? supported RDS instance classes are: ${Object.keys(DB_INSTANCE_CLASSES).join(", ")}`,
                `${P}: webstack:database.multiAz = false must be true in production: a single instance takes the API down with its availability zone, and during every patch (seed 001)`,
                `${P}: webstack:database.maxAllocatedStorage = 50 must be >= webstack:database.allocatedStorage (100): it is the ceiling storage autoscaling grows the volume to`,
                `${P}: webstack:cache.nodes = 1 must be at least 2 in production: a primary and a replica in another availability zone, for Multi-AZ automatic failover`,
                `${P}: webstack:dr.region = "us-east-1" must differ from aws:region (us-east-1): a disaster that takes the stack's region must not take its backup copies too (leave it unset for us-west-2)`,
            ],
        },
    ];

    for (const c of cases) {
        it(`rejects ${c.name}`, () => {
            assert.deepEqual(problems(c.stack, c.changes), c.expected);
        });
    }
});
