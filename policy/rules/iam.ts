import { ofTypes, resolveRef } from "../lib/graph";
import { isEveryAction, isServiceWildcard, wildcardResourceProblem } from "../lib/iam-actions";
import { statements, type Statement } from "../lib/iam-documents";
import { awsManagedPolicyName, isBroadManagedPolicy, isServiceRolePolicy, SERVICE_ROLE_POLICIES } from "../lib/iam-managed";
import { isAllow, publicAllows, publicPrincipalText, statementKey, statementLabel } from "../lib/iam-statements";
import { resourceRule, stackRule, type Props, type Report, type Subject } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { asArray, asDocument, isPresent, known, knownItems } from "../lib/values";

/** One permissions document of a resource, with how messages and finding keys name it. */
interface PermissionsDocument {
    /** `` for a policy resource, `inline policy "x" ` for a role's inline policy. */
    readonly label: string;
    /** `` or `x/`: prefixes finding keys so a role's inline policies do not collide. */
    readonly key: string;
    readonly statements: Statement[];
}

const PERMISSION_TYPES = [...T.iamPolicy, ...T.iamInlinePolicy, ...T.iamRole];

/**
 * The permissions documents a resource carries: `policy` on Policy / RolePolicy / UserPolicy /
 * GroupPolicy, `inlinePolicies[].policy` on Role (its trust policy is R25's). Absent documents are
 * skipped (`inlinePolicies: [{}]` is how a role drops its inline policies); a document present but
 * not JSON is reported by R21 only, so it is not counted three times.
 */
function permissionDocuments(props: Props, subject: Subject, report?: Report): PermissionsDocument[] {
    const entries = isOneOf(subject.type, T.iamRole)
        ? // eslint-disable-next-line @typescript-eslint/no-explicit-any
          asArray<any>(props.inlinePolicies).map((p, i) => {
              const name = typeof p?.name === "string" && p.name !== "" ? p.name : `inline-${i + 1}`;
              return { label: `inline policy "${name}" `, key: `${name}/`, document: p?.policy as unknown };
          })
        : [{ label: "", key: "", document: props.policy as unknown }];
    return entries.flatMap((e) => {
        if (e.document === undefined || e.document === null || e.document === "") return [];
        if (!asDocument(e.document)) {
            report?.(`${e.key}invalid-document`, `${e.label || "policy "}is not a JSON policy document, so it cannot be checked`);
            return [];
        }
        return [{ label: e.label, key: e.key, statements: statements(e.document) }];
    });
}

/** Every Allow statement of a resource's permissions documents, with its message label and finding key prefix. */
function allowStatements(props: Props, subject: Subject, report?: Report): { s: Statement; where: string; key: string }[] {
    return permissionDocuments(props, subject, report).flatMap((doc) =>
        doc.statements.filter(isAllow).map((s) => ({ s, where: `${doc.label}${statementLabel(s)}`, key: `${doc.key}${statementKey(s)}` })),
    );
}

export const R21 = resourceRule(
    {
        id: "R21",
        slug: "iam-no-star-actions",
        requirement: "No IAM Allow statement grants the action `*` or `*:*`.",
        why: "A `*` action is administrator access: any compromise of the principal is a compromise of the account.",
        anchors: ["FSBP IAM.1", "CKV_AWS_62", "CKV_AWS_63", "cdk-nag IAM5"],
        level: "M",
        severity: "critical",
        remediation: "List the actions the workload calls (e.g. s3:GetObject, logs:PutLogEvents) instead of `*`.",
    },
    PERMISSION_TYPES,
    (props, subject, report) => {
        for (const { s, where, key } of allowStatements(props, subject, report)) {
            for (const action of s.actions.filter(isEveryAction)) report(`${key}/action-${action}`, `${where} allows every action ("${action}")`);
        }
    },
);

export const R22 = resourceRule(
    {
        id: "R22",
        slug: "iam-no-service-wildcards",
        requirement: "No IAM Allow statement grants a service-wide wildcard such as `s3:*`, or uses NotAction.",
        why: "A service-wide wildcard grants the service's administrative and destructive actions along with the ones needed; Allow with NotAction grants every action not listed, including future ones.",
        anchors: ["FSBP IAM.21", "cdk-nag IAM5"],
        level: "M",
        severity: "high",
        remediation: "Replace `service:*` with the specific actions used, and rewrite Allow + NotAction as an Allow of the needed actions.",
    },
    PERMISSION_TYPES,
    (props, subject, report) => {
        for (const { s, where, key } of allowStatements(props, subject)) {
            for (const action of s.actions.filter(isServiceWildcard)) {
                report(`${key}/action-${action}`, `${where} allows action "${action}" (a service-wide wildcard)`);
            }
            if (s.notActions.length > 0) {
                report(`${key}/not-action`, `${where} uses NotAction with Allow, granting every action except ${s.notActions.map((a) => `"${a}"`).join(", ")}`);
            }
        }
    },
);

