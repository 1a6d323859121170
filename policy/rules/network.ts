import { attachments, dependenciesOf, handles, isInternetFacingLb, ofTypes, programValue, referenced, refersTo, resolveAll, setByProgram, type Node } from "../lib/graph";
import { ingressRules, internetSurface, peersOf, roleOf, tiersOf, type Ingress, type Tier } from "../lib/reachability";
import { resourceRule, stackRule } from "../lib/rule";
import { WORLD, isExactlyTcp, portKey, portLabel, rulesOf } from "../lib/security-groups";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, Undecided, asArray, isPresent, isTrue, known, knownItems } from "../lib/values";

/** Ports the world may reach, and only on the public load balancer's group (S04 checks the attachment). */
const WORLD_PORTS = [443, 80];

export const R26 = resourceRule(
    {
        id: "R26",
        slug: "world-ingress-https-only",
        requirement: "Ingress from 0.0.0.0/0 or ::/0 is allowed only on TCP 443 (and 80, which only redirects).",
        why: "Every other port open to the internet (SSH, databases, metrics) is attack surface the design never needs.",
        anchors: ["FSBP EC2.18", "FSBP EC2.19", "cdk-nag EC23", "CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "Pulumi aws-ec2-securitygroup-disallow-inbound-http-traffic"],
        level: "M",
        severity: "critical",
        remediation: "Reach hosts through the load balancer or SSM Session Manager; reference security groups instead of world CIDRs.",
    },
    [...T.securityGroup, ...T.ingressRule, ...T.sgRule],
    (props, subject, report) => {
        for (const rule of rulesOf(subject.type, props)) {
            if (rule.direction !== "ingress") continue;
            for (const cidr of rule.cidrs.filter((c) => WORLD.includes(c))) {
                if (WORLD_PORTS.some((port) => isExactlyTcp(rule, port))) continue;
                report(`world-${portKey(rule)}`, `ingress ${portLabel(rule)} from ${cidr}: only TCP 443 and 80 may be open to the internet`);
            }
        }
    },
);

/** The port each data store listens on, from its own props or (unset: AWS fills it in) its engine's default. */
function enginePort(r: Node): number | undefined {
    const port: unknown = programValue(r, "port");
    if (typeof port === "number") return port;
    const engine = String(programValue(r, "engine") ?? programValue(r, "engineFamily") ?? "").toLowerCase();
    if (engine.includes("postgres")) return 5432;
    if (engine.includes("mysql") || engine.includes("mariadb")) return 3306;
    if (engine.includes("sqlserver")) return 1433;
    if (engine === "memcached") return 11211;
    if (isOneOf(r.type, T.replicationGroup) || engine === "redis" || engine === "valkey") return 6379;
    return undefined;
}

const DATA_STORES = [...T.rdsInstance, ...T.rdsCluster, ...T.rdsProxy, ...T.replicationGroup, ...T.cacheCluster];

export const R27 = stackRule(
    {
        id: "R27",
        slug: "data-groups-accept-groups-only",
        requirement: "Security groups of databases, RDS Proxy and caches accept only other security groups, on the engine port.",
        why: "A CIDR or a wide port range on a data tier lets any host in that range reach the data directly.",
        anchors: ["cdk-nag RDS8 (derived)", "FSBP EC2.18 (derived)", "cdk-nag RDS8"],
        level: "M",
        severity: "high",
        remediation: "Replace CIDR and prefix-list rules with rules referencing the app (or proxy) security group, on the engine port only.",
    },
    (resources, report) => {
        const undecided = new Undecided();
        const rules = ingressRules(resources);
        const placed = attachments(resources);
        for (const group of ofTypes(resources, T.securityGroup)) {
            const stores = (placed.get(group) ?? []).filter((r) => isOneOf(r.type, DATA_STORES));
            if (stores.length === 0) continue;
            const ports = new Set(stores.map(enginePort));
            for (const { rule, declaredBy } of rules.filter((x) => x.group === group)) {
                const label = portLabel(rule);
                for (const cidr of rule.cidrs) report(`cidr-${cidr}`, `data-tier group ${group.name} accepts ${label} from CIDR ${cidr}`, group.urn);
                for (const pl of rule.prefixLists) {
                    // A prefix list is not allowed whatever its id, but the finding key names it.
                    if (pl === UNKNOWN_VALUE) undecided.note(declaredBy.name, "prefixListId");
                    else report(`prefix-list-${pl}`, `data-tier group ${group.name} accepts ${label} from prefix list ${pl}`, group.urn);
                }
                const exact = [...ports].some((port) => port !== undefined && isExactlyTcp(rule, port));
                if (!exact) {
                    const expected = [...ports].filter((p) => p !== undefined).join(" or ");
                    report(`port-${portKey(rule)}`, `data-tier group ${group.name} opens ${label}; only the engine port (tcp/${expected}) is allowed`, group.urn);
                }
            }
        }
        undecided.settle();
    },
);

export const R28 = resourceRule(
    {
        id: "R28",
        slug: "default-security-group-closed",
        requirement: "Every VPC's default security group is managed and has no rules.",
        why: "Resources launched without an explicit group land in the default one; with rules, they are reachable by accident.",
        anchors: ["FSBP EC2.2", "CKV2_AWS_12"],
        level: "M",
        severity: "high",
        remediation: "Declare aws.ec2.DefaultSecurityGroup for the VPC with no ingress and no egress.",
    },
    T.defaultSecurityGroup,
    (props, subject, report) => {
        for (const rule of rulesOf(subject.type, props)) {
            report(`${rule.direction}-${portKey(rule)}`, `the default security group has an ${rule.direction} rule (${portLabel(rule)})`);
        }
    },
);

export const R29 = resourceRule(
    {
        id: "R29",
        slug: "flow-logs-all-traffic",
        requirement: "VPC flow logs capture ALL traffic into a destination.",
        why: "Accepted-only or rejected-only logs hide half of every incident investigation.",
        anchors: ["FSBP EC2.6", "cdk-nag VPC7", "CKV2_AWS_11"],
        level: "M",
        severity: "medium",
        remediation: "Set trafficType: \"ALL\" and a logDestination (a CloudWatch log group with retention, or S3).",
    },
    T.flowLog,
    (props, _subject, report) => {
        if (props.trafficType !== "ALL") report("traffic-type", `flow log captures ${JSON.stringify(props.trafficType ?? null)} traffic, not ALL`);
        // A destination known only after deploy (the log group's ARN) is set.
        if (!isPresent(known(props, "logDestination")) && !isPresent(known(props, "logGroupName"))) report("destination", "flow log has no destination");
    },
);

export const R30 = resourceRule(
    {
        id: "R30",
        slug: "subnets-no-public-ips",
        requirement: "Subnets never auto-assign public IPs.",
        why: "An auto-assigned public IP makes any instance or task in the subnet reachable from the internet.",
        anchors: ["FSBP EC2.15", "CKV_AWS_130"],
        level: "M",
        severity: "medium",
        remediation: "Set mapPublicIpOnLaunch: false; only load balancers and NAT gateways get public addresses.",
    },
    T.subnet,
    (props, _subject, report) => {
        if (isTrue(props.mapPublicIpOnLaunch)) report("map-public-ip", "subnet auto-assigns public IPs (mapPublicIpOnLaunch is true)");
    },
);

export const S02 = stackRule(
    {
        id: "S02",
        slug: "vpc-logged-and-closed",
        requirement: "Every VPC has flow logs of ALL traffic and a managed, closed default security group.",
        why: "A VPC without flow logs cannot be investigated, and an unmanaged default group keeps AWS's allow-all-internal rules.",
        anchors: ["FSBP EC2.6", "FSBP EC2.2"],
        level: "M",
        severity: "high",
        remediation: "Use the Vpc component, or add aws.ec2.FlowLog (trafficType ALL) and aws.ec2.DefaultSecurityGroup for the VPC.",
    },
    (resources, report) => {
        const flowLogs = ofTypes(resources, T.flowLog);
        const defaults = ofTypes(resources, T.defaultSecurityGroup);
        for (const vpc of ofTypes(resources, T.vpc)) {
            // A default group whose vpcId the program did not set is the default VPC's.
            const ofVpc = (r: Node) => refersTo(r, "vpcId", setByProgram(r, "vpcId"), vpc, T.vpc);
            if (!flowLogs.some((f) => ofVpc(f) && f.props.trafficType === "ALL")) {
                report("flow-log", `VPC ${vpc.name} has no flow log of ALL traffic`, vpc.urn);
            }
            if (!defaults.some(ofVpc)) {
                report("default-security-group", `VPC ${vpc.name}'s default security group is not managed (its default rules stay)`, vpc.urn);
            }
        }
    },
);

/** The subnets a resource is placed in, for every kind S03 covers: stack subnets, or known ids of others. */
function subnetsOf(r: Node, resources: readonly Node[]): (Node | string)[] {
    // Unset (unknown before deploy), AWS picks the subnets: none the policy can check.
    const list = (from: Node | undefined, prop: string, ...path: string[]) =>
        from ? resolveAll(resources, from, prop, knownItems(setByProgram(from, prop, ...path)), T.subnet) : [];
    if (isOneOf(r.type, [...T.rdsInstance, ...T.rdsCluster])) return list(referenced(resources, r, "dbSubnetGroupName", T.dbSubnetGroup), "subnetIds");
    if (isOneOf(r.type, [...T.replicationGroup, ...T.cacheCluster])) return list(referenced(resources, r, "subnetGroupName", T.cacheSubnetGroup), "subnetIds");
    if (isOneOf(r.type, T.rdsProxy)) return list(r, "vpcSubnetIds");
    if (isOneOf(r.type, T.ecsService)) return list(r, "networkConfiguration", "subnets");
    if (isOneOf(r.type, T.autoScalingGroup)) return list(r, "vpcZoneIdentifiers");
    return [];
}

const PRIVATE_PLACED = [...T.rdsInstance, ...T.rdsCluster, ...T.rdsProxy, ...T.replicationGroup, ...T.cacheCluster, ...T.ecsService, ...T.autoScalingGroup];

export const S03 = stackRule(
    {
        id: "S03",
        slug: "private-placement",
        requirement: "RDS, RDS Proxy, ElastiCache, ECS services and the API hosts' auto scaling group sit only in subnets with no route to an internet gateway.",
        why: "A data store or host in a public subnet is one security group mistake away from the internet.",
        anchors: ["FSBP RDS.2 (derived)", "FSBP ECS.2 (derived)"],
        level: "M",
        severity: "high",
        remediation: "Place them in the Vpc's private (compute) or isolated (data) subnets.",
    },
    (resources, report) => {
        const associations = ofTypes(resources, T.routeTableAssociation);
        const tables = ofTypes(resources, T.routeTable);
        const routes = ofTypes(resources, T.route);
        const gateways = ofTypes(resources, ["aws:ec2/internetGateway:InternetGateway"]);
        // A gateway id known only after deploy is an internet gateway's when the property was computed from one.
        const isIgw = (from: Node, prop: string, id: unknown) =>
            id === UNKNOWN_VALUE
                ? dependenciesOf(from, prop, ["aws:ec2/internetGateway:InternetGateway"]).length > 0
                : typeof id === "string" && (id.startsWith("igw-") || gateways.some((g) => handles(g).includes(id)));
        for (const r of ofTypes(resources, PRIVATE_PLACED)) {
            const placedIn = subnetsOf(r, resources);
            if (placedIn.length === 0) report("no-subnets", `${r.name} has no subnets the policy can check`, r.urn);
            for (const id of placedIn) {
                const subnet = typeof id === "string" ? undefined : id;
                const label = subnet?.name ?? (id as string);
                const association = associations.find((a) => {
                    const value = known(a.props, "subnetId");
                    return subnet ? refersTo(a, "subnetId", value, subnet, T.subnet) : value === id;
                });
                const table = association ? referenced(tables, association, "routeTableId", T.routeTable) : undefined;
                if (!table) {
                    report(`subnet-${label}`, `${r.name} uses subnet ${label}, which has no explicit route table (the VPC main table may route to the internet)`, r.urn);
                    continue;
                }
                const routed = [
                    ...routes.filter((x) => refersTo(x, "routeTableId", known(x.props, "routeTableId"), table, T.routeTable)).map((x) => ({ from: x, prop: "gatewayId", id: known(x.props, "gatewayId") })),
                    // Inline routes the program did not set are the Route resources' (unknown before deploy).
                    ...asArray<Record<string, unknown>>(programValue(table, "routes")).map((x) => ({ from: table, prop: "routes", id: known(x, "gatewayId") })),
                ];
                if (routed.some((x) => isIgw(x.from, x.prop, x.id))) {
                    report(`subnet-${label}`, `${r.name} uses subnet ${label}, whose route table ${table.name} routes to an internet gateway`, r.urn);
                }
            }
        }
    },
);

export const S04 = stackRule(
    {
        id: "S04",
        slug: "traffic-paths",
        requirement:
            "Security groups follow the designed path graph, each tier known by what is attached to it (monitoring and rotation by their tags): only the public load balancer's group (lb) accepts the world, on TCP 443 and 80; app accepts only lb and, on one metrics port, monitoring; proxy and cache accept only app; the database accepts only proxy and the Secrets Manager rotation function (rotation); monitoring and rotation accept nothing.",
        why: "Traffic must flow only along the designed paths: internet -> load balancer -> app -> proxy/cache -> database.",
        anchors: ["FSBP EC2.18 (derived)", "design: components/vpc.ts trafficPaths"],
        level: "M",
        severity: "critical",
        remediation:
            "Attach world-open groups only to internet-facing load balancers, give each tier its own group (the Vpc's securityGroupIds), and open only the paths of components/vpc.ts trafficPaths; tag the monitoring and rotation groups Name <vpc>-monitoring / <vpc>-rotation (the Vpc does).",
    },
    (resources, report) => {
        const placed = attachments(resources);
        const groups = ofTypes(resources, T.securityGroup);
        const rules = ingressRules(resources);
        const worldOpen = new Set<Node>();
        for (const { group, rule } of rules) {
            if (rule.cidrs.some((c) => WORLD.includes(c))) worldOpen.add(group);
        }
        for (const group of groups) {
            const attached = placed.get(group) ?? [];
            if (worldOpen.has(group)) {
                for (const r of attached.filter((a) => !isInternetFacingLb(a))) {
                    report(`world-open-${r.name}`, `world-open group ${group.name} is attached to ${r.name} (${r.type}), not an internet-facing load balancer`, group.urn);
                }
            }
        }
        const reported = new Set<string>();
        for (const ingress of rules) {
            const { group, rule } = ingress;
            if (roleOf(placed.get(group) ?? []) !== "data") continue;
            // Peers are groups of the stack (resolved by id, or before deploy through the rule's dependencies) or known foreign ids.
            for (const peer of peersOf(resources, ingress)) {
                const key = peer.group ?? peer.id;
                if (key === undefined) continue;
                const name = peer.group?.name ?? (peer.id as string);
                if (roleOf(placed.get(key) ?? []) === "public-lb" || (peer.group !== undefined && worldOpen.has(peer.group))) {
                    report(`source-${name}`, `data-tier group ${group.name} accepts ${portLabel(rule)} from ${name}, an internet-facing group`, group.urn);
                    reported.add(`${group.urn}|${name}`);
                }
            }
        }
        tierPaths(resources, groups, placed, rules, reported, report);
    },
);

/** What each tier accepts (components/vpc.ts trafficPaths): peer groups of these tiers; sources outside the VPC only for lb, on 443/80. */
const ACCEPTS: Record<Tier, { readonly from: readonly Tier[]; readonly text: string }> = {
    lb: { from: [], text: "TCP 443 and 80 from outside the VPC (the internet, CIDRs or prefix lists)" },
    app: { from: ["lb", "monitoring"], text: "the lb tier, and the monitoring tier on one metrics port" },
    proxy: { from: ["app"], text: "the app tier" },
    database: { from: ["proxy", "rotation"], text: "the proxy tier and the rotation tier (the Secrets Manager rotation function)" },
    cache: { from: ["app"], text: "the app tier" },
    monitoring: { from: [], text: "no connections (it only scrapes)" },
    rotation: { from: [], text: "no connections (it only connects to the database)" },
};

/** One source of an ingress rule: outside the VPC (CIDR, prefix list), the group itself, or a peer group with its tiers. */
interface Source {
    readonly key: string;
    readonly label: string;
    readonly outside: boolean;
    readonly tiers: readonly Tier[];
}

/**
 * S04's path graph: every ingress rule of a group with a tier must be one of the designed paths.
 * Groups attached to nothing yet have no tier and are not judged as targets (the Vpc creates all six
 * before the resources that use them); as sources they carry no traffic, so they open no path yet. A
 * source group attached only to other resources (endpoints, functions, an internal load balancer) or
 * outside the stack has no tier, and is never an allowed peer.
 */
function tierPaths(
    resources: readonly Node[],
    groups: readonly Node[],
    placed: Map<Node | string, Node[]>,
    rules: readonly Ingress<Node>[],
    reported: ReadonlySet<string>,
    report: (key: string, message: string, urn?: string) => void,
): void {
    const tiers = new Map(groups.map((g) => [g, tiersOf(g, placed.get(g) ?? [])]));
    for (const [group, list] of tiers) {
        if (list.length > 1) report("tiers", `security group ${group.name} serves several tiers (${list.join(", ")}): each tier needs its own group`, group.urn);
    }
    const metricsPorts = new Map<Node, Set<string>>();
    for (const ingress of rules) {
        const { group, rule } = ingress;
        const targetTiers = tiers.get(group) ?? [];
        if (targetTiers.length === 0) continue;
        const sources: Source[] = [
            ...rule.cidrs.map((cidr) => ({ key: cidr, label: WORLD.includes(cidr) ? `internet (${cidr})` : `CIDR ${cidr}`, outside: true, tiers: [] })),
            ...rule.prefixLists.map((pl) => {
                const id = typeof pl === "string" ? pl : "(known after deploy)";
                return { key: `prefix-list${typeof pl === "string" ? `-${pl}` : ""}`, label: `prefix list ${id}`, outside: true, tiers: [] };
            }),
            ...(rule.self ? [{ key: "self", label: `${group.name} itself (self)`, outside: false, tiers: targetTiers }] : []),
            ...peersOf(resources, ingress).flatMap((peer) => {
                const name = peer.group?.name ?? peer.id;
                if (name === undefined || reported.has(`${group.urn}|${name}`)) return [];
                const peerTiers = peer.group ? (tiers.get(peer.group) ?? []) : [];
                // A group of the stack attached to nothing carries no traffic yet: no path until something is placed in it.
                if (peer.group && peerTiers.length === 0 && (placed.get(peer.group) ?? []).length === 0) return [];
                return [{ key: name, label: `${name} (${peerTiers.length ? `${peerTiers.join(", ")} tier` : "no tier"})`, outside: false, tiers: peerTiers }];
            }),
        ];
        for (const source of sources) {
            for (const tier of targetTiers) {
                const fromTiersOk = source.tiers.length > 0 && source.tiers.every((t) => ACCEPTS[tier].from.includes(t));
                const metrics = tier === "app" && source.tiers.includes("monitoring");
                let ok = source.outside ? tier === "lb" && WORLD_PORTS.some((port) => isExactlyTcp(rule, port)) : fromTiersOk;
                if (ok && metrics) {
                    ok = rule.protocol === "tcp" && rule.fromPort === rule.toPort;
                    if (ok) metricsPorts.set(group, new Set([...(metricsPorts.get(group) ?? []), portLabel(rule)]));
                }
                if (ok) continue;
                report(
                    `path-${source.key}-${portKey(rule)}`,
                    `${group.name} (${tier} tier) accepts ${portLabel(rule)} from ${source.label}: the ${tier} tier accepts only ${ACCEPTS[tier].text}`,
                    group.urn,
                );
                break;
            }
        }
    }
    for (const [group, ports] of metricsPorts) {
        if (ports.size > 1) report("metrics-ports", `${group.name} (app tier) accepts the monitoring tier on ${ports.size} ports (${[...ports].join(", ")}): one metrics port only`, group.urn);
    }
}

export const S05 = stackRule(
    {
        id: "S05",
        slug: "internet-surface",
        requirement: "The only internet-facing entry points are CloudFront distributions and the public load balancer.",
        why: "Every other public address (Elastic IPs, public instances, databases, function URLs, default API endpoints) bypasses TLS termination, WAF and the checked paths.",
        anchors: ["design: seed 000 security checklist", "FSBP EC2.9", "FSBP EC2.12"],
        level: "M",
        severity: "high",
        remediation: "Remove the public address, or put the service behind the load balancer or CloudFront.",
    },
    (resources, report) => {
        for (const point of internetSurface(resources).filter((p) => !p.allowed)) {
            report("public", `${point.resource.name} is internet-facing: ${point.what}`, point.resource.urn);
        }
    },
);

/** The description the provider fills in for a security group without one: no description at all. */
const DEFAULT_SG_DESCRIPTION = "Managed by Pulumi";

const describes = (v: unknown) => isPresent(v) && v !== DEFAULT_SG_DESCRIPTION;

export const R69 = resourceRule(
    {
        id: "R69",
        slug: "security-group-descriptions",
        requirement: "Every security group and every security group rule (inline, aws.ec2.SecurityGroupRule, aws.vpc ingress/egress rules) has a description.",
        why: "A reviewer (or incident responder) who cannot tell why a group or an opening exists can neither judge a pull request that widens it nor safely close it.",
        anchors: ["cdk-nag EC27", "Pulumi aws-ec2-securitygroup-missing-description", "Pulumi aws-ec2-securitygroup-missing-ingress-rule-description", "Pulumi aws-ec2-securitygroup-missing-egress-rule-description"],
        level: "M",
        severity: "low",
        remediation: 'Set description on the aws.ec2.SecurityGroup (not the provider\'s "Managed by Pulumi") and on every ingress/egress entry or rule resource, saying who talks to whom and why.',
    },
    [...T.securityGroup, ...T.ingressRule, ...T.egressRule, ...T.sgRule],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.securityGroup)) {
            const description = known(props, "description");
            if (!describes(description)) {
                report("description", `security group has no description (${description === undefined ? "unset, the provider writes \"Managed by Pulumi\"" : JSON.stringify(description)})`);
            }
            for (const direction of ["ingress", "egress"] as const) {
                knownItems(known(props, direction)).forEach((entry, i) => {
                    if (entry === UNKNOWN_VALUE || describes(known(entry, "description"))) return;
                    report(`${direction}-${i + 1}-description`, `inline ${direction} rule ${i + 1} has no description`);
                });
            }
            return;
        }
        if (!describes(known(props, "description"))) {
            const direction = isOneOf(subject.type, T.egressRule) || props.type === "egress" ? "egress" : "ingress";
            report("description", `${direction} rule has no description`);
        }
    },
);

