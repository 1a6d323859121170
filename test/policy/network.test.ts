import * as assert from "assert/strict";
import { NETWORK_RULES, R26, R27, R28, R29, R30, R69, R70, S02, S03, S04, S05 } from "../../policy/rules/network";
import { DEFAULT_PORTS, trafficPaths } from "../../components/vpc";
import { findings, mutate, verdictOf, type Fixture, UNKNOWN } from "../helpers/policy";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";

const httpsFromWorld: Fixture = {
    type: INGRESS,
    name: "lb-https",
    props: { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS from clients" },
};
const group = (name: string, id: string, extra: Record<string, unknown> = {}): Fixture => ({ type: SG, name, props: { id, vpcId: "vpc-1", ...extra } });
const fromGroup = (name: string, to: string, from: string, port: number): Fixture => ({
    type: INGRESS,
    name,
    props: { securityGroupId: to, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: from },
});

describe("network rules", () => {
    describe("R26 world ingress only on 443/80", () => {
        it("passes HTTPS and HTTP from the world, and anything from a group", async () => {
            const http = mutate(httpsFromWorld, { fromPort: 80, toPort: 80 });
            const inline = group("lb", "sg-lb", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }] });
            const ruleForm: Fixture = { type: "aws:ec2/securityGroupRule:SecurityGroupRule", name: "app-in", props: { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, sourceSecurityGroupId: "sg-bastion", securityGroupId: "sg-app" } };
            assert.deepEqual(await findings(R26, [httpsFromWorld, { ...http, name: "lb-http" }, inline, ruleForm]), []);
        });

        it("reports SSH from the world on a rule resource", async () => {
            assert.deepEqual(await findings(R26, [mutate(httpsFromWorld, { fromPort: 22, toPort: 22 })]), [
                "lb-https: ingress tcp/22 from 0.0.0.0/0: only TCP 443 and 80 may be open to the internet [finding world-tcp-22]",
            ]);
        });

        it("reports all traffic from ::/0 on an inline rule, once per world CIDR", async () => {
            const open = group("open", "sg-open", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }] });
            assert.deepEqual(await findings(R26, [open]), [
                "open: ingress all traffic from 0.0.0.0/0: only TCP 443 and 80 may be open to the internet [finding world-all]",
                "open: ingress all traffic from ::/0: only TCP 443 and 80 may be open to the internet [finding world-all]",
            ]);
        });

        it("reports a port range that includes 443 on the aws.ec2.SecurityGroupRule form, and ignores egress", async () => {
            const range: Fixture = { type: "aws:ec2/securityGroupRule:SecurityGroupRule", name: "wide", props: { type: "ingress", protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-x" } };
            const egress = mutate(range, { type: "egress" });
            assert.deepEqual(await findings(R26, [range, { ...egress, name: "out" }]), [
                "wide: ingress tcp/0-65535 from 0.0.0.0/0: only TCP 443 and 80 may be open to the internet [finding world-tcp-0-65535]",
            ]);
        });
    });

    describe("R27 data groups accept only groups on the engine port", () => {
        const db = group("db", "sg-db");
        const rds: Fixture = { type: "aws:rds/instance:Instance", name: "postgres", props: { id: "db-1", engine: "postgres", vpcSecurityGroupIds: ["sg-db"] } };
        const fromApp = fromGroup("db-from-app", "sg-db", "sg-app", 5432);

        it("passes the app group on 5432, and ignores groups of other tiers", async () => {
            assert.deepEqual(await findings(R27, [db, rds, fromApp, group("web", "sg-web"), mutate(httpsFromWorld, { securityGroupId: "sg-web" })]), []);
        });

        it("reports a CIDR source", async () => {
            const cidr = mutate(fromApp, { referencedSecurityGroupId: undefined, cidrIpv4: "10.0.0.0/16" });
            assert.deepEqual(await findings(R27, [db, rds, cidr]), ["db: data-tier group db accepts tcp/5432 from CIDR 10.0.0.0/16 [finding cidr-10.0.0.0/16]"]);
        });

        it("reports a port other than the engine's, including the Redis default for a cache", async () => {
            const cache: Fixture = { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "redis", props: { id: "rg-1", securityGroupIds: ["sg-cache"] } };
            assert.deepEqual(await findings(R27, [group("cache", "sg-cache"), cache, fromGroup("cache-wide", "sg-cache", "sg-app", 5432)]), [
                "cache: data-tier group cache opens tcp/5432; only the engine port (tcp/6379) is allowed [finding port-tcp-5432]",
            ]);
        });

        it("reads inline rules and prefix lists", async () => {
            const inline = group("db", "sg-db", { ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, prefixListIds: ["pl-123"] }] });
            assert.deepEqual(await findings(R27, [inline, rds]), ["db: data-tier group db accepts tcp/5432 from prefix list pl-123 [finding prefix-list-pl-123]"]);
        });
    });

    describe("R28 closed default security group", () => {
        const dflt: Fixture = { type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", name: "default", props: { vpcId: "vpc-1" } };
        it("passes a default group with no rules", async () => {
            assert.deepEqual(await findings(R28, [dflt]), []);
        });
        it("reports each rule on the default group", async () => {
            const open = mutate(dflt, { ingress: [{ protocol: "-1", self: true, fromPort: 0, toPort: 0 }], egress: [{ protocol: "-1", cidrBlocks: ["0.0.0.0/0"], fromPort: 0, toPort: 0 }] });
            assert.deepEqual(await findings(R28, [open]), [
                "default: the default security group has an egress rule (all traffic) [finding egress-all]",
                "default: the default security group has an ingress rule (all traffic) [finding ingress-all]",
            ]);
        });
    });

    describe("R29 flow logs of ALL traffic", () => {
        const flow: Fixture = { type: "aws:ec2/flowLog:FlowLog", name: "flow", props: { vpcId: "vpc-1", trafficType: "ALL", logDestination: "arn:aws:logs:us-east-1:1:log-group:f" } };
        it("passes ALL traffic into a destination", async () => {
            assert.deepEqual(await findings(R29, [flow]), []);
        });
        it("reports rejected-only traffic and a missing destination", async () => {
            assert.deepEqual(await findings(R29, [mutate(flow, { trafficType: "REJECT", logDestination: undefined })]), [
                "flow: flow log captures \"REJECT\" traffic, not ALL [finding traffic-type]",
                "flow: flow log has no destination [finding destination]",
            ]);
        });
    });

    describe("R30 subnets without public IPs", () => {
        const subnet: Fixture = { type: "aws:ec2/subnet:Subnet", name: "public-0", props: { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: false } };
        it("passes a subnet that assigns none", async () => {
            assert.deepEqual(await findings(R30, [subnet, mutate({ ...subnet, name: "unset" }, { mapPublicIpOnLaunch: undefined })]), []);
        });
        it("reports auto-assigned public IPs", async () => {
            assert.deepEqual(await findings(R30, [mutate(subnet, { mapPublicIpOnLaunch: true })]), [
                "public-0: subnet auto-assigns public IPs (mapPublicIpOnLaunch is true) [finding map-public-ip]",
            ]);
        });
    });

    describe("S02 every VPC logged and closed", () => {
        const vpc: Fixture = { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { id: "vpc-1", arn: "arn:aws:ec2:us-east-1:1:vpc/vpc-1" } };
        const flow: Fixture = { type: "aws:ec2/flowLog:FlowLog", name: "flow", props: { vpcId: "vpc-1", trafficType: "ALL" } };
        const dflt: Fixture = { type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", name: "default", props: { vpcId: "vpc-1" } };
        it("passes a VPC with both", async () => {
            assert.deepEqual(await findings(S02, [vpc, flow, dflt]), []);
        });
        it("reports a VPC with neither, and a flow log of accepted traffic only", async () => {
            assert.deepEqual(await findings(S02, [vpc, mutate(flow, { trafficType: "ACCEPT" })]), [
                "vpc: VPC vpc has no flow log of ALL traffic [finding flow-log]",
                "vpc: VPC vpc's default security group is not managed (its default rules stay) [finding default-security-group]",
            ]);
        });
    });

    describe("S03 private placement", () => {
        const base: Fixture[] = [
            { type: "aws:ec2/internetGateway:InternetGateway", name: "igw", props: { id: "igw-1" } },
            { type: "aws:ec2/subnet:Subnet", name: "isolated-0", props: { id: "subnet-iso0" } },
            { type: "aws:ec2/subnet:Subnet", name: "public-0", props: { id: "subnet-pub0" } },
            { type: "aws:ec2/routeTable:RouteTable", name: "isolated", props: { id: "rtb-iso" } },
            { type: "aws:ec2/routeTable:RouteTable", name: "public", props: { id: "rtb-pub" } },
            { type: "aws:ec2/route:Route", name: "public-internet", props: { routeTableId: "rtb-pub", destinationCidrBlock: "0.0.0.0/0", gatewayId: "igw-1" } },
            { type: "aws:ec2/routeTableAssociation:RouteTableAssociation", name: "a-iso", props: { subnetId: "subnet-iso0", routeTableId: "rtb-iso" } },
            { type: "aws:ec2/routeTableAssociation:RouteTableAssociation", name: "a-pub", props: { subnetId: "subnet-pub0", routeTableId: "rtb-pub" } },
        ];
        const subnetGroup = (ids: string[]): Fixture => ({ type: "aws:rds/subnetGroup:SubnetGroup", name: "db-subnets", props: { id: "db-subnets", name: "db-subnets", subnetIds: ids } });
        const rds: Fixture = { type: "aws:rds/instance:Instance", name: "postgres", props: { dbSubnetGroupName: "db-subnets" } };

        it("passes a database in isolated subnets", async () => {
            assert.deepEqual(await findings(S03, [...base, subnetGroup(["subnet-iso0"]), rds]), []);
        });
        it("reports a database in a subnet routed to the internet gateway, and an ECS service in an unassociated subnet", async () => {
            const ecs: Fixture = { type: "aws:ecs/service:Service", name: "api", props: { networkConfiguration: { subnets: ["subnet-lost"] } } };
            assert.deepEqual(await findings(S03, [...base, subnetGroup(["subnet-iso0", "subnet-pub0"]), rds, ecs]), [
                "api: api uses subnet subnet-lost, which has no explicit route table (the VPC main table may route to the internet) [finding subnet-subnet-lost]",
                "postgres: postgres uses subnet public-0, whose route table public routes to an internet gateway [finding subnet-public-0]",
            ]);
        });
        it("reads inline routes and reports a placement it cannot check", async () => {
            const inlineTable = { ...base[3], props: { id: "rtb-iso", routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }] } };
            const proxy: Fixture = { type: "aws:rds/proxy:Proxy", name: "proxy", props: {} };
            assert.deepEqual(await findings(S03, [...base.filter((f) => f.name !== "isolated"), inlineTable, subnetGroup(["subnet-iso0"]), rds, proxy]), [
                "postgres: postgres uses subnet isolated-0, whose route table isolated routes to an internet gateway [finding subnet-isolated-0]",
                "proxy: proxy has no subnets the policy can check [finding no-subnets]",
            ]);
        });
    });

    describe("S04 traffic paths", () => {
        const lbGroup = group("lb", "sg-lb");
        const appGroup = group("app", "sg-app");
        const dbGroup = group("db", "sg-db");
        const lb: Fixture = { type: "aws:lb/loadBalancer:LoadBalancer", name: "alb", props: { internal: false, securityGroups: ["sg-lb"] } };
        const service: Fixture = { type: "aws:ecs/service:Service", name: "api", props: { networkConfiguration: { securityGroups: ["sg-app"] } } };
        const rds: Fixture = { type: "aws:rds/instance:Instance", name: "postgres", props: { vpcSecurityGroupIds: ["sg-db"] } };
        const proxyGroup = group("proxy", "sg-proxy");
        const rdsProxy: Fixture = { type: "aws:rds/proxy:Proxy", name: "pgproxy", props: { engineFamily: "POSTGRESQL", vpcSecurityGroupIds: ["sg-proxy"] } };
        const designed = [
            lbGroup,
            appGroup,
            dbGroup,
            proxyGroup,
            lb,
            service,
            rds,
            rdsProxy,
            httpsFromWorld,
            fromGroup("app-from-lb", "sg-app", "sg-lb", 8080),
            fromGroup("proxy-from-app", "sg-proxy", "sg-app", 5432),
            fromGroup("db-from-proxy", "sg-db", "sg-proxy", 5432),
        ];

        it("passes the designed paths", async () => {
            assert.deepEqual(await findings(S04, designed), []);
        });
        it("reports a world-open group on the ECS service and a database reachable from the load balancer's group", async () => {
            const exposed = mutate(service, { networkConfiguration: { securityGroups: ["sg-app", "sg-lb"] } });
            const shortcut = fromGroup("db-from-lb", "sg-db", "sg-lb", 5432);
            assert.deepEqual(await findings(S04, [...designed.filter((f) => f !== service), exposed, shortcut]), [
                "app: app (app tier) accepts tcp/8080 from lb (lb, app tier): the app tier accepts only the lb tier, and the monitoring tier on one metrics port [finding path-lb-tcp-8080]",
                "db: data-tier group db accepts tcp/5432 from lb, an internet-facing group [finding source-lb]",
                "lb: lb (app tier) accepts tcp/443 from internet (0.0.0.0/0): the app tier accepts only the lb tier, and the monitoring tier on one metrics port [finding path-0.0.0.0/0-tcp-443]",
                "lb: security group lb serves several tiers (lb, app): each tier needs its own group [finding tiers]",
                "lb: world-open group lb is attached to api (aws:ecs/service:Service), not an internet-facing load balancer [finding world-open-api]",
            ]);
        });
        it("treats an internal load balancer as not internet-facing", async () => {
            assert.deepEqual(await findings(S04, [...designed.filter((f) => f !== lb), mutate(lb, { internal: true })]), [
                "app: app (app tier) accepts tcp/8080 from lb (no tier): the app tier accepts only the lb tier, and the monitoring tier on one metrics port [finding path-lb-tcp-8080]",
                "lb: world-open group lb is attached to alb (aws:lb/loadBalancer:LoadBalancer), not an internet-facing load balancer [finding world-open-alb]",
            ]);
        });
    });

    describe("S04 path graph of the seven tiers", () => {
        const tagged = (tier: string) => ({ tags: { Name: `network-${tier}` } });
        const groups = ["lb", "app", "proxy", "database", "cache", "monitoring", "rotation"].map((t) => group(`network-${t}`, `sg-${t}`, tagged(t)));
        const alb: Fixture = { type: "aws:alb/loadBalancer:LoadBalancer", name: "api-alb", props: { securityGroups: ["sg-lb"] } };
        const api: Fixture = { type: "aws:ecs/service:Service", name: "api", props: { networkConfiguration: { securityGroups: ["sg-app"] } } };
        const hosts: Fixture = { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "api-hosts", props: { vpcSecurityGroupIds: ["sg-app"] } };
        const proxy: Fixture = { type: "aws:rds/proxy:Proxy", name: "api-proxy", props: { engineFamily: "POSTGRESQL", vpcSecurityGroupIds: ["sg-proxy"] } };
        const db: Fixture = { type: "aws:rds/cluster:Cluster", name: "api-db", props: { engine: "aurora-postgresql", vpcSecurityGroupIds: ["sg-database"] } };
        const redis: Fixture = { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "api-cache", props: { securityGroupIds: ["sg-cache"] } };
        const prometheus: Fixture = { type: "aws:ecs/service:Service", name: "prometheus", props: { networkConfiguration: { securityGroups: ["sg-monitoring"] } } };
        const world = (name: string, port: number): Fixture => ({ type: INGRESS, name, props: { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0" } });
        const attached = [alb, api, hosts, proxy, db, redis, prometheus];
        const paths = [
            world("in-internet-https", 443),
            world("in-internet-http", 80),
            fromGroup("in-lb-app", "sg-app", "sg-lb", 8080),
            fromGroup("in-monitoring-app", "sg-app", "sg-monitoring", 9090),
            fromGroup("in-app-proxy", "sg-proxy", "sg-app", 5432),
            fromGroup("in-proxy-database", "sg-database", "sg-proxy", 5432),
            fromGroup("in-app-cache", "sg-cache", "sg-app", 6379),
        ];
        const design = [...groups, ...attached, ...paths];

        it("passes the Vpc's paths with every tier attached (Prometheus on ECS, in the group tagged monitoring)", async () => {
            assert.deepEqual(await findings(S04, design), []);
        });

        it("passes every ingress path of the Vpc's trafficPaths (the design the rule encodes), with or without the HTTP redirect", async () => {
            for (const redirect of [true, false]) {
                const fromDesign = trafficPaths(DEFAULT_PORTS, redirect)
                    .filter((p) => p.to !== "internet")
                    .map((p): Fixture => {
                        const source = p.from === "internet" ? { cidrIpv4: "0.0.0.0/0" } : { referencedSecurityGroupId: `sg-${p.from}` };
                        return { type: INGRESS, name: `in-${p.id}`, props: { securityGroupId: `sg-${p.to}`, ipProtocol: "tcp", fromPort: p.port, toPort: p.port, ...source } };
                    });
                assert.deepEqual(await findings(S04, [...groups, ...attached, ...fromDesign]), []);
            }
        });

        it("does not judge groups attached to nothing yet, whatever their rules", async () => {
            const untiered = groups.map((g) => mutate(g, { tags: undefined }));
            assert.deepEqual(await findings(S04, [...untiered, ...paths, fromGroup("in-lb-database", "sg-database", "sg-lb", 5432), world("in-ssh", 22)]), []);
        });

        it("opens no path from a group attached to nothing yet; a group placed only in other resources has no tier", async () => {
            const graph = [...groups, db, fromGroup("in-app-database", "sg-database", "sg-app", 5432)];
            assert.deepEqual(await findings(S04, graph), []);
            const endpoint: Fixture = { type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "ssm", props: { vpcEndpointType: "Interface", securityGroupIds: ["sg-app"] } };
            assert.deepEqual(await findings(S04, [...graph, endpoint]), [
                "network-database: network-database (database tier) accepts tcp/5432 from network-app (no tier): the database tier accepts only the proxy tier and the rotation tier (the Secrets Manager rotation function) [finding path-network-app-tcp-5432]",
            ]);
        });

        it("reports every extra ingress path, naming from, to and port", async () => {
            const extra = [
                fromGroup("in-app-database", "sg-database", "sg-app", 5432),
                fromGroup("in-cache-app", "sg-app", "sg-cache", 8080),
                fromGroup("in-app-lb", "sg-lb", "sg-app", 443),
                fromGroup("in-lb-monitoring", "sg-monitoring", "sg-lb", 9090),
                fromGroup("in-foreign-proxy", "sg-proxy", "sg-0123456789abcdef0", 5432),
                world("in-ssh", 22),
                { type: INGRESS, name: "in-office-cache", props: { securityGroupId: "sg-cache", ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "10.0.0.0/8" } },
                { type: INGRESS, name: "in-world-db", props: { securityGroupId: "sg-database", ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv6: "::/0" } },
                { type: INGRESS, name: "in-pl-app", props: { securityGroupId: "sg-app", ipProtocol: "tcp", fromPort: 8080, toPort: 8080, prefixListId: "pl-123" } },
                { type: INGRESS, name: "in-cdn-lb", props: { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-cloudfront" } },
            ];
            const selfish = mutate(groups[4], { ingress: [{ protocol: "tcp", fromPort: 6379, toPort: 6379, self: true }] });
            assert.deepEqual(await findings(S04, [...design.filter((f) => f !== groups[4]), selfish, ...extra]), [
                "network-app: network-app (app tier) accepts tcp/8080 from network-cache (cache tier): the app tier accepts only the lb tier, and the monitoring tier on one metrics port [finding path-network-cache-tcp-8080]",
                "network-app: network-app (app tier) accepts tcp/8080 from prefix list pl-123: the app tier accepts only the lb tier, and the monitoring tier on one metrics port [finding path-prefix-list-pl-123-tcp-8080]",
                "network-cache: network-cache (cache tier) accepts tcp/6379 from CIDR 10.0.0.0/8: the cache tier accepts only the app tier [finding path-10.0.0.0/8-tcp-6379]",
                "network-cache: network-cache (cache tier) accepts tcp/6379 from network-cache itself (self): the cache tier accepts only the app tier [finding path-self-tcp-6379]",
                "network-database: network-database (database tier) accepts tcp/5432 from internet (::/0): the database tier accepts only the proxy tier and the rotation tier (the Secrets Manager rotation function) [finding path-::/0-tcp-5432]",
                "network-database: network-database (database tier) accepts tcp/5432 from network-app (app tier): the database tier accepts only the proxy tier and the rotation tier (the Secrets Manager rotation function) [finding path-network-app-tcp-5432]",
                "network-database: world-open group network-database is attached to api-db (aws:rds/cluster:Cluster), not an internet-facing load balancer [finding world-open-api-db]",
                "network-lb: network-lb (lb tier) accepts tcp/22 from internet (0.0.0.0/0): the lb tier accepts only TCP 443 and 80 from outside the VPC (the internet, CIDRs or prefix lists) [finding path-0.0.0.0/0-tcp-22]",
                "network-lb: network-lb (lb tier) accepts tcp/443 from network-app (app tier): the lb tier accepts only TCP 443 and 80 from outside the VPC (the internet, CIDRs or prefix lists) [finding path-network-app-tcp-443]",
                "network-monitoring: network-monitoring (monitoring tier) accepts tcp/9090 from network-lb (lb tier): the monitoring tier accepts only no connections (it only scrapes) [finding path-network-lb-tcp-9090]",
                "network-proxy: network-proxy (proxy tier) accepts tcp/5432 from sg-0123456789abcdef0 (no tier): the proxy tier accepts only the app tier [finding path-sg-0123456789abcdef0-tcp-5432]",
            ]);
        });

        it("lets monitoring reach the app on one TCP port only", async () => {
            const range = { type: INGRESS, name: "in-monitoring-range", props: { securityGroupId: "sg-app", ipProtocol: "tcp", fromPort: 9000, toPort: 9100, referencedSecurityGroupId: "sg-monitoring" } };
            assert.deepEqual(await findings(S04, [...design, range, fromGroup("in-monitoring-node", "sg-app", "sg-monitoring", 9100)]), [
                "network-app: network-app (app tier) accepts tcp/9000-9100 from network-monitoring (monitoring tier): the app tier accepts only the lb tier, and the monitoring tier on one metrics port [finding path-network-monitoring-tcp-9000-9100]",
                "network-app: network-app (app tier) accepts the monitoring tier on 2 ports (tcp/9090, tcp/9100): one metrics port only [finding metrics-ports]",
            ]);
        });

        it("lets the rotation tier (known by its tag: its function lives in a CloudFormation stack) reach only the database, and accepts nothing into it", async () => {
            const rotationPath = fromGroup("in-rotation-database", "sg-database", "sg-rotation", 5432);
            assert.deepEqual(await findings(S04, [...design, rotationPath]), []);
            assert.deepEqual(await findings(S04, [...design, fromGroup("in-rotation-cache", "sg-cache", "sg-rotation", 6379), fromGroup("in-app-rotation", "sg-rotation", "sg-app", 443)]), [
                "network-cache: network-cache (cache tier) accepts tcp/6379 from network-rotation (rotation tier): the cache tier accepts only the app tier [finding path-network-rotation-tcp-6379]",
                "network-rotation: network-rotation (rotation tier) accepts tcp/443 from network-app (app tier): the rotation tier accepts only no connections (it only connects to the database) [finding path-network-app-tcp-443]",
            ]);
            // The app tier cannot borrow the path: the database still accepts only proxy and rotation.
            assert.deepEqual(await findings(S04, [...design, fromGroup("in-app-database", "sg-database", "sg-app", 5432)]), [
                "network-database: network-database (database tier) accepts tcp/5432 from network-app (app tier): the database tier accepts only the proxy tier and the rotation tier (the Secrets Manager rotation function) [finding path-network-app-tcp-5432]",
            ]);
        });

        it("reads the monitoring mark only to tighten: a marked group behind the load balancer accepts nothing", async () => {
            const marked = mutate(groups[1], { tags: { Tier: "monitoring" } });
            assert.deepEqual(await findings(S04, [...design.filter((f) => f !== groups[1]), marked]), [
                "network-app: network-app (monitoring tier) accepts tcp/8080 from network-lb (lb tier): the monitoring tier accepts only no connections (it only scrapes) [finding path-network-lb-tcp-8080]",
                "network-app: network-app (monitoring tier) accepts tcp/9090 from network-monitoring (monitoring tier): the monitoring tier accepts only no connections (it only scrapes) [finding path-network-monitoring-tcp-9090]",
                "network-cache: network-cache (cache tier) accepts tcp/6379 from network-app (monitoring tier): the cache tier accepts only the app tier [finding path-network-app-tcp-6379]",
                "network-proxy: network-proxy (proxy tier) accepts tcp/5432 from network-app (monitoring tier): the proxy tier accepts only the app tier [finding path-network-app-tcp-5432]",
            ]);
        });

        it("decides at preview: group ids unknown, attachments and rules resolved through property dependencies", async () => {
            const unknownIds = groups.map((g) => mutate(g, { id: UNKNOWN }));
            const dep = (f: Fixture, prop: string, names: string[], changes: Record<string, unknown>): Fixture => ({ ...mutate(f, changes), propertyDependencies: { ...f.propertyDependencies, [prop]: names } });
            const previewed = [
                dep(alb, "securityGroups", ["network-lb"], { securityGroups: [UNKNOWN] }),
                dep(api, "networkConfiguration", ["network-app"], { networkConfiguration: { securityGroups: [UNKNOWN] } }),
                dep(hosts, "vpcSecurityGroupIds", ["network-app"], { vpcSecurityGroupIds: [UNKNOWN] }),
                dep(proxy, "vpcSecurityGroupIds", ["network-proxy"], { vpcSecurityGroupIds: [UNKNOWN] }),
                dep(db, "vpcSecurityGroupIds", ["network-database"], { vpcSecurityGroupIds: [UNKNOWN] }),
                dep(redis, "securityGroupIds", ["network-cache"], { securityGroupIds: [UNKNOWN] }),
                dep(prometheus, "networkConfiguration", ["network-monitoring"], { networkConfiguration: { securityGroups: [UNKNOWN] } }),
            ];
            const rule = (f: Fixture): Fixture => {
                const to = `network-${String(f.props.securityGroupId).slice(3)}`;
                const from = typeof f.props.referencedSecurityGroupId === "string" ? `network-${f.props.referencedSecurityGroupId.slice(3)}` : undefined;
                const changed = mutate(f, { securityGroupId: UNKNOWN, ...(from ? { referencedSecurityGroupId: UNKNOWN } : {}) });
                return { ...changed, propertyDependencies: { securityGroupId: [to], ...(from ? { referencedSecurityGroupId: [from] } : {}) } };
            };
            assert.deepEqual(await findings(S04, [...unknownIds, ...previewed, ...paths.map(rule)]), []);
            assert.deepEqual(await findings(S04, [...unknownIds, ...previewed, ...paths.map(rule), rule(fromGroup("in-app-database", "sg-database", "sg-app", 5432))]), [
                "network-database: network-database (database tier) accepts tcp/5432 from network-app (app tier): the database tier accepts only the proxy tier and the rotation tier (the Secrets Manager rotation function) [finding path-network-app-tcp-5432]",
            ]);
        });
    });

    describe("S05 internet-facing surface", () => {
        const natEip: Fixture = { type: "aws:ec2/eip:Eip", name: "nat-0", props: { id: "eipalloc-1", allocationId: "eipalloc-1", domain: "vpc" } };
        const nat: Fixture = { type: "aws:ec2/natGateway:NatGateway", name: "nat-0-gw", props: { allocationId: "eipalloc-1" } };
        const cdn: Fixture = { type: "aws:cloudfront/distribution:Distribution", name: "site", props: {} };
        it("allows CloudFront, the public load balancer and NAT addresses", async () => {
            const lb: Fixture = { type: "aws:alb/loadBalancer:LoadBalancer", name: "alb", props: { internal: false } };
            assert.deepEqual(await findings(S05, [natEip, nat, cdn, lb]), []);
        });
        it("reports a free Elastic IP, a public instance and an unauthenticated function URL", async () => {
            const eip: Fixture = { type: "aws:ec2/eip:Eip", name: "bastion-ip", props: { id: "eipalloc-2", allocationId: "eipalloc-2", instance: "i-1" } };
            const vm: Fixture = { type: "aws:ec2/instance:Instance", name: "bastion", props: { associatePublicIpAddress: true } };
            const url: Fixture = { type: "aws:lambda/functionUrl:FunctionUrl", name: "hook", props: { authorizationType: "NONE" } };
            assert.deepEqual(await findings(S05, [natEip, nat, eip, vm, url]), [
                "bastion-ip: bastion-ip is internet-facing: Elastic IP not used by a NAT gateway [finding public]",
                "bastion: bastion is internet-facing: EC2 instance with a public IP [finding public]",
                "hook: hook is internet-facing: unauthenticated Lambda function URL [finding public]",
            ]);
        });
    });

    it("fails exactly the non-compliant resources of a mixed graph", async () => {
        const verdict = await verdictOf(NETWORK_RULES, [
            httpsFromWorld,
            mutate({ ...httpsFromWorld, name: "ssh" }, { fromPort: 22, toPort: 22 }),
            { type: "aws:ec2/subnet:Subnet", name: "ok-subnet", props: { mapPublicIpOnLaunch: false } },
            { type: "aws:ec2/subnet:Subnet", name: "public-subnet", props: { mapPublicIpOnLaunch: true } },
            { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { id: "vpc-1" } },
            { type: "aws:ec2/flowLog:FlowLog", name: "flow", props: { vpcId: "vpc-1", trafficType: "ALL", logDestination: "arn:x" } },
        ]);
        assert.deepEqual([...new Set(verdict.findings.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R26-world-ingress-https-only ssh",
            "R30-subnets-no-public-ips public-subnet",
            "S02-vpc-logged-and-closed vpc",
        ]);
    });

    describe("R69 security groups and their rules are described", () => {
        it("passes described groups, inline entries and rule resources (a description known only after deploy counts)", async () => {
            const described = group("app", "sg-app", { description: "API tasks", ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: ["sg-lb"], description: "from the load balancer" }] });
            const egress: Fixture = { type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", name: "app-out", props: { securityGroupId: "sg-app", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: UNKNOWN } };
            assert.deepEqual(await findings(R69, [described, mutate(httpsFromWorld, { description: "HTTPS from clients" }), egress]), []);
        });

        it("reports a group without a description (or the provider's default) and each undescribed rule in every form", async () => {
            const bare = group("bare", "sg-bare", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }], egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "" }] });
            const pulumiDefault = group("defaulted", "sg-d", { description: "Managed by Pulumi" });
            const legacy: Fixture = { type: "aws:ec2/securityGroupRule:SecurityGroupRule", name: "legacy-out", props: { type: "egress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-app" } };
            assert.deepEqual(await findings(R69, [bare, pulumiDefault, legacy, mutate(httpsFromWorld, { description: undefined })]), [
                "bare: inline egress rule 1 has no description [finding egress-1-description]",
                "bare: inline ingress rule 1 has no description [finding ingress-1-description]",
                'bare: security group has no description (unset, the provider writes "Managed by Pulumi") [finding description]',
                'defaulted: security group has no description ("Managed by Pulumi") [finding description]',
                "lb-https: ingress rule has no description [finding description]",
                "legacy-out: egress rule has no description [finding description]",
            ]);
        });
    });

    describe("R70 network ACLs keep SSH and RDP closed to the world", () => {
        const acl: Fixture = {
            type: "aws:ec2/networkAcl:NetworkAcl",
            name: "public-acl",
            props: {
                vpcId: "vpc-1",
                ingress: [
                    { ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0" },
                    { ruleNo: 110, action: "allow", protocol: "tcp", fromPort: 3390, toPort: 65535, cidrBlock: "0.0.0.0/0" },
                    { ruleNo: 120, action: "allow", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "10.0.0.0/8" },
                    { ruleNo: 130, action: "deny", protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlock: "::/0" },
                ],
                egress: [{ ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" }],
            },
        };

        it("passes world ingress on other ports, admin ports from private ranges, denies and egress", async () => {
            const egressRule: Fixture = { type: "aws:ec2/networkAclRule:NetworkAclRule", name: "out-ssh", props: { networkAclId: "acl-1", ruleNumber: 200, egress: true, ruleAction: "allow", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "0.0.0.0/0" } };
            assert.deepEqual(await findings(R70, [acl, egressRule]), []);
        });

        it("reports allow-all entries (inline, on the default ACL and as rule resources) and SSH/RDP ranges from 0.0.0.0/0 or ::/0", async () => {
            // An ephemeral range taking in 3389 is flagged even behind an earlier deny, as FSBP EC2.21 judges entries.
            const open = mutate(acl, {
                ingress: [
                    { ruleNo: 90, action: "deny", protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlock: "0.0.0.0/0" },
                    { ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0" },
                    { ruleNo: 110, action: "allow", protocol: "udp", fromPort: 1024, toPort: 65535, cidrBlock: "0.0.0.0/0" },
                ],
            });
            const defaultAcl: Fixture = { type: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", name: "default-acl", props: { defaultNetworkAclId: "acl-0", ingress: [{ ruleNo: 100, action: "allow", protocol: "6", fromPort: 3000, toPort: 3400, ipv6CidrBlock: "::/0" }] } };
            const rule: Fixture = { type: "aws:ec2/networkAclRule:NetworkAclRule", name: "in-ssh", props: { networkAclId: "acl-1", ruleNumber: 90, ruleAction: "allow", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "0.0.0.0/0" } };
            assert.deepEqual(await findings(R70, [open, defaultAcl, rule]), [
                "default-acl: ingress entry 100 allows ::/0 to port 3389 [finding world-3389-100-ipv6]",
                "in-ssh: rule 90 allows 0.0.0.0/0 to port 22 [finding world-22-90]",
                "public-acl: ingress entry 100 allows 0.0.0.0/0 to port 22 [finding world-22-100]",
                "public-acl: ingress entry 100 allows 0.0.0.0/0 to port 3389 [finding world-3389-100]",
                "public-acl: ingress entry 110 allows 0.0.0.0/0 to port 3389 [finding world-3389-110]",
            ]);
        });
    });
});
