import { dependenciesOf, ofTypes, programValue, refersTo, resolve, resolveRef, setByProgram, type Node } from "../lib/graph";
import { isAwsManagedKey } from "../lib/patterns";
import { resourceRule, stackRule } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, Undecided, asArray, isPresent, isTrue, known, knownItems } from "../lib/values";

/** Master password inputs by resource kind: the plain form (kept in state and config) and the write-only form. */
const PASSWORD_PROPS: Record<string, { readonly plain: string; readonly writeOnly: string }> = {
    "aws:rds/instance:Instance": { plain: "password", writeOnly: "passwordWo" },
    "aws:rds/cluster:Cluster": { plain: "masterPassword", writeOnly: "masterPasswordWo" },
};

const DATABASES = [...T.rdsInstance, ...T.rdsCluster];
const SECRET_VERSION = ["aws:secretsmanager/secretVersion:SecretVersion"];

/** Set: a value the program gave (known, or known only after deploy). */
const given = (value: unknown) => value !== undefined && value !== null && value !== "";

export const R20 = resourceRule(
    {
        id: "R20",
        slug: "secrets-cmk-and-managed-passwords",
        requirement:
            "Secrets Manager secrets use a customer-managed KMS key; RDS master passwords are managed by RDS (manageMasterUserPassword, its secret under a customer-managed key) or passed write-only (passwordWo / masterPasswordWo, which S08 requires to come from a rotated stack secret), never as a plain input.",
        why: "Secrets under the AWS-managed key can be read by anyone with GetSecretValue in the account, with no key policy to narrow it; a plain password input is shown by the provider's diff, lives in state as an ordinary value, and is set back by every update after a rotation, so in practice it never rotates.",
        anchors: ["FSBP SecretsManager.1", "cdk-nag SMG4", "Pulumi aws-secretsmanager-secret-configure-customer-managed-key"],
        level: "MP",
        severity: "medium",
        remediation:
            "Set kmsKeyId on every secret to a customer-managed key; on RDS either set manageMasterUserPassword: true with masterUserSecretKmsKeyId, or pass passwordWo (passwordWoVersion) from the same value as a stack secret that a SecretRotation rotates; drop password / masterPassword.",
    },
    [...T.secret, ...DATABASES],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.secret)) {
            // Absent: Secrets Manager uses the AWS-managed aws/secretsmanager key. Known only after deploy: a stack key's ARN.
            const key: unknown = known(props, "kmsKeyId");
            if (!isPresent(key)) report("kms", "secret is encrypted with the AWS-managed key aws/secretsmanager (kmsKeyId is not set)");
            else if (isAwsManagedKey(key)) report("kms", `secret is encrypted with the AWS-managed key ${String(key)}, not a customer-managed key`);
            return;
        }
        if (isTrue(props.manageMasterUserPassword)) {
            // The RDS-managed secret is a Secrets Manager secret too; absent key means aws/secretsmanager.
            const key: unknown = known(props, "masterUserSecretKmsKeyId");
            if (!isPresent(key) || isAwsManagedKey(key)) {
                report("master-secret-kms", "the RDS-managed master secret uses the AWS-managed key aws/secretsmanager (masterUserSecretKmsKeyId is not a customer-managed key)");
            }
            return;
        }
        const passwords = PASSWORD_PROPS[subject.type];
        // A generated password is known only after deploy, and passed in all the same.
        if (passwords && given(known(props, passwords.plain))) {
            report(
                "password",
                `master password is passed in plain "${passwords.plain}"; set manageMasterUserPassword: true, or pass it write-only in "${passwords.writeOnly}" from a stack secret that a SecretRotation rotates`,
            );
        }
    },
);

/** A replica (or a cluster replicating another) takes its credentials from its source. */
function isReplica(db: Node): boolean {
    const p = db.props;
    return isPresent(known(p, isOneOf(db.type, T.rdsInstance) ? "replicateSourceDb" : "replicationSourceIdentifier"));
}

/**
 * Whether a database's write-only master password is held by a rotated secret of the stack: a SecretVersion whose
 * secret string was computed from a resource the password was computed from (the generated password both take),
 * of a Secret that a SecretRotation rotates. Property dependencies carry the link, during preview and after deploy
 * (a write-only value itself is never reported back).
 */
function heldByRotatedSecret(resources: readonly Node[], db: Node, prop: string, rotated: (secret: Node) => boolean): boolean {
    const sources = new Set(dependenciesOf(db, prop).map((d) => d.urn));
    if (sources.size === 0) return false;
    return ofTypes(resources, SECRET_VERSION).some((version) => {
        const fed = ["secretStringWo", "secretString"].some((p) => dependenciesOf(version, p).some((d) => sources.has(d.urn)));
        if (!fed) return false;
        const secret = resolveRef(resources, version, "secretId", known(version.props, "secretId"), T.secret);
        return secret !== undefined && rotated(secret);
    });
}

