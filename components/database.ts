import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { awsContext, type AwsContext } from "./shared/aws-context";
import { accountAdministersKey, logsMayEncrypt, policyDocument, serviceTrustPolicy, toJson } from "./shared/iam";
import { resourceTags, type Tags } from "./shared/tags";

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

/** The master secret: its ARN, and what a grant names (the ARN, or a pattern of its name known before deploy). */
interface MasterSecret {
    readonly arn: pulumi.Output<string>;
    readonly grant: pulumi.Output<string>;
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

/**
 * PostgreSQL on RDS behind RDS Proxy: a customer-managed key, TLS-only parameters, encrypted log exports,
 * Enhanced Monitoring and Performance Insights, and a master credential that rotates (RDS-managed, or a stack secret
 * rotated by AWS's function). Clients authenticate to the proxy with IAM; none holds a database password.
 */
export class Database extends pulumi.ComponentResource {
    /** RDS Proxy's endpoint: the only address clients use. */
    readonly proxyEndpoint: pulumi.Output<string>;
    readonly port: number;
    readonly databaseName: string;
    /** The master user, which IAM-authenticated clients connect as through the proxy. */
    readonly username: string;
    /** The master credential's secret: RDS's own (`managed`) or the stack's (`stack`). */
    readonly secretArn: pulumi.Output<string>;
    readonly instanceIdentifier: pulumi.Output<string>;
    readonly instanceArn: pulumi.Output<string>;
    /** The component's key: storage, Performance Insights, log groups and the secret. */
    readonly keyArn: pulumi.Output<string>;
    /** The DB subnet group (the isolated subnets): where a restore of this database lands (AWS Backup restore tests). */
    readonly subnetGroupName: pulumi.Output<string>;
    readonly proxyArn: pulumi.Output<string>;
    /**
     * What a client's role needs `rds-db:connect` on: `arn:<partition>:rds-db:<region>:<account>:dbuser:<prx-id>/<user>`
     * (the proxy's resource id is the last part of its ARN; known after deploy).
     */
    readonly connectResourceArn: pulumi.Output<string>;
    readonly credentials: DatabaseCredentials;
    /** The SNS topic the instance's and parameter group's events go to: `eventTopicArn`, or the component's own. */
    readonly eventTopicArn: pulumi.Output<string>;

