import { attachments, dependenciesOf, handles, isInternetFacingLb, ofTypes, programValue, referenced, refersTo, resolveAll, setByProgram, type Node } from "../lib/graph";
import { ingressRules, internetSurface, peersOf, roleOf } from "../lib/reachability";
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
        anchors: ["FSBP EC2.18", "FSBP EC2.19", "cdk-nag EC23", "CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260"],
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
        anchors: ["cdk-nag RDS8 (derived)", "FSBP EC2.18 (derived)"],
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
        requirement: "Only the public load balancer's group is world-open; data stores accept only the app and proxy tiers.",
        why: "Traffic must flow only along the designed paths: internet -> load balancer -> app -> proxy/cache -> database.",
        anchors: ["FSBP EC2.18 (derived)", "design: components/vpc.ts trafficPaths"],
        level: "M",
        severity: "critical",
        remediation: "Attach world-open groups only to internet-facing load balancers; let data-tier groups reference only app or proxy groups.",
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
                }
            }
        }
    },
);

export const S05 = stackRule(
    {
        id: "S05",
        slug: "internet-surface",
        requirement: "The only internet-facing entry points are CloudFront distributions and the public load balancer.",
        why: "Every other public address (Elastic IPs, public instances, databases, function URLs, default API endpoints) bypasses TLS termination, WAF and the checked paths.",
        anchors: ["design: seed 000 security checklist"],
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

export const NETWORK_RULES = [R26, R27, R28, R29, R30, S02, S03, S04, S05];
