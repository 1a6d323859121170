// What a Database is made of: its args, defaults and the checks made before anything is registered.
import type * as pulumi from "@pulumi/pulumi";
import type { Tags } from "../shared/tags";

/** PostgreSQL's port, on RDS Proxy and on the instance (the Vpc's database path). */
export const DATABASE_PORT = 5432;

/** The CA of the instance's server certificate (RSA 2048, valid to 2061; rds-ca-2019 expired in 2024). */
export const DATABASE_CA = "rds-ca-rsa2048-g1";

/** The PostgreSQL logs exported to CloudWatch Logs, each into `/aws/rds/instance/<identifier>/<log>`. */
export const DATABASE_LOGS = ["postgresql", "upgrade", "iam-db-auth-error"] as const;

/**
 * AWS's single-user PostgreSQL rotation function in the Serverless Application Repository (the application the
 * Secrets Manager guide and the CDK's SecretRotation deploy), pinned: a new version is a reviewed change.
 */
export const ROTATION_APPLICATION = {
    id: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
    semanticVersion: "1.1.671",
} as const;

/**
 * Characters the rotation function leaves out of the passwords it generates: those that break connection URLs,
 * shells and the JSON of the secret (the CDK's default set).
 */
export const ROTATION_EXCLUDED_CHARACTERS = " %+~`#$&*()|[]{}:;<>?!'/@\"\\";

/**
 * The parameter group's settings: TLS required, and the logging an incident needs (slow statements, every
 * connection, lock waits, DDL), all dynamic, so they apply without a reboot.
 */
