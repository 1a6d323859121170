import * as assert from "assert/strict";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
    DATABASE_CA,
    DATABASE_LOGS,
    DATABASE_PARAMETERS,
    Database,
    INSTANCE_EVENT_CATEGORIES,
    ROTATION_APPLICATION,
    ROTATION_EXCLUDED_CHARACTERS,
    argProblems,
    parameterFamily,
    type DatabaseArgs,
} from "../../components/database";
import { DisasterRecovery } from "../../components/disaster-recovery";
import { Vpc } from "../../components/vpc";
import { POLICIES } from "../../policy/rules";
import { MASK, mask, reveal, type Graph, type RecordedResource } from "../../tools/engine/graph";
import { evaluatePolicies } from "../../tools/policy/evaluate";
import { readPackConfig } from "../../tools/policy/pack";
import { ROOT, T, named, planProgram, registeredCount, valueOf } from "../helpers/engine";
import { globMatch } from "../../policy/lib/patterns";

const D = {
    component: "webstack:data:Database",
    instance: "aws:rds/instance:Instance",
    subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    params: "aws:rds/parameterGroup:ParameterGroup",
    proxy: "aws:rds/proxy:Proxy",
    targetGroup: "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup",
    target: "aws:rds/proxyTarget:ProxyTarget",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    secret: "aws:secretsmanager/secret:Secret",
    secretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    rotation: "aws:secretsmanager/secretRotation:SecretRotation",
    sar: "aws:serverlessrepository/cloudFormationStack:CloudFormationStack",
    password: "random:index/randomPassword:RandomPassword",
    suffix: "random:index/randomString:RandomString",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:rds/eventSubscription:EventSubscription",
} as const;

const TAGS = { Project: "webstack", Stack: "production", Environment: "production", Owner: "platform-team", CostCenter: "CC-1042" };
const tagsOf = (role: string) => ({ ...TAGS, Component: "db", Name: `db-${role}` });
const ACCOUNT = "123456789012";
/** An alert topic another component (Observability) owns. */
const ALERTS = `arn:aws:sns:us-east-1:${ACCOUNT}:webstack-alerts`;
const NETWORK = {
    isolatedSubnetIds: ["subnet-0iso000000000000a", "subnet-0iso000000000000b"],
    privateSubnetIds: ["subnet-0prv000000000000a", "subnet-0prv000000000000b"],
    databaseSecurityGroupId: "sg-0db000000000000000",
    proxySecurityGroupId: "sg-0proxy00000000000",
    rotationSecurityGroupId: "sg-0rotation00000000",
};
const BASE: DatabaseArgs = {
    network: NETWORK,
    engineVersion: "17.5",
    instanceClass: "db.m7g.large",
    multiAz: true,
    allocatedStorage: 100,
    maxAllocatedStorage: 500,
    databaseName: "webstack",
    masterUsername: "webstack_admin",
    credentials: "stack",
    backupRetentionDays: 14,
    logRetentionDays: 365,
    tags: TAGS,
};
const PRODUCTION: Partial<DatabaseArgs> = { backupTag: { key: "Backup", value: "webstack-production" }, protect: true };
const MANAGED: Partial<DatabaseArgs> = { credentials: "managed" };

interface Planned {
    readonly g: Graph;
    readonly db: Database;
}

/** Plans one Database named "db" over the fake network (`preview`: as `plan --preview`). */
async function planDb(args: Partial<DatabaseArgs> = {}, { preview = false } = {}): Promise<Planned> {
    let db: Database | undefined;
    const g = await planProgram(() => (db = new Database("db", { ...BASE, ...args })), "production", { preview });
    return { g, db: db as Database };
}

const one = named;
const json = (value: unknown): unknown => {
    assert.equal(typeof value, "string", "expected a JSON document string");
    return JSON.parse(value as string);
};
const statements = (r: RecordedResource, prop = "policy") => (json(r.inputs[prop]) as { Statement: Record<string, unknown>[] }).Statement;
const identifierOf = (g: Graph) => `db-${String(one(g, D.suffix, "db-identifier").outputs.result)}`;
const keyArn = (g: Graph) => String(one(g, T.kmsKey, "db-key").outputs.arn);

