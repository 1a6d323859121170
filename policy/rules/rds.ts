import type { PolicyResource } from "@pulumi/policy";
import { dependenciesOf, ofTypes, programValue, referenced, resolve, resolveRef, setByProgram, type Node } from "../lib/graph";
import { resourceRule, stackRule, type Props } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, Undecided, allTagsOf, asArray, isPresent, known, knownItems } from "../lib/values";
import { RDS_CLUSTER_INSTANCE, arnRegion, isArnOf, isClusterMember, isProduction, isReadReplica } from "../lib/data-helpers";
import { globMatch, isAwsManagedKey } from "../lib/patterns";

type Obj = Record<string, unknown>;
const objectOf = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const shown = (v: unknown, dflt: string) => (v === undefined ? `unset, default ${dflt}` : JSON.stringify(v));
const isSet = (v: unknown): v is string => typeof v === "string" && v !== "";

const RDS = [...T.rdsInstance, ...T.rdsCluster];

function rdsKind(type: string): string {
    if (isOneOf(type, T.rdsCluster)) return "cluster";
    if (type === RDS_CLUSTER_INSTANCE) return "cluster instance";
    return "instance";
}

export const R09 = resourceRule(
    {
        id: "R09",
        slug: "postgres-force-ssl",
        requirement: "PostgreSQL parameter groups set rds.force_ssl to 1.",
        why: "Without it PostgreSQL accepts unencrypted client connections, so credentials and data can cross the VPC in clear text.",
        anchors: ["SH RDS.38", "CKV2_AWS_69"],
        level: "M",
        severity: "high",
        remediation: 'Add { name: "rds.force_ssl", value: "1" } to the parameter group\'s parameters.',
    },
    T.rdsParameterGroup,
    (props, _subject, report) => {
        const family = typeof props.family === "string" ? props.family.toLowerCase() : "";
        if (!family.startsWith("postgres") && !family.startsWith("aurora-postgresql")) return;
        // Explicit even where the family default is already 1 (PostgreSQL 15+): the group is what we review.
        const param = asArray(props.parameters as Obj[] | undefined)
            .map(objectOf)
            .find((p) => p.name === "rds.force_ssl");
        if (!param) report("force-ssl", `parameter group (family ${family}) does not set rds.force_ssl`);
        else if (String(param.value) !== "1") report("force-ssl", `parameter group sets rds.force_ssl to ${JSON.stringify(param.value)} instead of "1"`);
    },
);

export const R10 = resourceRule(
    {
        id: "R10",
        slug: "rds-proxy-requires-tls",
        requirement: "RDS Proxies require TLS from clients (and, with requireIamAuth, IAM authentication on every auth entry).",
        why: "A proxy that accepts plain connections exposes database credentials and data on the network even when the database itself forces TLS.",
        anchors: ["FSBP RDS.43"],
        level: "M",
        severity: "high",
        remediation: 'Set requireTls: true; where clients support it, set iamAuth: "REQUIRED" on every auths entry (or defaultAuthScheme: "IAM_AUTH").',
        configSchema: { properties: { requireIamAuth: { type: "boolean" } } },
    },
    T.rdsProxy,
    (props, _subject, report, config) => {
        if (props.requireTls !== true) report("require-tls", `proxy accepts connections without TLS (requireTls is ${shown(props.requireTls, "false")})`);
        if (config.requireIamAuth !== true) return;
        // End-to-end IAM authentication: no secrets, every connection authenticates with IAM.
        if (props.defaultAuthScheme === "IAM_AUTH") return;
        const auths = asArray(props.auths as Obj[] | undefined).map(objectOf);
        if (auths.length === 0) {
            report("iam-auth", "proxy has no auth entry requiring IAM authentication (and defaultAuthScheme is not IAM_AUTH)");
            return;
        }
        auths.forEach((a, i) => {
            if (a.iamAuth !== "REQUIRED") {
                const who = isSet(a.username) ? ` (user ${a.username})` : "";
                report(`iam-auth-${i + 1}`, `auth entry ${i + 1}${who} does not require IAM authentication (iamAuth is ${shown(a.iamAuth, "DISABLED")})`);
            }
        });
    },
);

