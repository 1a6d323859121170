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
