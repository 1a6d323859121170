import { T, isOneOf } from "./types";
import { UNKNOWN_VALUE, cannotDecide, known, knownAt, knownItems } from "./values";

/** The slice of a resource stack rules read (a PolicyResource, or a recorded resource in the engine). */
export interface Node {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly props: Record<string, any>;
    /**
     * Per top-level input property, the resources its value was computed from. CrossGuard's stack
     * phase gives them, and unlike ids and ARNs they are known during preview; views built
     * elsewhere (the plan's reachability table) may leave them out.
     */
    readonly propertyDependencies?: Readonly<Record<string, readonly Node[]>>;
}

export function ofTypes<N extends Node>(resources: readonly N[], tokens: readonly string[]): N[] {
    return resources.filter((r) => isOneOf(r.type, tokens));
}

/** Properties naming a resource: its id, ARN and physical names (an Elastic IP also by its allocation id). */
const HANDLE_PROPS = ["id", "arn", "bucket", "name", "keyId"];
const EIP_HANDLE_PROPS = [...HANDLE_PROPS, "allocationId"];

/** Values a resource can be referred to by, among those known now: its id, ARN and physical names. */
export function handles(r: Node): string[] {
    const props = isOneOf(r.type, T.eip) ? EIP_HANDLE_PROPS : HANDLE_PROPS;
    return props.map((k) => known(r.props, k)).filter((v): v is string => typeof v === "string" && v !== "");
}

/** The resource a known value names (its id, ARN or physical name). */
export function resolve<N extends Node>(resources: readonly N[], ref: unknown, tokens?: readonly string[]): N | undefined {
    if (typeof ref !== "string" || ref === "") return undefined;
    return resources.find((r) => (!tokens || isOneOf(r.type, tokens)) && handles(r).includes(ref));
}

/** The resources of the given types that `from`'s top-level property `prop` was computed from. */
export function dependenciesOf<N extends Node>(from: N, prop: string, tokens?: readonly string[]): N[] {
    const deps = (from.propertyDependencies?.[prop] ?? []) as readonly N[];
    return tokens ? deps.filter((d) => isOneOf(d.type, tokens)) : [...deps];
}

/**
 * The resource that a value in `from`'s top-level property `prop` refers to. A known value (an id,
 * ARN or physical name) is matched against the resources' handles, exactly as after deploy. A value
 * known only after deploy is resolved through the property's dependencies: the one resource of the
 * wanted types it was computed from. When they name none or several, the rule cannot decide before
 * deploy and stops with the SDK's preview advisory; on a view without dependencies (not CrossGuard's
 * stack phase) such a value refers to nothing, as before.
 */
export function resolveRef<N extends Node>(resources: readonly N[], from: N, prop: string, value: unknown, tokens?: readonly string[]): N | undefined {
    if (value !== UNKNOWN_VALUE) return resolve(resources, value, tokens);
    if (!from.propertyDependencies) return undefined;
    const candidates = dependenciesOf(from, prop, tokens);
    return candidates.length === 1 ? candidates[0] : cannotDecide([from.name, prop]);
}

/** The resource `from`'s top-level property `prop` refers to (`resolveRef` of its own value). */
export function referenced<N extends Node>(resources: readonly N[], from: N, prop: string, tokens?: readonly string[]): N | undefined {
    return resolveRef(resources, from, prop, known(from.props, prop), tokens);
}

/**
 * True when a value in `from`'s property `prop` refers to `target`: a known value names it, or an
 * unknown one was computed from it (the one resource of `tokens` the property depends on).
 */
export function refersTo(from: Node, prop: string, value: unknown, target: Node, tokens: readonly string[]): boolean {
    if (value !== UNKNOWN_VALUE) return typeof value === "string" && value !== "" && handles(target).includes(value);
    return resolveRef([target], from, prop, value, tokens) === target;
}

/**
 * Every resource a list of references in `prop` points at: known items by their handle (known values
 * naming nothing in the stack are kept as the values), unknown items through the property's
 * dependencies (all of them of the wanted types: per-item pairing is not recorded).
 */
export function resolveAll<N extends Node>(resources: readonly N[], from: N, prop: string, items: readonly unknown[], tokens: readonly string[]): (N | string)[] {
    const out = new Set<N | string>();
    for (const item of items) {
        if (item === UNKNOWN_VALUE) {
            if (!from.propertyDependencies) continue;
            const deps = dependenciesOf(from, prop, tokens);
            if (deps.length === 0) cannotDecide([from.name, prop]);
            deps.forEach((d) => out.add(d));
        } else if (typeof item === "string" && item !== "") {
            out.add(resolve(resources, item, tokens) ?? item);
        }
    }
    return [...out];
}

/** Where each kind of resource lists its security groups: the top-level property and the lists in it. */
function securityGroupLists(r: Node): [prop: string, items: unknown[]][] {
    const p = r.props;
    return [
        ["securityGroups", knownItems(known(p, "securityGroups"))], // load balancers
        ["vpcSecurityGroupIds", knownItems(known(p, "vpcSecurityGroupIds"))], // RDS instance/cluster/proxy, EC2 instance, launch template
        ["securityGroupIds", knownItems(known(p, "securityGroupIds"))], // ElastiCache
        ["networkConfiguration", knownItems(knownAt(p, "networkConfiguration", "securityGroups"))], // ECS service
        ["vpcConfig", knownItems(knownAt(p, "vpcConfig", "securityGroupIds"))], // Lambda
        // launch template network interfaces
        ["networkInterfaces", knownItems(known(p, "networkInterfaces")).flatMap((n) => (n === UNKNOWN_VALUE ? [UNKNOWN_VALUE] : knownItems(known(n, "securityGroups"))))],
    ];
}

/** The security groups a resource is placed in (nodes; known ids of groups outside the stack as strings). */
export function securityGroupsOf<N extends Node>(resources: readonly N[], r: N): (N | string)[] {
    const tokens = [...T.securityGroup, ...T.defaultSecurityGroup];
    return [...new Set(securityGroupLists(r).flatMap(([prop, items]) => resolveAll(resources, r, prop, items, tokens)))];
}

export function isInternetFacingLb(r: Node): boolean {
    return isOneOf(r.type, T.loadBalancer) && r.props.internal !== true;
}

/** Which resources sit in each security group (keyed by the group, or by its id when it is not in the stack). */
export function attachments<N extends Node>(resources: readonly N[]): Map<N | string, N[]> {
    const byGroup = new Map<N | string, N[]>();
    for (const r of resources) {
        if (isOneOf(r.type, T.securityGroup)) continue;
        for (const group of securityGroupsOf(resources, r)) byGroup.set(group, [...(byGroup.get(group) ?? []), r]);
    }
    return byGroup;
}