export const R12 = resourceRule(
    {
        id: "R12",
        slug: "rds-encrypted-cmk",
        requirement: "RDS instance and cluster storage is encrypted with a customer-managed KMS key.",
        why: "Unencrypted storage and snapshots leak data, and the AWS-managed aws/rds key cannot be restricted by key policy or shared for cross-account restores.",
        anchors: ["FSBP RDS.3", "cdk-nag RDS2", "CKV_AWS_16", "FSBP RDS.4"],
        level: "M",
        severity: "high",
        remediation: "Set storageEncrypted: true and kmsKeyId to the ARN of an aws.kms.Key from the stack (read replicas: kmsKeyId in the replica's region).",
    },
    RDS,
    (props, subject, report) => {
        if (isClusterMember(subject.type, props)) return;
        const kind = rdsKind(subject.type);
        const replica = isReadReplica(props);
        // A read replica inherits encryption from its source; it cannot choose to be unencrypted.
        if (!replica && props.storageEncrypted !== true) {
            report("storage-encrypted", `${kind} storage is not encrypted (storageEncrypted is ${shown(props.storageEncrypted, "false")})`);
        }
        // A key known only after deploy is a stack key's ARN, not the AWS-managed alias.
        const key = known(props, "kmsKeyId");
        if (!isPresent(key)) {
            const subjectName = replica ? `read replica` : kind;
            report("kms-key", `${subjectName} has no kmsKeyId, so its storage uses the AWS-managed aws/rds key instead of a customer-managed key`);
        } else if (isAwsManagedKey(key)) {
            report("kms-key", `${kind} kmsKeyId ${JSON.stringify(key)} is the AWS-managed key, not a customer-managed key`);
        }
    },
);

export const R33 = resourceRule(
    {
        id: "R33",
        slug: "rds-private",
        requirement: "RDS instances are not publicly accessible and instances and clusters sit in an explicit (private) DB subnet group.",
        why: "A publicly accessible database gets a public DNS name and address, one security group rule away from the internet.",
        anchors: ["FSBP RDS.2", "FSBP RDS.18", "CKV_AWS_17"],
        level: "M",
        severity: "critical",
        remediation: "Set publiclyAccessible: false (the default) and dbSubnetGroupName to an aws.rds.SubnetGroup of private subnets.",
    },
    [...RDS, RDS_CLUSTER_INSTANCE],
    (props, subject, report) => {
        const kind = rdsKind(subject.type);
        if (props.publiclyAccessible === true) report("public", `${kind} is publicly accessible`);
        // Members use their cluster's subnet group.
        if (isClusterMember(subject.type, props)) return;
        // A group known only after deploy is a stack subnet group's name, not "default".
        const group = known(props, "dbSubnetGroupName");
        const problem = !isPresent(group)
            ? `${kind} has no dbSubnetGroupName, so AWS places it in the default subnet group (the default VPC's public subnets)`
            : typeof group === "string" && group.toLowerCase() === "default"
              ? `${kind} uses the "default" DB subnet group (the default VPC's public subnets)`
              : undefined;
        if (problem === undefined) return;
        // A same-region replica (source given by identifier, not ARN) inherits the source's subnet group: read the source only then.
        if (isReadReplica(props) && !isArnOf("rds", props.replicateSourceDb)) return;
        report("subnet-group", problem);
    },
);

