import { isInternetFacingLb, ofTypes, programValue, referenced, resolveRef, type Node } from "./graph";
import { WORLD, portLabel, rulesOfResource, type SgRule } from "./security-groups";
import { T, isOneOf } from "./types";
import { isTrue, known, knownAt } from "./values";

const GROUPS = [...T.securityGroup, ...T.defaultSecurityGroup];

/** One ingress path: `from` may reach the group `to` on `port`. */
export interface Path {
    /** The group's logical name. */
    readonly to: string;
    readonly toId: string;
    readonly port: string;
    /** `internet (0.0.0.0/0)`, a CIDR, a prefix list, or the source group's logical name. */
    readonly from: string;
    readonly fromId?: string;
    readonly world: boolean;
}

/** One ingress rule: the group it opens, the rule, and the resource declaring it (the group itself, or a rule resource). */
export interface Ingress<N extends Node> {
    readonly group: N;
    readonly rule: SgRule;
    readonly declaredBy: N;
}

/** Every ingress rule of the stack (inline or separate resources, as the program set them), with its owning group resolved. */
export function ingressRules<N extends Node>(resources: readonly N[]): Ingress<N>[] {
    const groups = ofTypes(resources, GROUPS);
    const out: Ingress<N>[] = [];
    for (const r of resources) {
        for (const rule of rulesOfResource(r)) {
            if (rule.direction !== "ingress") continue;
            const group = rule.groupId === undefined ? r : resolveRef(groups, r, "securityGroupId", rule.groupId, GROUPS);
            if (group) out.push({ group, rule, declaredBy: r });
        }
    }
    return out;
}

/** A rule's peer groups: the group when it is in the stack, and the id when it is known. */
export function peersOf<N extends Node>(resources: readonly N[], { rule, declaredBy }: Ingress<N>): { group?: N; id?: string }[] {
    const groups = ofTypes(resources, GROUPS);
    return rule.groupIds.map((id) => {
        const group = resolveRef(groups, declaredBy, rule.peerProp, id, GROUPS);
        return { group, id: typeof id === "string" ? id : undefined };
    });
}

/** A group's id when known ("" before deploy). */
const idOf = (group: Node): string => {
    const id = known(group.props, "id");
    return typeof id === "string" ? id : "";
};

// One collator for every comparison: localeCompare with a locale or options builds a new one per call.
const natural = new Intl.Collator("en", { numeric: true });

/** The reachability table (S04): which group can be reached from where, on which port. */
export function reachability(resources: readonly Node[]): Path[] {
    const paths: Path[] = [];
    for (const ingress of ingressRules(resources)) {
        const { group, rule } = ingress;
        const base = { to: group.name, toId: idOf(group), port: portLabel(rule) };
        for (const cidr of rule.cidrs) {
            const world = WORLD.includes(cidr);
            paths.push({ ...base, from: world ? `internet (${cidr})` : cidr, world });
        }
        for (const peer of peersOf(resources, ingress)) {
            const fromId = peer.id ?? (peer.group ? idOf(peer.group) : "");
            paths.push({ ...base, from: peer.group?.name ?? peer.id ?? "(a group known after deploy)", fromId, world: false });
        }
        for (const pl of rule.prefixLists) paths.push({ ...base, from: `prefix list ${typeof pl === "string" ? pl : "(known after deploy)"}`, world: false });
        if (rule.self) paths.push({ ...base, from: `${group.name} (self)`, fromId: base.toId, world: false });
    }
    return paths.sort((a, b) => a.to.localeCompare(b.to) || natural.compare(a.port, b.port) || a.from.localeCompare(b.from));
}

/** What a security group is attached to, by role. */
export function roleOf(attached: readonly Node[]): "public-lb" | "data" | "compute" | "other" | "unattached" {
    if (attached.length === 0) return "unattached";
    if (attached.every(isInternetFacingLb)) return "public-lb";
    const data = [...T.rdsInstance, ...T.rdsCluster, ...T.rdsProxy, ...T.replicationGroup, ...T.cacheCluster];
    if (attached.some((r) => isOneOf(r.type, data))) return "data";
    const compute = [...T.ecsService, ...T.launchTemplate, ...T.instance, ...T.lambdaFunction];
    if (attached.some((r) => isOneOf(r.type, compute))) return "compute";
    return "other";
}

/** One internet-facing entry point and whether the design allows it (S05). */
export interface EntryPoint {
    readonly resource: Node;
    readonly what: string;
    readonly allowed: boolean;
}

/**
 * The internet-facing surface: CloudFront distributions and internet-facing load balancers are
 * the designed entry points; anything else reachable from the internet is not.
 */