export const S08 = stackRule(
    {
        id: "S08",
        slug: "database-credentials-rotate",
        requirement:
            "Every RDS database's master credential rotates: RDS manages it (manageMasterUserPassword), or it is passed write-only (passwordWo / masterPasswordWo) from the same value as a stack secret that a SecretRotation rotates; and every RDS Proxy authenticates with a secret of this stack that rotates (a rotated Secret or an RDS-managed master secret).",
        why: "A static database password that never rotates stays valid after every leak; a plain password input is set back by every update after a rotation; a proxy pointing at a secret outside the stack depends on credentials nobody here manages or rotates.",
        anchors: ["FSBP SecretsManager.1", "cdk-nag SMG4"],
        level: "M",
        severity: "high",
        remediation:
            "Set manageMasterUserPassword: true, or generate the password (random.RandomPassword), pass it as passwordWo and write the same value into an aws.secretsmanager.SecretVersion (secretStringWo) of a Secret with an aws.secretsmanager.SecretRotation; give the proxy auths[].secretArn = masterUserSecrets[0].secretArn or that Secret.",
    },
    (resources, report) => {
        // rotationEnabled is AWS's report (unknown before deploy): a SecretRotation rotates unless it says otherwise.
        const rotations = ofTypes(resources, T.secretRotation).filter((r) => programValue(r, "rotationEnabled") !== false);
        const rotated = (secret: Node) => rotations.some((r) => refersTo(r, "secretId", known(r.props, "secretId"), secret, T.secret));

        const databases = ofTypes(resources, DATABASES);
        for (const db of databases) {
            if (isReplica(db) || isTrue(db.props.manageMasterUserPassword)) continue;
            const props = PASSWORD_PROPS[db.type];
            if (given(known(db.props, props.plain))) {
                report("plain-password", `master password is passed in plain "${props.plain}", which every update sets back after a rotation, so nothing rotates it`, db.urn);
                continue;
            }
            // The write-only value is not reported back after deploy: its dependencies and version say it was given.
            const writeOnly =
                given(known(db.props, props.writeOnly)) || dependenciesOf(db, props.writeOnly).length > 0 || given(known(db.props, `${props.writeOnly}Version`));
            if (!writeOnly) {
                report("unmanaged-credential", "master password is not managed by RDS (manageMasterUserPassword is not true), so nothing rotates it", db.urn);
            } else if (!heldByRotatedSecret(resources, db, props.writeOnly, rotated)) {
                report(
                    "unrotated-password",
                    `master password is passed write-only in "${props.writeOnly}", but no rotated secret of this stack holds it (no SecretVersion of a Secret with a SecretRotation is computed from the same value)`,
                    db.urn,
                );
            }
        }

        const masterSecretArns = new Set(
            databases.flatMap((db) =>
                knownItems(known(db.props, "masterUserSecrets"))
                    .map((s) => known(s, "secretArn"))
                    .filter((arn): arn is string => typeof arn === "string" && arn !== ""),
            ),
        );
        const undecided = new Undecided();
        for (const proxy of ofTypes(resources, T.rdsProxy)) {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            asArray<any>(proxy.props.auths).forEach((auth, i) => {
                const n = i + 1;
                const arn: unknown = known(auth, "secretArn");
                if (!isPresent(arn)) {
                    // End-to-end IAM authentication needs no secret.
                    if (programValue(proxy, "defaultAuthScheme") !== "IAM_AUTH") report(`auth-${n}`, `auth ${n} names no secret (secretArn is not set)`, proxy.urn);
                    return;
                }
                if (arn === UNKNOWN_VALUE) {
                    // Known only after deploy: an RDS-managed master secret of a stack database, or a stack Secret.
                    const source = resolveRef(resources, proxy, "auths", arn, [...DATABASES, ...T.secret]);
                    if (source && isOneOf(source.type, T.secret)) {
                        if (!rotated(source)) report(`auth-${n}-rotation`, `auth ${n} uses secret "${source.name}", which no SecretRotation rotates`, proxy.urn);
                    } else if (!source || !isTrue(source.props.manageMasterUserPassword)) {
                        undecided.note(proxy.name, "auths", i, "secretArn");
                    }
                    return;
                }
                if (masterSecretArns.has(arn as string)) return;
                const secret = resolve(resources, arn, T.secret);
                if (!secret) {
                    report(`auth-${n}`, `auth ${n} uses secret ${String(arn)}, which is neither a secret of this stack nor an RDS-managed master secret`, proxy.urn);
                } else if (!rotated(secret)) {
                    report(`auth-${n}-rotation`, `auth ${n} uses secret "${secret.name}", which no SecretRotation rotates`, proxy.urn);
                }
            });
        }
        undecided.settle();
    },
);

