import { T, isOneOf } from "./types";
import { asArray } from "./values";

/** The slice of a resource stack rules read (a PolicyResource, or a recorded resource in the engine). */
export interface Node {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly props: Record<string, any>;
}

export function ofTypes<N extends Node>(resources: readonly N[], tokens: readonly string[]): N[] {
    return resources.filter((r) => isOneOf(r.type, tokens));
}

/** Ids a resource can be referred to by: its id, ARN and physical names. */
export function handles(r: Node): string[] {
    const p = r.props;
    return [p.id, p.arn, p.bucket, p.name, p.keyId].filter((v): v is string => typeof v === "string" && v !== "");
}

/** The resource some property value points at (by id, ARN or physical name). */
export function resolve<N extends Node>(resources: readonly N[], ref: unknown, tokens?: readonly string[]): N | undefined {
    if (typeof ref !== "string" || ref === "") return undefined;
    return resources.find((r) => (!tokens || isOneOf(r.type, tokens)) && handles(r).includes(ref));
}

/** True when `value` refers to `r` (its id, ARN or physical name). */
export function refersTo(value: unknown, r: Node): boolean {
    return typeof value === "string" && handles(r).includes(value);
}

/** Security group ids a resource is placed in, for every resource kind that takes them. */
export function securityGroupsOf(r: Node): string[] {
    const p = r.props;
    const lists: unknown[] = [
        p.securityGroups, // load balancers
        p.vpcSecurityGroupIds, // RDS instance/cluster/proxy, EC2 instance, launch template
        p.securityGroupIds, // ElastiCache
        p.networkConfiguration?.securityGroups, // ECS service
        p.vpcConfig?.securityGroupIds, // Lambda
        ...asArray(p.networkInterfaces).map((n: { securityGroups?: unknown }) => n?.securityGroups), // launch template
    ];
    return lists.flatMap((l) => asArray(l as string[])).filter((v): v is string => typeof v === "string");
}

export function isInternetFacingLb(r: Node): boolean {
    return isOneOf(r.type, T.loadBalancer) && r.props.internal !== true;
}

/** Which resources sit in each security group id. */
export function attachments<N extends Node>(resources: readonly N[]): Map<string, N[]> {
    const byGroup = new Map<string, N[]>();
    for (const r of resources) {
        if (isOneOf(r.type, T.securityGroup)) continue;
        for (const id of securityGroupsOf(r)) byGroup.set(id, [...(byGroup.get(id) ?? []), r]);
    }
    return byGroup;
}