export function internetSurface(resources: readonly Node[]): EntryPoint[] {
    const eips = ofTypes(resources, T.eip);
    const natEips = new Set(ofTypes(resources, ["aws:ec2/natGateway:NatGateway"]).map((n) => referenced(eips, n, "allocationId", T.eip)));
    const points: EntryPoint[] = [];
    for (const r of resources) {
        const p = r.props;
        if (isOneOf(r.type, T.distribution)) points.push({ resource: r, what: "CloudFront distribution", allowed: true });
        else if (isInternetFacingLb(r)) points.push({ resource: r, what: "internet-facing load balancer", allowed: true });
        else if (isOneOf(r.type, T.eip) && !natEips.has(r)) {
            points.push({ resource: r, what: "Elastic IP not used by a NAT gateway", allowed: false });
        } else if (isOneOf(r.type, T.instance) && isTrue(programValue(r, "associatePublicIpAddress"))) {
            // Unset, the subnet's mapPublicIpOnLaunch decides (R30 keeps it off).
            points.push({ resource: r, what: "EC2 instance with a public IP", allowed: false });
        } else if ((isOneOf(r.type, T.rdsInstance) || isOneOf(r.type, T.rdsCluster)) && isTrue(p.publiclyAccessible)) {
            points.push({ resource: r, what: "publicly accessible database", allowed: false });
        } else if (isOneOf(r.type, T.ecsService) && isTrue(p.networkConfiguration?.assignPublicIp)) {
            points.push({ resource: r, what: "ECS service with public IPs", allowed: false });
        } else if (isOneOf(r.type, T.lambdaFunctionUrl) && p.authorizationType === "NONE") {
            points.push({ resource: r, what: "unauthenticated Lambda function URL", allowed: false });
        } else if (isOneOf(r.type, T.apiGateway) && p.disableExecuteApiEndpoint !== true) {
            points.push({ resource: r, what: "API Gateway default endpoint (not only behind CloudFront)", allowed: false });
        }
    }
    return points;
}


/** The security group tiers of the design (components/vpc.ts SECURITY_TIERS), in path order. */
export const TIERS = ["lb", "app", "proxy", "database", "cache", "monitoring", "rotation"] as const;
export type Tier = (typeof TIERS)[number];

/** The compute an app (or monitoring) group is attached to: ECS services and the hosts' launch templates, launch configurations and instances. */
const COMPUTE = [...T.ecsService, ...T.launchTemplate, ...T.launchConfiguration, ...T.instance];

/** The tier a resource attached to a group puts the group in; undefined for anything else (endpoints, functions, internal load balancers). */
export function tierOfResource(r: Node): Exclude<Tier, MarkedTier> | undefined {
    if (isInternetFacingLb(r)) return "lb";
    if (isOneOf(r.type, COMPUTE)) return "app";
    if (isOneOf(r.type, T.rdsProxy)) return "proxy";
    if (isOneOf(r.type, [...T.rdsInstance, ...T.rdsCluster])) return "database";
    if (isOneOf(r.type, [...T.replicationGroup, ...T.cacheCluster])) return "cache";
    return undefined;
}

/** Tiers known by the group's own tags: they run on compute the graph may not show (a rotation function inside a CloudFormation stack). */
export const MARKED_TIERS = ["monitoring", "rotation"] as const;
type MarkedTier = (typeof MARKED_TIERS)[number];

/**
 * The tier the group's own tags name: a `Tier` tag `monitoring` or `rotation`, or a `Name` tag that is
 * one of them or ends in `-<tier>` (the Vpc tags its groups `Name: <vpc>-<tier>`). Tags are plain strings
 * the program sets, known before deploy.
 */
export function markedTier(group: Node): MarkedTier | undefined {
    const tag = (key: string) => [knownAt(group.props, "tags", key), knownAt(group.props, "tagsAll", key)].filter((v): v is string => typeof v === "string");
    return MARKED_TIERS.find((t) => tag("Tier").some((v) => v.toLowerCase() === t) || tag("Name").some((v) => new RegExp(`(^|-)${t}$`, "i").test(v)));
}

/** True when the group's own tags mark it as the monitoring tier (see markedTier). */
export function markedMonitoring(group: Node): boolean {
    return markedTier(group) === "monitoring";
}

/**
 * The tiers a security group serves. The resources attached to it decide (internet-facing load
 * balancer: lb; ECS service, launch template, launch configuration or instance: app; RDS Proxy: proxy;
 * RDS instance or cluster: database; ElastiCache: cache). A group marked as monitoring or rotation (its
 * tags) and attached to nothing but compute is that tier: Prometheus runs on the same kinds of compute
 * as the API, and the rotation function lives in a CloudFormation stack the graph does not show. The
 * mark can only tighten: neither tier accepts a connection at all.
 * A group attached to nothing yet, or only to other resources, has no tier (empty list).
 */
export function tiersOf(group: Node, attached: readonly Node[]): Tier[] {
    const tiers = new Set<Tier>();
    for (const r of attached) {
        const tier = tierOfResource(r);
        if (tier) tiers.add(tier);
    }
    const onlyCompute = [...tiers].every((t) => t === "app");
    const mark = markedTier(group);
    if (mark && onlyCompute) return [mark];
    return TIERS.filter((t) => tiers.has(t));
}
