import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, type AwsContext } from "./shared/aws-context";
import { accountUsesKeyThrough, policyDocument, toJson } from "./shared/iam";
import { customerManagedKey } from "./shared/key";
import type { ProviderSettings } from "./shared/providers";
import { resourceTags, type Tags } from "./shared/tags";

/** The tag the data components put on what AWS Backup must protect; the plan selects every resource carrying it. */
export interface BackupTag {
    readonly key: string;
    readonly value: string;
}

/**
 * AWS Backup Vault Lock on both vaults (AWS Backup developer guide, "AWS Backup Vault Lock"). While a lock is in
 * place nobody can delete a recovery point before its retention ends or shorten its lifecycle, and backup and copy
 * jobs whose retention lies outside min..max fail.
 * - `governance`: a principal allowed `backup:DeleteBackupVaultLockConfiguration` can remove the lock, after which
 *   recovery points and the vault can be deleted again. `pulumi destroy` removes the lock, then stops at the vault
 *   (protected in production, and AWS refuses to delete a vault that still holds recovery points).
 * - `compliance`: removable or changeable only during `changeableForDays` (at least 3: AWS's 72-hour cooling-off);
 *   after that the lock is immutable, for root and AWS too, and neither the vault nor any recovery point can be deleted
 *   before its retention ends. `pulumi destroy` then fails on the lock and the vault: the stack cannot be torn down
 *   for up to maxRetentionDays, and a wrong min/max can never be corrected.
 */
export interface VaultLock {
    readonly mode: "governance" | "compliance";
    /** Recovery points stay at least this long; jobs asking for less fail. At most the shortest retention the plan uses. */
    readonly minRetentionDays: number;
    /** Jobs asking for longer retention fail. At least the longest retention the plan uses. */
    readonly maxRetentionDays: number;
    /**
     * Compliance mode only: days (3 or more) during which the lock can still be changed or deleted.
     * @default 3: the shortest grace AWS allows; the lock is permanent after it
     */
    readonly changeableForDays?: number;
}

/** Scheduled test restores of the RDS recovery points, landing where the database lives. */
export interface RestoreTesting {
    /** When a test restore starts (an AWS Backup cron or rate expression in UTC), e.g. `cron(0 6 ? * SAT *)`. */
    readonly scheduleExpression: string;
    /** The database's DB subnet group (isolated subnets): the restored instance is placed there. */
    readonly rdsSubnetGroupName: pulumi.Input<string>;
    /** The `database` tier's security group: the restored instance gets only these groups. */
    readonly rdsSecurityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
}

export interface DisasterRecoveryArgs {
    /** The region holding the off-region copies; must differ from the stack's region. */
    readonly drRegion: string;
    /** Every resource carrying this tag (the data components set it) is backed up. */
    readonly backupTag: BackupTag;
    /** Base tags of the stack (Project, Stack, Environment, Owner, CostCenter). */
    readonly tags: Tags;
    /**
     * The stack's AWS provider settings (profile, assumed roles, allowed accounts, default tags) for the explicit
     * DR-region provider.
     * @default {} (the default credential chain): the DR vault and key may then be created with other credentials,
     * in another account, than the rest of the stack
     */
    readonly providerSettings?: ProviderSettings;
    /**
     * Days a daily recovery point (and its DR copy) is kept. Storage is billed per GB-month of every kept point.
     * @default 35
     */
    readonly retentionDays?: number;
    /**
     * Point-in-time recovery window of RDS continuous backups, 1-35 days; longer keeps more transaction logs (storage).
     * @default 35
     */
    readonly continuousDays?: number;
    /**
     * Copy every daily recovery point to a second vault, with its own key, in `drRegion`: what survives a regional
     * outage. Doubles backup storage and adds cross-region transfer per GB.
     * @default false: recovery points stay in the stack's region only (the pack's S07 refuses that in production)
     */
    readonly copyToDr?: boolean;
    /**
     * Lock both vaults (see VaultLock for what each mode means for `pulumi destroy`).
     * @default none: anyone allowed to delete recovery points (or to run `pulumi destroy` on staging) can erase them
     */
    readonly vaultLock?: VaultLock;
    /**
     * SNS topic (in the stack's region) receiving the primary vault's job events: finished backup jobs (filter on
     * state for failures), failed copy jobs, finished restore jobs (restore tests included). Its policy must let
     * backup.amazonaws.com publish.
     * @default none: failed backups and copies go unnoticed until someone looks at AWS Backup's jobs
     */
    readonly notificationTopicArn?: pulumi.Input<string>;
    /**
     * Restore the latest RDS recovery point on a schedule into the database's isolated subnets and group (single-AZ,
     * private), then let AWS Backup delete it: proof that the backups restore. Each test bills the instance for its
     * hours.
     * @default none: no restore is ever tried before one is needed
     */
    readonly restoreTesting?: RestoreTesting;
    /**
     * Protect the vaults, the lock and the keys from deletion (`protect` and `retainOnDelete`). Without it the vaults
     * are `forceDestroy`, so a staging stack tears down with its recovery points.
     * @default false
     */
    readonly protect?: boolean;
}