export const R23 = resourceRule(
    {
        id: "R23",
        slug: "iam-star-resource-allow-list",
        requirement: "IAM Allow statements use `Resource: \"*\"` (or NotResource) only for actions that cannot be scoped to resources, and never for iam:PassRole, kms:Decrypt, kms:ReEncryptFrom, kms:GenerateDataKey* or secretsmanager:GetSecretValue.",
        why: "An action on every resource reaches every bucket, key, secret and role of the account, not just the ones the workload owns.",
        anchors: ["cdk-nag IAM5", "FSBP KMS.1", "FSBP KMS.2", "CKV_AWS_355"],
        level: "M",
        severity: "high",
        remediation: "Name the ARNs the component owns in Resource; keep `*` only for actions listed in policy/lib/iam-actions.ts UNSCOPABLE_ACTIONS.",
    },
    PERMISSION_TYPES,
    (props, subject, report) => {
        for (const { s, where, key: statement } of allowStatements(props, subject)) {
            // NotResource with Allow grants every resource except those listed: as wide as `*`.
            const scope = s.resources.includes("*") ? 'every resource ("*")' : s.notResources.length > 0 ? "every resource except its NotResource" : undefined;
            if (!scope) continue;
            const key = `${statement}/wildcard-resource`;
            if (s.notActions.length > 0) report(`${key}-not-action`, `${where} allows every action except its NotAction on ${scope}`);
            for (const action of s.actions) {
                const problem = wildcardResourceProblem(action);
                if (problem === "never") report(`${key}-${action}`, `${where} allows "${action}" on ${scope}; this action must always name specific resources`);
                else if (problem === "scopable") report(`${key}-${action}`, `${where} allows "${action}" on ${scope}, and it is not an action that cannot be scoped`);
            }
        }
    },
);

/**
 * The policy ARNs an attachment, an exclusive attachment or a role's managedPolicyArns attach. ARNs known
 * only after deploy are of policies the stack creates, not AWS-managed ones (those are literals).
 */
function attachedPolicyArns(props: Props, subject: { type: string }): unknown[] {
    if (isOneOf(subject.type, T.iamRole)) return knownItems(known(props, "managedPolicyArns"));
    if (isOneOf(subject.type, EXCLUSIVE_ATTACHMENTS)) return knownItems(known(props, "policyArns"));
    return [known(props, "policyArn")];
}

/** Attachment resources the T list does not carry: the exclusive-attachments resources take a list of policy ARNs. */
const EXCLUSIVE_ATTACHMENTS = [
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
];

export const R24 = resourceRule(
    {
        id: "R24",
        slug: "iam-no-admin-managed-policies",
        requirement: "No role, user or group gets the AWS-managed AdministratorAccess, PowerUserAccess, IAMFullAccess or any `...FullAccess` policy.",
        why: "AWS-managed full-access policies grant every action of a service (or of the account) on every resource, far beyond what a workload needs.",
        anchors: ["CKV_AWS_274", "cdk-nag IAM4"],
        level: "M",
        severity: "high",
        remediation: "Attach a customer-managed or inline policy listing the actions and resources the workload uses.",
    },
    [...T.iamAttachment, ...EXCLUSIVE_ATTACHMENTS, ...T.iamRole],
    (props, subject, report) => {
        for (const arn of attachedPolicyArns(props, subject)) {
            const name = awsManagedPolicyName(arn);
            if (name && isBroadManagedPolicy(name)) report(`managed-${name}`, `attaches the AWS-managed policy ${name} (${String(arn)})`);
        }
    },
);

export const R25 = resourceRule(
    {
        id: "R25",
        slug: "trust-policy-named-principals",
        requirement: "Role trust policies let only named principals (services or accounts/roles) assume the role, never `*`.",
        why: "A trust policy open to `*` lets any AWS account assume the role; conditions are easy to get wrong and do not replace a named principal.",
        anchors: ["CKV_AWS_60", "CKV_AWS_61"],
        level: "M",
        severity: "high",
        remediation: "Name the service principal (e.g. ecs-tasks.amazonaws.com) or role ARN in Principal, with aws:SourceAccount / aws:SourceArn conditions.",
    },
    T.iamRole,
    (props, _subject, report) => {
        const document: unknown = props.assumeRolePolicy;
        for (const { statement, kind } of publicAllows(document, statements(document))) {
            report(`${statementKey(statement)}/principal-*`, `trust policy ${statementLabel(statement)} lets ${publicPrincipalText(kind)} assume the role`);
        }
    },
);