export const R42 = resourceRule(
    {
        id: "R42",
        slug: "rds-production-resilience",
        requirement:
            "RDS instances and clusters run Multi-AZ (instances), with deletion protection, backups kept at least 7 days, log exports (the postgresql log for PostgreSQL engines), automatic minor version upgrades and (instances) Enhanced Monitoring.",
        why: "A single-AZ database, short backups or a deletable database turn one incident into data loss; without log exports (for PostgreSQL, the postgresql log holding connections and errors) there is no audit trail; unpatched minor versions keep known bugs; without Enhanced Monitoring the OS-level view of an incident (processes, memory, I/O) is lost.",
        anchors: ["FSBP RDS.5", "FSBP RDS.8", "FSBP RDS.11", "FSBP RDS.9", "FSBP RDS.36", "FSBP RDS.13", "FSBP RDS.6", "cdk-nag RDS3", "cdk-nag RDS10", "cdk-nag RDS13"],
        level: "MP",
        severity: "medium",
        remediation:
            'Set multiAz: true, deletionProtection: true, backupRetentionPeriod: 7 or more, enabledCloudwatchLogsExports (e.g. ["postgresql", "upgrade"]), leave autoMinorVersionUpgrade at true, and set monitoringInterval (60 or less) with a monitoringRoleArn trusted by monitoring.rds.amazonaws.com.',
    },
    RDS,
    (props, subject, report) => {
        if (isClusterMember(subject.type, props)) return;
        const kind = rdsKind(subject.type);
        const cluster = kind === "cluster";
        // Clusters are Multi-AZ through their member instances.
        if (!cluster && props.multiAz !== true) report("multi-az", `${kind} is not Multi-AZ (multiAz is ${shown(props.multiAz, "false")})`);
        if (props.deletionProtection !== true) report("deletion-protection", `${kind} has no deletion protection (deletionProtection is ${shown(props.deletionProtection, "false")})`);
        // Automated backups of a read replica are not the data's backup: the source's are.
        if (!isReadReplica(props)) {
            const days = props.backupRetentionPeriod;
            if (typeof days !== "number" || days < 7) {
                // The RDS API defaults to 1 day when the period is not given.
                report("backup-retention", `${kind} keeps automated backups for ${days === undefined ? "1 day (unset, the AWS default)" : `${JSON.stringify(days)} day(s)`} instead of at least 7`);
            }
        }
        const exports = asArray(props.enabledCloudwatchLogsExports as string[] | undefined);
        if (exports.length === 0) report("log-exports", `${kind} exports no logs to CloudWatch (enabledCloudwatchLogsExports is empty)`);
        else if (isSet(props.engine) && props.engine.includes("postgres") && !exports.includes("postgresql")) {
            report("postgresql-log", `PostgreSQL ${kind} does not export the postgresql log (enabledCloudwatchLogsExports is ${JSON.stringify(exports)})`);
        }
        if (props.autoMinorVersionUpgrade === false) report("minor-upgrades", `${kind} has automatic minor version upgrades turned off`);
        // Enhanced Monitoring is an instance setting (Aurora members carry their own; they are skipped above with the cluster's other checks).
        if (!cluster) {
            const interval = props.monitoringInterval;
            if (typeof interval !== "number" || interval <= 0) {
                report("enhanced-monitoring", `${kind} has no Enhanced Monitoring (monitoringInterval is ${shown(interval, "0")})`);
            } else if (!isPresent(known(props, "monitoringRoleArn"))) {
                report("enhanced-monitoring", `${kind} sets monitoringInterval ${interval} without a monitoringRoleArn, so no metrics are published`);
            }
        }
    },
);

/** Default administrator names FSBP RDS.25 rejects (the engines' documented defaults). */
const DEFAULT_ADMINS = ["postgres", "admin", "root", "sa", "master", "administrator"];
/** Engines whose instances and clusters support IAM database authentication. */
const IAM_AUTH_ENGINES = /^(postgres|mysql|mariadb|aurora)/;

