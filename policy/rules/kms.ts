import { hasConditions, statements } from "../lib/iam-documents";
import { publicAllows, publicPrincipalText, statementKey, statementLabel } from "../lib/iam-statements";
import { resourceRule } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { isPresent, isTrue, known } from "../lib/values";

/** AWS accepts a pending-deletion window of 7 to 30 days. */
const MIN_WINDOW = 7;
const MAX_WINDOW = 30;

export const R15 = resourceRule(
    {
        id: "R15",
        slug: "kms-key-lifecycle",
        requirement: "KMS keys rotate automatically (where AWS supports it), set an explicit 7-30 day deletion window, and never bypass the policy lockout safety check.",
        why: "Rotation limits what one leaked key version exposes; an explicit window documents how long a mistaken deletion can be cancelled; bypassing the lockout check can leave a key nobody can manage.",
        anchors: ["SH KMS.4", "FSBP KMS.3", "cdk-nag KMS5", "Pulumi aws-kms-key-enable-key-rotation", "Pulumi aws-kms-key-disallow-bypass-policy-lockout-safety-check"],
        level: "M",
        severity: "high",
        remediation: "Set enableKeyRotation: true, deletionWindowInDays: 30 (7-30), and leave bypassPolicyLockoutSafetyCheck unset.",
    },
    [...T.kmsKey, ...T.kmsKeyPolicy],
    (props, subject, report) => {
        if (isTrue(props.bypassPolicyLockoutSafetyCheck)) {
            report("lockout-check", "bypassPolicyLockoutSafetyCheck is true, so a key policy that locks every principal out is accepted");
        }
        // A KeyPolicy resource carries only the policy and the lockout flag.
        if (isOneOf(subject.type, T.kmsKeyPolicy)) return;

        // Replica keys share the primary's key material and rotation; only symmetric encryption keys
        // outside custom key stores can rotate (asymmetric and HMAC keys, CloudHSM and external stores cannot).
        const spec: unknown = props.customerMasterKeySpec ?? props.keySpec;
        const symmetric = spec === undefined || spec === null || spec === "SYMMETRIC_DEFAULT";
        const customStore = isPresent(known(props, "customKeyStoreId")) || isPresent(known(props, "xksKeyId"));
        const replica = subject.type === "aws:kms/replicaKey:ReplicaKey";
        if (!replica && symmetric && !customStore && !isTrue(props.enableKeyRotation)) {
            // AWS leaves rotation off unless asked.
            report("rotation", `automatic key rotation is off (enableKeyRotation is ${props.enableKeyRotation === undefined ? "not set" : String(props.enableKeyRotation)})`);
        }

        const window: unknown = props.deletionWindowInDays;
        if (window === undefined || window === null) {
            report("deletion-window", "deletionWindowInDays is not set (AWS silently uses 30 days); set it explicitly");
        } else if (typeof window !== "number" || !Number.isInteger(window) || window < MIN_WINDOW || window > MAX_WINDOW) {
            report("deletion-window", `deletionWindowInDays ${JSON.stringify(window)} is not a whole number of days from ${MIN_WINDOW} to ${MAX_WINDOW}`);
        }
    },
);

export const R16 = resourceRule(
    {
        id: "R16",
        slug: "kms-policy-no-public-principal",
        requirement: "No KMS key policy statement allows a `*` principal (or uses Allow with NotPrincipal) without a Condition.",
        why: "An unconditioned `*` principal lets any AWS account use or manage the key, and with it decrypt everything it protects.",
        anchors: ["FSBP KMS.5", "CKV_AWS_33"],
        level: "M",
        severity: "high",
        remediation: "Name the account root, roles or service principals in Principal; if `*` is unavoidable, restrict it with kms:CallerAccount / kms:ViaService conditions.",
    },
    [...T.kmsKey, ...T.kmsKeyPolicy],
    (props, _subject, report) => {
        // No policy: AWS applies the default key policy, which trusts only the account.
        const document: unknown = props.policy;
        for (const { statement, kind } of publicAllows(document, statements(document))) {
            if (hasConditions(statement)) continue;
            report(`${statementKey(statement)}/public-principal`, `key policy ${statementLabel(statement)} allows ${publicPrincipalText(kind)} without a Condition`);
        }
    },
);

export const R76 = resourceRule(
    {
        id: "R76",
        slug: "kms-key-description",
        requirement: "Every KMS key and replica key has a description saying what it protects.",
        why: "Key policies, CloudTrail decrypt events and a pending deletion are judged by whoever reads the key's description in the console; an undescribed key is the one nobody dares to delete or notices being misused.",
        anchors: ["Pulumi aws-kms-key-missing-description"],
        level: "M",
        severity: "low",
        remediation: 'Set description (e.g. "webstack content bucket (production)") on the aws.kms.Key or aws.kms.ReplicaKey.',
    },
    T.kmsKey,
    (props, _subject, report) => {
        // A description known only after deploy is computed from another resource: set.
        const description = known(props, "description");
        if (!isPresent(description) || (typeof description === "string" && description.trim() === "")) report("description", "key has no description");
    },
);

export const KMS_RULES = [R15, R16, R76];
