import { isInternetFacingLb, ofTypes, resolve, type Node } from "./graph";
import { WORLD, portLabel, rulesOf, type SgRule } from "./security-groups";
import { T, isOneOf } from "./types";
import { isTrue } from "./values";

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

/** Every ingress rule of the stack (inline or separate resources), with its owning group resolved. */
export function ingressRules<N extends Node>(resources: readonly N[]): { group: N; rule: SgRule }[] {
    const groups = ofTypes(resources, [...T.securityGroup, ...T.defaultSecurityGroup]);
    const out: { group: N; rule: SgRule }[] = [];
    for (const r of resources) {
        for (const rule of rulesOf(r.type, r.props)) {
            if (rule.direction !== "ingress") continue;
            const group = rule.groupId === undefined ? r : resolve(groups, rule.groupId);
            if (group) out.push({ group, rule });
        }
    }
    return out;
}

/** The reachability table (S04): which group can be reached from where, on which port. */
export function reachability(resources: readonly Node[]): Path[] {
    const groups = ofTypes(resources, T.securityGroup);
    const paths: Path[] = [];
    for (const { group, rule } of ingressRules(resources)) {
        const base = { to: group.name, toId: String(group.props.id), port: portLabel(rule) };
        for (const cidr of rule.cidrs) {
            const world = WORLD.includes(cidr);
            paths.push({ ...base, from: world ? `internet (${cidr})` : cidr, world });
        }
        for (const id of rule.groupIds) paths.push({ ...base, from: resolve(groups, id)?.name ?? id, fromId: id, world: false });
        for (const pl of rule.prefixLists) paths.push({ ...base, from: `prefix list ${pl}`, world: false });
        if (rule.self) paths.push({ ...base, from: `${group.name} (self)`, fromId: base.toId, world: false });
    }
    return paths.sort((a, b) => a.to.localeCompare(b.to) || a.port.localeCompare(b.port, "en", { numeric: true }) || a.from.localeCompare(b.from));
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
    const natAllocations = new Set(ofTypes(resources, ["aws:ec2/natGateway:NatGateway"]).map((n) => n.props.allocationId));
    const points: EntryPoint[] = [];
    for (const r of resources) {
        const p = r.props;
        if (isOneOf(r.type, T.distribution)) points.push({ resource: r, what: "CloudFront distribution", allowed: true });
        else if (isInternetFacingLb(r)) points.push({ resource: r, what: "internet-facing load balancer", allowed: true });
        else if (isOneOf(r.type, T.eip) && !natAllocations.has(p.allocationId ?? p.id)) {
            points.push({ resource: r, what: "Elastic IP not used by a NAT gateway", allowed: false });
        } else if (isOneOf(r.type, T.instance) && isTrue(p.associatePublicIpAddress)) {
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