export const R73 = resourceRule(
    {
        id: "R73",
        slug: "rds-access-hardened",
        requirement:
            "RDS instances and clusters enable IAM database authentication (engines that support it), copy tags to snapshots, use a custom administrator username, and encrypt Performance Insights with a customer-managed key when it is on.",
        why: "IAM authentication gives per-identity, short-lived, CloudTrail-logged database logins instead of shared passwords; snapshots without tags escape tag-based access control, backup selection and cost reports; the default admin name (postgres, admin) is half of every brute-force guess; Performance Insights holds query text, which the AWS-managed aws/rds key cannot restrict.",
        anchors: ["FSBP RDS.10", "FSBP RDS.12", "FSBP RDS.16", "FSBP RDS.17", "FSBP RDS.24", "FSBP RDS.25", "Pulumi aws-rds-instance-disallow-unencrypted-performance-insights"],
        level: "M",
        severity: "medium",
        remediation:
            'Set iamDatabaseAuthenticationEnabled: true, copyTagsToSnapshot: true, username (clusters: masterUsername) to a name of your own (e.g. "webstack_admin"), and with performanceInsightsEnabled: true set performanceInsightsKmsKeyId to a stack KMS key.',
    },
    RDS,
    (props, subject, report) => {
        if (isClusterMember(subject.type, props)) return;
        const kind = rdsKind(subject.type);
        const engine = isSet(props.engine) ? props.engine : "";
        // Unset engine (a replica or a snapshot restore): the source's engine, assumed to support IAM authentication.
        if ((engine === "" || IAM_AUTH_ENGINES.test(engine)) && props.iamDatabaseAuthenticationEnabled !== true) {
            report("iam-auth", `${kind} does not accept IAM database authentication (iamDatabaseAuthenticationEnabled is ${shown(props.iamDatabaseAuthenticationEnabled, "false")})`);
        }
        if (props.copyTagsToSnapshot !== true) {
            report("copy-tags", `${kind} does not copy its tags to snapshots (copyTagsToSnapshot is ${shown(props.copyTagsToSnapshot, "false")})`);
        }
        // Replicas and snapshot restores take the source's administrator.
        const user = known(props, isOneOf(subject.type, T.rdsCluster) ? "masterUsername" : "username");
        if (typeof user === "string" && DEFAULT_ADMINS.includes(user.toLowerCase())) {
            report("admin-username", `${kind} uses the default administrator username ${JSON.stringify(user)}`);
        }
        if (props.performanceInsightsEnabled === true) {
            const key = known(props, "performanceInsightsKmsKeyId");
            if (!isPresent(key)) report("performance-insights-key", `${kind} encrypts Performance Insights with the AWS-managed aws/rds key (no performanceInsightsKmsKeyId)`);
            else if (isAwsManagedKey(key)) report("performance-insights-key", `${kind} performanceInsightsKmsKeyId ${JSON.stringify(key)} is the AWS-managed key, not a customer-managed key`);
        }
    },
);


/** The event categories FSBP RDS.19-21 require a subscription to cover, per source type. */
const EVENT_SOURCES: { sourceType: string; tokens: readonly string[]; categories: readonly string[]; what: string }[] = [
    { sourceType: "db-instance", tokens: [...T.rdsInstance, RDS_CLUSTER_INSTANCE], categories: ["maintenance", "configuration change", "failure"], what: "RDS instance" },
    { sourceType: "db-cluster", tokens: T.rdsCluster, categories: ["maintenance", "failure"], what: "RDS cluster" },
    // Parameter groups have one event category (RDS user guide, "Amazon RDS event categories"): FSBP RDS.21 asks for it.
    { sourceType: "db-parameter-group", tokens: T.rdsParameterGroup, categories: ["configuration change"], what: "parameter group" },
];
const EVENT_SUBSCRIPTION = ["aws:rds/eventSubscription:EventSubscription"];

/** Whether a subscription's sourceIds (unset: every source of its type) take in the resource. */
function subscribes(sub: Node, resource: Node): boolean {
    const ids = knownItems(setByProgram(sub, "sourceIds"));
    if (ids.length === 0) return true;
    const names = ["identifier", "clusterIdentifier", "name", "id"].map((k) => known(resource.props, k)).filter(isSet);
    return ids.some((id) => (id === UNKNOWN_VALUE ? dependenciesOf(sub, "sourceIds").includes(resource) : typeof id === "string" && names.includes(id)));
}

