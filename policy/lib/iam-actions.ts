/** IAM action names and wildcards: matching, service-wide wildcards, and which actions may use `Resource: "*"`. */
import { globMatch } from "./patterns";


/**
 * True when every action `action` can stand for is also matched by `pattern`. The action's own
 * wildcards are matched as literal characters, which only the pattern's wildcards can consume:
 * `ec2:DescribeInstances` and `ec2:Describe*` are covered by `ec2:Describe*`, `ec2:*` is not.
 */
export function covers(pattern: string, action: string): boolean {
    return globMatch(pattern, action, true); // IAM matches actions case-insensitively
}

/** True when the two (possibly wildcarded) actions may name a common action. */
export function overlaps(a: string, b: string): boolean {
    return covers(a, b) || covers(b, a);
}

/** `*` or `*:*`: every action of every service. */
export function isEveryAction(action: string): boolean {
    return action === "*" || action === "*:*";
}

/** `s3:*`: every action of one service. */
export function isServiceWildcard(action: string): boolean {
    return /^[a-z0-9-]+:\*$/i.test(action);
}

/**
 * Actions that have no resource type in the Service Authorization Reference, so `Resource: "*"` is
 * the only way to grant them. Only add an action after checking that reference: anything listed here
 * may be granted on every resource.
 */
export const UNSCOPABLE_ACTIONS: readonly string[] = [
    // ECS execution role: the registry token is account-wide.
    "ecr:GetAuthorizationToken",
    // CloudWatch metrics and Logs listing / vended log delivery (API Gateway, ALB-style deliveries).
    "cloudwatch:PutMetricData",
    "cloudwatch:GetMetricData",
    "cloudwatch:GetMetricStatistics",
    "cloudwatch:ListMetrics",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:PutResourcePolicy",
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    // X-Ray daemon / ADOT collector.
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
    // Read-only describes without resource-level permissions (monitoring agents, deploy tooling).
    "ec2:Describe*",
    "elasticloadbalancing:Describe*",
    "autoscaling:Describe*",
    "tag:GetResources",
    // ECS Exec (Session Manager channels).
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
    // ECS agent on container hosts: asked before the host is a container instance (no resource type).
    "ecs:DiscoverPollEndpoint",
    // ECS deploys: task definitions are not resources IAM can scope.
    "ecs:DescribeTaskDefinition",
    "ecs:RegisterTaskDefinition",
    "ecs:DeregisterTaskDefinition",
    "ecs:ListTaskDefinitions",
    "ecs:ListClusters",
    // Account-level listings.
    "s3:ListAllMyBuckets",
    "kms:ListAliases",
    "kms:ListKeys",
    "secretsmanager:ListSecrets",
    "secretsmanager:GetRandomPassword",
    "ssm:DescribeParameters",
    "acm:ListCertificates",
    "route53:ListHostedZones",
    "sts:GetCallerIdentity",
];

/**
 * Actions that must always name their resources, whatever UNSCOPABLE_ACTIONS says: on `*` they let a
 * principal hand any role to a service, decrypt with any key, or read every secret.
 */
export const NEVER_UNSCOPED: readonly string[] = ["iam:PassRole", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey*", "secretsmanager:GetSecretValue"];

/** Why `action` may not be granted on every resource, or undefined when it may. */
export function wildcardResourceProblem(action: string): "never" | "scopable" | undefined {
    if (NEVER_UNSCOPED.some((n) => overlaps(n, action))) return "never";
    return UNSCOPABLE_ACTIONS.some((allowed) => covers(allowed, action)) ? undefined : "scopable";
}
