/** Recognising AWS-managed IAM policies by name. */

/** `arn:<partition>:iam::aws:policy/<path>/<name>`: the name of an AWS-managed policy, else undefined. */
export function awsManagedPolicyName(arn: unknown): string | undefined {
    if (typeof arn !== "string") return undefined;
    const match = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
    return match?.[1];
}

/**
 * True for AWS-managed policies that grant administrator, power-user or full-service access:
 * AdministratorAccess (and its service variants such as AdministratorAccess-Amplify),
 * PowerUserAccess, IAMFullAccess and every `...FullAccess` policy (including `...FullAccessV2`).
 */
export function isBroadManagedPolicy(name: string): boolean {
    return name.startsWith("AdministratorAccess") || name === "PowerUserAccess" || name.includes("FullAccess");
}

/**
 * AWS-managed policies AWS publishes for a service's own role outside the `service-role/` path: the ECS
 * infrastructure role's policies (AWS ECS developer guide, "Amazon ECS infrastructure IAM role"), which ECS
 * needs to shift load balancer traffic during blue/green, linear and canary releases and to manage task volumes.
 */
export const SERVICE_ROLE_POLICIES: readonly string[] = ["AmazonECSInfrastructureRolePolicyForLoadBalancers", "AmazonECSInfrastructureRolePolicyForVolumes"];

/** True for an AWS-managed policy published for a service's own role: the `service-role/` path, or SERVICE_ROLE_POLICIES. */
export function isServiceRolePolicy(arn: unknown): boolean {
    const name = awsManagedPolicyName(arn);
    return name !== undefined && (/:policy\/service-role\//.test(String(arn)) || SERVICE_ROLE_POLICIES.includes(name));
}