export const R74 = stackRule(
    {
        id: "R74",
        slug: "rds-event-subscriptions",
        requirement:
            "Every RDS instance, cluster and parameter group is covered by an enabled RDS event subscription of its source type for its critical categories (instances: maintenance, configuration change, failure; clusters: maintenance, failure; parameter groups: configuration change, their only category).",
        why: "Failovers, storage failures, forced maintenance and parameter changes otherwise happen silently: the first to notice is a user, and a tampered parameter group (rds.force_ssl switched off) leaves no alert.",
        anchors: ["FSBP RDS.19", "FSBP RDS.20", "FSBP RDS.21"],
        level: "M",
        severity: "medium",
        remediation:
            'Add aws.rds.EventSubscription resources (snsTopic: the stack\'s alarm topic) with sourceType "db-instance", "db-cluster" and "db-parameter-group", eventCategories unset (all) or listing the required ones, and sourceIds unset or naming the resources.',
    },
    (resources, report) => {
        const subs = ofTypes(resources, EVENT_SUBSCRIPTION).filter((sub) => {
            const enabled = setByProgram(sub, "enabled");
            return enabled !== false && enabled !== "false";
        });
        for (const source of EVENT_SOURCES) {
            for (const r of ofTypes(resources, source.tokens)) {
                const covering = subs.filter((sub) => setByProgram(sub, "sourceType") === source.sourceType && subscribes(sub, r));
                const categories = new Set(
                    covering.flatMap((sub) => {
                        const list = knownItems(setByProgram(sub, "eventCategories"));
                        // Unset or empty: every category of the source type.
                        return list.length === 0 ? source.categories : list.filter(isSet).map((c) => c.toLowerCase());
                    }),
                );
                const missing = source.categories.filter((c) => !categories.has(c));
                if (missing.length === 0) continue;
                report(
                    "event-subscription",
                    covering.length === 0
                        ? `${source.what} has no enabled event subscription (sourceType ${source.sourceType}) for ${source.categories.join(", ")} events`
                        : `${source.what}'s event subscriptions do not cover ${missing.join(", ")} events`,
                    r.urn,
                );
            }
        }
    },
);

/** The stack-phase props of a resource (outputs). */
const propsOf = (r: PolicyResource): Props => r.props ?? {};

function dataKind(r: PolicyResource): string {
    if (isOneOf(r.type, T.dynamoTable)) return "DynamoDB table";
    return `RDS ${rdsKind(r.type)}`;
}

/** The value an AWS Backup condition key reads: only `aws:ResourceTag/<key>` keys exist. */
function conditionValue(key: unknown, tags: Record<string, string>): string | undefined {
    if (typeof key !== "string") return undefined;
    const m = /^aws:ResourceTag\/(.+)$/i.exec(key);
    return m ? tags[m[1]] : undefined;
}

/**
 * Whether an ARN list of a selection (`resources`, `notResources`) names the resource: a pattern
 * matching its ARN, or an ARN known only after deploy that was computed from the resource.
 * UNKNOWN_VALUE when only the resource's ARN, not known yet, could tell. A list the program did
 * not set (unknown before deploy) names nothing.
 */
function namesResource(selection: Node, prop: "resources" | "notResources", resource: Node, arn: unknown): boolean | typeof UNKNOWN_VALUE {
    let maybe = false;
    const hit = knownItems(setByProgram(selection, prop)).some((p) => {
        if (p === UNKNOWN_VALUE) return dependenciesOf(selection, prop).includes(resource);
        if (typeof p !== "string") return false;
        if (arn === UNKNOWN_VALUE) maybe = true;
        return typeof arn === "string" && globMatch(p, arn);
    });
    return hit || (maybe ? UNKNOWN_VALUE : false);
}

