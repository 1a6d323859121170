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
 * `from`'s top-level property `prop` as the program set it (and, given a `path`, the value below
 * it), read like `known()` / `knownAt()`. During `pulumi preview` of a new resource a Terraform-
 * bridged provider plans every Optional+Computed property the program did not set as unknown
 * ("known after apply"): a bucket's inline `acl`, `logging`, `versioning` or `policy`, the inline
 * `ingress` AWS reports for a security group whose rules are separate resources (the union of
 * them), an endpoint's `securityGroupIds`, a database's `port`. Such a value has no property
 * dependencies: the program did not set it from another resource, it is the provider's default or
 * computed from other settings. It reads `undefined`, as a property the program left out, so rules
 * apply what AWS does when it is not set, as after deploy. An unknown value with dependencies was
 * set by the program from another resource's output and reads UNKNOWN_VALUE, exactly as `known()`
 * gives it. A view without dependencies (not CrossGuard's stack phase) cannot tell the two apart:
 * UNKNOWN_VALUE. Resource rules never need this: their inputs hold only what the program set.
 */
export function setByProgram(from: Node, prop: string, ...path: (string | number)[]): unknown {
    if (providerDefault(from, prop)) return undefined;
    const value = known(from.props, prop);
    return value === UNKNOWN_VALUE || path.length === 0 ? value : knownAt(value, ...path);
}

/**
 * True when `from`'s top-level property `prop` is one the provider fills in: unknown before deploy
 * and not set by the program (no property dependencies, in a view that has them). `setByProgram`
 * reads it as not set; a rule whose deploy-time reading depends on the value AWS reports for it (S3's
 * default encryption) applies that value.
 */
export function providerDefault(from: Node, prop: string): boolean {
    return from.propertyDependencies !== undefined && known(from.props, prop) === UNKNOWN_VALUE && dependenciesOf(from, prop).length === 0;
}

/**
 * `setByProgram()` for a rule that reads the value itself (a list of blocks, a flag, a port): a
 * value the program set from another resource's output, unknown before deploy, trips the SDK's
 * unknown-checking proxy exactly as reading `from.props[prop]` does, so the rule stops with the
 * SDK's preview advisory as before; one the provider computes reads `undefined`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function programValue(from: Node, prop: string): any {
    const value = setByProgram(from, prop);
    return value === UNKNOWN_VALUE ? from.props[prop] : value;
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

/**
 * The resource `from`'s top-level property `prop` refers to (`resolveRef` of its own value). A
 * reference the program did not set (one the provider fills in, unknown before deploy) refers to
 * nothing, as an unset one does (`setByProgram`).
 */
export function referenced<N extends Node>(resources: readonly N[], from: N, prop: string, tokens?: readonly string[]): N | undefined {
    return resolveRef(resources, from, prop, setByProgram(from, prop), tokens);
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

/**
 * Where each kind of resource lists its security groups: the top-level property and the lists in it.
 * Lists the program did not set (the groups AWS applies by default, unknown before deploy) are empty.
 */
function securityGroupLists(r: Node): [prop: string, items: unknown[]][] {
    return [
        ["securityGroups", knownItems(setByProgram(r, "securityGroups"))], // load balancers
        ["vpcSecurityGroupIds", knownItems(setByProgram(r, "vpcSecurityGroupIds"))], // RDS instance/cluster/proxy, EC2 instance, launch template
        ["securityGroupIds", knownItems(setByProgram(r, "securityGroupIds"))], // ElastiCache, VPC endpoints
        ["networkConfiguration", knownItems(setByProgram(r, "networkConfiguration", "securityGroups"))], // ECS service
        ["vpcConfig", knownItems(setByProgram(r, "vpcConfig", "securityGroupIds"))], // Lambda
        // launch template network interfaces
        ["networkInterfaces", knownItems(setByProgram(r, "networkInterfaces")).flatMap((n) => (n === UNKNOWN_VALUE ? [UNKNOWN_VALUE] : knownItems(known(n, "securityGroups"))))],
    ];
}

/** The security groups a resource is placed in (nodes; known ids of groups outside the stack as strings). */
export function securityGroupsOf<N extends Node>(resources: readonly N[], r: N): (N | string)[] {
    const tokens = [...T.securityGroup, ...T.defaultSecurityGroup];
    return [...new Set(securityGroupLists(r).flatMap(([prop, items]) => resolveAll(resources, r, prop, items, tokens)))];
}

/** A load balancer that is not `internal` (unset, AWS makes it internet-facing). */
export function isInternetFacingLb(r: Node): boolean {
    return isOneOf(r.type, T.loadBalancer) && programValue(r, "internal") !== true;
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