/** The longest rotation interval accepted (FSBP SecretsManager.4's default maxDaysSinceRotation). */
export const MAX_ROTATION_DAYS = 90;

/**
 * How often a rotation schedule runs, as a problem when it is not at least every MAX_ROTATION_DAYS
 * days: `rate(N days|hours)`, or a `cron(...)` that fires every month of every year. Other cron
 * expressions (every n-th month, given months or years) are reported: they cannot be confirmed.
 */
function scheduleProblem(expression: string): string | undefined {
    const rate = /^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$/i.exec(expression.trim());
    if (rate) {
        const days = Number(rate[1]) / (rate[2].toLowerCase().startsWith("hour") ? 24 : 1);
        return days <= MAX_ROTATION_DAYS ? undefined : `schedule ${expression} rotates every ${days} days, more than ${MAX_ROTATION_DAYS}`;
    }
    const cron = /^cron\((.*)\)$/i.exec(expression.trim());
    if (cron) {
        const fields = cron[1].trim().split(/\s+/);
        const [month, year = "*"] = [fields[3], fields[5]];
        if (fields.length >= 5 && ["*", "*/1"].includes(month ?? "") && year === "*") return undefined;
        return `schedule ${expression} does not run every month, so rotation at least every ${MAX_ROTATION_DAYS} days cannot be confirmed`;
    }
    return `schedule ${JSON.stringify(expression)} is neither rate(...) nor cron(...)`;
}

export const R65 = stackRule(
    {
        id: "R65",
        slug: "secrets-rotate",
        requirement: `Every Secrets Manager secret of the stack is rotated by an aws.secretsmanager.SecretRotation (not disabled) at least every ${MAX_ROTATION_DAYS} days (rotationRules.automaticallyAfterDays, or a rate/cron scheduleExpression); a secret that cannot rotate (a third-party API key) needs a pack exemption naming it, with its reason and expiry.`,
        why: "A secret that never rotates stays valid after every leak (logs, laptops, former staff); an exemption keeps the exceptions visible, justified and due for review.",
        anchors: ["FSBP SecretsManager.1", "FSBP SecretsManager.4", "cdk-nag SMG4"],
        level: "M",
        severity: "high",
        remediation: `Add an aws.secretsmanager.SecretRotation with secretId: secret.id, rotationLambdaArn and rotationRules: { automaticallyAfterDays: 30 } (at most ${MAX_ROTATION_DAYS}); for a key that only its vendor can rotate, add a webstack-exemptions entry for finding "rotation" on the secret, with the manual rotation process as reason.`,
    },
    (resources, report) => {
        const rotations = ofTypes(resources, T.secretRotation);
        const undecided = new Undecided();
        for (const secret of ofTypes(resources, T.secret)) {
            const mine = rotations.filter((r) => refersTo(r, "secretId", known(r.props, "secretId"), secret, T.secret));
            if (mine.length === 0) {
                report("rotation", "secret is never rotated (no aws.secretsmanager.SecretRotation names it)", secret.urn);
                continue;
            }
            let rotates = false;
            let unknown = false;
            const problems: [key: string, message: string][] = [];
            for (const r of mine) {
                // rotationEnabled is AWS's report (unknown before deploy): a SecretRotation rotates unless the program says otherwise.
                if (programValue(r, "rotationEnabled") === false) {
                    problems.push(["rotation", `${r.name} has rotation disabled (rotationEnabled is false)`]);
                    continue;
                }
                const days: unknown = setByProgram(r, "rotationRules", "automaticallyAfterDays");
                const schedule: unknown = setByProgram(r, "rotationRules", "scheduleExpression");
                if (days === UNKNOWN_VALUE || schedule === UNKNOWN_VALUE) {
                    // Set from another resource's output: decided after deploy.
                    undecided.note(r.name, "rotationRules");
                    unknown = true;
                } else if (typeof days === "number") {
                    if (days <= MAX_ROTATION_DAYS) rotates = true;
                    else problems.push(["rotation-interval", `${r.name} rotates every ${days} days (rotationRules.automaticallyAfterDays), more than ${MAX_ROTATION_DAYS}`]);
                } else if (typeof schedule === "string" && schedule !== "") {
                    const problem = scheduleProblem(schedule);
                    if (problem === undefined) rotates = true;
                    else problems.push(["rotation-interval", `${r.name}: ${problem}`]);
                } else {
                    problems.push(["rotation-interval", `${r.name} sets no rotation interval (neither rotationRules.automaticallyAfterDays nor scheduleExpression)`]);
                }
            }
            if (rotates || unknown) continue;
            for (const [key, message] of problems) report(key, message, secret.urn);
        }
        undecided.settle();
    },
);

export const SECRET_RULES = [R20, S08, R65];
