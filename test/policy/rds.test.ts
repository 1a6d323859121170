import * as assert from "assert/strict";
import { R09, R10, R12, R33, R42, R73, R74, RDS_RULES, S07, S11 } from "../../policy/rules/rds";
import { findings, mutate, verdictOf, type Fixture, UNKNOWN, UNKNOWN_BOOLEAN, PROD_TAGS } from "../helpers/policy";

const STAGING = { ...PROD_TAGS, Environment: "staging", Stack: "staging" };
const ACCOUNT = "123456789012";
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`;

const INSTANCE = "aws:rds/instance:Instance";
const CLUSTER = "aws:rds/cluster:Cluster";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

const paramGroup: Fixture = {
    type: "aws:rds/parameterGroup:ParameterGroup",
    name: "db-params",
    props: {
        name: "webstack-pg16",
        family: "postgres16",
        parameters: [
            { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
            { name: "log_min_duration_statement", value: "500" },
        ],
        tags: PROD_TAGS,
    },
};

const proxy: Fixture = {
    type: "aws:rds/proxy:Proxy",
    name: "db-proxy",
    props: {
        name: "webstack-production",
        engineFamily: "POSTGRESQL",
        requireTls: true,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/db-proxy`,
        vpcSubnetIds: ["subnet-data-a", "subnet-data-b"],
        vpcSecurityGroupIds: ["sg-proxy"],
        auths: [{ authScheme: "SECRETS", secretArn: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-AbCdEf`, iamAuth: "REQUIRED", clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256" }],
        tags: PROD_TAGS,
    },
};

/** A production PostgreSQL instance as the Database component creates it (inputs and outputs). */
const db: Fixture = {
    type: INSTANCE,
    name: "db",
    props: {
        id: "db-ABCDEFGHIJKLMNOP",
        arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:webstack-production`,
        identifier: "webstack-production",
        engine: "postgres",
        engineVersion: "16.4",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        storageEncrypted: true,
        kmsKeyId: KEY_ARN,
        dbSubnetGroupName: "webstack-db",
        vpcSecurityGroupIds: ["sg-db"],
        publiclyAccessible: false,
        multiAz: true,
        deletionProtection: true,
        backupRetentionPeriod: 14,
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        autoMinorVersionUpgrade: true,
        monitoringInterval: 60,
        monitoringRoleArn: `arn:aws:iam::${ACCOUNT}:role/rds-monitoring`,
        iamDatabaseAuthenticationEnabled: true,
        copyTagsToSnapshot: true,
        username: "webstack_admin",
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: KEY_ARN,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: "webstack-production-final",
        manageMasterUserPassword: true,
        parameterGroupName: "webstack-pg16",
        tags: PROD_TAGS,
    },
};

const cluster: Fixture = {
    type: CLUSTER,
    name: "aurora",
    props: {
        id: "webstack-aurora",
        arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster:webstack-aurora`,
        clusterIdentifier: "webstack-aurora",
        engine: "aurora-postgresql",
        storageEncrypted: true,
        kmsKeyId: KEY_ARN,
        dbSubnetGroupName: "webstack-db",
        vpcSecurityGroupIds: ["sg-db"],
        deletionProtection: true,
        backupRetentionPeriod: 7,
        enabledCloudwatchLogsExports: ["postgresql"],
        iamDatabaseAuthenticationEnabled: true,
        copyTagsToSnapshot: true,
        masterUsername: "webstack_admin",
        skipFinalSnapshot: false,
        tags: PROD_TAGS,
    },
};

const member: Fixture = {
    type: CLUSTER_INSTANCE,
    name: "aurora-1",
    props: { id: "webstack-aurora-1", arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:webstack-aurora-1`, clusterIdentifier: "webstack-aurora", instanceClass: "db.r6g.large", engine: "aurora-postgresql", publiclyAccessible: false, tags: PROD_TAGS },
};

