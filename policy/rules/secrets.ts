import { ofTypes, programValue, refersTo, resolve, resolveRef, type Node } from "../lib/graph";
import { isAwsManagedKey } from "../lib/patterns";
import { resourceRule, stackRule } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, Undecided, asArray, isPresent, isTrue, known, knownItems } from "../lib/values";

/** Master password inputs by resource kind: the plain and the write-only forms. */
const PASSWORD_PROPS: Record<string, readonly string[]> = {
    "aws:rds/instance:Instance": ["password", "passwordWo"],
    "aws:rds/cluster:Cluster": ["masterPassword", "masterPasswordWo"],
};

const DATABASES = [...T.rdsInstance, ...T.rdsCluster];

export const R20 = resourceRule(
    {
        id: "R20",
        slug: "secrets-cmk-and-managed-passwords",
        requirement: "Secrets Manager secrets use a customer-managed KMS key, and RDS master passwords are managed by RDS (manageMasterUserPassword) rather than passed in.",
        why: "Secrets under the AWS-managed key can be read by anyone with GetSecretValue in the account, with no key policy to narrow it; a password passed as an input lives in state and config and never rotates.",
        anchors: ["FSBP SecretsManager.1", "cdk-nag SMG4"],
        level: "MP",
        severity: "medium",
        remediation: "Set kmsKeyId on every secret to a customer-managed key; on RDS set manageMasterUserPassword: true with masterUserSecretKmsKeyId, and drop password / masterPassword.",
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
        for (const prop of PASSWORD_PROPS[subject.type] ?? []) {
            // A generated password is known only after deploy, and passed in all the same.
            const value: unknown = known(props, prop);
            if (value !== undefined && value !== null && value !== "") {
                report("password", `master password is passed in "${prop}"; set manageMasterUserPassword: true so RDS keeps it in a rotating secret`);
            }
        }
    },
);

/** A replica (or a cluster replicating another) takes its credentials from its source. */
function isReplica(db: Node): boolean {
    const p = db.props;
    return isPresent(known(p, isOneOf(db.type, T.rdsInstance) ? "replicateSourceDb" : "replicationSourceIdentifier"));
}

export const S08 = stackRule(
    {
        id: "S08",
        slug: "database-credentials-rotate",
        requirement: "Every RDS database's master credential is RDS-managed (rotating), and every RDS Proxy authenticates with a secret of this stack that rotates (a rotated Secret or an RDS-managed master secret).",
        why: "A static database password that never rotates stays valid after every leak; a proxy pointing at a secret outside the stack depends on credentials nobody here manages or rotates.",
        anchors: ["FSBP SecretsManager.1", "cdk-nag SMG4"],
        level: "M",
        severity: "high",
        remediation: "Set manageMasterUserPassword: true on every instance/cluster and give the proxy auths[].secretArn = masterUserSecrets[0].secretArn, or a stack Secret with a SecretRotation.",
    },
    (resources, report) => {
        const databases = ofTypes(resources, DATABASES);
        for (const db of databases) {
            if (isReplica(db)) continue;
            // A SecretRotation cannot be tied to an instance's password (the instance does not name the secret), so only RDS management counts.
            if (!isTrue(db.props.manageMasterUserPassword)) {
                report("unmanaged-credential", "master password is not managed by RDS (manageMasterUserPassword is not true), so nothing rotates it", db.urn);
            }
        }

        const masterSecretArns = new Set(
            databases.flatMap((db) =>
                knownItems(known(db.props, "masterUserSecrets"))
                    .map((s) => known(s, "secretArn"))
                    .filter((arn): arn is string => typeof arn === "string" && arn !== ""),
            ),
        );
        // rotationEnabled is AWS's report (unknown before deploy): a SecretRotation rotates unless it says otherwise.
        const rotations = ofTypes(resources, T.secretRotation).filter((r) => programValue(r, "rotationEnabled") !== false);
        const rotated = (secret: Node) => rotations.some((r) => refersTo(r, "secretId", known(r.props, "secretId"), secret, T.secret));
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

export const SECRET_RULES = [R20, S08];