/**
 * Whether a backup selection picks a resource: (resources match its ARN, wildcards allowed, OR one
 * of its selectionTags matches) AND every condition holds AND notResources does not exclude it.
 * Before deploy, an ARN in `resources` computed from the resource names it; UNKNOWN_VALUE when the
 * answer hangs on the resource's ARN, not known yet.
 */
export function selects(selection: Node, resource: Node): boolean | typeof UNKNOWN_VALUE {
    const arn = known(resource.props, "arn");
    if (!isSet(arn) && arn !== UNKNOWN_VALUE) return false;
    const tags = allTagsOf(resource.props);
    // A list the program left out is the provider's to report (unknown before deploy): read as empty.
    const names = (prop: "resources" | "notResources") => (setByProgram(selection, prop) === undefined ? false : namesResource(selection, prop, resource, arn));
    const byArn = names("resources");
    const byTag = asArray(selection.props.selectionTags as Obj[] | undefined)
        .map(objectOf)
        .some((t) => String(t.type).toUpperCase() === "STRINGEQUALS" && typeof t.key === "string" && tags[t.key] === t.value);
    if (byArn === false && !byTag) return false;
    const excluded = names("notResources");
    if (excluded === true) return false;
    // Conditions the program did not set (unknown before deploy) hold.
    const holds = asArray(programValue(selection, "conditions") as Obj[] | undefined)
        .map(objectOf)
        .every((c) => {
            const all = (list: unknown, test: (actual: string | undefined, wanted: string) => boolean) =>
                asArray(list as Obj[] | undefined)
                    .map(objectOf)
                    .every((e) => typeof e.value === "string" && test(conditionValue(e.key, tags), e.value));
            return (
                all(c.stringEquals, (a, w) => a === w) &&
                all(c.stringNotEquals, (a, w) => a !== w) &&
                all(c.stringLikes, (a, w) => a !== undefined && globMatch(w, a)) &&
                all(c.stringNotLikes, (a, w) => a === undefined || !globMatch(w, a))
            );
        });
    if (!holds) return false;
    return excluded === UNKNOWN_VALUE || (byArn === UNKNOWN_VALUE && !byTag) ? UNKNOWN_VALUE : true;
}

/** The region a resource lives in: from its ARN, its own `region`, or its provider's (known before deploy but for the ARN). */
function regionOf(r: Node & { provider?: { props?: Props } }): string | undefined {
    const fromArn = arnRegion(known(r.props, "arn"));
    const own = setByProgram(r, "region");
    const provider = known(r.provider?.props, "region");
    return fromArn ?? (isSet(own) ? own : isSet(provider) ? provider : undefined);
}