/** Ports FSBP EC2.21 guards: SSH and RDP. */
const ADMIN_PORTS = [22, 3389];

/** Whether a network ACL entry's protocol and port range take in `port` (TCP or UDP; `-1`/`all` is every protocol and port). */
function aclCovers(protocol: unknown, fromPort: unknown, toPort: unknown, port: number): boolean {
    const p = String(protocol ?? "").toLowerCase();
    if (p === "-1" || p === "all") return true;
    if (!["tcp", "6", "udp", "17"].includes(p)) return false;
    const from = Number(fromPort);
    const to = Number(toPort);
    return Number.isFinite(from) && Number.isFinite(to) && from <= port && port <= to;
}

export const R70 = resourceRule(
    {
        id: "R70",
        slug: "nacl-no-admin-port-world-ingress",
        requirement: "No network ACL ingress entry (inline on aws.ec2.NetworkAcl / DefaultNetworkAcl, or an aws.ec2.NetworkAclRule) allows 0.0.0.0/0 or ::/0 to port 22 or 3389.",
        why: "SSH and RDP open to the internet at the subnet boundary leave a single security group rule between the world and every host's login service; entries are judged on their own, as FSBP EC2.21 does, so a deny placed earlier does not excuse a broad allow.",
        anchors: ["FSBP EC2.21"],
        level: "M",
        severity: "high",
        remediation: "Narrow the allow entries to the ports the subnet serves (443, 80, and return traffic on ephemeral ranges that skip 22 and 3389, e.g. 1024-3388 and 3390-65535), or to known CIDRs; reach hosts through SSM Session Manager.",
    },
    [...T.networkAcl, ...T.networkAclRule],
    (props, subject, report) => {
        type Entry = { action: unknown; cidrs: unknown[]; protocol: unknown; fromPort: unknown; toPort: unknown; label: string };
        const entries: Entry[] = isOneOf(subject.type, T.networkAclRule)
            ? isTrue(props.egress)
                ? []
                : [{ action: props.ruleAction, cidrs: [known(props, "cidrBlock"), known(props, "ipv6CidrBlock")], protocol: props.protocol, fromPort: props.fromPort, toPort: props.toPort, label: `rule ${String(props.ruleNumber)}` }]
            : asArray(props.ingress as Record<string, unknown>[] | undefined).map((e) => ({
                  action: e.action,
                  cidrs: [known(e, "cidrBlock"), known(e, "ipv6CidrBlock")],
                  protocol: e.protocol,
                  fromPort: e.fromPort,
                  toPort: e.toPort,
                  label: `ingress entry ${String(e.ruleNo)}`,
              }));
        for (const e of entries) {
            if (String(e.action).toLowerCase() !== "allow") continue;
            const world = e.cidrs.filter((c): c is string => typeof c === "string" && WORLD.includes(c));
            for (const port of ADMIN_PORTS.filter((p) => aclCovers(e.protocol, e.fromPort, e.toPort, p))) {
                for (const cidr of world) report(`world-${port}-${e.label.split(" ").pop()}${cidr.includes(":") ? "-ipv6" : ""}`, `${e.label} allows ${cidr} to port ${port}`);
            }
        }
    },
);

export const NETWORK_RULES = [R26, R27, R28, R29, R30, S02, S03, S04, S05, R69, R70];