/** Resources attaching a policy to one user. */
const USER_ATTACHMENTS = ["aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/userPolicy:UserPolicy", "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", "aws:iam/userPoliciesExclusive:UserPoliciesExclusive"];

/** Long-lived IAM user credentials other than access keys (a console password, service-specific passwords). */
const USER_CREDENTIALS = ["aws:iam/userLoginProfile:UserLoginProfile", "aws:iam/serviceSpecificCredential:ServiceSpecificCredential"];

export const S10 = stackRule(
    {
        id: "S10",
        slug: "iam-hygiene",
        requirement: "The stack creates no IAM users, access keys or other user credentials, attaches no policy to a user (even one created elsewhere), and every ECS task role differs from its execution role.",
        why: "Users and keys are long-lived credentials that leak; a task role equal to the execution role hands the application the image-pull, secret-read and log permissions ECS needs to start it.",
        anchors: ["FSBP IAM.2", "FSBP IAM.3", "FSBP IAM.5", "FSBP IAM.8", "Pulumi aws-iam-user-policy-attachment-only-attachment-through-groups", "Pulumi aws-iam-policy-attachment-only-attachment-through-groups", "CKV_AWS_273"],
        level: "M",
        severity: "high",
        remediation: "Use roles (ECS task roles, OIDC-federated CI roles, SSO for people); give each task definition its own task role, separate from the execution role.",
    },
    (resources, report) => {
        for (const user of ofTypes(resources, T.iamUser)) {
            report("iam-user", `IAM user "${String(user.props.name ?? user.name)}" is a long-lived identity; people use SSO and workloads use roles`, user.urn);
        }
        for (const key of ofTypes(resources, T.iamAccessKey)) {
            report("access-key", `access key for IAM user "${String(key.props.user ?? "?")}" is a long-lived credential`, key.urn);
        }
        for (const credential of ofTypes(resources, USER_CREDENTIALS)) {
            report("user-credential", `${credential.type.split(":").pop()} gives IAM user "${String(credential.props.user ?? credential.props.userName ?? "?")}" a long-lived credential`, credential.urn);
        }
        // Policies reach people through groups (or SSO permission sets), never a user directly (FSBP IAM.2).
        for (const attachment of ofTypes(resources, USER_ATTACHMENTS)) {
            report("user-policy", `${attachment.type.split(":").pop()} attaches a policy directly to IAM user "${String(known(attachment.props, "user") ?? "?")}"`, attachment.urn);
        }
        for (const attachment of ofTypes(resources, ["aws:iam/policyAttachment:PolicyAttachment"])) {
            const users = knownItems(known(attachment.props, "users"));
            if (users.length > 0) report("user-policy", `PolicyAttachment attaches a policy directly to ${users.length} IAM user(s)`, attachment.urn);
        }
        for (const task of ofTypes(resources, T.ecsTaskDefinition)) {
            // Before deploy the role ARNs are unknown: the roles are the ones the properties were computed from.
            const taskRole = known(task.props, "taskRoleArn");
            const executionRole = known(task.props, "executionRoleArn");
            // No task role is fine: the application then gets no AWS permissions at all.
            if (!isPresent(taskRole) || !isPresent(executionRole)) continue;
            const same = typeof taskRole === "string" && taskRole === executionRole;
            const sameRole = same ? undefined : resolveRef(resources, task, "taskRoleArn", taskRole, T.iamRole);
            if (same || (sameRole !== undefined && sameRole === resolveRef(resources, task, "executionRoleArn", executionRole, T.iamRole))) {
                const shown = typeof taskRole === "string" ? taskRole : String(known(sameRole?.props, "name") ?? sameRole?.name);
                report("task-role-is-execution-role", `task role ${shown} is also the execution role, so the application holds the permissions ECS uses to start it`, task.urn);
            }
        }
    },
);

/** Wildcard action families that stay within one kind of operation: read-only metadata and KMS's paired data-key calls. */
const BOUNDED_ACTION_WILDCARDS = [/^[a-z0-9-]+:(Describe|List)[A-Za-z]*\*$/i, /^kms:GenerateDataKey\*$/i, /^kms:ReEncrypt\*$/i];