describe("Database", () => {
    describe("inventory", () => {
        const COMMON = [
            "aws:cloudwatch/logGroup:LogGroup db-iam-db-auth-error",
            "aws:cloudwatch/logGroup:LogGroup db-postgresql",
            "aws:cloudwatch/logGroup:LogGroup db-upgrade",
            "aws:iam/role:Role db-monitoring",
            "aws:iam/role:Role db-proxy",
            "aws:iam/rolePolicy:RolePolicy db-proxy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment db-monitoring",
            "aws:kms/key:Key db-key",
            "aws:rds/eventSubscription:EventSubscription db-instance-events",
            "aws:rds/eventSubscription:EventSubscription db-params-events",
            "aws:rds/instance:Instance db-postgres",
            "aws:rds/parameterGroup:ParameterGroup db-params",
            "aws:rds/proxy:Proxy db-proxy",
            "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup db-proxy",
            "aws:rds/proxyTarget:ProxyTarget db-proxy",
            "aws:rds/subnetGroup:SubnetGroup db-subnets",
            "random:index/randomString:RandomString db-identifier",
            "webstack:data:Database db",
        ];
        /** The component's own event topic (no eventTopicArn). */
        const TOPIC = ["aws:sns/topic:Topic db-events", "aws:sns/topicPolicy:TopicPolicy db-events"];
        const STACK = [
            "aws:secretsmanager/secret:Secret db-master",
            "aws:secretsmanager/secretPolicy:SecretPolicy db-master",
            "aws:secretsmanager/secretRotation:SecretRotation db-rotation",
            "aws:secretsmanager/secretVersion:SecretVersion db-master",
            "aws:serverlessrepository/cloudFormationStack:CloudFormationStack db-rotation",
            "random:index/randomPassword:RandomPassword db-master-password",
        ];
        const inv = (g: Graph) => g.resources.map((r) => `${r.type} ${r.name}`).sort();

        it("stack credentials: instance, proxy, key, logs, monitoring role, and the rotated stack secret", async () => {
            assert.deepEqual(inv((await planDb()).g), [...COMMON, ...TOPIC, ...STACK].sort());
        });

        it("managed credentials: no secret, password or rotation function of the stack's own", async () => {
            assert.deepEqual(inv((await planDb(MANAGED)).g), [...COMMON, ...TOPIC].sort());
        });

        it("with eventTopicArn: no topic of its own", async () => {
            assert.deepEqual(inv((await planDb({ ...MANAGED, eventTopicArn: ALERTS })).g), [...COMMON].sort());
        });

        it("parents every child to the component", async () => {
            const { g } = await planDb();
            const component = one(g, D.component, "db");
            assert.deepEqual(g.resources.filter((r) => r !== component && r.parent !== component.urn).map((r) => r.name), []);
        });
    });

    describe("instance", () => {
        it("is encrypted PostgreSQL on gp3 with autoscaling, private, TLS-only, backed up, monitored and logging, in production shape", async () => {
            const { g } = await planDb(PRODUCTION);
            const id = identifierOf(g);
            const key = keyArn(g);
            const { passwordWo, tags, ...inputs } = one(g, D.instance, "db-postgres").inputs;
            assert.deepEqual(inputs, {
                identifier: id,
                engine: "postgres",
                engineVersion: "17.5",
                instanceClass: "db.m7g.large",
                multiAz: true,
                storageType: "gp3",
                allocatedStorage: 100,
                maxAllocatedStorage: 500,
                storageEncrypted: true,
                kmsKeyId: key,
                dbName: "webstack",
                username: "webstack_admin",
                port: 5432,
                passwordWoVersion: 1,
                iamDatabaseAuthenticationEnabled: true,
                dbSubnetGroupName: one(g, D.subnetGroup, "db-subnets").outputs.name,
                vpcSecurityGroupIds: ["sg-0db000000000000000"],
                publiclyAccessible: false,
                parameterGroupName: one(g, D.params, "db-params").outputs.name,
                caCertIdentifier: "rds-ca-rsa2048-g1",
                backupRetentionPeriod: 14,
                backupWindow: "03:00-04:00",
                maintenanceWindow: "sun:04:30-sun:05:30",
                autoMinorVersionUpgrade: true,
                copyTagsToSnapshot: true,
                deletionProtection: true,
                deleteAutomatedBackups: false,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: `${id}-final`,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: key,
                performanceInsightsRetentionPeriod: 7,
                monitoringInterval: 60,
                monitoringRoleArn: one(g, T.role, "db-monitoring").outputs.arn,
                enabledCloudwatchLogsExports: ["postgresql", "upgrade", "iam-db-auth-error"],
            });
            assert.equal(mask(passwordWo), MASK, "the write-only password is a secret");
            assert.deepEqual(tags, { ...tagsOf("postgres"), Backup: "webstack-production" });
            assert.equal(DATABASE_CA, "rds-ca-rsa2048-g1");
            assert.match(id, /^db-[a-z0-9]{8}$/);
        });

        it("without protect: no deletion protection, no final snapshot, backups deleted with it, no backup tag", async () => {
            const { g } = await planDb({ multiAz: false, backupWindow: "22:00-22:30", maintenanceWindow: "sat:23:00-sun:00:30", monitoringIntervalSeconds: 15, performanceInsightsRetentionDays: 731 });
            const i = one(g, D.instance, "db-postgres").inputs;
            assert.deepEqual(
                [i.multiAz, i.deletionProtection, i.skipFinalSnapshot, i.finalSnapshotIdentifier, i.deleteAutomatedBackups, i.backupWindow, i.maintenanceWindow, i.monitoringInterval, i.performanceInsightsRetentionPeriod],
                [false, false, true, undefined, true, "22:00-22:30", "sat:23:00-sun:00:30", 15, 731],
            );
            assert.deepEqual(i.tags, tagsOf("postgres"));
        });

        it("managed credentials: RDS manages the master password under the component's key; no password input", async () => {
            const { g } = await planDb(MANAGED);
            const i = one(g, D.instance, "db-postgres").inputs;
            assert.deepEqual([i.manageMasterUserPassword, i.masterUserSecretKmsKeyId, i.passwordWo, i.passwordWoVersion, i.password], [true, keyArn(g), undefined, undefined, undefined]);
        });

        it("waits for its log groups and the monitoring role's policy", async () => {
            const { g } = await planDb();
            const deps = one(g, D.instance, "db-postgres").dependencies;
            for (const log of DATABASE_LOGS) assert.ok(deps.includes(one(g, T.logGroup, `db-${log}`).urn), log);
            assert.ok(deps.includes(one(g, D.attachment, "db-monitoring").urn));
        });

        it("sits in the isolated subnets", async () => {
            const { g } = await planDb();
            assert.deepEqual(one(g, D.subnetGroup, "db-subnets").inputs, {
                description: "db: isolated subnets (no route out of the VPC)",
                subnetIds: NETWORK.isolatedSubnetIds,
                tags: tagsOf("subnets"),
            });
        });
    });

    describe("parameter group", () => {
        it("forces TLS and logs connections, slow statements, lock waits and DDL, all applied without a reboot", async () => {
            const { g } = await planDb({ engineVersion: "16.9" });
            assert.deepEqual(one(g, D.params, "db-params").inputs, {
                family: "postgres16",
                description: "db: TLS only, connection and slow-statement logging",
                parameters: [
                    { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
                    { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
                    { name: "log_connections", value: "1", applyMethod: "immediate" },
                    { name: "log_disconnections", value: "1", applyMethod: "immediate" },
                    { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
                    { name: "log_statement", value: "ddl", applyMethod: "immediate" },
                    { name: "log_temp_files", value: "10240", applyMethod: "immediate" },
                    { name: "log_autovacuum_min_duration", value: "10000", applyMethod: "immediate" },
                ],
                tags: tagsOf("params"),
            });
            assert.equal(DATABASE_PARAMETERS.length, 8);
            assert.deepEqual([parameterFamily("17.5"), parameterFamily("18")], ["postgres17", "postgres18"]);
        });
    });

    describe("logs, monitoring and key", () => {
        it("creates each exported log's group under RDS's name, with retention and the key", async () => {
            const { g } = await planDb({ logRetentionDays: 90 });
            const id = identifierOf(g);
            assert.deepEqual(
                DATABASE_LOGS.map((log) => one(g, T.logGroup, `db-${log}`).inputs),
                DATABASE_LOGS.map((log) => ({ name: `/aws/rds/instance/${id}/${log}`, retentionInDays: 90, kmsKeyId: keyArn(g), tags: tagsOf(log) })),
            );
        });

        it("gives Enhanced Monitoring a role only monitoring.rds.amazonaws.com of this account's databases assumes, with the service-role policy", async () => {
            const { g } = await planDb();
            assert.deepEqual(json(one(g, T.role, "db-monitoring").inputs.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "monitoring.rds.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": `arn:aws:rds:us-east-1:${ACCOUNT}:db:*` } },
                    },
                ],
            });
            assert.deepEqual(one(g, D.attachment, "db-monitoring").inputs, {
                role: one(g, T.role, "db-monitoring").outputs.name,
                policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
            });
        });

        it("has a rotating key used only through RDS and Secrets Manager, and by CloudWatch Logs for RDS instance log groups", async () => {
            const { g } = await planDb();
            const key = one(g, T.kmsKey, "db-key");
            assert.deepEqual([key.inputs.enableKeyRotation, key.inputs.deletionWindowInDays, key.inputs.tags], [true, 30, tagsOf("key")]);
            const use = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"];
            const root = `arn:aws:iam::${ACCOUNT}:root`;
            const [admin, ...rest] = statements(key);
            assert.equal(admin.Sid, "AccountAdministers");
            assert.deepEqual(rest, [
                {
                    Sid: "AccountUsesThroughRds",
                    Effect: "Allow",
                    Principal: { AWS: root },
                    Action: use,
                    Resource: "*",
                    Condition: { StringEquals: { "kms:ViaService": "rds.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT } },
                },
                {
                    Sid: "AccountUsesThroughSecretsManager",
                    Effect: "Allow",
                    Principal: { AWS: root },
                    Action: use,
                    Resource: "*",
                    Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT } },
                },
                {
                    // Granted to the proxy's role by name: its own policy then names no key ARN (known before deploy).
                    Sid: "ProxyDecryptsMasterSecret",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/${String(one(g, T.role, "db-proxy").outputs.name)}` },
                    Action: ["kms:Decrypt"],
                    Resource: "*",
                    Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
                },
                {
                    Sid: "CloudWatchLogsEncrypts",
                    Effect: "Allow",
                    Principal: { Service: "logs.us-east-1.amazonaws.com" },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/rds/instance/*` } },
                },
                {
                    Sid: "RdsEventsPublish",
                    Effect: "Allow",
                    Principal: { Service: "events.rds.amazonaws.com" },
                    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                },
            ]);
            // Another topic: its own key serves RDS, not this one.
            const other = statements(one((await planDb({ eventTopicArn: ALERTS })).g, T.kmsKey, "db-key")).map((st) => st.Sid);
            assert.deepEqual(other, ["AccountAdministers", "AccountUsesThroughRds", "AccountUsesThroughSecretsManager", "ProxyDecryptsMasterSecret", "CloudWatchLogsEncrypts"]);
        });
    });

    describe("events", () => {
        it("sends the instance's critical events and all of the parameter group's to its own topic, once the topic accepts them", async () => {
            const { g, db } = await planDb();
            const topic = one(g, D.topic, "db-events");
            const policy = one(g, D.topicPolicy, "db-events");
            const topicArn = topic.outputs.arn;
            assert.match(String(topicArn), /^arn:aws:sns:us-east-1:123456789012:db-events-[0-9a-f]{7}$/);
            assert.deepEqual(one(g, D.subscription, "db-instance-events").inputs, {
                snsTopic: topicArn,
                sourceType: "db-instance",
                sourceIds: [identifierOf(g)],
                eventCategories: ["availability", "configuration change", "failover", "failure", "low storage", "maintenance", "notification"],
                enabled: true,
                tags: tagsOf("instance-events"),
            });
            assert.deepEqual([...INSTANCE_EVENT_CATEGORIES], one(g, D.subscription, "db-instance-events").inputs.eventCategories);
            // Only "configuration change" exists for parameter groups: unset categories are all of them.
            assert.deepEqual(one(g, D.subscription, "db-params-events").inputs, {
                snsTopic: topicArn,
                sourceType: "db-parameter-group",
                sourceIds: [one(g, D.params, "db-params").outputs.name],
                enabled: true,
                tags: tagsOf("params-events"),
            });
            for (const sub of ["db-instance-events", "db-params-events"]) {
                assert.deepEqual(one(g, D.subscription, sub).dependencies.includes(policy.urn), true, `${sub} waits for the topic policy`);
                assert.match(String(one(g, D.subscription, sub).outputs.name), new RegExp(`^${sub}-[0-9a-f]{7}$`));
            }
            assert.equal(await valueOf(db.eventTopicArn), topicArn);
        });

        it("encrypts its topic with the component's key; only RDS of this account publishes, and only over TLS", async () => {
            const { g } = await planDb();
            const topic = one(g, D.topic, "db-events");
            assert.deepEqual(topic.inputs, { kmsMasterKeyId: keyArn(g), tags: tagsOf("events") });
            assert.match(String(topic.outputs.name), /^db-events-[0-9a-f]{7}$/);
            const policy = one(g, D.topicPolicy, "db-events");
            assert.deepEqual(Object.keys(policy.inputs).sort(), ["arn", "policy"]);
            assert.equal(policy.inputs.arn, topic.outputs.arn);
            assert.equal(policy.outputs.arn, topic.outputs.arn, "the engine reports the policy's topic, as the provider does");
            assert.deepEqual(json(policy.inputs.policy), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "RdsEventsPublish",
                        Effect: "Allow",
                        Principal: { Service: "events.rds.amazonaws.com" },
                        Action: "sns:Publish",
                        Resource: topic.outputs.arn,
                        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                    },
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "sns:Publish",
                        Resource: topic.outputs.arn,
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            });
        });

        it("with eventTopicArn: both subscriptions go to that topic; no topic, topic policy or key grant of its own", async () => {
            const { g, db } = await planDb({ eventTopicArn: ALERTS });
            assert.deepEqual(g.resources.filter((r) => r.type === D.topic || r.type === D.topicPolicy).map((r) => r.name), []);
            const subs = [one(g, D.subscription, "db-instance-events"), one(g, D.subscription, "db-params-events")];
            assert.deepEqual(subs.map((r) => [r.inputs.snsTopic, r.inputs.sourceType, r.inputs.enabled]), [
                [ALERTS, "db-instance", true],
                [ALERTS, "db-parameter-group", true],
            ]);
            assert.equal(await valueOf(db.eventTopicArn), ALERTS);
        });
    });

    describe("proxy", () => {
        for (const mode of ["stack", "managed"] as const) {
            it(`requires TLS and IAM authentication, in the private subnets and the proxy group, reading the ${mode} secret`, async () => {
                const { g } = await planDb({ credentials: mode });
                const secretArn =
                    mode === "stack"
                        ? one(g, D.secret, "db-master").outputs.arn
                        : (one(g, D.instance, "db-postgres").outputs.masterUserSecrets as { secretArn: string }[])[0].secretArn;
                assert.match(String(secretArn), /^arn:aws:secretsmanager:us-east-1:123456789012:secret:/);
                const proxy = one(g, D.proxy, "db-proxy");
                assert.deepEqual(proxy.inputs, {
                    engineFamily: "POSTGRESQL",
                    requireTls: true,
                    debugLogging: false,
                    idleClientTimeout: 1800,
                    roleArn: one(g, T.role, "db-proxy").outputs.arn,
                    vpcSubnetIds: NETWORK.privateSubnetIds,
                    vpcSecurityGroupIds: ["sg-0proxy00000000000"],
                    auths: [
                        {
                            authScheme: "SECRETS",
                            description: "webstack_admin, by IAM authentication only",
                            secretArn,
                            iamAuth: "REQUIRED",
                            clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
                        },
                    ],
                    tags: tagsOf("proxy"),
                });
                assert.ok(proxy.dependencies.includes(one(g, T.rolePolicy, "db-proxy").urn), "starts once its role may read the secret");
                assert.deepEqual(json(one(g, T.role, "db-proxy").inputs.assumeRolePolicy), {
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "rds.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }],
                });
                // The stack secret by its name and Secrets Manager's six-character suffix (known before deploy); RDS's own
                // secret by its ARN. Decrypting is the key policy's grant to the role (see the key's test).
                const grant =
                    mode === "stack" ? `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${String(one(g, D.secret, "db-master").outputs.name)}-??????` : secretArn;
                assert.deepEqual(json(one(g, T.rolePolicy, "db-proxy").inputs.policy), {
                    Version: "2012-10-17",
                    Statement: [{ Sid: "ReadMasterSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [grant] }],
                });
                if (mode === "stack") assert.ok(globMatch(String(grant), String(secretArn)), "the pattern names the secret");
            });
        }

        it("pools with the default settings or the given ones, targeting the instance", async () => {
            const defaults = (await planDb()).g;
            assert.deepEqual(one(defaults, D.targetGroup, "db-proxy").inputs.connectionPoolConfig, { maxConnectionsPercent: 90, maxIdleConnectionsPercent: 50, connectionBorrowTimeout: 120 });
            const { g } = await planDb({ proxy: { maxConnectionsPercent: 75, maxIdleConnectionsPercent: 25, connectionBorrowTimeoutSeconds: 30, idleClientTimeoutSeconds: 600 } });
            const proxy = one(g, D.proxy, "db-proxy");
            assert.deepEqual(one(g, D.targetGroup, "db-proxy").inputs, {
                dbProxyName: proxy.outputs.name,
                connectionPoolConfig: { maxConnectionsPercent: 75, maxIdleConnectionsPercent: 25, connectionBorrowTimeout: 30 },
            });
            assert.equal(proxy.inputs.idleClientTimeout, 600);
            assert.deepEqual(one(g, D.target, "db-proxy").inputs, { dbProxyName: proxy.outputs.name, targetGroupName: "default", dbInstanceIdentifier: identifierOf(g) });
        });
    });

    describe("stack credentials", () => {
        it("keeps the credential in a secret under the component's key, only for this account, never public", async () => {
            const { g } = await planDb({ ...PRODUCTION, rotationDays: 14 });
            assert.deepEqual(one(g, D.secret, "db-master").inputs, {
                description: "db: PostgreSQL master credential (rotated every 14 days)",
                kmsKeyId: keyArn(g),
                recoveryWindowInDays: 30,
                tags: tagsOf("master"),
            });
            const policy = one(g, D.secretPolicy, "db-master");
            assert.deepEqual([policy.inputs.secretArn, policy.inputs.blockPublicPolicy], [one(g, D.secret, "db-master").outputs.arn, true]);
            assert.deepEqual(statements(policy), [
                { Sid: "DenyOutsideAccount", Effect: "Deny", Principal: "*", Action: "secretsmanager:*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalAccount": ACCOUNT } } },
            ]);
            assert.equal(one(g, D.secret, "db-master").protect, true);
            assert.equal((await planDb()).g.resources.find((r) => r.type === D.secret)?.inputs.recoveryWindowInDays, 7);
        });

        it("writes the generated password write-only to the instance and, with what rotation needs, to the secret", async () => {
            const { g } = await planDb();
            const password = (reveal(one(g, D.password, "db-master-password").outputs) as { result: string }).result;
            assert.match(password, /^[A-Za-z0-9]{40}$/);
            assert.deepEqual(one(g, D.password, "db-master-password").inputs, { length: 40, special: false, minUpper: 1, minLower: 1, minNumeric: 1 });
            assert.equal(reveal(one(g, D.instance, "db-postgres").inputs.passwordWo), password);
            const version = one(g, D.secretVersion, "db-master");
            assert.deepEqual([version.inputs.secretId, version.inputs.secretStringWoVersion, mask(version.inputs.secretStringWo)], [one(g, D.secret, "db-master").outputs.id, 1, MASK]);
            assert.deepEqual(json(reveal(version.inputs.secretStringWo)), {
                engine: "postgres",
                host: one(g, D.instance, "db-postgres").outputs.address,
                port: 5432,
                username: "webstack_admin",
                password,
                dbname: "webstack",
            });
        });

        it("rotates it every rotationDays with AWS's PostgreSQL single-user function, pinned, in the private subnets and the rotation group", async () => {
            const { g } = await planDb({ rotationDays: 7 });
            const id = identifierOf(g);
            const sar = one(g, D.sar, "db-rotation");
            assert.deepEqual(sar.inputs, {
                applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
                semanticVersion: "1.1.671",
                capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
                parameters: {
                    functionName: `${id}-rotation`,
                    endpoint: "https://secretsmanager.us-east-1.amazonaws.com",
                    vpcSubnetIds: "subnet-0prv000000000000a,subnet-0prv000000000000b",
                    vpcSecurityGroupIds: "sg-0rotation00000000",
                    kmsKeyArn: keyArn(g),
                    excludeCharacters: ROTATION_EXCLUDED_CHARACTERS,
                },
                tags: tagsOf("rotation"),
            });
            assert.deepEqual(ROTATION_APPLICATION, { id: sar.inputs.applicationId, semanticVersion: "1.1.671" });
            const rotation = one(g, D.rotation, "db-rotation");
            assert.deepEqual(rotation.inputs, {
                secretId: one(g, D.secret, "db-master").outputs.id,
                rotationLambdaArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${id}-rotation`,
                rotationRules: { automaticallyAfterDays: 7 },
                rotateImmediately: true,
            });
            assert.ok(rotation.dependencies.includes(one(g, D.secretVersion, "db-master").urn), "rotates only once the secret has a value");
            assert.ok(rotation.dependencies.includes(one(g, D.instance, "db-postgres").urn), "and the database exists");
        });

        it("never shows the generated password: only secret-wrapped values hold it, in plan and plan --preview", async () => {
            for (const preview of [false, true]) {
                const { g, db } = await planDb(PRODUCTION, { preview });
                const holders: string[] = [];
                const walk = (v: unknown, at: string): void => {
                    if (v === MASK) holders.push(at);
                    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}.${i}`));
                    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
                };
                for (const r of g.resources) {
                    walk(mask(r.inputs), `${r.name} inputs`);
                    walk(mask(r.outputs), `${r.name} outputs`);
                }
                assert.deepEqual(holders.sort(), [
                    "db-master inputs.secretStringWo",
                    "db-master outputs.secretStringWo",
                    "db-master-password outputs.bcryptHash",
                    "db-master-password outputs.result",
                    "db-postgres inputs.passwordWo",
                    "db-postgres outputs.passwordWo",
                ].sort());
                const printable = JSON.stringify([g.outputs, ...g.resources.map((r) => mask([r.inputs, r.outputs]))]);
                if (!preview) {
                    const password = (reveal(one(g, D.password, "db-master-password").outputs) as { result: string }).result;
                    assert.equal(printable.includes(password), false, "the password appears nowhere printable");
                    // Every recorded value, secrets revealed: the password only where it is wrapped above.
                    const revealed = g.resources.flatMap((r) => [
                        [`${r.name} inputs`, reveal(r.inputs)],
                        [`${r.name} outputs`, reveal(r.outputs)],
                    ]);
                    assert.deepEqual(
                        revealed.filter(([, v]) => JSON.stringify(v).includes(password)).map(([at]) => at),
                        ["db-master-password outputs", "db-postgres inputs", "db-postgres outputs", "db-master inputs", "db-master outputs"],
                    );
                    const outputs = await valueOf(pulumi.all([db.secretArn, db.proxyEndpoint, db.connectResourceArn]));
                    assert.equal(JSON.stringify(outputs).includes(password), false);
                }
            }
        });
    });

    describe("protection and tags", () => {
        it("protects and retains exactly the instance, key, secret and log groups when asked, nothing without", async () => {
            const options = async (args: Partial<DatabaseArgs>) =>
                (await planDb(args)).g.resources.filter((r) => r.protect || r.retainOnDelete).map((r) => `${r.type} ${r.name} ${r.protect} ${r.retainOnDelete}`).sort();
            assert.deepEqual(await options({}), []);
            assert.deepEqual(await options({ protect: true }), [
                "aws:cloudwatch/logGroup:LogGroup db-iam-db-auth-error true true",
                "aws:cloudwatch/logGroup:LogGroup db-postgresql true true",
                "aws:cloudwatch/logGroup:LogGroup db-upgrade true true",
                "aws:kms/key:Key db-key true true",
                "aws:rds/instance:Instance db-postgres true true",
                "aws:secretsmanager/secret:Secret db-master true true",
            ]);
        });

        it("tags every taggable child with the base tags, the component and its Name", async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const TAGGABLE = new Set(require("../../policy/lib/taggable-types.json") as string[]);
            for (const args of [{}, MANAGED]) {
                const { g } = await planDb(args);
                const taggable = g.resources.filter((r) => TAGGABLE.has(r.type) && r.custom);
                assert.deepEqual(
                    taggable.filter((r) => r.inputs.tags === undefined).map((r) => `${r.type} ${r.name}`),
                    [],
                );
                for (const r of taggable) assert.deepEqual(r.inputs.tags, tagsOf(r.name.replace(/^db-/, "")), `${r.type} ${r.name}`);
            }
        });
    });

    describe("outputs", () => {
        for (const mode of ["stack", "managed"] as const) {
            it(`exposes the proxy endpoint, port, names, ${mode} secret, instance, key, proxy and the rds-db:connect resource`, async () => {
                const { g, db } = await planDb({ credentials: mode });
                const proxy = one(g, D.proxy, "db-proxy");
                const instance = one(g, D.instance, "db-postgres");
                const secretArn = mode === "stack" ? one(g, D.secret, "db-master").outputs.arn : (instance.outputs.masterUserSecrets as { secretArn: string }[])[0].secretArn;
                const prx = String(proxy.outputs.arn).split(":").pop();
                assert.match(String(prx), /^prx-[0-9a-f]{17}$/);
                const expected = {
                    connectResourceArn: `arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:${prx}/webstack_admin`,
                    databaseName: "webstack",
                    eventTopicArn: one(g, D.topic, "db-events").outputs.arn,
                    instanceArn: instance.outputs.arn,
                    instanceIdentifier: identifierOf(g),
                    keyArn: keyArn(g),
                    port: 5432,
                    proxyArn: proxy.outputs.arn,
                    proxyEndpoint: proxy.outputs.endpoint,
                    secretArn,
                    username: "webstack_admin",
                };
                assert.deepEqual(one(g, D.component, "db").outputs, expected);
                assert.deepEqual(
                    await valueOf(pulumi.all([db.proxyEndpoint, db.secretArn, db.instanceIdentifier, db.instanceArn, db.keyArn, db.proxyArn, db.connectResourceArn])),
                    [expected.proxyEndpoint, secretArn, expected.instanceIdentifier, expected.instanceArn, expected.keyArn, expected.proxyArn, expected.connectResourceArn],
                );
                assert.deepEqual([db.port, db.databaseName, db.username, db.credentials], [5432, "webstack", "webstack_admin", mode]);
            });
        }
    });

    describe("argument checks", () => {
        it("refuses unusable args before registering anything, naming every problem at once", async () => {
            const args: DatabaseArgs = {
                ...BASE,
                engineVersion: "latest",
                allocatedStorage: 10,
                maxAllocatedStorage: 5,
                backupRetentionDays: 36,
                rotationDays: 120,
                monitoringIntervalSeconds: 2,
                performanceInsightsRetentionDays: 30,
                backupWindow: "04:00-04:15",
                maintenanceWindow: "sunday 04:00",
                proxy: { maxConnectionsPercent: 50, maxIdleConnectionsPercent: 60, connectionBorrowTimeoutSeconds: 0, idleClientTimeoutSeconds: 30000 },
            };
            assert.deepEqual(argProblems(args), [
                'engineVersion "latest" must be a PostgreSQL version such as "17.5"',
                "allocatedStorage (10) must be whole GiB >= 20",
                "maxAllocatedStorage (5) must be >= allocatedStorage (10)",
                "backupRetentionDays (36) must be whole days from 1 to 35",
                "rotationDays (120) must be whole days from 1 to 90",
                "monitoringIntervalSeconds (2) must be one of 1, 5, 10, 15, 30, 60",
                "performanceInsightsRetentionDays (30) must be 7, 731 or a multiple of 31 up to 713",
                'backupWindow "04:00-04:15" must last at least 30 minutes',
                'maintenanceWindow "sunday 04:00" must be ddd:hh:mm-ddd:hh:mm (UTC)',
                "proxy.maxIdleConnectionsPercent (60) must be <= proxy.maxConnectionsPercent (50)",
                "proxy.connectionBorrowTimeoutSeconds (0) must be whole seconds from 1 to 300",
                "proxy.idleClientTimeoutSeconds (30000) must be whole seconds from 1 to 28800",
            ]);
            assert.deepEqual(argProblems(BASE), []);
            assert.deepEqual(argProblems({ ...BASE, performanceInsightsRetentionDays: 62, monitoringIntervalSeconds: 1, rotationDays: 90 }), []);
            await assert.rejects(planDb(args), (err: Error) => {
                assert.ok(err.message.includes('Database db has invalid arguments:\n  - engineVersion "latest" must be a PostgreSQL version such as "17.5"'), err.message);
                return true;
            });
            assert.equal(registeredCount(), 0, "nothing registered");
        });

        it("refuses overlapping backup and maintenance windows, also across midnight and the week's end", () => {
            const overlap = (backupWindow: string, maintenanceWindow: string) => argProblems({ ...BASE, backupWindow, maintenanceWindow });
            assert.deepEqual(overlap("04:00-05:00", "wed:04:30-wed:05:30"), ['backupWindow "04:00-05:00" overlaps maintenanceWindow "wed:04:30-wed:05:30"']);
            assert.deepEqual(overlap("23:30-00:30", "mon:00:00-mon:01:00"), ['backupWindow "23:30-00:30" overlaps maintenanceWindow "mon:00:00-mon:01:00"']);
            assert.deepEqual(overlap("00:00-01:00", "sun:23:30-mon:00:30"), ['backupWindow "00:00-01:00" overlaps maintenanceWindow "sun:23:30-mon:00:30"']);
            assert.deepEqual(overlap("03:00-04:00", "sun:04:00-sun:05:00"), [], "adjacent windows do not overlap");
            assert.deepEqual(overlap("23:00-23:30", "sat:23:30-sun:00:30"), []);
        });
    });

    describe("the policy pack", () => {
        const production = readPackConfig(path.join(ROOT, "policy", "config", "production.json"));
        /** S07 (off-region backups) is DisasterRecovery's to satisfy, by its selection of the instance's backup tag. */
        const WITHOUT_DR = ["S07-backup-coverage mandatory db-postgres"];
        /** At preview, with an RDS-managed password, the proxy role's policy names RDS's secret, whose ARN RDS assigns at create. */
        const PREVIEW = [
            "R21-iam-no-star-actions advisory db-proxy",
            "R22-iam-no-service-wildcards advisory db-proxy",
            "R23-iam-star-resource-allow-list advisory db-proxy",
            "R77-iam-bounded-wildcards advisory db-proxy",
        ];

        it("passes every production rule with a real Vpc's network and DisasterRecovery (both credential designs, own or given event topic, plan and plan --preview)", async () => {
            const cases = [
                { credentials: "stack", dr: true },
                { credentials: "managed", dr: true },
                { credentials: "managed", dr: false },
                { credentials: "stack", dr: true, eventTopicArn: ALERTS },
            ] as const;
            for (const { credentials, dr, ...events } of cases) {
                for (const preview of [false, true]) {
                    const g = await planProgram(
                        () => {
                            const net = new Vpc("network", { cidr: "10.20.0.0/16", zones: ["us-east-1a", "us-east-1b"], natStrategy: "onePerAz", flowLogRetentionDays: 365, protect: true, tags: TAGS });
                            const groups = net.securityGroupIds;
                            const network = {
                                isolatedSubnetIds: net.isolatedSubnetIds,
                                privateSubnetIds: net.privateSubnetIds,
                                databaseSecurityGroupId: groups.database,
                                proxySecurityGroupId: groups.proxy,
                                rotationSecurityGroupId: groups.rotation,
                            };
                            const db = new Database("db", { ...BASE, ...PRODUCTION, credentials, network, ...events });
                            if (dr) {
                                new DisasterRecovery("dr", {
                                    drRegion: "us-west-2",
                                    backupTag: { key: "Backup", value: "webstack-production" },
                                    copyToDr: true,
                                    vaultLock: { mode: "governance", minRetentionDays: 7, maxRetentionDays: 365 },
                                    protect: true,
                                    tags: TAGS,
                                });
                            }
                            return db;
                        },
                        "production",
                        { preview },
                    );
                    const verdict = await evaluatePolicies(g, POLICIES, production);
                    assert.deepEqual(
                        [...new Set(verdict.findings.map((f) => `${f.policy} ${f.level} ${f.resource}`))].sort(),
                        [...(dr ? [] : WITHOUT_DR), ...(preview && credentials === "managed" ? PREVIEW : [])].sort(),
                        `${credentials} dr=${dr} ${JSON.stringify(events)} preview=${preview}`,
                    );
                    if (preview && credentials === "managed") {
                        assert.deepEqual(
                            [...new Set(verdict.findings.filter((f) => f.level === "advisory").map((f) => f.message.replace(/'[RS]\d+-[a-z0-9-]+'/, "'R'")))],
                            ["can't run policy 'R' during preview: string value at .policy can't be known during preview"],
                        );
                    }
                }
            }
        });
    });
});