export const DATABASE_PARAMETERS: readonly { readonly name: string; readonly value: string; readonly applyMethod: "immediate" | "pending-reboot" }[] = [
    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
    { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
    { name: "log_connections", value: "1", applyMethod: "immediate" },
    { name: "log_disconnections", value: "1", applyMethod: "immediate" },
    { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
    { name: "log_statement", value: "ddl", applyMethod: "immediate" },
    { name: "log_temp_files", value: "10240", applyMethod: "immediate" },
    { name: "log_autovacuum_min_duration", value: "10000", applyMethod: "immediate" },
];

/**
 * The instance's event categories sent to the event topic: the pack's R74 set (maintenance, configuration change,
 * failure) and what else needs a person (failover, storage running out, stops and starts, outages). Backups,
 * creation and deletion are left out: routine, and `pulumi up` reports them.
 */
export const INSTANCE_EVENT_CATEGORIES = ["availability", "configuration change", "failover", "failure", "low storage", "maintenance", "notification"] as const;

/**
 * How the master credential is kept. `managed`: RDS keeps it in a Secrets Manager secret under the component's key
 * and rotates it (no read replica possible: AWS refuses one of a source whose master password RDS manages).
 * `stack`: a secret of this stack under the component's key, written write-only to the instance and rotated by AWS's
 * PostgreSQL rotation function, which allows the DR tier's cross-region read replica.
 */
export type DatabaseCredentials = "managed" | "stack";

/** The network the database runs in: the Vpc's subnets and tier security groups. */
export interface DatabaseNetwork {
    /** The instance's subnets: no route out of the VPC. */
    readonly isolatedSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** RDS Proxy's and the rotation function's subnets (NAT to the Secrets Manager API). */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The instance's group: reached only by the proxy and the rotation function, on 5432. */
    readonly databaseSecurityGroupId: pulumi.Input<string>;
    /** The proxy's group: reached only by the app. */
    readonly proxySecurityGroupId: pulumi.Input<string>;
    /** The rotation function's group: out to the database on 5432 and to AWS APIs on 443. */
    readonly rotationSecurityGroupId: pulumi.Input<string>;
}


/** RDS Proxy's connection pool (the default target group). */
export interface DatabaseProxySettings {
    /** The share of the instance's max_connections the proxy may open (the rest: rotation and administrators). */
    readonly maxConnectionsPercent: number;
    /** The share it keeps open while idle (<= maxConnectionsPercent). */
    readonly maxIdleConnectionsPercent: number;
    /** Seconds a client waits for a pooled connection before its request fails. */
    readonly connectionBorrowTimeoutSeconds: number;
    /** Seconds an idle client connection stays open. */
    readonly idleClientTimeoutSeconds: number;
}

export const DEFAULT_PROXY: DatabaseProxySettings = {
    maxConnectionsPercent: 90,
    maxIdleConnectionsPercent: 50,
    connectionBorrowTimeoutSeconds: 120,
    idleClientTimeoutSeconds: 1800,
};

export interface DatabaseArgs {
    readonly network: DatabaseNetwork;
    /** PostgreSQL `major.minor` (e.g. "17.5"); the parameter group family is `postgres<major>`. */
    readonly engineVersion: string;
    /** e.g. db.t4g.micro (staging), db.m7g.large (production); validated per tier by stacks/. */
    readonly instanceClass: string;
    /** A standby in a second zone with automatic failover (production; about twice the instance cost). */
    readonly multiAz: boolean;
    /** GiB of gp3 storage at creation (later changes are RDS's storage autoscaling, not this value). */
    readonly allocatedStorage: number;
    /** GiB storage autoscaling may grow to (>= allocatedStorage). */
    readonly maxAllocatedStorage: number;
    readonly databaseName: string;
    /** The master user (not a default name such as postgres or admin). */
    readonly masterUsername: string;
    readonly credentials: DatabaseCredentials;
    /** Days automated backups (point-in-time recovery) are kept, 1 to 35. */
    readonly backupRetentionDays: number;
    /** Days the exported PostgreSQL logs are kept (a CloudWatch Logs retention value). */
    readonly logRetentionDays: number;
    /** Base tags of the stack (Project, Stack, Environment, Owner, CostCenter). */
    readonly tags: Tags;
    /**
     * Days between rotations of the `stack` credential (1 to 90, the pack's limit). Ignored with `managed`, which
     * RDS rotates every 7 days. Longer leaves a leaked password valid longer.
     * @default 30
     */
    readonly rotationDays?: number;
    /**
     * The daily backup window, UTC `hh:mm-hh:mm`, at least 30 minutes, not overlapping the maintenance window.
     * @default "03:00-04:00"
     */
    readonly backupWindow?: string;
    /**
     * The weekly maintenance window (minor upgrades, patches), UTC `ddd:hh:mm-ddd:hh:mm`; a Multi-AZ instance fails
     * over during it.
     * @default "sun:04:30-sun:05:30"
     */
    readonly maintenanceWindow?: string;
    /**
     * Enhanced Monitoring's granularity in seconds (1, 5, 10, 15, 30 or 60): shorter costs more CloudWatch Logs
     * ingestion (at 1 s about $10/month per instance).
     * @default 60
     */
    readonly monitoringIntervalSeconds?: number;
    /**
     * Days Performance Insights keeps its data: 7 is free, 731 or a multiple of 31 is billed per vCPU.
     * @default 7
     */
    readonly performanceInsightsRetentionDays?: number;
    /** RDS Proxy's pool. @default DEFAULT_PROXY: 90% of max_connections, 50% idle, 120 s borrow timeout, 1800 s idle clients */
    readonly proxy?: Partial<DatabaseProxySettings>;
    /**
     * The tag AWS Backup selects by (the DisasterRecovery component's selection), put on the instance. Without it
     * the instance has only RDS's automated backups, which die with the instance's region and account.
     * @default none
     */
    readonly backupTag?: { readonly key: string; readonly value: string };
    /**
     * Production safety: deletion protection, a final snapshot, automated backups kept after deletion, and
     * `protect` + `retainOnDelete` on the instance, key, secret and log groups. Without it `pulumi destroy` deletes
     * the database and its backups for good.
     * @default false
     */
    readonly protect?: boolean;
    /**
     * Where RDS events (the instance's and the parameter group's) go. Observability passes its alert topic, whose
     * key and policy must then let events.rds.amazonaws.com publish (encrypted topics: kms:GenerateDataKey* and
     * kms:Decrypt on its key).
     * @default the component's own topic `${name}-events` (encrypted with its key, only RDS of this account may
     * publish, TLS only): events reach nobody until something subscribes to it
     */
    readonly eventTopicArn?: pulumi.Input<string>;
}

/** The parameter group family of an engine version (`17.5` -> `postgres17`). */
export function parameterFamily(engineVersion: string): string {
    return `postgres${engineVersion.split(".")[0]}`;
}

const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const WEEK = 7 * 24 * 60;

/** Minutes of the week a window covers, as [start, end) with end > start (a window may cross midnight or the week). */
function windowMinutes(window: string, weekly: boolean): [number, number] | undefined {
    const part = weekly ? /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/ : /^([01]\d|2[0-3]):([0-5]\d)$/;
    const ends = window.split("-");
    if (ends.length !== 2) return undefined;
    const at = ends.map((e) => part.exec(e));
    if (!at[0] || !at[1]) return undefined;
    const minute = (m: RegExpExecArray) => (weekly ? DAYS.indexOf(m[1]) * 1440 + Number(m[2]) * 60 + Number(m[3]) : Number(m[1]) * 60 + Number(m[2]));
    const start = minute(at[0]);
    let end = minute(at[1]);
    if (end <= start) end += weekly ? WEEK : 1440;
    return [start, end];
}

/** What makes the args unusable, for one error naming them all (stacks/ validates config more closely, with its keys). */
export function argProblems(args: DatabaseArgs): string[] {
    const problems: string[] = [];
    if (!/^\d+(\.\d+)?$/.test(args.engineVersion)) problems.push(`engineVersion "${args.engineVersion}" must be a PostgreSQL version such as "17.5"`);
    if (!(Number.isInteger(args.allocatedStorage) && args.allocatedStorage >= 20)) problems.push(`allocatedStorage (${args.allocatedStorage}) must be whole GiB >= 20`);
    if (!(args.maxAllocatedStorage >= args.allocatedStorage)) problems.push(`maxAllocatedStorage (${args.maxAllocatedStorage}) must be >= allocatedStorage (${args.allocatedStorage})`);
    if (!(Number.isInteger(args.backupRetentionDays) && args.backupRetentionDays >= 1 && args.backupRetentionDays <= 35)) {
        problems.push(`backupRetentionDays (${args.backupRetentionDays}) must be whole days from 1 to 35`);
    }
    const rotationDays = args.rotationDays ?? 30;
    if (!(Number.isInteger(rotationDays) && rotationDays >= 1 && rotationDays <= 90)) problems.push(`rotationDays (${rotationDays}) must be whole days from 1 to 90`);
    const interval = args.monitoringIntervalSeconds ?? 60;
    if (!MONITORING_INTERVALS.includes(interval)) problems.push(`monitoringIntervalSeconds (${interval}) must be one of ${MONITORING_INTERVALS.join(", ")}`);
    const insights = args.performanceInsightsRetentionDays ?? 7;
    if (!(insights === 7 || insights === 731 || (Number.isInteger(insights) && insights > 0 && insights % 31 === 0 && insights <= 713))) {
        problems.push(`performanceInsightsRetentionDays (${insights}) must be 7, 731 or a multiple of 31 up to 713`);
    }
    const backup = windowMinutes(args.backupWindow ?? "03:00-04:00", false);
    const maintenance = windowMinutes(args.maintenanceWindow ?? "sun:04:30-sun:05:30", true);
    if (!backup) problems.push(`backupWindow "${args.backupWindow}" must be hh:mm-hh:mm (UTC)`);
    else if (backup[1] - backup[0] < 30) problems.push(`backupWindow "${args.backupWindow}" must last at least 30 minutes`);
    if (!maintenance) problems.push(`maintenanceWindow "${args.maintenanceWindow}" must be ddd:hh:mm-ddd:hh:mm (UTC)`);
    else if (maintenance[1] - maintenance[0] < 30) problems.push(`maintenanceWindow "${args.maintenanceWindow}" must last at least 30 minutes`);
    if (backup && maintenance) {
        // The daily window on each day of the week against the weekly one; either may wrap past midnight or Sunday.
        const overlaps = DAYS.some((_, d) =>
            [-WEEK, 0, WEEK].some((shift) => backup[0] + d * 1440 < maintenance[1] + shift && maintenance[0] + shift < backup[1] + d * 1440),
        );
        if (overlaps) problems.push(`backupWindow "${args.backupWindow ?? "03:00-04:00"}" overlaps maintenanceWindow "${args.maintenanceWindow ?? "sun:04:30-sun:05:30"}"`);
    }
    const proxy = { ...DEFAULT_PROXY, ...args.proxy };
    for (const key of ["maxConnectionsPercent", "maxIdleConnectionsPercent"] as const) {
        if (!(Number.isInteger(proxy[key]) && proxy[key] >= 0 && proxy[key] <= 100)) problems.push(`proxy.${key} (${proxy[key]}) must be a whole percentage from 0 to 100`);
    }
    if (proxy.maxIdleConnectionsPercent > proxy.maxConnectionsPercent) {
        problems.push(`proxy.maxIdleConnectionsPercent (${proxy.maxIdleConnectionsPercent}) must be <= proxy.maxConnectionsPercent (${proxy.maxConnectionsPercent})`);
    }
    if (!(Number.isInteger(proxy.connectionBorrowTimeoutSeconds) && proxy.connectionBorrowTimeoutSeconds >= 1 && proxy.connectionBorrowTimeoutSeconds <= 300)) {
        problems.push(`proxy.connectionBorrowTimeoutSeconds (${proxy.connectionBorrowTimeoutSeconds}) must be whole seconds from 1 to 300`);
    }
    if (!(Number.isInteger(proxy.idleClientTimeoutSeconds) && proxy.idleClientTimeoutSeconds >= 1 && proxy.idleClientTimeoutSeconds <= 28800)) {
        problems.push(`proxy.idleClientTimeoutSeconds (${proxy.idleClientTimeoutSeconds}) must be whole seconds from 1 to 28800`);
    }
    return problems;
}