describe("RDS rules", () => {
    describe("R09 PostgreSQL parameter groups force SSL", () => {
        it("passes PostgreSQL and Aurora PostgreSQL groups with rds.force_ssl 1, and ignores MySQL", async () => {
            const auroraGroup: Fixture = { type: "aws:rds/clusterParameterGroup:ClusterParameterGroup", name: "aurora-params", props: { family: "aurora-postgresql16", parameters: [{ name: "rds.force_ssl", value: 1 }] } };
            const mysql: Fixture = { type: "aws:rds/parameterGroup:ParameterGroup", name: "mysql-params", props: { family: "mysql8.0", parameters: [] } };
            assert.deepEqual(await findings(R09, [paramGroup, auroraGroup, mysql]), []);
        });

        it("reports a PostgreSQL group without rds.force_ssl (and without parameters)", async () => {
            const noParams = { ...mutate(paramGroup, { parameters: undefined }), name: "bare" };
            assert.deepEqual(await findings(R09, [mutate(paramGroup, { parameters: [{ name: "log_min_duration_statement", value: "500" }] }), noParams]), [
                "bare: parameter group (family postgres16) does not set rds.force_ssl [finding force-ssl]",
                "db-params: parameter group (family postgres16) does not set rds.force_ssl [finding force-ssl]",
            ]);
        });

        it("reports rds.force_ssl 0 on an Aurora cluster parameter group", async () => {
            const auroraGroup: Fixture = { type: "aws:rds/clusterParameterGroup:ClusterParameterGroup", name: "aurora-params", props: { family: "aurora-postgresql16", parameters: [{ name: "rds.force_ssl", value: "0" }] } };
            assert.deepEqual(await findings(R09, [auroraGroup]), ['aurora-params: parameter group sets rds.force_ssl to "0" instead of "1" [finding force-ssl]']);
        });
    });

    describe("R10 RDS Proxy requires TLS (and IAM auth when configured)", () => {
        const NAME = "R10-rds-proxy-requires-tls";

        it("passes a TLS proxy, with and without the IAM requirement", async () => {
            assert.deepEqual(await findings(R10, [proxy]), []);
            assert.deepEqual(await findings(R10, [proxy], { [NAME]: { requireIamAuth: true } }), []);
        });

        it("reports a proxy that does not require TLS", async () => {
            assert.deepEqual(await findings(R10, [mutate(proxy, { requireTls: undefined })]), ["db-proxy: proxy accepts connections without TLS (requireTls is unset, default false) [finding require-tls]"]);
        });

        it("ignores IAM auth unless requireIamAuth is set", async () => {
            assert.deepEqual(await findings(R10, [mutate(proxy, { auths: [{ authScheme: "SECRETS", secretArn: "s", iamAuth: "DISABLED" }] })]), []);
        });

        it("with requireIamAuth reports each auth entry that does not require IAM", async () => {
            const auths = [
                { authScheme: "SECRETS", secretArn: "s1", iamAuth: "REQUIRED" },
                { authScheme: "SECRETS", secretArn: "s2", username: "app" },
                { authScheme: "SECRETS", secretArn: "s3", iamAuth: "DISABLED" },
            ];
            assert.deepEqual(await findings(R10, [mutate(proxy, { auths })], { [NAME]: { requireIamAuth: true } }), [
                'db-proxy: auth entry 2 (user app) does not require IAM authentication (iamAuth is unset, default DISABLED) [finding iam-auth-2]',
                'db-proxy: auth entry 3 does not require IAM authentication (iamAuth is "DISABLED") [finding iam-auth-3]',
            ]);
        });

        it("with requireIamAuth accepts end-to-end IAM and reports a proxy without auth entries", async () => {
            const endToEnd = { ...mutate(proxy, { auths: undefined, defaultAuthScheme: "IAM_AUTH" }), name: "iam-proxy" };
            assert.deepEqual(await findings(R10, [endToEnd, mutate(proxy, { auths: [] })], { [NAME]: { requireIamAuth: true } }), [
                "db-proxy: proxy has no auth entry requiring IAM authentication (and defaultAuthScheme is not IAM_AUTH) [finding iam-auth]",
            ]);
        });

        it("declares requireIamAuth in its config schema", () => {
            assert.deepEqual(R10.configSchema?.properties, { requireIamAuth: { type: "boolean" } });
        });
    });

    describe("R12 storage encrypted with a customer-managed key", () => {
        it("passes an encrypted instance and cluster, and skips cluster members", async () => {
            assert.deepEqual(await findings(R12, [db, cluster, member]), []);
        });

        it("reports an unencrypted instance without a key", async () => {
            assert.deepEqual(await findings(R12, [mutate(db, { storageEncrypted: undefined, kmsKeyId: undefined })]), [
                "db: instance has no kmsKeyId, so its storage uses the AWS-managed aws/rds key instead of a customer-managed key [finding kms-key]",
                "db: instance storage is not encrypted (storageEncrypted is unset, default false) [finding storage-encrypted]",
            ]);
        });

        it("reports a cluster encrypted with the AWS-managed key alias", async () => {
            assert.deepEqual(await findings(R12, [mutate(cluster, { kmsKeyId: "alias/aws/rds" })]), [
                'aurora: cluster kmsKeyId "alias/aws/rds" is the AWS-managed key, not a customer-managed key [finding kms-key]',
            ]);
        });

        it("reports a read replica without kmsKeyId, but not its inherited storageEncrypted", async () => {
            const replica: Fixture = { type: INSTANCE, name: "db-replica", props: { replicateSourceDb: "webstack-production", instanceClass: "db.t4g.medium", tags: PROD_TAGS } };
            const pinned = { ...mutate(replica, { kmsKeyId: KEY_ARN }), name: "db-replica-2" };
            assert.deepEqual(await findings(R12, [replica, pinned]), [
                "db-replica: read replica has no kmsKeyId, so its storage uses the AWS-managed aws/rds key instead of a customer-managed key [finding kms-key]",
            ]);
        });
    });

    describe("R33 RDS not public, on a private subnet group", () => {
        it("passes private instances, clusters and members, and a same-region replica inheriting the subnet group", async () => {
            const replica: Fixture = { type: INSTANCE, name: "db-replica", props: { replicateSourceDb: "webstack-production", instanceClass: "db.t4g.medium" } };
            assert.deepEqual(await findings(R33, [db, cluster, member, replica]), []);
        });

        it("reports a public instance without a subnet group", async () => {
            assert.deepEqual(await findings(R33, [mutate(db, { publiclyAccessible: true, dbSubnetGroupName: undefined })]), [
                "db: instance has no dbSubnetGroupName, so AWS places it in the default subnet group (the default VPC's public subnets) [finding subnet-group]",
                "db: instance is publicly accessible [finding public]",
            ]);
        });

        it("reports a cluster in the default subnet group and a public cluster member", async () => {
            assert.deepEqual(await findings(R33, [mutate(cluster, { dbSubnetGroupName: "default" }), mutate(member, { publiclyAccessible: true })]), [
                "aurora-1: cluster instance is publicly accessible [finding public]",
                'aurora: cluster uses the "default" DB subnet group (the default VPC\'s public subnets) [finding subnet-group]',
            ]);
        });

        it("reports a cross-region replica (source given by ARN) without a subnet group", async () => {
            const replica: Fixture = { type: INSTANCE, name: "dr-replica", props: { replicateSourceDb: db.props.arn, kmsKeyId: KEY_ARN, instanceClass: "db.t4g.medium" } };
            assert.deepEqual(await findings(R33, [replica]), [
                "dr-replica: instance has no dbSubnetGroupName, so AWS places it in the default subnet group (the default VPC's public subnets) [finding subnet-group]",
            ]);
        });

        it("cannot run during preview when publiclyAccessible is unknown", async () => {
            const verdict = await verdictOf([R33], [mutate(db, { publiclyAccessible: UNKNOWN_BOOLEAN })]);
            assert.deepEqual(verdict.mandatory, []);
            assert.deepEqual(
                verdict.advisory.map((f) => f.message),
                ["can't run policy 'R33-rds-private' during preview: boolean value at .publiclyAccessible can't be known during preview"],
            );
        });
    });

    describe("R42 production resilience", () => {
        it("passes the production instance and cluster, and skips members", async () => {
            assert.deepEqual(await findings(R42, [db, cluster, member]), []);
        });

        it("reports an instance left at the defaults, one finding per check", async () => {
            const bare = mutate(db, { multiAz: undefined, deletionProtection: undefined, backupRetentionPeriod: undefined, enabledCloudwatchLogsExports: undefined, autoMinorVersionUpgrade: false });
            assert.deepEqual(await findings(R42, [bare]), [
                "db: instance exports no logs to CloudWatch (enabledCloudwatchLogsExports is empty) [finding log-exports]",
                "db: instance has automatic minor version upgrades turned off [finding minor-upgrades]",
                "db: instance has no deletion protection (deletionProtection is unset, default false) [finding deletion-protection]",
                "db: instance is not Multi-AZ (multiAz is unset, default false) [finding multi-az]",
                "db: instance keeps automated backups for 1 day (unset, the AWS default) instead of at least 7 [finding backup-retention]",
            ]);
        });

        it("reports a cluster with 3-day backups and deletion protection off, but no Multi-AZ flag", async () => {
            assert.deepEqual(await findings(R42, [mutate(cluster, { backupRetentionPeriod: 3, deletionProtection: false, enabledCloudwatchLogsExports: [] })]), [
                "aurora: cluster exports no logs to CloudWatch (enabledCloudwatchLogsExports is empty) [finding log-exports]",
                "aurora: cluster has no deletion protection (deletionProtection is false) [finding deletion-protection]",
                "aurora: cluster keeps automated backups for 3 day(s) instead of at least 7 [finding backup-retention]",
            ]);
        });

        it("requires the postgresql log among a PostgreSQL database's exports", async () => {
            assert.deepEqual(await findings(R42, [mutate(db, { enabledCloudwatchLogsExports: ["upgrade"] }), mutate(cluster, { enabledCloudwatchLogsExports: ["instance"] })]), [
                'aurora: PostgreSQL cluster does not export the postgresql log (enabledCloudwatchLogsExports is ["instance"]) [finding postgresql-log]',
                'db: PostgreSQL instance does not export the postgresql log (enabledCloudwatchLogsExports is ["upgrade"]) [finding postgresql-log]',
            ]);
        });

        it("requires Enhanced Monitoring on instances: an interval and a role", async () => {
            const off = mutate(db, { monitoringInterval: undefined });
            const noRole = { ...mutate(db, { monitoringRoleArn: undefined }), name: "db-2" };
            const unknownRole = { ...mutate(db, { monitoringRoleArn: UNKNOWN }), name: "db-3" };
            assert.deepEqual(await findings(R42, [off, noRole, unknownRole]), [
                "db-2: instance sets monitoringInterval 60 without a monitoringRoleArn, so no metrics are published [finding enhanced-monitoring]",
                "db: instance has no Enhanced Monitoring (monitoringInterval is unset, default 0) [finding enhanced-monitoring]",
            ]);
        });

        it("does not ask a read replica for its own backups", async () => {
            const replica = mutate(db, { replicateSourceDb: "webstack-production", backupRetentionPeriod: undefined });
            assert.deepEqual(await findings(R42, [replica]), []);
        });
    });

    describe("R73 RDS access hardened", () => {
        it("passes the production instance and cluster, skips members, and leaves IAM auth to engines that have it", async () => {
            const sqlserver = { ...mutate(db, { engine: "sqlserver-se", iamDatabaseAuthenticationEnabled: undefined, username: "dbadmin" }), name: "mssql" };
            const noInsights = { ...mutate(db, { performanceInsightsEnabled: undefined, performanceInsightsKmsKeyId: undefined }), name: "db-2" };
            const unknownKey = { ...mutate(db, { performanceInsightsKmsKeyId: UNKNOWN }), name: "db-3" };
            assert.deepEqual(await findings(R73, [db, cluster, member, sqlserver, noInsights, unknownKey]), []);
        });

        it("reports an instance left at the defaults with the default admin name and Performance Insights on the AWS key", async () => {
            const bare = mutate(db, { iamDatabaseAuthenticationEnabled: undefined, copyTagsToSnapshot: undefined, username: "postgres", performanceInsightsKmsKeyId: undefined });
            assert.deepEqual(await findings(R73, [bare]), [
                "db: instance does not accept IAM database authentication (iamDatabaseAuthenticationEnabled is unset, default false) [finding iam-auth]",
                "db: instance does not copy its tags to snapshots (copyTagsToSnapshot is unset, default false) [finding copy-tags]",
                "db: instance encrypts Performance Insights with the AWS-managed aws/rds key (no performanceInsightsKmsKeyId) [finding performance-insights-key]",
                'db: instance uses the default administrator username "postgres" [finding admin-username]',
            ]);
        });

        it("reports a cluster with IAM auth off, copyTagsToSnapshot false, master user admin and the aws/rds alias for Performance Insights", async () => {
            const bad = mutate(cluster, { iamDatabaseAuthenticationEnabled: false, copyTagsToSnapshot: false, masterUsername: "Admin", performanceInsightsEnabled: true, performanceInsightsKmsKeyId: "alias/aws/rds" });
            assert.deepEqual(await findings(R73, [bad]), [
                'aurora: cluster does not accept IAM database authentication (iamDatabaseAuthenticationEnabled is false) [finding iam-auth]',
                'aurora: cluster does not copy its tags to snapshots (copyTagsToSnapshot is false) [finding copy-tags]',
                'aurora: cluster performanceInsightsKmsKeyId "alias/aws/rds" is the AWS-managed key, not a customer-managed key [finding performance-insights-key]',
                'aurora: cluster uses the default administrator username "Admin" [finding admin-username]',
            ]);
        });
    });

    describe("R74 RDS event subscriptions", () => {
        const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:alarms`;
        const sub = (name: string, sourceType: string, extra: Record<string, unknown> = {}): Fixture => ({ type: "aws:rds/eventSubscription:EventSubscription", name, props: { snsTopic: TOPIC, sourceType, ...extra } });
        const all = [sub("db-events", "db-instance"), sub("cluster-events", "db-cluster", { eventCategories: ["failure", "maintenance", "notification"] }), sub("param-events", "db-parameter-group", { sourceIds: ["webstack-pg16"] })];

        it("passes resources covered by subscriptions for all categories, listed categories and named sources (names known only after deploy through dependencies)", async () => {
            assert.deepEqual(await findings(R74, [db, cluster, member, paramGroup, ...all]), []);
            const byDependency = { ...sub("db-events", "db-instance", { sourceIds: [UNKNOWN] }), propertyDependencies: { sourceIds: ["db"] } };
            assert.deepEqual(await findings(R74, [db, byDependency]), []);
            // A parameter group's only category, listed (AWS rejects any other for this source type).
            assert.deepEqual(await findings(R74, [paramGroup, sub("param-events", "db-parameter-group", { eventCategories: ["configuration change"] })]), []);
        });

        it("reports resources without a subscription, a disabled one, one naming other sources and one missing categories", async () => {
            const disabled = sub("db-events", "db-instance", { enabled: false });
            const partial = sub("cluster-events", "db-cluster", { eventCategories: ["failure"] });
            const other = sub("param-events", "db-parameter-group", { sourceIds: ["some-other-group"] });
            assert.deepEqual(await findings(R74, [db, cluster, paramGroup, disabled, partial, other]), [
                "aurora: RDS cluster's event subscriptions do not cover maintenance events [finding event-subscription]",
                "db-params: parameter group has no enabled event subscription (sourceType db-parameter-group) for configuration change events [finding event-subscription]",
                "db: RDS instance has no enabled event subscription (sourceType db-instance) for maintenance, configuration change, failure events [finding event-subscription]",
            ]);
        });
    });

    describe("S07 backup coverage", () => {
        const key: Fixture = { type: "aws:kms/key:Key", name: "backup-key", props: { id: KEY_ID, keyId: KEY_ID, arn: KEY_ARN, enableKeyRotation: true, tags: PROD_TAGS }, protect: true };
        const VAULT_ARN = `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:webstack-production`;
        const DR_VAULT_ARN = `arn:aws:backup:eu-central-1:${ACCOUNT}:backup-vault:webstack-production-dr`;
        const vault: Fixture = { type: "aws:backup/vault:Vault", name: "vault", props: { id: "webstack-production", name: "webstack-production", arn: VAULT_ARN, kmsKeyArn: KEY_ARN, tags: PROD_TAGS }, protect: true };
        const plan: Fixture = {
            type: "aws:backup/plan:Plan",
            name: "backup-plan",
            props: {
                id: "8a1b2c3d-plan",
                arn: `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-plan:8a1b2c3d-plan`,
                name: "webstack-production",
                rules: [
                    {
                        ruleName: "daily",
                        targetVaultName: "webstack-production",
                        schedule: "cron(0 3 * * ? *)",
                        lifecycle: { deleteAfter: 35 },
                        copyActions: [{ destinationVaultArn: DR_VAULT_ARN, lifecycle: { deleteAfter: 35 } }],
                    },
                ],
                tags: PROD_TAGS,
            },
        };
        const table: Fixture = { type: "aws:dynamodb/table:Table", name: "sessions", props: { id: "sessions", name: "sessions", arn: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/sessions`, tags: PROD_TAGS } };
        const selection: Fixture = {
            type: "aws:backup/selection:Selection",
            name: "backup-selection",
            props: { id: "sel-1", name: "webstack-data", planId: "8a1b2c3d-plan", iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/backup`, resources: [db.props.arn, table.props.arn] },
            propertyDependencies: { planId: ["backup-plan"] },
        };
        const base = [key, vault, plan, selection, db, table];

        it("passes resources listed by ARN in a plan with an encrypted vault and a cross-region copy", async () => {
            assert.deepEqual(await findings(S07, base), []);
        });

        it("passes resources selected by tag (with a wildcard resource list and a condition), and skips members and replicas", async () => {
            const byTag = mutate(selection, {
                resources: ["arn:aws:rds:*:*:db:*", "arn:aws:dynamodb:*:*:table/*"],
                selectionTags: [{ type: "STRINGEQUALS", key: "Backup", value: "daily" }],
                conditions: [{ stringEquals: [{ key: "aws:ResourceTag/Environment", value: "production" }] }],
            });
            const onlyTags = { ...mutate(selection, { resources: undefined, selectionTags: [{ type: "STRINGEQUALS", key: "Project", value: "webstack" }] }), name: "tag-selection" };
            const replica: Fixture = { type: INSTANCE, name: "db-replica", props: { arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:replica`, replicateSourceDb: "webstack-production", tags: PROD_TAGS } };
            assert.deepEqual(await findings(S07, [key, vault, plan, byTag, db, table, member, replica]), []);
            assert.deepEqual(await findings(S07, [key, vault, plan, onlyTags, db, table]), []);
        });

        it("decides a selection by tag before deploy: lists the program left out (provider-filled, unknown) are empty, an ARN not yet assigned does not matter", async () => {
            // As `pulumi preview` of a new stack delivers it: the data's ARNs and the selection's computed lists unknown.
            const previewDb = { ...mutate(db, { arn: UNKNOWN }), propertyDependencies: {} };
            const previewTable = { ...mutate(table, { arn: UNKNOWN }), propertyDependencies: {} };
            const byTag = {
                ...mutate(selection, { resources: undefined, notResources: UNKNOWN, conditions: UNKNOWN, selectionTags: [{ type: "STRINGEQUALS", key: "Project", value: "webstack" }] }),
                name: "tag-selection",
            };
            assert.deepEqual(await findings(S07, [key, vault, plan, byTag, previewDb, previewTable]), []);
            // A notResources list the program did set, computed from the table's output, excludes the table.
            const excluding = { ...byTag, propertyDependencies: { ...byTag.propertyDependencies, notResources: ["sessions"] } };
            assert.deepEqual(await findings(S07, [key, vault, plan, excluding, previewDb, previewTable]), [
                "sessions: DynamoDB table is not selected by any AWS Backup selection [finding backup-missing]",
            ]);
        });

        it("reports every data resource no selection picks", async () => {
            assert.deepEqual(await findings(S07, [key, vault, plan, mutate(selection, { resources: [] }), db, table, cluster]), [
                "aurora: RDS cluster is not selected by any AWS Backup selection [finding backup-missing]",
                "db: RDS instance is not selected by any AWS Backup selection [finding backup-missing]",
                "sessions: DynamoDB table is not selected by any AWS Backup selection [finding backup-missing]",
            ]);
        });

        it("honours notResources, non-matching tags and failed conditions", async () => {
            const excluded = mutate(selection, { resources: ["*"], notResources: [table.props.arn] });
            const wrongTag = { ...mutate(selection, { resources: undefined, selectionTags: [{ type: "STRINGEQUALS", key: "Environment", value: "staging" }] }), name: "staging-selection" };
            const failedCondition = {
                ...mutate(selection, { resources: ["*"], conditions: [{ stringLikes: [{ key: "aws:ResourceTag/Stack", value: "stag*" }] }] }),
                name: "cond-selection",
            };
            assert.deepEqual(await findings(S07, [key, vault, plan, excluded, wrongTag, failedCondition, db, table]), ["sessions: DynamoDB table is not selected by any AWS Backup selection [finding backup-missing]"]);
        });

        it("reports a selection whose plan is not in the stack", async () => {
            assert.deepEqual(await findings(S07, [key, vault, { ...mutate(selection, { planId: "other-plan" }), propertyDependencies: {} }, db]), [
                'db: RDS instance is selected only by backup selections whose plan ("other-plan") is not a backup plan in the stack [finding backup-plan]',
            ]);
        });

        it("reports a plan rule targeting a vault outside the stack, and a vault without a stack key", async () => {
            const rules = [
                { ...(plan.props.rules as object[])[0] },
                { ruleName: "monthly", targetVaultName: "Default", schedule: "cron(0 4 1 * ? *)" },
            ];
            const awsManaged = mutate(vault, { kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/aws-backup-managed` });
            assert.deepEqual(await findings(S07, [key, awsManaged, mutate(plan, { rules }), selection, db]), [
                'db: RDS instance is backed up by plan "webstack-production" whose rule "monthly" targets vault "Default", which is not a backup vault in the stack [finding backup-vault-Default]',
                `db: RDS instance is backed up to vault "webstack-production", which is not encrypted with a customer-managed KMS key from the stack (kmsKeyArn is "arn:aws:kms:eu-west-1:${ACCOUNT}:key/aws-backup-managed") [finding backup-vault-key-webstack-production]`,
            ]);
        });

        it("reports a production resource whose plan copies only within the region, but not a staging one", async () => {
            const sameRegion = mutate(plan, { rules: [{ ruleName: "daily", targetVaultName: "webstack-production", copyActions: [{ destinationVaultArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:other` }] }] });
            const stagingTable = mutate(table, { tags: STAGING });
            assert.deepEqual(await findings(S07, [key, vault, sameRegion, selection, db, stagingTable]), [
                "db: RDS instance is tagged Environment=production but no rule of its backup plan copies recovery points to a vault in another region [finding backup-copy]",
            ]);
        });
    });

    describe("S11 production deletion safety", () => {
        const bucket: Fixture = { type: "aws:s3/bucket:Bucket", name: "assets", props: { id: "webstack-assets-1a2b", bucket: "webstack-assets-1a2b", arn: "arn:aws:s3:::webstack-assets-1a2b", tags: PROD_TAGS }, protect: true };
        const vault: Fixture = { type: "aws:backup/vault:Vault", name: "vault", props: { id: "webstack-production", name: "webstack-production", kmsKeyArn: KEY_ARN, tags: PROD_TAGS }, protect: true };
        const key: Fixture = { type: "aws:kms/key:Key", name: "data-key", props: { id: KEY_ID, arn: KEY_ARN, tags: PROD_TAGS }, protect: true };

        it("passes protected production resources and protected databases, and ignores staging", async () => {
            const stagingBucket = { ...mutate(bucket, { tags: STAGING }), name: "staging-assets", protect: false };
            const stagingDb = { ...mutate(db, { tags: STAGING, deletionProtection: false, skipFinalSnapshot: true }), name: "staging-db" };
            assert.deepEqual(await findings(S11, [bucket, vault, key, db, cluster, member, stagingBucket, stagingDb]), []);
        });

        it("reports unprotected production buckets, vaults and KMS keys (replica keys and BucketV2 too)", async () => {
            const replicaKey: Fixture = { type: "aws:kms/replicaKey:ReplicaKey", name: "dr-key", props: { id: "mrk-1", arn: "arn:aws:kms:eu-central-1:1:key/mrk-1", tags: PROD_TAGS } };
            const v2: Fixture = { ...bucket, type: "aws:s3/bucketV2:BucketV2", name: "legacy", protect: false };
            assert.deepEqual(await findings(S11, [{ ...bucket, protect: false }, { ...vault, protect: false }, { ...key, protect: false }, replicaKey, v2]), [
                "assets: production bucket is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]",
                "data-key: production KMS key is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]",
                "dr-key: production KMS key is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]",
                "legacy: production bucket is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]",
                "vault: production backup vault is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]",
            ]);
        });

        it("reports production databases without deletion protection or skipping the final snapshot", async () => {
            assert.deepEqual(await findings(S11, [mutate(db, { deletionProtection: undefined, skipFinalSnapshot: true }), mutate(cluster, { deletionProtection: false })]), [
                "aurora: production RDS cluster has no deletion protection (deletionProtection is false) [finding deletion-protection]",
                "db: production RDS instance has no deletion protection (deletionProtection is unset, default false) [finding deletion-protection]",
                "db: production RDS instance skips the final snapshot on deletion (skipFinalSnapshot is true) [finding final-snapshot]",
            ]);
        });

        describe("log groups receiving audit logs", () => {
            const LOGS = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group`;
            const group = (name: string, protect: boolean, tags = PROD_TAGS): Fixture => ({
                type: "aws:cloudwatch/logGroup:LogGroup",
                name,
                props: { id: name, name, arn: `${LOGS}:${name}`, tags },
                protect,
            });
            const flowLog: Fixture = { type: "aws:ec2/flowLog:FlowLog", name: "flow", props: { logDestination: `${LOGS}:flows`, trafficType: "ALL" } };
            const legacyFlowLog: Fixture = { type: "aws:ec2/flowLog:FlowLog", name: "legacy-flow", props: { logGroupName: "legacy-flows", trafficType: "ALL" } };
            const trail: Fixture = { type: "aws:cloudtrail/trail:Trail", name: "trail", props: { cloudWatchLogsGroupArn: `${LOGS}:trail:*` } };
            const queries: Fixture = { type: "aws:route53/queryLog:QueryLog", name: "dns", props: { cloudwatchLogGroupArn: `${LOGS}:dns:*` } };

            it("passes protected ones, and ignores staging groups and groups that receive no audit logs", async () => {
                const others = [group("app", false), group("flows-staging", false, STAGING)];
                const stagingFlow = mutate(flowLog, { logDestination: `${LOGS}:flows-staging` });
                assert.deepEqual(await findings(S11, [group("flows", true), group("trail", true), group("dns", true), flowLog, trail, queries, ...others, { ...stagingFlow, name: "flow-2" }]), []);
            });

            it("reports unprotected production groups of flow logs, CloudTrail and DNS query logs", async () => {
                assert.deepEqual(await findings(S11, [group("flows", false), group("trail", false), group("dns", false), group("legacy-flows", false), flowLog, legacyFlowLog, trail, queries]), [
                    "dns: production log group receiving DNS query logs is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]",
                    "flows: production log group receiving VPC flow logs is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]",
                    "legacy-flows: production log group receiving VPC flow logs is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]",
                    "trail: production log group receiving CloudTrail events is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]",
                ]);
            });

            it("finds the group through the property's dependencies at preview, and none for an S3 destination", async () => {
                const previewFlow: Fixture = { ...mutate(flowLog, { logDestination: UNKNOWN }), propertyDependencies: { logDestination: ["flows"] } };
                const bucket: Fixture = { type: "aws:s3/bucket:Bucket", name: "flow-bucket", props: { bucket: "b", tags: STAGING } };
                const toS3: Fixture = { ...mutate(flowLog, { logDestination: UNKNOWN, logDestinationType: "s3" }), name: "flow-s3", propertyDependencies: { logDestination: ["flow-bucket"] } };
                const verdict = await verdictOf([S11], [group("flows", false), previewFlow, bucket, toS3]);
                assert.deepEqual(
                    verdict.findings.map((f) => `${f.level} ${f.resource}: ${f.message}`),
                    ["mandatory flows: production log group receiving VPC flow logs is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]"],
                );
            });
        });

        it("reads the Environment tag from provider default tags (tagsAll)", async () => {
            const defaultTagged = { ...mutate(bucket, { tags: { Name: "assets" }, tagsAll: PROD_TAGS }), protect: false };
            assert.deepEqual(await findings(S11, [defaultTagged]), [
                "assets: production bucket is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]",
            ]);
        });
    });

    it("mixed graph: exactly the non-compliant resources fail", async () => {
        const KEY: Fixture = { type: "aws:kms/key:Key", name: "backup-key", props: { id: KEY_ID, arn: KEY_ARN, tags: PROD_TAGS }, protect: true };
        const vault: Fixture = { type: "aws:backup/vault:Vault", name: "vault", props: { id: "v", name: "v", arn: `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-vault:v`, kmsKeyArn: KEY_ARN, tags: PROD_TAGS }, protect: true };
        const plan: Fixture = {
            type: "aws:backup/plan:Plan",
            name: "plan",
            props: { id: "p", name: "p", rules: [{ ruleName: "daily", targetVaultName: "v", copyActions: [{ destinationVaultArn: `arn:aws:backup:eu-central-1:${ACCOUNT}:backup-vault:dr` }] }] },
        };
        const selection: Fixture = { type: "aws:backup/selection:Selection", name: "selection", props: { planId: "p", resources: [db.props.arn] } };
        const fixtures: Fixture[] = [
            KEY,
            vault,
            plan,
            selection,
            paramGroup,
            { ...mutate(paramGroup, { parameters: [] }), name: "legacy-params" },
            proxy,
            { ...mutate(proxy, { requireTls: false }), name: "legacy-proxy" },
            db,
            { ...mutate(db, { arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:reporting`, publiclyAccessible: true, multiAz: false }), name: "reporting-db" },
            cluster,
            member,
            ...["db-instance", "db-cluster", "db-parameter-group"].map((sourceType): Fixture => ({ type: "aws:rds/eventSubscription:EventSubscription", name: `${sourceType}-events`, props: { snsTopic: "arn:aws:sns:eu-west-1:123456789012:alarms", sourceType } })),
        ];
        const verdict = await verdictOf(RDS_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R09-postgres-force-ssl legacy-params",
            "R10-rds-proxy-requires-tls legacy-proxy",
            "R33-rds-private reporting-db",
            "R42-rds-production-resilience reporting-db",
            "S07-backup-coverage aurora",
            "S07-backup-coverage reporting-db",
        ]);
    });
});