export const S07 = stackRule(
    {
        id: "S07",
        slug: "backup-coverage",
        requirement: "Every RDS instance or cluster and DynamoDB table is selected by an AWS Backup plan whose vaults use a customer-managed key from the stack, with a cross-region copy in production.",
        why: "Automated snapshots die with the account, region or database they belong to; an AWS Backup plan with an encrypted vault and an off-region copy is what makes a restore possible after a regional outage or a deletion.",
        anchors: ["SH RDS.26", "SH DynamoDB.4", "FSBP Backup.1"],
        level: "M",
        severity: "high",
        remediation: "Add an aws.backup.Selection (resources: [db.arn] or selectionTags) to a plan whose rules target an aws.backup.Vault with kmsKeyArn set to a stack KMS key; in production add copyActions to a vault in the DR region.",
    },
    (resources, report) => {
        const undecided = new Undecided();
        const selections = ofTypes(resources, T.backupSelection);
        const keys = ofTypes(resources, T.kmsKey);
        for (const r of ofTypes(resources, [...RDS, ...T.dynamoTable])) {
            const props = propsOf(r);
            // Members are backed up with their cluster; replicas hold a copy of a source that is backed up itself.
            if (isClusterMember(r.type, props) || isReadReplica(props)) continue;
            const kind = dataKind(r);
            const answers = selections.map((s) => ({ s, selected: selects(s, r) }));
            const selecting = answers.filter((a) => a.selected === true).map((a) => a.s);
            if (selecting.length === 0) {
                if (answers.some((a) => a.selected === UNKNOWN_VALUE)) undecided.note(r.name, "arn");
                else report("backup-missing", `${kind} is not selected by any AWS Backup selection`, r.urn);
                continue;
            }
            const plans = [...new Set(selecting.map((s) => referenced(resources, s, "planId", T.backupPlan)).filter((p): p is PolicyResource => p !== undefined))];
            if (plans.length === 0) {
                const ids = selecting.map((s) => JSON.stringify(propsOf(s).planId ?? null)).join(", ");
                report("backup-plan", `${kind} is selected only by backup selections whose plan (${ids}) is not a backup plan in the stack`, r.urn);
                continue;
            }
            const problems = new Map<string, string>();
            let copied = false;
            let maybeCopied = false;
            for (const plan of plans) {
                const planName = isSet(propsOf(plan).name) ? propsOf(plan).name : plan.name;
                const planVaults = dependenciesOf(plan, "rules", T.backupVault);
                for (const rule of asArray(propsOf(plan).rules as Obj[] | undefined).map(objectOf)) {
                    const target = known(rule, "targetVaultName");
                    // A vault name known only after deploy: the plan's rules were computed from one vault, or it is undecided.
                    if (target === UNKNOWN_VALUE && planVaults.length !== 1) {
                        undecided.note(plan.name, "rules");
                        continue;
                    }
                    const vault = target === UNKNOWN_VALUE ? planVaults[0] : resolveRef(resources, plan, "rules", target, T.backupVault);
                    const vaultName = target === UNKNOWN_VALUE ? known(vault?.props, "name") : target;
                    const ruleName = isSet(rule.ruleName) ? rule.ruleName : "(unnamed)";
                    if (!vault) {
                        problems.set(
                            `backup-vault-${String(vaultName)}`,
                            `${kind} is backed up by plan ${JSON.stringify(planName)} whose rule ${JSON.stringify(ruleName)} targets vault ${JSON.stringify(vaultName ?? null)}, which is not a backup vault in the stack`,
                        );
                        continue;
                    }
                    const vaultProps = propsOf(vault);
                    // The output carries the AWS-managed aws/backup key's ARN when none was given (unknown before deploy): require a stack key.
                    if (!referenced(keys, vault, "kmsKeyArn", T.kmsKey)) {
                        problems.set(
                            `backup-vault-key-${String(vaultName)}`,
                            `${kind} is backed up to vault ${JSON.stringify(vaultName)}, which is not encrypted with a customer-managed KMS key from the stack (kmsKeyArn is ${shown(programValue(vault, "kmsKeyArn"), "the aws/backup key")})`,
                        );
                    }
                    const source = regionOf(vault);
                    for (const c of asArray(rule.copyActions as Obj[] | undefined)) {
                        // A destination known only after deploy is one of the plan's other vaults.
                        const arn = known(c, "destinationVaultArn");
                        const dests = arn === UNKNOWN_VALUE ? planVaults.filter((v) => v !== vault).map(regionOf) : [arnRegion(arn)];
                        if (source !== undefined && dests.length > 0 && dests.every((d) => d !== undefined && d !== source)) copied = true;
                        else if (arn === UNKNOWN_VALUE || (source === undefined && known(vaultProps, "arn") === UNKNOWN_VALUE)) maybeCopied = true;
                    }
                }
            }
            for (const [key, message] of problems) report(key, message, r.urn);
            if (isProduction(props) && !copied) {
                if (maybeCopied) undecided.note(r.name, "arn");
                else report("backup-copy", `${kind} is tagged Environment=production but no rule of its backup plan copies recovery points to a vault in another region`, r.urn);
            }
        }
        undecided.settle();
    },
);