/** Daily backups at 05:00 UTC, started within an hour, finished within eight. */
export const DAILY_SCHEDULE = "cron(0 5 ? * * *)";
const START_WINDOW_MINUTES = 60;
const COMPLETION_WINDOW_MINUTES = 480;
/**
 * Vault events sent to the topic (PutBackupVaultNotifications' supported events): a failed backup arrives as
 * BACKUP_JOB_COMPLETED with its state; COPY_JOB_FAILED covers the DR copies (copy jobs belong to the source vault).
 */
export const VAULT_EVENTS = ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED", "RESTORE_JOB_COMPLETED"];
/** AWS-managed policies AWS publishes for the AWS Backup service role (service-role/: R78 accepts them). */
export const BACKUP_ROLE_POLICIES = ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"];
/** Restore tests pick the latest recovery point of the last week. */
const RESTORE_SELECTION_WINDOW_DAYS = 7;
/** Hours a restored test database stays up before AWS Backup deletes it. */
const RESTORE_VALIDATION_HOURS = 1;
const LIFECYCLE_MAX_DAYS = 36500;

/** What is wrong with the arguments, one message each (empty when they are valid). */
export function argProblems(args: DisasterRecoveryArgs): string[] {
    const problems: string[] = [];
    const retention = args.retentionDays ?? 35;
    const continuous = args.continuousDays ?? 35;
    const whole = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.drRegion)) problems.push(`drRegion (${JSON.stringify(args.drRegion)}) must be an AWS region name such as us-west-2`);
    if (args.backupTag.key.trim() === "" || args.backupTag.value.trim() === "") problems.push(`backupTag needs a key and a value, not ${JSON.stringify(args.backupTag)}`);
    const retentionOk = whole(retention, 1, LIFECYCLE_MAX_DAYS);
    const continuousOk = whole(continuous, 1, 35);
    if (!retentionOk) problems.push(`retentionDays (${retention}) must be whole days from 1 to ${LIFECYCLE_MAX_DAYS}`);
    if (!continuousOk) problems.push(`continuousDays (${continuous}) must be whole days from 1 to 35 (AWS Backup's continuous backup limit)`);
    const lock = args.vaultLock;
    if (lock) {
        const { minRetentionDays: min, maxRetentionDays: max } = lock;
        if (!whole(min, 1, LIFECYCLE_MAX_DAYS) || !whole(max, 1, LIFECYCLE_MAX_DAYS) || min > max) {
            problems.push(`vaultLock min/maxRetentionDays (${min}/${max}) must be whole days from 1 to ${LIFECYCLE_MAX_DAYS} with min <= max`);
        } else if (retentionOk && continuousOk) {
            // A job whose retention lies outside the lock's range fails: every point the plan makes must fit.
            const shortest = Math.min(retention, continuous);
            const longest = Math.max(retention, continuous);
            if (min > shortest) problems.push(`vaultLock.minRetentionDays (${min}) must be <= the shortest retention the plan uses (${shortest} days), or those backup jobs fail`);
            if (max < longest) problems.push(`vaultLock.maxRetentionDays (${max}) must be >= the longest retention the plan uses (${longest} days), or those backup jobs fail`);
        }
        if (lock.mode === "governance" && lock.changeableForDays !== undefined) {
            problems.push(`vaultLock.changeableForDays (${lock.changeableForDays}) applies only to compliance mode: with it AWS creates a compliance lock`);
        }
        if (lock.mode === "compliance" && lock.changeableForDays !== undefined && !whole(lock.changeableForDays, 3, LIFECYCLE_MAX_DAYS)) {
            problems.push(`vaultLock.changeableForDays (${lock.changeableForDays}) must be whole days, at least 3 (AWS's 72-hour cooling-off)`);
        }
    }
    return problems;
}

