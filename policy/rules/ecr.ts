import { hasConditions, statements } from "../lib/iam-documents";
import { publicAllows, publicPrincipalText, statementKey, statementLabel } from "../lib/iam-statements";
import { ofTypes, refersTo } from "../lib/graph";
import { isAwsManagedKey } from "../lib/patterns";
import { resourceRule, stackRule } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, asDocument, cannotDecide, isPresent, known, knownItems, type Known } from "../lib/values";

/** Encryption types that use a KMS key (KMS_DSSE: dual-layer). */
const KMS_TYPES = ["KMS", "KMS_DSSE"];

export const R57 = resourceRule(
    {
        id: "R57",
        slug: "ecr-private-cmk",
        requirement:
            "No ECR repository policy, registry policy or repository creation template policy allows a `*` principal (or everyone through NotPrincipal) without a Condition, and repositories and creation templates encrypt images with a customer-managed KMS key (encryptionConfigurations set explicitly).",
        why: "A public repository policy lets any AWS account pull (or push over) the images, with the code and secrets baked into them; without a customer-managed key nothing but IAM narrows who can decrypt image layers, and no key policy or CloudTrail key use records it.",
        anchors: ["cdk-nag ECR1", "Pulumi aws-ecr-repository-configure-customer-managed-key", "Pulumi aws-ecr-repository-disallow-unencrypted-repository"],
        level: "M",
        severity: "high",
        remediation:
            'Name the pulling accounts or roles in repository and registry policies (or add aws:PrincipalOrgID conditions), and set encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }] on repositories and creation templates.',
    },
    [...T.ecrRepository, ...T.ecrRepositoryPolicy, ...T.ecrRegistryPolicy, ...T.ecrCreationTemplate],
    (props, subject, report) => {
        const template = isOneOf(subject.type, T.ecrCreationTemplate);
        if (!isOneOf(subject.type, T.ecrRepository)) {
            const what = isOneOf(subject.type, T.ecrRegistryPolicy) ? "registry policy" : template ? "template repository policy" : "repository policy";
            const document: unknown = template ? props.repositoryPolicy : props.policy;
            for (const { statement, kind } of publicAllows(document, statements(document))) {
                if (hasConditions(statement)) continue;
                report(`${statementKey(statement)}/public-principal`, `${what} ${statementLabel(statement)} allows ${publicPrincipalText(kind)} without a Condition`);
            }
            if (!template) return;
        }
        const what = template ? "template" : "repository";
        const configurations = knownItems(known(props, "encryptionConfigurations"));
        if (configurations.length === 0) {
            report("kms", `${what} sets no encryptionConfigurations, so images are encrypted with AES256 under an AWS-owned key, not a customer-managed KMS key`);
            return;
        }
        for (const c of configurations) {
            const type: unknown = known(c, "encryptionType");
            if (c === UNKNOWN_VALUE || type === UNKNOWN_VALUE) cannotDecide(["encryptionConfigurations"]);
            if (typeof type !== "string" || !KMS_TYPES.includes(type)) {
                report("kms", `${what} encryptionType is ${type === undefined ? "not set, so AES256" : JSON.stringify(type)}, not KMS with a customer-managed key`);
                continue;
            }
            // Unset: the AWS-managed aws/ecr key. Known only after deploy: a stack key's ARN.
            const key = known(c, "kmsKey") as Known<string> | undefined;
            if (!isPresent(key)) report("kms", `${what} uses the AWS-managed key aws/ecr (encryptionType ${type} without kmsKey)`);
            else if (isAwsManagedKey(key)) report("kms", `${what} uses the AWS-managed key ${String(key)}, not a customer-managed key`);
        }
    },
);

/** A lifecycle policy document with at least one rule (known only after deploy counts as one). */
function hasRules(policy: unknown): boolean {
    if (typeof policy !== "string" && (typeof policy !== "object" || policy === null)) return isPresent(policy);
    const rules = asDocument(policy)?.rules;
    return Array.isArray(rules) && rules.length > 0;
}

export const R58 = stackRule(
    {
        id: "R58",
        slug: "ecr-lifecycle-policy",
        requirement: "Every ECR repository has an aws.ecr.LifecyclePolicy with at least one rule, and every repository creation template carries a lifecyclePolicy.",
        why: "Without expiry rules untagged and superseded images pile up: old images with known vulnerabilities stay pullable and deployable, and storage grows without bound.",
        anchors: ["FSBP ECR.3"],
        level: "M",
        severity: "low",
        remediation: "Add an aws.ecr.LifecyclePolicy for each repository (expire untagged images after a few days, keep the last N tagged ones), and lifecyclePolicy on creation templates.",
    },
    (resources, report) => {
        const policies = ofTypes(resources, T.ecrLifecyclePolicy);
        for (const repo of ofTypes(resources, T.ecrRepository)) {
            // `repository` is the repository's name (auto-names are known before deploy); otherwise the repository it was computed from.
            const mine = policies.filter((p) => refersTo(p, "repository", known(p.props, "repository"), repo, T.ecrRepository));
            if (mine.length === 0) report("lifecycle-policy", "repository has no lifecycle policy (no aws.ecr.LifecyclePolicy names it)", repo.urn);
            else if (!mine.some((p) => hasRules(known(p.props, "policy")))) report("lifecycle-policy", `lifecycle policy ${mine.map((p) => p.name).join(", ")} has no rules`, repo.urn);
        }
        for (const template of ofTypes(resources, T.ecrCreationTemplate)) {
            const policy = known(template.props, "lifecyclePolicy");
            if (!hasRules(policy)) report("lifecycle-policy", "repository creation template has no lifecyclePolicy with rules, so the repositories it creates keep every image", template.urn);
        }
    },
);

export const ECR_RULES = [R57, R58];