export const S11 = stackRule(
    {
        id: "S11",
        slug: "production-deletion-safety",
        requirement:
            "In production, databases have deletion protection and a final snapshot, and buckets, backup vaults, KMS keys and the log groups that receive audit logs (VPC flow logs, CloudTrail, DNS query logs) carry the protect resource option.",
        why: "A mistaken `pulumi destroy`, a replacement or a deleted stack must not be able to take production data, its backups, the keys that decrypt them or a year of audit trail with it.",
        anchors: ["FSBP RDS.7", "FSBP RDS.8"],
        level: "M",
        severity: "high",
        remediation:
            "Set deletionProtection: true and skipFinalSnapshot: false (with finalSnapshotIdentifier) on production databases, and { protect: true } (plus retainOnDelete) on production buckets, backup vaults, KMS keys and audit log groups.",
    },
    (resources, report) => {
        for (const r of ofTypes(resources, RDS)) {
            const props = propsOf(r);
            if (isClusterMember(r.type, props) || !isProduction(props)) continue;
            const kind = `RDS ${rdsKind(r.type)}`;
            if (props.deletionProtection !== true) report("deletion-protection", `production ${kind} has no deletion protection (deletionProtection is ${shown(props.deletionProtection, "false")})`, r.urn);
            // skipFinalSnapshot defaults to false: a snapshot is taken on delete.
            if (props.skipFinalSnapshot === true) report("final-snapshot", `production ${kind} skips the final snapshot on deletion (skipFinalSnapshot is true)`, r.urn);
        }
        const protectable: [readonly string[], string][] = [
            [T.bucket, "bucket"],
            [T.backupVault, "backup vault"],
            [T.kmsKey, "KMS key"],
        ];
        const unprotected = (r: PolicyResource, kind: string) => {
            if (!isProduction(propsOf(r))) return;
            // retainOnDelete is not part of the options policies see, so protect is what can be checked.
            if (r.opts?.protect !== true) {
                report("protect", `production ${kind} is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies)`, r.urn);
            }
        };
        for (const [tokens, kind] of protectable) for (const r of ofTypes(resources, tokens)) unprotected(r, kind);
        for (const [group, source] of auditLogGroups(resources)) unprotected(group, `log group receiving ${source}`);
    },
);

/** Where audit logs are delivered to CloudWatch Logs: the source types and the property naming the group (its ARN, or name). */
const AUDIT_LOG_SOURCES: readonly [tokens: readonly string[], prop: string, what: string][] = [
    [T.flowLog, "logDestination", "VPC flow logs"],
    [T.flowLog, "logGroupName", "VPC flow logs"], // the deprecated form: the group's name
    [["aws:cloudtrail/trail:Trail"], "cloudWatchLogsGroupArn", "CloudTrail events"],
    [["aws:route53/queryLog:QueryLog"], "cloudwatchLogGroupArn", "DNS query logs"],
];

/** Log groups that receive audit logs, each with what it receives (resolved by ARN, or through dependencies at preview). */
function auditLogGroups(resources: PolicyResource[]): Map<PolicyResource, string> {
    const groups = new Map<PolicyResource, string>();
    for (const [tokens, prop, what] of AUDIT_LOG_SOURCES) {
        for (const source of ofTypes(resources, tokens)) {
            // A flow log's logDestination the program did not set (it names logGroupName) is AWS's, unknown before deploy.
            const value = setByProgram(source, prop);
            // CloudTrail and query logging name the group's ARN with the `:*` stream suffix.
            const arn = typeof value === "string" ? value.replace(/:\*$/, "") : value;
            // At preview the ARN is unknown: the log group the property was computed from (none for an S3 destination).
            const group = arn === UNKNOWN_VALUE ? dependenciesOf(source, prop, T.logGroup)[0] : resolve(resources, arn, T.logGroup);
            if (group && !groups.has(group)) groups.set(group, what);
        }
    }
    return groups;
}

export const RDS_RULES = [R09, R10, R12, R33, R42, S07, S11, R73, R74];