    constructor(name: string, args: DatabaseArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // Before anything is registered: every problem at once.
        const problems = argProblems(args);
        if (problems.length > 0) throw new pulumi.RunError(`Database ${name} has invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        super("webstack:data:Database", name, {}, opts);
        const parent = { parent: this };
        const protect = args.protect ?? false;
        const stateful = { parent: this, protect, retainOnDelete: protect };
        const tags = (role: string) => resourceTags(args.tags, name, `${name}-${role}`);
        const ctx = awsContext(this);
        const proxySettings = { ...DEFAULT_PROXY, ...args.proxy };

        // The identifier is chosen before the instance exists, so its log groups can be created first (RDS would
        // otherwise create them, unencrypted and kept forever); the suffix keeps stacks of one account apart.
        const suffix = new random.RandomString(`${name}-identifier`, { length: 8, special: false, upper: false, numeric: true, lower: true }, parent);
        const identifier = pulumi.interpolate`${name}-${suffix.result}`;

        const ownTopic = args.eventTopicArn === undefined;
        // The proxy's role exists before the key, whose policy lets it decrypt the master secret by name.
        const proxyRole = new aws.iam.Role(
            `${name}-proxy`,
            {
                description: `Lets ${name}'s RDS Proxy read the master credential`,
                assumeRolePolicy: toJson(serviceTrustPolicy("rds.amazonaws.com", ctx.accountId)),
                tags: tags("proxy"),
            },
            parent,
        );
        const proxyRoleArn = pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:role/${proxyRole.name}`;
        const key = this.createKey(name, ctx, protect, tags, ownTopic, proxyRoleArn);
        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { description: `${name}: isolated subnets (no route out of the VPC)`, subnetIds: args.network.isolatedSubnetIds, tags: tags("subnets") },
            parent,
        );
        const family = parameterFamily(args.engineVersion);
        const parameterGroup = new aws.rds.ParameterGroup(
            `${name}-params`,
            { family, description: `${name}: TLS only, connection and slow-statement logging`, parameters: DATABASE_PARAMETERS.map((p) => ({ ...p })), tags: tags("params") },
            parent,
        );
        const logGroups = DATABASE_LOGS.map(
            (log) =>
                new aws.cloudwatch.LogGroup(
                    `${name}-${log}`,
                    { name: pulumi.interpolate`/aws/rds/instance/${identifier}/${log}`, retentionInDays: args.logRetentionDays, kmsKeyId: key.arn, tags: tags(log) },
                    stateful,
                ),
        );
        const monitoringRole = new aws.iam.Role(
            `${name}-monitoring`,
            {
                description: `Lets RDS Enhanced Monitoring publish ${name}'s OS metrics`,
                assumeRolePolicy: toJson(serviceTrustPolicy("monitoring.rds.amazonaws.com", ctx.accountId, ctx.arn("rds", "db:*"))),
                tags: tags("monitoring"),
            },
            parent,
        );
        const monitoringPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-monitoring`,
            { role: monitoringRole.name, policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole` },
            parent,
        );

        const managed = args.credentials === "managed";
        // `stack`: generated here, a Pulumi secret in state, written write-only to the instance and the secret; the
        // first rotation (right after creation) replaces it, so the value in state stops working at once.
        const password = managed
            ? undefined
            : new random.RandomPassword(`${name}-master-password`, { length: 40, special: false, minUpper: 1, minLower: 1, minNumeric: 1 }, parent);
        const finalSnapshot = protect ? { skipFinalSnapshot: false, finalSnapshotIdentifier: pulumi.interpolate`${identifier}-final` } : { skipFinalSnapshot: true };
        const instance = new aws.rds.Instance(
            `${name}-postgres`,
            {
                identifier,
                engine: "postgres",
                engineVersion: args.engineVersion,
                instanceClass: args.instanceClass,
                multiAz: args.multiAz,
                storageType: "gp3",
                allocatedStorage: args.allocatedStorage,
                maxAllocatedStorage: args.maxAllocatedStorage,
                storageEncrypted: true,
                kmsKeyId: key.arn,
                dbName: args.databaseName,
                username: args.masterUsername,
                port: DATABASE_PORT,
                ...(managed
                    ? { manageMasterUserPassword: true, masterUserSecretKmsKeyId: key.arn }
                    : { passwordWo: (password as random.RandomPassword).result, passwordWoVersion: 1 }),
                iamDatabaseAuthenticationEnabled: true,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [args.network.databaseSecurityGroupId],
                publiclyAccessible: false,
                parameterGroupName: parameterGroup.name,
                caCertIdentifier: DATABASE_CA,
                backupRetentionPeriod: args.backupRetentionDays,
                backupWindow: args.backupWindow ?? "03:00-04:00",
                maintenanceWindow: args.maintenanceWindow ?? "sun:04:30-sun:05:30",
                autoMinorVersionUpgrade: true,
                copyTagsToSnapshot: true,
                deletionProtection: protect,
                deleteAutomatedBackups: !protect,
                ...finalSnapshot,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: key.arn,
                performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays ?? 7,
                monitoringInterval: args.monitoringIntervalSeconds ?? 60,
                monitoringRoleArn: monitoringRole.arn,
                enabledCloudwatchLogsExports: [...DATABASE_LOGS],
                tags: { ...tags("postgres"), ...(args.backupTag ? { [args.backupTag.key]: args.backupTag.value } : {}) },
            },
            // RDS must find its log groups (encrypted, retained) and be allowed to publish metrics when it starts.
            { ...stateful, dependsOn: [...logGroups, monitoringPolicy] },
        );

        const master = managed
            ? { arn: instance.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn), grant: instance.masterUserSecrets.apply((secrets) => secrets[0]?.secretArn) } // named by RDS at create
            : this.createStackSecret(name, args, instance, password as random.RandomPassword, key, identifier, ctx, protect, tags);
        const secretArn = master.arn;
        const proxy = this.createProxy(name, args, proxySettings, instance, master, proxyRole, tags);
        const eventTopicArn = this.createEventSubscriptions(name, args, instance, parameterGroup, key, ctx, tags);

        this.credentials = args.credentials;
        this.proxyEndpoint = proxy.endpoint;
        this.port = DATABASE_PORT;
        this.databaseName = args.databaseName;
        this.username = args.masterUsername;
        this.secretArn = secretArn;
        this.instanceIdentifier = instance.identifier;
        this.instanceArn = instance.arn;
        this.keyArn = key.arn;
        this.subnetGroupName = subnetGroup.name;
        this.proxyArn = proxy.arn;
        this.connectResourceArn = pulumi.interpolate`arn:${ctx.partition}:rds-db:${ctx.region}:${ctx.accountId}:dbuser:${proxy.arn.apply((arn) => arn.split(":").pop() ?? "")}/${args.masterUsername}`;
        this.eventTopicArn = eventTopicArn;
        this.registerOutputs({
            proxyEndpoint: this.proxyEndpoint,
            port: this.port,
            databaseName: this.databaseName,
            username: this.username,
            secretArn: this.secretArn,
            instanceIdentifier: this.instanceIdentifier,
            instanceArn: this.instanceArn,
            keyArn: this.keyArn,
            proxyArn: this.proxyArn,
            connectResourceArn: this.connectResourceArn,
            eventTopicArn: this.eventTopicArn,
        });
    }

    /**
     * The component's key. The account uses it only through RDS (storage, Performance Insights) and Secrets Manager
     * (the master secret, read by the proxy and the rotation function), as each service's default key policy does;
     * CloudWatch Logs only for RDS instance log groups; with the component's own event topic, RDS event delivery.
     */
    private createKey(name: string, ctx: AwsContext, protect: boolean, tags: (role: string) => Tags, eventTopic: boolean, proxyRoleArn: pulumi.Input<string>): aws.kms.Key {
        const through = (service: string) => ({
            StringEquals: { "kms:ViaService": pulumi.interpolate`${service}.${ctx.region}.${ctx.dnsSuffix}`, "kms:CallerAccount": ctx.accountId },
        });
        const use = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"];
        return new aws.kms.Key(
            `${name}-key`,
            {
                description: `${name}: PostgreSQL storage, Performance Insights, logs and the master secret`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: toJson(
                    policyDocument(
                        accountAdministersKey(ctx.accountRoot),
                        { Sid: "AccountUsesThroughRds", Effect: "Allow", Principal: { AWS: ctx.accountRoot }, Action: use, Resource: "*", Condition: through("rds") },
                        { Sid: "AccountUsesThroughSecretsManager", Effect: "Allow", Principal: { AWS: ctx.accountRoot }, Action: use, Resource: "*", Condition: through("secretsmanager") },
                        // The proxy decrypts its secret by this grant to its role (named, so the role's own policy names no key
                        // ARN, which AWS assigns only at create: that policy is then known before deploy).
                        {
                            Sid: "ProxyDecryptsMasterSecret",
                            Effect: "Allow",
                            Principal: { AWS: proxyRoleArn },
                            Action: ["kms:Decrypt"],
                            Resource: "*",
                            Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${ctx.region}.${ctx.dnsSuffix}` } },
                        },
                        logsMayEncrypt(ctx.arn, ctx.region, "log-group:/aws/rds/instance/*"),
                        // A publisher to an encrypted topic needs the key; without this RDS drops its events silently.
                        ...(eventTopic
                            ? [
                                  {
                                      Sid: "RdsEventsPublish",
                                      Effect: "Allow" as const,
                                      Principal: { Service: "events.rds.amazonaws.com" },
                                      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                                      Resource: "*",
                                      Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
                                  },
                              ]
                            : []),
                    ),
                ),
                tags: tags("key"),
            },
            { parent: this, protect, retainOnDelete: protect },
        );
    }

    /**
     * The `stack` credential: a secret under the component's key holding what the rotation function needs (engine,
     * host, port, username, password, dbname), written write-only, and rotated by AWS's function deployed from the
     * Serverless Application Repository (its template also lets Secrets Manager invoke it). Returns its ARN and the
     * ARN pattern a grant names it by (known before deploy).
     */
    private createStackSecret(
        name: string,
        args: DatabaseArgs,
        instance: aws.rds.Instance,
        password: random.RandomPassword,
        key: aws.kms.Key,
        identifier: pulumi.Output<string>,
        ctx: AwsContext,
        protect: boolean,
        tags: (role: string) => Tags,
    ): MasterSecret {
        const secret = new aws.secretsmanager.Secret(
            `${name}-master`,
            {
                description: `${name}: PostgreSQL master credential (rotated every ${args.rotationDays ?? 30} days)`,
                kmsKeyId: key.arn,
                recoveryWindowInDays: protect ? 30 : 7,
                tags: tags("master"),
            },
            { parent: this, protect, retainOnDelete: protect },
        );
        // Only this account's principals, whatever identity policy is added later; and never a public policy.
        new aws.secretsmanager.SecretPolicy(
            `${name}-master`,
            {
                secretArn: secret.arn,
                blockPublicPolicy: true,
                policy: toJson(
                    policyDocument({
                        Sid: "DenyOutsideAccount",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "secretsmanager:*",
                        Resource: "*",
                        Condition: { StringNotEquals: { "aws:PrincipalAccount": ctx.accountId } },
                    }),
                ),
            },
            { parent: this },
        );
        const version = new aws.secretsmanager.SecretVersion(
            `${name}-master`,
            {
                secretId: secret.id,
                secretStringWo: pulumi.jsonStringify({
                    engine: "postgres",
                    host: instance.address,
                    port: DATABASE_PORT,
                    username: args.masterUsername,
                    password: password.result,
                    dbname: args.databaseName,
                }),
                secretStringWoVersion: 1,
            },
            { parent: this },
        );
        const rotator = new aws.serverlessrepository.CloudFormationStack(
            `${name}-rotation`,
            {
                applicationId: ROTATION_APPLICATION.id,
                semanticVersion: ROTATION_APPLICATION.semanticVersion,
                capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
                parameters: {
                    functionName: pulumi.interpolate`${identifier}-rotation`,
                    endpoint: pulumi.interpolate`https://secretsmanager.${ctx.region}.${ctx.dnsSuffix}`,
                    vpcSubnetIds: pulumi.output(args.network.privateSubnetIds).apply((ids) => ids.join(",")),
                    vpcSecurityGroupIds: args.network.rotationSecurityGroupId,
                    kmsKeyArn: key.arn,
                    excludeCharacters: ROTATION_EXCLUDED_CHARACTERS,
                },
                tags: tags("rotation"),
            },
            { parent: this },
        );
        new aws.secretsmanager.SecretRotation(
            `${name}-rotation`,
            {
                secretId: secret.id,
                rotationLambdaArn: rotator.outputs.apply((o) => o.RotationLambdaARN),
                rotationRules: { automaticallyAfterDays: args.rotationDays ?? 30 },
                // The password Pulumi generated (in state, encrypted) is replaced as soon as rotation is set up.
                rotateImmediately: true,
            },
            // The function needs the secret's value and a database to connect to.
            { parent: this, dependsOn: [version, instance] },
        );
        // Secrets Manager appends six random characters to the name: the grant names exactly those of this secret.
        return { arn: secret.arn, grant: ctx.arn("secretsmanager", pulumi.interpolate`secret:${secret.name}-??????`) };
    }

    /**
     * RDS event subscriptions (FSBP RDS.20, RDS.21): the instance's critical categories, and every category of the
     * parameter group (only "configuration change" exists for that source type; naming others fails the API call).
     * Without `eventTopicArn`, into the component's own topic: under its key, RDS of this account the only publisher,
     * TLS only. Returns the topic's ARN.
     */
    private createEventSubscriptions(
        name: string,
        args: DatabaseArgs,
        instance: aws.rds.Instance,
        parameterGroup: aws.rds.ParameterGroup,
        key: aws.kms.Key,
        ctx: AwsContext,
        tags: (role: string) => Tags,
    ): pulumi.Output<string> {
        let topicArn: pulumi.Output<string>;
        let ready: pulumi.Resource[] = [];
        if (args.eventTopicArn !== undefined) {
            topicArn = pulumi.output(args.eventTopicArn);
        } else {
            const topic = new aws.sns.Topic(`${name}-events`, { kmsMasterKeyId: key.arn, tags: tags("events") }, { parent: this });
            // The topic's ARN from its name, known before deploy (its `arn` output is not): the pack reads this policy on every preview.
            const ownArn = ctx.arn("sns", topic.name);
            const policy = new aws.sns.TopicPolicy(
                `${name}-events`,
                {
                    arn: topic.arn,
                    policy: toJson(
                        policyDocument(
                            {
                                Sid: "RdsEventsPublish",
                                Effect: "Allow",
                                Principal: { Service: "events.rds.amazonaws.com" },
                                Action: "sns:Publish",
                                Resource: ownArn,
                                Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
                            },
                            {
                                Sid: "DenyInsecureTransport",
                                Effect: "Deny",
                                Principal: "*",
                                Action: "sns:Publish",
                                Resource: ownArn,
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ),
                    ),
                },
                { parent: this },
            );
            topicArn = topic.arn;
            ready = [policy];
        }
        // RDS announces a new subscription on its topic: the topic must already accept RDS's messages.
        const opts = { parent: this, dependsOn: ready };
        new aws.rds.EventSubscription(
            `${name}-instance-events`,
            {
                snsTopic: topicArn,
                sourceType: "db-instance",
                sourceIds: [instance.identifier],
                eventCategories: [...INSTANCE_EVENT_CATEGORIES],
                enabled: true,
                tags: tags("instance-events"),
            },
            opts,
        );
        new aws.rds.EventSubscription(
            `${name}-params-events`,
            { snsTopic: topicArn, sourceType: "db-parameter-group", sourceIds: [parameterGroup.name], enabled: true, tags: tags("params-events") },
            opts,
        );
        return topicArn;
    }

    /**
     * RDS Proxy: TLS required, IAM authentication required (clients sign tokens; none holds a password), its role
     * reading only the master secret (and decrypting it by the key policy's grant to the role), through Secrets Manager.
     */
    private createProxy(
        name: string,
        args: DatabaseArgs,
        settings: DatabaseProxySettings,
        instance: aws.rds.Instance,
        master: MasterSecret,
        role: aws.iam.Role,
        tags: (role: string) => Tags,
    ): aws.rds.Proxy {
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-proxy`,
            { role: role.id, policy: toJson(policyDocument({ Sid: "ReadMasterSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [master.grant] })) },
            { parent: this },
        );
        const proxy = new aws.rds.Proxy(
            `${name}-proxy`,
            {
                engineFamily: "POSTGRESQL",
                requireTls: true,
                debugLogging: false,
                idleClientTimeout: settings.idleClientTimeoutSeconds,
                roleArn: role.arn,
                vpcSubnetIds: args.network.privateSubnetIds,
                vpcSecurityGroupIds: [args.network.proxySecurityGroupId],
                auths: [
                    {
                        authScheme: "SECRETS",
                        description: `${args.masterUsername}, by IAM authentication only`,
                        secretArn: master.arn,
                        iamAuth: "REQUIRED",
                        clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
                    },
                ],
                tags: tags("proxy"),
            },
            // The proxy checks its secret when it starts.
            { parent: this, dependsOn: [rolePolicy] },
        );
        const targetGroup = new aws.rds.ProxyDefaultTargetGroup(
            `${name}-proxy`,
            {
                dbProxyName: proxy.name,
                connectionPoolConfig: {
                    maxConnectionsPercent: settings.maxConnectionsPercent,
                    maxIdleConnectionsPercent: settings.maxIdleConnectionsPercent,
                    connectionBorrowTimeout: settings.connectionBorrowTimeoutSeconds,
                },
            },
            { parent: this },
        );
        new aws.rds.ProxyTarget(
            `${name}-proxy`,
            { dbProxyName: proxy.name, targetGroupName: targetGroup.name, dbInstanceIdentifier: instance.identifier },
            { parent: this },
        );
        return proxy;
    }
}
