// webstack:data:Database: PostgreSQL on RDS behind RDS Proxy, composed from the files of this folder.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { awsContext } from "../shared/aws-context";
import { serviceTrustPolicy, toJson } from "../shared/iam";
import { resourceTags } from "../shared/tags";
import { createStackSecret } from "./credentials";
import { createEventSubscriptions } from "./events";
import { createKey } from "./key";
import { createProxy } from "./proxy";
import {
    argProblems,
    DATABASE_CA,
    DATABASE_LOGS,
    DATABASE_PARAMETERS,
    DATABASE_PORT,
    DEFAULT_PROXY,
    parameterFamily,
    type DatabaseArgs,
    type DatabaseCredentials,
} from "./settings";

export * from "./settings";

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
        const key = createKey(this, name, ctx, protect, tags, ownTopic, proxyRoleArn);
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
            : createStackSecret(this, name, args, instance, password as random.RandomPassword, key, identifier, ctx, protect, tags);
        const secretArn = master.arn;
        const proxy = createProxy(this, name, args, proxySettings, instance, master, proxyRole, tags);
        const eventTopicArn = createEventSubscriptions(this, name, args, instance, parameterGroup, key, ctx, tags);

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
}