/** Restore testing plan names allow only letters, digits and underscores. */
const restoreTestingName = (name: string) => `${name.replace(/[^A-Za-z0-9_]/g, "_")}_restore_tests`;

/**
 * Backups (the first layer of disaster recovery): an AWS Backup vault under its own key, a plan with daily and
 * continuous (RDS point-in-time) rules selecting every resource by the backup tag, in production a copy of every
 * daily point to a vault in the DR region, an optional vault lock, failure notifications and restore tests.
 */
export class DisasterRecovery extends pulumi.ComponentResource {
    readonly vaultName: pulumi.Output<string>;
    readonly vaultArn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    /** The DR region's vault (with `copyToDr`). */
    readonly drVaultName?: pulumi.Output<string>;
    readonly drVaultArn?: pulumi.Output<string>;
    readonly drKeyArn?: pulumi.Output<string>;
    readonly planId: pulumi.Output<string>;
    readonly planArn: pulumi.Output<string>;
    /** The role AWS Backup uses for backups, copies and (test) restores. */
    readonly roleArn: pulumi.Output<string>;
    /** With `restoreTesting`. */
    readonly restoreTestingPlanName?: pulumi.Output<string>;
    readonly drRegion: string;

    constructor(name: string, args: DisasterRecoveryArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = argProblems(args);
        if (problems.length > 0) throw new pulumi.RunError(`DisasterRecovery ${name} has invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        super("webstack:ops:DisasterRecovery", name, {}, opts);
        const parent = { parent: this };
        const tags = (role: string) => resourceTags(args.tags, name, `${name}-${role}`);
        const protect = args.protect ?? false;
        const stateful = { parent: this, protect, retainOnDelete: protect };
        const retention = args.retentionDays ?? 35;
        const continuous = args.continuousDays ?? 35;
        const ctx = awsContext(this);
        this.drRegion = args.drRegion;

        const primary = this.vault(name, "vault", ctx, ctx.region, args, stateful, tags);
        const locks = [...primary.locks];
        this.vaultName = primary.vault.name;
        // ARNs from names (known during `pulumi preview`, unlike the `arn` outputs), so the pack reads them on every pull request.
        this.vaultArn = ctx.arn("backup", pulumi.interpolate`backup-vault:${primary.vault.name}`);
        this.keyArn = primary.key.arn;

        let copyActions: aws.types.input.backup.PlanRuleCopyAction[] = [];
        if (args.copyToDr) {
            const drProvider = new aws.Provider(`${name}-dr-region`, { ...args.providerSettings, region: args.drRegion }, parent);
            // Same account and partition; the region is the DR provider's.
            const dr = this.vault(name, "dr-vault", ctx, args.drRegion, args, { ...stateful, provider: drProvider }, tags);
            locks.push(...dr.locks);
            // A copy in the stack's own region survives no regional outage: the plan's copy action fails the run (preview too).
            const drRegion = ctx.region.apply((region) => {
                if (region === args.drRegion) throw new pulumi.RunError(`DisasterRecovery ${name}: drRegion (${args.drRegion}) must differ from the stack's region (${region})`);
                return args.drRegion;
            });
            this.drVaultName = dr.vault.name;
            this.drVaultArn = ctx.arn("backup", pulumi.interpolate`backup-vault:${dr.vault.name}`, drRegion);
            this.drKeyArn = dr.key.arn;
            copyActions = [{ destinationVaultArn: this.drVaultArn, lifecycle: { deleteAfter: retention } }];
        }

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `${name}: AWS Backup's role for backups, copies and restore tests`,
                // AWS Backup's documented service-role trust: it sends no aws:SourceAccount on AssumeRole (unverified),
                // and a condition it never meets would fail every job.
                assumeRolePolicy: toJson(policyDocument({ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" })),
                tags: tags("role"),
            },
            parent,
        );
        const attachments = BACKUP_ROLE_POLICIES.map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    `${name}-role-${policy.includes("Restores") ? "restores" : "backup"}`,
                    { role: role.name, policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/service-role/${policy}` },
                    parent,
                ),
        );
        this.roleArn = role.arn;

        const recoveryPointTags = { ...args.tags, Component: name };
        const plan = new aws.backup.Plan(
            `${name}-plan`,
            {
                rules: [
                    {
                        ruleName: "daily",
                        targetVaultName: primary.vault.name,
                        schedule: DAILY_SCHEDULE,
                        startWindow: START_WINDOW_MINUTES,
                        completionWindow: COMPLETION_WINDOW_MINUTES,
                        lifecycle: { deleteAfter: retention },
                        copyActions,
                        recoveryPointTags,
                    },
                    {
                        // RDS (and other resources supporting it) get point-in-time recovery; the rest a daily snapshot.
                        ruleName: "continuous",
                        targetVaultName: primary.vault.name,
                        schedule: DAILY_SCHEDULE,
                        startWindow: START_WINDOW_MINUTES,
                        completionWindow: COMPLETION_WINDOW_MINUTES,
                        enableContinuousBackup: true,
                        lifecycle: { deleteAfter: continuous },
                        recoveryPointTags,
                    },
                ],
                tags: tags("plan"),
            },
            { parent: this, dependsOn: locks },
        );
        this.planId = plan.id;
        this.planArn = plan.arn;
        new aws.backup.Selection(
            `${name}-selection`,
            {
                name: `${name}-tagged`,
                planId: plan.id,
                iamRoleArn: role.arn,
                selectionTags: [{ type: "STRINGEQUALS", key: args.backupTag.key, value: args.backupTag.value }],
            },
            // The role must hold its policies before the first job runs.
            { parent: this, dependsOn: attachments },
        );

        if (args.notificationTopicArn !== undefined) {
            new aws.backup.VaultNotifications(
                `${name}-vault`,
                { backupVaultName: primary.vault.name, snsTopicArn: args.notificationTopicArn, backupVaultEvents: VAULT_EVENTS },
                parent,
            );
        }

        if (args.restoreTesting) {
            const testing = args.restoreTesting;
            const restorePlan = new aws.backup.RestoreTestingPlan(
                `${name}-restore-tests`,
                {
                    name: restoreTestingName(name),
                    scheduleExpression: testing.scheduleExpression,
                    scheduleExpressionTimezone: "Etc/UTC",
                    startWindowHours: 24,
                    recoveryPointSelection: {
                        algorithm: "LATEST_WITHIN_WINDOW",
                        includeVaults: [this.vaultArn],
                        recoveryPointTypes: ["CONTINUOUS", "SNAPSHOT"],
                        selectionWindowDays: RESTORE_SELECTION_WINDOW_DAYS,
                    },
                    tags: tags("restore-tests"),
                },
                parent,
            );
            new aws.backup.RestoreTestingSelection(
                `${name}-restore-tests-rds`,
                {
                    name: "rds",
                    restoreTestingPlanName: restorePlan.name,
                    protectedResourceType: "RDS",
                    iamRoleArn: role.arn,
                    // "*" with conditions: every RDS instance carrying the backup tag (RestoreTestingSelectionForCreate).
                    protectedResourceArns: ["*"],
                    protectedResourceConditions: { stringEquals: [{ key: `aws:ResourceTag/${args.backupTag.key}`, value: args.backupTag.value }] },
                    // Keys from AWS Backup's "Restore testing inferred metadata" (RDS instances): without them the test
                    // restore lands in the default VPC (or fails when there is none).
                    restoreMetadataOverrides: {
                        dbSubnetGroupName: testing.rdsSubnetGroupName,
                        vpcSecurityGroupIds: pulumi.output(testing.rdsSecurityGroupIds).apply((ids) => JSON.stringify(ids)),
                        publiclyAccessible: "false",
                        multiAz: "false",
                    },
                    validationWindowHours: RESTORE_VALIDATION_HOURS,
                },
                { parent: this, dependsOn: attachments },
            );
            this.restoreTestingPlanName = restorePlan.name;
        }

        // Only the outputs this shape has: an undefined one would only warn.
        const outputs: Record<string, pulumi.Output<string> | string | undefined> = {
            vaultName: this.vaultName,
            vaultArn: this.vaultArn,
            keyArn: this.keyArn,
            drVaultName: this.drVaultName,
            drVaultArn: this.drVaultArn,
            drKeyArn: this.drKeyArn,
            planId: this.planId,
            planArn: this.planArn,
            roleArn: this.roleArn,
            restoreTestingPlanName: this.restoreTestingPlanName,
        };
        this.registerOutputs(Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined)));
    }

    /** A vault under its own key in `region` (that of `opts.provider`, the stack's by default), locked when asked. */
    private vault(
        name: string,
        role: "vault" | "dr-vault",
        ctx: AwsContext,
        region: pulumi.Input<string>,
        args: DisasterRecoveryArgs,
        opts: pulumi.CustomResourceOptions,
        tags: (role: string) => Tags,
    ): { vault: aws.backup.Vault; key: aws.kms.Key; locks: pulumi.Resource[] } {
        const protect = args.protect ?? false;
        const key = customerManagedKey(
            `${name}-${role}-key`,
            `${name}: AWS Backup recovery points in the ${role === "vault" ? "primary" : "DR"} vault`,
            ctx.accountRoot,
            // The account's principals (the backup role) use the key only through AWS Backup; in the DR region
            // RDS too, which re-encrypts cross-region snapshot copies under the destination vault's key.
            [accountUsesKeyThrough(ctx, "Backup", region, role === "vault" ? ["backup"] : ["backup", "rds"])],
            tags(`${role}-key`),
            opts,
        );
        // The region stated (provider v7's per-resource region), as its provider's: reviews and the pack read where
        // each vault is, and so that the copy crosses regions, before deploy.
        const vault = new aws.backup.Vault(`${name}-${role}`, { region, kmsKeyArn: key.arn, forceDestroy: !protect, tags: tags(role) }, opts);
        const lock = args.vaultLock;
        const locks = lock
            ? [
                  new aws.backup.VaultLockConfiguration(
                      `${name}-${role}`,
                      {
                          backupVaultName: vault.name,
                          minRetentionDays: lock.minRetentionDays,
                          maxRetentionDays: lock.maxRetentionDays,
                          // Present = compliance mode (the provider's rule): governance never sets it.
                          changeableForDays: lock.mode === "compliance" ? (lock.changeableForDays ?? 3) : undefined,
                      },
                      opts,
                  ),
              ]
            : [];
        return { vault, key, locks };
    }
}
