import * as assert from "assert/strict";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_ROLE_POLICIES, DAILY_SCHEDULE, DisasterRecovery, VAULT_EVENTS, argProblems, type DisasterRecoveryArgs } from "../../components/disaster-recovery";
import { Vpc } from "../../components/vpc";
import { POLICIES } from "../../policy/rules";
import { UNKNOWN, type Graph, type RecordedResource } from "../../tools/engine/graph";
import { evaluatePolicies } from "../../tools/policy/evaluate";
import { readPackConfig } from "../../tools/policy/pack";
import { ROOT, T, inventory, named, planProgram, registeredCount, valueOf } from "../helpers/engine";

const B = {
    component: "webstack:ops:DisasterRecovery",
    vault: "aws:backup/vault:Vault",
    lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    notifications: "aws:backup/vaultNotifications:VaultNotifications",
    plan: "aws:backup/plan:Plan",
    selection: "aws:backup/selection:Selection",
    restorePlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    restoreSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    rds: "aws:rds/instance:Instance",
} as const;

const ACCOUNT = "123456789012";
const TAGS = { Project: "webstack", Stack: "production", Environment: "production", Owner: "platform-team", CostCenter: "CC-1042" };
const STAGING_TAGS = { ...TAGS, Stack: "staging", Environment: "staging" };
const tagsOf = (role: string, base: Record<string, string> = TAGS) => ({ ...base, Component: "dr", Name: `dr-${role}` });
const BACKUP_TAG = { key: "Backup", value: "webstack-daily" };
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:webstack-alerts`;
const RESTORE = { scheduleExpression: "cron(0 6 ? * SAT *)", rdsSubnetGroupName: "db-isolated", rdsSecurityGroupIds: ["sg-0db00000000000000"] };
/** The staging shape: one vault, no copy, no lock. */
const STAGING: DisasterRecoveryArgs = { drRegion: "us-west-2", backupTag: BACKUP_TAG, retentionDays: 7, continuousDays: 7, tags: STAGING_TAGS };
/** The production shape: the DR vault and copy, a governance lock, notifications, restore tests, protection. */
const PRODUCTION: DisasterRecoveryArgs = {
    drRegion: "us-west-2",
    backupTag: BACKUP_TAG,
    retentionDays: 35,
    continuousDays: 35,
    copyToDr: true,
    vaultLock: { mode: "governance", minRetentionDays: 7, maxRetentionDays: 365 },
    notificationTopicArn: TOPIC,
    restoreTesting: RESTORE,
    protect: true,
    tags: TAGS,
};

interface Planned {
    readonly g: Graph;
    readonly dr: DisasterRecovery;
}

async function planDr(args: DisasterRecoveryArgs, { preview = false, stack = "production" } = {}): Promise<Planned> {
    let dr: DisasterRecovery | undefined;
    const g = await planProgram(
        () => {
            dr = new DisasterRecovery("dr", args);
        },
        stack,
        { preview },
    );
    return { g, dr: dr as DisasterRecovery };
}

const one = named;
const json = (value: unknown): unknown => {
    assert.equal(typeof value, "string", "expected a JSON document string");
    return JSON.parse(value as string);
};
const statements = (r: RecordedResource) => (json(r.inputs.policy) as { Statement: Record<string, unknown>[] }).Statement;
const providerRegion = (g: Graph, r: RecordedResource) => {
    if (!r.provider) return "default";
    const provider = g.resources.find((p) => p.type === T.provider && r.provider?.includes(`::${p.name}::`));
    return provider?.inputs.region;
};
const vaultArn = (region: string, name: unknown) => `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${String(name)}`;

describe("DisasterRecovery", () => {
    describe("inventory", () => {
        it("staging: one vault under its key, the role with both service-role policies, the plan and the tag selection; no DR region, lock, topic or restore tests", async () => {
            const { g } = await planDr(STAGING, { stack: "staging" });
            assert.deepEqual(inventory(g), [
                `${T.role} dr-role`,
                `${B.attachment} dr-role-backup`,
                `${B.attachment} dr-role-restores`,
                `${T.kmsKey} dr-vault-key`,
                `${B.plan} dr-plan`,
                `${B.selection} dr-selection`,
                `${B.vault} dr-vault`,
                `${B.component} dr`,
            ].sort());
        });

        it("production: adds the DR provider, key and vault, a lock on each vault, the notifications and the restore testing plan and selection", async () => {
            const { g } = await planDr(PRODUCTION);
            assert.deepEqual(inventory(g), [
                `${T.provider} dr-dr-region`,
                `${T.role} dr-role`,
                `${B.attachment} dr-role-backup`,
                `${B.attachment} dr-role-restores`,
                `${T.kmsKey} dr-vault-key`,
                `${T.kmsKey} dr-dr-vault-key`,
                `${B.plan} dr-plan`,
                `${B.selection} dr-selection`,
                `${B.vault} dr-vault`,
                `${B.vault} dr-dr-vault`,
                `${B.lock} dr-vault`,
                `${B.lock} dr-dr-vault`,
                `${B.notifications} dr-vault`,
                `${B.restorePlan} dr-restore-tests`,
                `${B.restoreSelection} dr-restore-tests-rds`,
                `${B.component} dr`,
            ].sort());
        });
    });

    describe("vaults and keys", () => {
        it("encrypts each vault with its own rotating key, usable only through AWS Backup in the vault's region (and RDS in the DR region)", async () => {
            const { g } = await planDr(PRODUCTION);
            const key = one(g, T.kmsKey, "dr-vault-key");
            const drKey = one(g, T.kmsKey, "dr-dr-vault-key");
            assert.equal(one(g, B.vault, "dr-vault").inputs.kmsKeyArn, key.outputs.arn);
            assert.equal(one(g, B.vault, "dr-dr-vault").inputs.kmsKeyArn, drKey.outputs.arn);
            assert.match(String(key.outputs.arn), /^arn:aws:kms:us-east-1:/);
            assert.match(String(drKey.outputs.arn), /^arn:aws:kms:us-west-2:/);
            for (const [k, description] of [
                [key, "dr: AWS Backup recovery points in the primary vault"],
                [drKey, "dr: AWS Backup recovery points in the DR vault"],
            ] as const) {
                assert.equal(k.inputs.enableKeyRotation, true);
                assert.equal(k.inputs.deletionWindowInDays, 30);
                assert.equal(k.inputs.description, description);
            }
            const use = (k: RecordedResource) => statements(k)[1];
            assert.equal(statements(key)[0].Sid, "AccountAdministers");
            assert.equal((statements(key)[0].Action as string[]).includes("kms:Decrypt"), false);
            assert.deepEqual(use(key), {
                Sid: "AccountUsesThroughBackup",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": "backup.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT } },
            });
            assert.deepEqual((use(drKey).Condition as Record<string, unknown>).StringEquals, {
                "kms:ViaService": ["backup.us-west-2.amazonaws.com", "rds.us-west-2.amazonaws.com"],
                "kms:CallerAccount": ACCOUNT,
            });
        });

        it("creates the DR key, vault and lock with an explicit provider in the DR region that carries the stack's settings", async () => {
            const settings = { profile: "webstack-prod", allowedAccountIds: [ACCOUNT] };
            const { g } = await planDr({ ...PRODUCTION, drRegion: "eu-central-1", providerSettings: settings });
            const provider = one(g, T.provider, "dr-dr-region");
            assert.equal(provider.inputs.region, "eu-central-1");
            assert.equal(provider.inputs.profile, "webstack-prod");
            assert.equal(provider.inputs.allowedAccountIds, JSON.stringify([ACCOUNT]));
            for (const [type, name] of [[T.kmsKey, "dr-dr-vault-key"], [B.vault, "dr-dr-vault"], [B.lock, "dr-dr-vault"]] as const) {
                assert.equal(providerRegion(g, one(g, type, name)), "eu-central-1", `${type} ${name}`);
            }
            for (const [type, name] of [[T.kmsKey, "dr-vault-key"], [B.vault, "dr-vault"], [B.lock, "dr-vault"], [B.plan, "dr-plan"]] as const) {
                assert.equal(providerRegion(g, one(g, type, name)), "default", `${type} ${name}`);
            }
            assert.match(String(one(g, B.vault, "dr-dr-vault").outputs.arn), /^arn:aws:backup:eu-central-1:/);
        });

        it("staging vaults are forceDestroy and unprotected; production vaults, locks and keys are protected and retained", async () => {
            const seen: Record<string, { protect?: boolean; retainOnDelete?: boolean }> = {};
            const watch = () =>
                pulumi.runtime.registerResourceTransform((t) => {
                    if ([B.vault, B.lock, T.kmsKey].includes(t.type as never)) seen[`${t.type} ${t.name}`] = { protect: t.opts.protect, retainOnDelete: t.opts.retainOnDelete };
                    return undefined;
                });
            const staging = await planProgram(() => {
                watch();
                new DisasterRecovery("dr", STAGING);
            }, "staging");
            assert.equal(one(staging, B.vault, "dr-vault").inputs.forceDestroy, true);
            assert.deepEqual(seen, { [`${T.kmsKey} dr-vault-key`]: { protect: false, retainOnDelete: false }, [`${B.vault} dr-vault`]: { protect: false, retainOnDelete: false } });
            for (const k of Object.keys(seen)) delete seen[k];
            const production = await planProgram(() => {
                watch();
                new DisasterRecovery("dr", PRODUCTION);
            }, "production");
            for (const name of ["dr-vault", "dr-dr-vault"]) assert.equal(one(production, B.vault, name).inputs.forceDestroy, false);
            const kept = { protect: true, retainOnDelete: true };
            assert.deepEqual(seen, {
                [`${T.kmsKey} dr-vault-key`]: kept,
                [`${T.kmsKey} dr-dr-vault-key`]: kept,
                [`${B.vault} dr-vault`]: kept,
                [`${B.vault} dr-dr-vault`]: kept,
                [`${B.lock} dr-vault`]: kept,
                [`${B.lock} dr-dr-vault`]: kept,
            });
        });

        it("tags every taggable child with the base tags, the component and its Name", async () => {
            const { g } = await planDr(PRODUCTION);
            for (const [type, name] of [
                [T.kmsKey, "dr-vault-key"],
                [T.kmsKey, "dr-dr-vault-key"],
                [B.vault, "dr-vault"],
                [B.vault, "dr-dr-vault"],
                [B.plan, "dr-plan"],
                [T.role, "dr-role"],
                [B.restorePlan, "dr-restore-tests"],
            ] as const) {
                assert.deepEqual(one(g, type, name).inputs.tags, tagsOf(name.slice(3)), `${type} ${name}`);
            }
        });
    });

    describe("plan", () => {
        it("production: a daily rule kept retentionDays and copied to the DR vault's ARN, a continuous rule kept continuousDays, both into the primary vault", async () => {
            const { g, dr } = await planDr({ ...PRODUCTION, retentionDays: 90, continuousDays: 14, vaultLock: { mode: "governance", minRetentionDays: 7, maxRetentionDays: 365 } });
            const vault = one(g, B.vault, "dr-vault").outputs.name;
            const drVault = one(g, B.vault, "dr-dr-vault").outputs.name;
            const recoveryPointTags = { ...TAGS, Component: "dr" };
            assert.deepEqual(one(g, B.plan, "dr-plan").inputs.rules, [
                {
                    ruleName: "daily",
                    targetVaultName: vault,
                    schedule: DAILY_SCHEDULE,
                    startWindow: 60,
                    completionWindow: 480,
                    lifecycle: { deleteAfter: 90 },
                    copyActions: [{ destinationVaultArn: vaultArn("us-west-2", drVault), lifecycle: { deleteAfter: 90 } }],
                    recoveryPointTags,
                },
                {
                    ruleName: "continuous",
                    targetVaultName: vault,
                    schedule: DAILY_SCHEDULE,
                    startWindow: 60,
                    completionWindow: 480,
                    enableContinuousBackup: true,
                    lifecycle: { deleteAfter: 14 },
                    recoveryPointTags,
                },
            ]);
            // The ARN built from the name is the one AWS assigns.
            assert.equal(await valueOf(dr.drVaultArn as pulumi.Output<string>), one(g, B.vault, "dr-dr-vault").outputs.arn);
        });

        it("staging: the same two rules without copy actions; defaults are 35 days each", async () => {
            const { g } = await planDr({ ...STAGING, retentionDays: undefined, continuousDays: undefined }, { stack: "staging" });
            const rules = one(g, B.plan, "dr-plan").inputs.rules as Record<string, unknown>[];
            assert.deepEqual(rules.map((r) => [r.ruleName, r.lifecycle, r.copyActions, r.enableContinuousBackup]), [
                ["daily", { deleteAfter: 35 }, [], undefined],
                ["continuous", { deleteAfter: 35 }, undefined, true],
            ]);
        });

        it("selects every resource carrying the backup tag, with the backup role, after the role holds its policies", async () => {
            const { g } = await planDr(PRODUCTION);
            const selection = one(g, B.selection, "dr-selection");
            const role = one(g, T.role, "dr-role");
            assert.deepEqual(selection.inputs, {
                name: "dr-tagged",
                planId: one(g, B.plan, "dr-plan").outputs.id,
                iamRoleArn: role.outputs.arn,
                selectionTags: [{ type: "STRINGEQUALS", key: "Backup", value: "webstack-daily" }],
            });
            assert.deepEqual(
                [...selection.dependencies].filter((d) => d.includes("RolePolicyAttachment")).map((d) => d.split("::").pop()).sort(),
                ["dr-role-backup", "dr-role-restores"],
            );
        });

        it("the role is trusted by AWS Backup only and holds exactly the two service-role policies", async () => {
            const { g, dr } = await planDr(STAGING, { stack: "staging" });
            const role = one(g, T.role, "dr-role");
            assert.deepEqual(json(role.inputs.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
            });
            assert.deepEqual(BACKUP_ROLE_POLICIES, ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"]);
            assert.deepEqual(
                g.resources.filter((r) => r.type === B.attachment).map((a) => [a.name, a.inputs.role, a.inputs.policyArn]),
                [
                    ["dr-role-backup", role.outputs.name, "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"],
                    ["dr-role-restores", role.outputs.name, "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"],
                ],
            );
            assert.equal(await valueOf(dr.roleArn), role.outputs.arn);
        });
    });

    describe("vault lock", () => {
        it("governance: both vaults locked with the min/max and no changeableForDays; the plan waits for the locks", async () => {
            const { g } = await planDr(PRODUCTION);
            for (const name of ["dr-vault", "dr-dr-vault"]) {
                assert.deepEqual(one(g, B.lock, name).inputs, { backupVaultName: one(g, B.vault, name).outputs.name, minRetentionDays: 7, maxRetentionDays: 365 });
            }
            assert.deepEqual(
                [...one(g, B.plan, "dr-plan").dependencies].filter((d) => d.includes("VaultLockConfiguration")).map((d) => d.split("::").pop()).sort(),
                ["dr-dr-vault", "dr-vault"],
            );
        });

        it("compliance: changeableForDays as given, 3 when not given", async () => {
            for (const [given, expected] of [[undefined, 3], [10, 10]] as const) {
                const { g } = await planDr({ ...PRODUCTION, vaultLock: { mode: "compliance", minRetentionDays: 35, maxRetentionDays: 3650, changeableForDays: given } });
                for (const name of ["dr-vault", "dr-dr-vault"]) {
                    assert.deepEqual(one(g, B.lock, name).inputs, { backupVaultName: one(g, B.vault, name).outputs.name, minRetentionDays: 35, maxRetentionDays: 3650, changeableForDays: expected });
                }
            }
        });
    });

    describe("notifications and restore tests", () => {
        it("sends the primary vault's finished backups, failed copies and finished restores to the topic", async () => {
            const { g } = await planDr(PRODUCTION);
            assert.deepEqual(VAULT_EVENTS, ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED"]);
            assert.deepEqual(one(g, B.notifications, "dr-vault").inputs, { backupVaultName: one(g, B.vault, "dr-vault").outputs.name, snsTopicArn: TOPIC, backupVaultEvents: VAULT_EVENTS });
        });

        it("restores the latest RDS point of the primary vault into the database's subnet group and group, single-AZ and private", async () => {
            const { g, dr } = await planDr({ ...PRODUCTION, restoreTesting: { ...RESTORE, rdsSecurityGroupIds: ["sg-0db00000000000000", "sg-0db00000000000001"] } });
            const vault = one(g, B.vault, "dr-vault");
            assert.deepEqual(one(g, B.restorePlan, "dr-restore-tests").inputs, {
                name: "dr_restore_tests",
                scheduleExpression: "cron(0 6 ? * SAT *)",
                scheduleExpressionTimezone: "Etc/UTC",
                startWindowHours: 24,
                recoveryPointSelection: {
                    algorithm: "LATEST_WITHIN_WINDOW",
                    includeVaults: [vault.outputs.arn],
                    recoveryPointTypes: ["CONTINUOUS", "SNAPSHOT"],
                    selectionWindowDays: 7,
                },
                tags: tagsOf("restore-tests"),
            });
            assert.deepEqual(one(g, B.restoreSelection, "dr-restore-tests-rds").inputs, {
                name: "rds",
                restoreTestingPlanName: "dr_restore_tests",
                protectedResourceType: "RDS",
                iamRoleArn: one(g, T.role, "dr-role").outputs.arn,
                protectedResourceArns: ["*"],
                protectedResourceConditions: { stringEquals: [{ key: "aws:ResourceTag/Backup", value: "webstack-daily" }] },
                restoreMetadataOverrides: {
                    dbSubnetGroupName: "db-isolated",
                    vpcSecurityGroupIds: '["sg-0db00000000000000","sg-0db00000000000001"]',
                    publiclyAccessible: "false",
                    multiAz: "false",
                },
                validationWindowHours: 1,
            });
            assert.equal(await valueOf(dr.restoreTestingPlanName as pulumi.Output<string>), "dr_restore_tests");
        });
    });

    describe("outputs", () => {
        it("production: vaults, keys, plan, role and restore testing plan, the vault ARNs known at preview", async () => {
            for (const preview of [false, true]) {
                const { g, dr } = await planDr(PRODUCTION, { preview });
                const vault = one(g, B.vault, "dr-vault");
                const drVault = one(g, B.vault, "dr-dr-vault");
                assert.equal(await valueOf(dr.vaultName), vault.outputs.name);
                assert.equal(await valueOf(dr.drVaultName as pulumi.Output<string>), drVault.outputs.name);
                assert.equal(await valueOf(dr.vaultArn), vaultArn("us-east-1", vault.outputs.name));
                assert.equal(await valueOf(dr.drVaultArn as pulumi.Output<string>), vaultArn("us-west-2", drVault.outputs.name));
                assert.equal(dr.drRegion, "us-west-2");
                if (!preview) {
                    assert.equal(await valueOf(dr.vaultArn), vault.outputs.arn);
                    assert.equal(await valueOf(dr.keyArn), one(g, T.kmsKey, "dr-vault-key").outputs.arn);
                    assert.equal(await valueOf(dr.drKeyArn as pulumi.Output<string>), one(g, T.kmsKey, "dr-dr-vault-key").outputs.arn);
                    assert.equal(await valueOf(dr.planId), one(g, B.plan, "dr-plan").outputs.id);
                    assert.equal(await valueOf(dr.planArn), one(g, B.plan, "dr-plan").outputs.arn);
                } else {
                    assert.equal(one(g, B.plan, "dr-plan").outputs.arn, UNKNOWN);
                }
            }
        });

        it("staging: no DR vault, key or restore testing plan", async () => {
            const { dr } = await planDr(STAGING, { stack: "staging" });
            assert.deepEqual([dr.drVaultName, dr.drVaultArn, dr.drKeyArn, dr.restoreTestingPlanName], [undefined, undefined, undefined, undefined]);
        });
    });

    describe("argument checks", () => {
        it("accepts both shapes", () => {
            assert.deepEqual(argProblems(STAGING), []);
            assert.deepEqual(argProblems(PRODUCTION), []);
        });

        it("reports every problem at once, before registering anything", async () => {
            const bad: DisasterRecoveryArgs = {
                ...PRODUCTION,
                drRegion: "west",
                backupTag: { key: "Backup", value: " " },
                retentionDays: 0,
                continuousDays: 36,
                vaultLock: { mode: "governance", minRetentionDays: 7, maxRetentionDays: 365, changeableForDays: 3 },
            };
            const expected = [
                'drRegion ("west") must be an AWS region name such as us-west-2',
                'backupTag needs a key and a value, not {"key":"Backup","value":" "}',
                "retentionDays (0) must be whole days from 1 to 36500",
                "continuousDays (36) must be whole days from 1 to 35 (AWS Backup's continuous backup limit)",
                "vaultLock.changeableForDays (3) applies only to compliance mode: with it AWS creates a compliance lock",
            ];
            assert.deepEqual(argProblems(bad), expected);
            await assert.rejects(planDr(bad), (err: Error) => {
                assert.equal(err.message.includes(`DisasterRecovery dr has invalid arguments:\n${expected.map((p) => `  - ${p}`).join("\n")}`), true, err.message);
                return true;
            });
            assert.equal(registeredCount(), 0);
        });

        it("the lock must admit every retention the plan uses; compliance grace is at least 3 days; min <= max", () => {
            const lock = (l: Partial<NonNullable<DisasterRecoveryArgs["vaultLock"]>>) => argProblems({ ...PRODUCTION, retentionDays: 35, continuousDays: 14, vaultLock: { mode: "compliance", minRetentionDays: 7, maxRetentionDays: 365, ...l } });
            assert.deepEqual(lock({}), []);
            assert.deepEqual(lock({ minRetentionDays: 15 }), ["vaultLock.minRetentionDays (15) must be <= the shortest retention the plan uses (14 days), or those backup jobs fail"]);
            assert.deepEqual(lock({ maxRetentionDays: 30 }), ["vaultLock.maxRetentionDays (30) must be >= the longest retention the plan uses (35 days), or those backup jobs fail"]);
            assert.deepEqual(lock({ minRetentionDays: 40, maxRetentionDays: 30 }), ["vaultLock min/maxRetentionDays (40/30) must be whole days from 1 to 36500 with min <= max"]);
            assert.deepEqual(lock({ changeableForDays: 2 }), ["vaultLock.changeableForDays (2) must be whole days, at least 3 (AWS's 72-hour cooling-off)"]);
        });

        it("refuses a DR region equal to the stack's region (a copy there survives no regional outage)", async () => {
            for (const preview of [false, true]) {
                await assert.rejects(planDr({ ...PRODUCTION, drRegion: "us-east-1" }, { preview }), (err: Error) => {
                    assert.equal(err.message.includes("DisasterRecovery dr: drRegion (us-east-1) must differ from the stack's region (us-east-1)"), true, err.message);
                    return true;
                });
            }
        });
    });

    describe("policy pack", () => {
        const production = readPackConfig(path.join(ROOT, "policy", "config", "production.json"));

        /** A production PostgreSQL instance carrying the backup tag, as the Database component builds it, in a real Vpc's isolated subnets. */
        function database(net: Vpc, tag = BACKUP_TAG): aws.rds.Instance {
            const tags = { ...TAGS, Component: "db", [tag.key]: tag.value };
            const key = new aws.kms.Key("db-key", {
                description: "db: storage, master secret, Performance Insights",
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                tags: { ...TAGS, Name: "db-key" },
            }, { protect: true });
            const subnets = new aws.rds.SubnetGroup("db", { subnetIds: net.isolatedSubnetIds, tags: { ...TAGS, Name: "db" } });
            const monitoring = new aws.iam.Role("db-monitoring", {
                assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
                tags: { ...TAGS, Name: "db-monitoring" },
            });
            new aws.iam.RolePolicyAttachment("db-monitoring", { role: monitoring.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" });
            // FSBP RDS.19: the instance's events go to a topic (the Observability component's, in the program).
            // The topic's own policy: the engine gives aws.sns.TopicPolicy a generic `arn` output in place of the topic's.
            const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:webstack-alerts`;
            const topic = new aws.sns.Topic("alerts", {
                name: "webstack-alerts",
                kmsMasterKeyId: key.arn,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: topicArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
                        { Sid: "BackupPublishes", Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sns:Publish", Resource: topicArn, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } },
                    ],
                }),
                tags: { ...TAGS, Name: "alerts" },
            });
            const instance = new aws.rds.Instance(
                "db",
                {
                    engine: "postgres",
                    engineVersion: "17.5",
                    instanceClass: "db.m7g.large",
                    allocatedStorage: 50,
                    maxAllocatedStorage: 200,
                    storageType: "gp3",
                    storageEncrypted: true,
                    kmsKeyId: key.arn,
                    dbName: "webstack",
                    username: "webstack_admin",
                    manageMasterUserPassword: true,
                    masterUserSecretKmsKeyId: key.arn,
                    iamDatabaseAuthenticationEnabled: true,
                    multiAz: true,
                    dbSubnetGroupName: subnets.name,
                    vpcSecurityGroupIds: [net.securityGroupIds.database],
                    publiclyAccessible: false,
                    backupRetentionPeriod: 14,
                    copyTagsToSnapshot: true,
                    deletionProtection: true,
                    finalSnapshotIdentifier: "db-final",
                    autoMinorVersionUpgrade: true,
                    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
                    monitoringInterval: 60,
                    monitoringRoleArn: monitoring.arn,
                    performanceInsightsEnabled: true,
                    performanceInsightsKmsKeyId: key.arn,
                    caCertIdentifier: "rds-ca-rsa2048-g1",
                    tags,
                },
                { protect: true },
            );
            new aws.rds.EventSubscription("db", {
                snsTopic: topic.arn,
                sourceType: "db-instance",
                sourceIds: [instance.identifier],
                eventCategories: ["maintenance", "configuration change", "failure"],
                enabled: true,
                tags: { ...TAGS, Name: "db-events" },
            });
            return instance;
        }

        const network = () => new Vpc("network", { cidr: "10.20.0.0/16", zones: ["us-east-1a", "us-east-1b"], natStrategy: "onePerAz", flowLogRetentionDays: 365, protect: true, tags: TAGS });

        async function verdict(program: () => void, preview: boolean) {
            const g = await planProgram(program, "production", { preview });
            return evaluatePolicies(g, POLICIES, production);
        }

        it("passes every production rule with a tagged RDS instance in a real Vpc (plan and plan --preview)", async () => {
            for (const preview of [false, true]) {
                const v = await verdict(() => {
                    const net = network();
                    database(net);
                    new DisasterRecovery("dr", { ...PRODUCTION, restoreTesting: { ...RESTORE, rdsSecurityGroupIds: [net.securityGroupIds.database] } });
                }, preview);
                assert.deepEqual(v.findings.filter((f) => f.level === "mandatory").map((f) => [f.policy, f.resource, f.message]), [], `preview=${preview}`);
            }
        });

        it("S07 reports the instance when its tag differs from the selection's, and the missing copy in the staging shape", async () => {
            for (const preview of [false, true]) {
                const untagged = await verdict(() => {
                    database(network(), { key: "Backup", value: "never" });
                    new DisasterRecovery("dr", PRODUCTION);
                }, preview);
                assert.deepEqual(
                    untagged.findings.filter((f) => f.policy.startsWith("S07")).map((f) => [f.policy, f.level, f.resource, f.message]),
                    [["S07-backup-coverage", "mandatory", "db", "RDS instance is not selected by any AWS Backup selection [finding backup-missing]"]],
                    `preview=${preview}`,
                );
                const noCopy = await verdict(() => {
                    database(network());
                    new DisasterRecovery("dr", { ...STAGING, tags: TAGS, protect: true });
                }, preview);
                assert.deepEqual(
                    noCopy.findings.filter((f) => f.policy.startsWith("S07")).map((f) => [f.policy, f.level, f.resource, f.message]),
                    [["S07-backup-coverage", "mandatory", "db", "RDS instance is tagged Environment=production but no rule of its backup plan copies recovery points to a vault in another region [finding backup-copy]"]],
                    `preview=${preview}`,
                );
            }
        });
    });
});