/** What a resource ARN pattern's wildcard reaches beyond the resources the component owns, or undefined. */
function arnWildcardProblem(arn: string): string | undefined {
    if (!/[*?]/.test(arn) || arn === "*") return undefined; // `*` alone is R23's
    const parts = arn.split(":");
    if (parts.length < 6 || parts[0] !== "arn") return undefined;
    if (/[*?]/.test(parts[3])) return "every region";
    if (/[*?]/.test(parts[4])) return "every account";
    if (/[*?]/.test(parts[2]) || /[*?]/.test(parts[1])) return "every service";
    // The resource part, without its resource type (`key/`, `log-group:`, `role/`, `table/`): a wildcard
    // right at the start of the name reaches every resource of that type.
    const resource = parts.slice(5).join(":");
    // S3 ARNs carry no resource type: the bucket name comes first.
    const name = parts[2] === "s3" ? resource : resource.replace(/^[A-Za-z0-9-]+[/:]/, "");
    return /^[*?]/.test(name) || /^[*?]/.test(resource) ? "every resource of its type" : undefined;
}

export const R77 = resourceRule(
    {
        id: "R77",
        slug: "iam-bounded-wildcards",
        requirement:
            "IAM Allow statements use wildcard actions only for read-only Describe*/List* families (and kms:GenerateDataKey*, kms:ReEncrypt*), and wildcard resource ARNs only below a named resource (bucket/*, log-group:name:*): never in the region or account field, and never for every resource of a type except for actions that cannot be scoped.",
        why: "An action prefix such as s3:Put* or iam:*Policy* grants today's and tomorrow's matching actions, including destructive ones; a partial ARN such as arn:aws:s3:::* or key/* reaches every bucket or key of the account (or of every account) while looking scoped.",
        anchors: ["cdk-nag IAM5"],
        level: "M",
        severity: "high",
        remediation: "List the actions used instead of a prefix, and name the component's own resources (its bucket, its log group, its key ARN) in Resource, with `/*` only below them.",
    },
    PERMISSION_TYPES,
    (props, subject, report) => {
        for (const { s, where, key } of allowStatements(props, subject)) {
            for (const action of s.actions) {
                // `*` and `service:*` are R21's and R22's.
                if (!/[*?]/.test(action) || isEveryAction(action) || isServiceWildcard(action)) continue;
                if (BOUNDED_ACTION_WILDCARDS.some((re) => re.test(action))) continue;
                report(`${key}/action-${action}`, `${where} allows the action wildcard "${action}"; list the actions it needs`);
            }
            const unscopable = s.actions.length > 0 && s.actions.every((a) => wildcardResourceProblem(a) === undefined);
            for (const arn of s.resources) {
                const problem = arnWildcardProblem(arn);
                if (problem === undefined || (problem === "every resource of its type" && unscopable)) continue;
                report(`${key}/resource-${arn}`, `${where} allows its actions on "${arn}", which reaches ${problem}`);
            }
        }
    },
);

export const R78 = resourceRule(
    {
        id: "R78",
        slug: "iam-no-aws-managed-policies",
        requirement:
            `Roles, users and groups get no AWS-managed policy other than the service-role policies AWS publishes for a service's own role (arn:aws:iam::aws:policy/service-role/..., and ${SERVICE_ROLE_POLICIES.join(", ")}); R24 reports the administrator and full-access ones.`,
        why: "AWS-managed policies are written for every customer at once: they grant actions on every resource and change when AWS updates them, so the permissions a workload holds are neither least privilege nor reviewed in this repository.",
        anchors: ["cdk-nag IAM4"],
        level: "M",
        severity: "medium",
        remediation: "Write a customer-managed or inline policy with the actions and resources the workload uses (service-role/ policies such as AmazonECSTaskExecutionRolePolicy or AmazonRDSEnhancedMonitoringRole may stay).",
    },
    [...T.iamAttachment, ...EXCLUSIVE_ATTACHMENTS, ...T.iamRole],
    (props, subject, report) => {
        for (const arn of attachedPolicyArns(props, subject)) {
            const name = awsManagedPolicyName(arn);
            if (!name || isBroadManagedPolicy(name) || isServiceRolePolicy(arn)) continue;
            report(`managed-${name}`, `attaches the AWS-managed policy ${name} (${String(arn)}); only service-role/ policies may be attached`);
        }
    },
);

export const IAM_RULES = [R21, R22, R23, R24, R25, S10, R77, R78];
