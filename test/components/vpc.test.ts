import * as assert from "assert/strict";
import { CLOUDFRONT_ORIGIN_FACING, DEFAULT_PORTS, SECURITY_TIERS, Vpc, type VpcArgs } from "../../components/vpc";
import { CLOUDFRONT_ORIGIN_FACING as PREFIX_LISTS } from "../../policy/lib/aws-facts";
import { FUNCTIONS } from "../../tools/engine/functions";
import type { Graph, RecordedResource } from "../../tools/engine/graph";
import { T, named, ofType, planProgram, valueOf } from "../helpers/engine";

const TAGS = { Project: "webstack", Stack: "staging", Environment: "staging", Owner: "platform-team", CostCenter: "CC-1042" };
const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"];
const BASE: VpcArgs = { cidr: "10.20.0.0/16", zones: ZONES.slice(0, 2), natStrategy: "single", flowLogRetentionDays: 30, tags: TAGS };

/** Plans one Vpc; `azCount` is shorthand for the first zones of us-east-1. */
function planVpc({ azCount, ...args }: Partial<VpcArgs> & { azCount?: number } = {}): Promise<Graph> {
    return planProgram(() => new Vpc("net", { ...BASE, ...(azCount ? { zones: ZONES.slice(0, azCount) } : {}), ...args }));
}

/** Ids of the route tables by their logical name. */
function tableId(graph: Graph, name: string): string {
    return named(graph, T.routeTable, name).id as string;
}

function parseJson(value: unknown): Record<string, unknown> {
    assert.equal(typeof value, "string", "expected a JSON document string");
    return JSON.parse(value as string) as Record<string, unknown>;
}

describe("Vpc", () => {
    const layouts = [
        { natStrategy: "single", azCount: 2, nats: 1 },
        { natStrategy: "single", azCount: 3, nats: 1 },
        { natStrategy: "onePerAz", azCount: 2, nats: 2 },
        { natStrategy: "onePerAz", azCount: 3, nats: 3 },
        { natStrategy: "onePerAz", azCount: 6, nats: 6 },
    ] as const;
    for (const { natStrategy, azCount, nats } of layouts) {
        it(`creates exact counts for ${natStrategy} NAT across ${azCount} zones`, async () => {
            const g = await planVpc({ natStrategy, azCount });
            assert.equal(ofType(g, T.vpc).length, 1);
            assert.equal(ofType(g, T.subnet).length, 3 * azCount);
            assert.equal(ofType(g, T.routeTable).length, azCount + 2, "public + one private per zone + isolated");
            assert.equal(ofType(g, T.association).length, 3 * azCount);
            assert.equal(ofType(g, T.nat).length, nats);
            assert.equal(ofType(g, T.eip).length, nats);
            assert.equal(ofType(g, T.route).length, 1 + azCount, "public default route + one NAT route per private table");
            assert.equal(ofType(g, T.igw).length, 1);
            // NAT gateways sit in distinct zones' public subnets.
            const natSubnets = ofType(g, T.nat).map((n) => g.resources.find((r) => r.id === n.inputs.subnetId));
            assert.deepEqual(
                natSubnets.map((s) => s?.name),
                Array.from({ length: nats }, (_, i) => `net-public-${i}`),
            );
            assert.equal(new Set(natSubnets.map((s) => s?.inputs.availabilityZone)).size, nats);
        });
    }

    it("lays out subnets per tier and zone without public IPs", async () => {
        const g = await planVpc({ azCount: 3 });
        const subnets = Object.fromEntries(
            ofType(g, T.subnet).map((s) => [s.name, [s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.mapPublicIpOnLaunch]]),
        );
        assert.deepEqual(subnets, {
            "net-public-0": ["10.20.0.0/21", "us-east-1a", false],
            "net-public-1": ["10.20.8.0/21", "us-east-1b", false],
            "net-public-2": ["10.20.16.0/21", "us-east-1c", false],
            "net-private-0": ["10.20.64.0/21", "us-east-1a", false],
            "net-private-1": ["10.20.72.0/21", "us-east-1b", false],
            "net-private-2": ["10.20.80.0/21", "us-east-1c", false],
            "net-isolated-0": ["10.20.128.0/21", "us-east-1a", false],
            "net-isolated-1": ["10.20.136.0/21", "us-east-1b", false],
            "net-isolated-2": ["10.20.144.0/21", "us-east-1c", false],
        });
    });

    it("routes public subnets to the internet gateway, private ones only through NAT, isolated ones nowhere", async () => {
        const g = await planVpc({ natStrategy: "onePerAz", azCount: 2 });
        const igw = ofType(g, T.igw)[0].id;
        const natIds = ofType(g, T.nat).map((n) => n.id);
        const routesOf = (table: string) => ofType(g, T.route).filter((r) => r.inputs.routeTableId === tableId(g, table));
        const summary = (r: RecordedResource) => [r.inputs.destinationCidrBlock, r.inputs.gatewayId, r.inputs.natGatewayId];

        assert.deepEqual(routesOf("net-public").map(summary), [["0.0.0.0/0", igw, undefined]]);
        assert.deepEqual(routesOf("net-private-0").map(summary), [["0.0.0.0/0", undefined, natIds[0]]]);
        assert.deepEqual(routesOf("net-private-1").map(summary), [["0.0.0.0/0", undefined, natIds[1]]]);
        assert.deepEqual(routesOf("net-isolated"), []);
        for (const table of ofType(g, T.routeTable)) assert.equal(table.inputs.routes, undefined, "no inline routes");

        // Each subnet is associated with its tier's table.
        const assoc = Object.fromEntries(
            ofType(g, T.association).map((a) => [g.resources.find((r) => r.id === a.inputs.subnetId)?.name, g.resources.find((r) => r.id === a.inputs.routeTableId)?.name]),
        );
        assert.deepEqual(assoc, {
            "net-public-0": "net-public",
            "net-public-1": "net-public",
            "net-private-0": "net-private-0",
            "net-private-1": "net-private-1",
            "net-isolated-0": "net-isolated",
            "net-isolated-1": "net-isolated",
        });
    });

    it("shares the single NAT gateway between the zones' private tables", async () => {
        const g = await planVpc({ natStrategy: "single", azCount: 3 });
        const nat = ofType(g, T.nat)[0].id;
        const privateRoutes = ofType(g, T.route).filter((r) => r.name.startsWith("net-private-"));
        assert.deepEqual(privateRoutes.map((r) => r.inputs.natGatewayId), [nat, nat, nat]);
    });

    it("attaches S3 and DynamoDB gateway endpoints to the private and isolated tables", async () => {
        const g = await planVpc({ azCount: 2 });
        const expectedTables = ["net-private-0", "net-private-1", "net-isolated"].map((n) => tableId(g, n));
        const endpoints = ofType(g, T.endpoint).map((e) => [e.name, e.inputs.serviceName, e.inputs.vpcEndpointType, e.inputs.routeTableIds]);
        assert.deepEqual(endpoints.sort(), [
            ["net-dynamodb", "com.amazonaws.us-east-1.dynamodb", "Gateway", expectedTables],
            ["net-s3", "com.amazonaws.us-east-1.s3", "Gateway", expectedTables],
        ]);
    });

    it("logs ALL traffic to a retained, KMS-encrypted group through a role scoped to that group", async () => {
        const g = await planVpc({ flowLogRetentionDays: 90 });
        const [flowLog] = ofType(g, T.flowLog);
        const [group] = ofType(g, T.logGroup);
        const [key] = ofType(g, T.kmsKey);
        const [role] = ofType(g, T.role);
        assert.equal(ofType(g, T.flowLog).length, 1);
        assert.equal(flowLog.inputs.vpcId, ofType(g, T.vpc)[0].id);
        assert.equal(flowLog.inputs.trafficType, "ALL");
        assert.equal(flowLog.inputs.logDestinationType, "cloud-watch-logs");
        assert.equal(flowLog.inputs.logDestination, group.outputs.arn);
        assert.equal(flowLog.inputs.iamRoleArn, role.outputs.arn);
        assert.equal(group.inputs.retentionInDays, 90);
        assert.equal(group.inputs.kmsKeyId, key.outputs.arn);
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.equal(key.inputs.deletionWindowInDays, 30);

        const trust = parseJson(role.inputs.assumeRolePolicy);
        assert.deepEqual(trust.Statement, [
            {
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": "123456789012" },
                    ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*" },
                },
            },
        ]);
        const policy = parseJson(ofType(g, T.rolePolicy)[0].inputs.policy);
        assert.deepEqual(policy.Statement, [
            {
                Sid: "WriteFlowLogGroup",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [group.outputs.arn, `${group.outputs.arn}:*`],
            },
            { Sid: "FindFlowLogGroup", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: ["arn:aws:logs:us-east-1:123456789012:log-group:*"] },
        ]);
        // The flow log starts only once its role may write.
        assert.ok(flowLog.dependencies.includes(ofType(g, T.rolePolicy)[0].urn), "the flow log depends on the role policy");
        const keyPolicy = parseJson(key.inputs.policy) as { Statement: { Sid: string; Principal: unknown; Action: string[] }[] };
        assert.deepEqual(
            keyPolicy.Statement.map((s) => [s.Sid, s.Principal]),
            [
                ["AccountAdministers", { AWS: "arn:aws:iam::123456789012:root" }],
                ["CloudWatchLogsEncrypts", { Service: "logs.us-east-1.amazonaws.com" }],
            ],
        );
        assert.ok(keyPolicy.Statement.every((s) => !s.Action.includes("kms:*")), "no kms:* in the key policy");
    });

    it("writes the flow log role's policy before deploy exactly as after it (the group's ARN is built from its name)", async () => {
        const policyOf = (g: Graph) => ofType(g, T.rolePolicy)[0].inputs.policy;
        const deployed = await planVpc();
        const previewed = await planProgram(() => new Vpc("net", BASE), "staging", { preview: true });
        assert.equal(typeof policyOf(previewed), "string");
        assert.equal(policyOf(previewed), policyOf(deployed));
        assert.match(String(policyOf(previewed)), /"arn:aws:logs:us-east-1:123456789012:log-group:net-flow-logs-[0-9a-f]{7}"/);
    });

    it("protects the flow log group and its key from deletion only when asked", async () => {
        const options = async (args: Partial<VpcArgs>) => {
            const g = await planVpc(args);
            return [T.kmsKey, T.logGroup].map((type) => ofType(g, type)[0]).map((r) => [r.type, r.protect, r.retainOnDelete]);
        };
        assert.deepEqual(await options({}), [
            [T.kmsKey, false, false],
            [T.logGroup, false, false],
        ]);
        assert.deepEqual(await options({ protect: true }), [
            [T.kmsKey, true, true],
            [T.logGroup, true, true],
        ]);
    });

    it("can leave the flow log group on CloudWatch's own encryption", async () => {
        const g = await planVpc({ encryptFlowLogs: false });
        assert.equal(ofType(g, T.kmsKey).length, 0);
        assert.equal(ofType(g, T.logGroup)[0].inputs.kmsKeyId, undefined);
    });

    it("takes the default security group under management with no rules", async () => {
        const g = await planVpc();
        const [dflt] = ofType(g, T.defaultSg);
        assert.equal(ofType(g, T.defaultSg).length, 1);
        assert.equal(dflt.inputs.vpcId, ofType(g, T.vpc)[0].id);
        assert.equal(dflt.inputs.ingress, undefined);
        assert.equal(dflt.inputs.egress, undefined);
    });

    /** Every rule as `direction group port peer`, peers named by group. */
    function ruleGraph(g: Graph): string[] {
        const groupName = (id: unknown) => g.resources.find((r) => r.id === id && r.type === T.sg)?.name.replace("net-", "");
        const rules = [...ofType(g, T.ingress).map((r) => ["in", r] as const), ...ofType(g, T.egress).map((r) => ["out", r] as const)];
        return rules
            .map(([dir, r]) => {
                assert.equal(r.inputs.ipProtocol, "tcp");
                assert.equal(r.inputs.fromPort, r.inputs.toPort, "single-port rules only");
                const peer = r.inputs.cidrIpv4 ?? r.inputs.prefixListId ?? groupName(r.inputs.referencedSecurityGroupId);
                return `${dir} ${groupName(r.inputs.securityGroupId)} ${r.inputs.fromPort} ${peer}`;
            })
            .sort();
    }

    /** CloudFront's origin-facing prefix list in the test region (the engine answers getManagedPrefixList with AWS's id). */
    const CLOUDFRONT_PREFIX_LIST = PREFIX_LISTS["us-east-1"];

    it("allows exactly the designed paths between the tier security groups, the load balancer only from CloudFront by default", async () => {
        const g = await planVpc();
        assert.deepEqual(
            ofType(g, T.sg).map((s) => s.name).sort(),
            SECURITY_TIERS.map((t) => `net-${t}`).sort(),
        );
        for (const sg of ofType(g, T.sg)) {
            assert.equal(sg.inputs.ingress, undefined, `${sg.name} has no inline ingress`);
            assert.equal(sg.inputs.egress, undefined, `${sg.name} has no inline egress`);
        }
        // The origin-facing list counts as 55 rules of the group's 60: one rule, on 443 (no port 80 to redirect).
        assert.deepEqual(ruleGraph(g), [
            "in app 8080 lb",
            "in app 9090 monitoring",
            "in cache 6379 app",
            "in database 5432 proxy",
            "in database 5432 rotation",
            `in lb 443 ${CLOUDFRONT_PREFIX_LIST}`,
            "in proxy 5432 app",
            "out app 443 0.0.0.0/0",
            "out app 5432 proxy",
            "out app 6379 cache",
            "out hosts 443 0.0.0.0/0",
            "out lb 8080 app",
            "out monitoring 443 0.0.0.0/0",
            "out monitoring 9090 app",
            "out proxy 5432 database",
            "out rotation 443 0.0.0.0/0",
            "out rotation 5432 database",
        ]);
        assert.equal(CLOUDFRONT_ORIGIN_FACING, "com.amazonaws.global.cloudfront.origin-facing");
        assert.deepEqual(DEFAULT_PORTS, { app: 8080, metrics: 9090, database: 5432, cache: 6379 });
    });

    it("opens the load balancer to the internet on 443 and 80 (redirect) when asked", async () => {
        const g = await planVpc({ loadBalancerIngress: "internet" });
        const lbRules = ruleGraph(g).filter((r) => r.startsWith("in lb"));
        assert.deepEqual(lbRules, ["in lb 443 0.0.0.0/0", "in lb 80 0.0.0.0/0"]);
    });

    it("takes ports from args and can close port 80", async () => {
        const g = await planVpc({ ports: { app: 3000, metrics: 9100 }, httpRedirect: false, loadBalancerIngress: "internet" });
        assert.deepEqual(ruleGraph(g), [
            "in app 3000 lb",
            "in app 9100 monitoring",
            "in cache 6379 app",
            "in database 5432 proxy",
            "in database 5432 rotation",
            "in lb 443 0.0.0.0/0",
            "in proxy 5432 app",
            "out app 443 0.0.0.0/0",
            "out app 5432 proxy",
            "out app 6379 cache",
            "out hosts 443 0.0.0.0/0",
            "out lb 3000 app",
            "out monitoring 443 0.0.0.0/0",
            "out monitoring 9100 app",
            "out proxy 5432 database",
            "out rotation 443 0.0.0.0/0",
            "out rotation 5432 database",
        ]);
    });

    it("tags every taggable resource with the base tags, its component and its name", async () => {
        const g = await planVpc();
        const untaggable = new Set([T.route, T.association, T.rolePolicy]);
        const taggable = g.resources.filter((x) => x.custom && !untaggable.has(x.type as never));
        assert.equal(taggable.length, 46);
        for (const r of taggable) {
            const { Name, Tier, ...rest } = r.inputs.tags as Record<string, string>;
            assert.deepEqual(rest, { ...TAGS, Component: "net" }, r.name);
            assert.match(Name, /^net-[a-z0-9-]+$/, r.name);
            assert.equal(Tier, r.type === T.subnet ? r.name.split("-")[1] : undefined, r.name);
        }
    });

    it("exposes ids per tier, zones, NAT addresses and the security group per tier", async () => {
        let vpc: Vpc | undefined;
        const g = await planProgram(() => (vpc = new Vpc("net", { ...BASE, natStrategy: "onePerAz", zones: ZONES.slice(0, 2) })));
        const out = vpc as Vpc;
        const resolved = await valueOf([
            out.vpcId,
            out.availabilityZones,
            out.publicSubnetIds,
            out.privateSubnetIds,
            out.isolatedSubnetIds,
            out.natPublicIps,
            out.securityGroupIds.database,
        ]);
        const ids = (prefix: string) => ofType(g, T.subnet).filter((s) => s.name.startsWith(prefix)).map((s) => s.id);
        assert.deepEqual(resolved, [
            ofType(g, T.vpc)[0].id,
            ["us-east-1a", "us-east-1b"],
            ids("net-public"),
            ids("net-private"),
            ids("net-isolated"),
            ofType(g, T.eip).map((e) => e.outputs.publicIp),
            named(g, T.sg, "net-database").id,
        ]);
        assert.equal(out.cidr, "10.20.0.0/16");
        assert.equal(out.trafficPaths.length, 11);
    });

    describe("pinned zones", () => {
        const LIVE = "aws:index/getAvailabilityZones:getAvailabilityZones";
        const functions = FUNCTIONS as Record<string, (inputs: Record<string, unknown>, region: string) => Record<string, unknown>>;
        /** Plans with the account's live zone list answered by `live` instead of the engine's table. */
        async function withLiveZones<T>(live: { names: string[]; zoneIds: string[] }, run: () => Promise<T>): Promise<T> {
            const original = functions[LIVE];
            functions[LIVE] = (_inputs, region) => ({ ...live, groupNames: live.names.map(() => region), id: region, region });
            try {
                return await run();
            } finally {
                functions[LIVE] = original;
            }
        }
        const subnetZones = (g: Graph) => ofType(g, T.subnet).map((s) => [s.name, s.inputs.availabilityZone ?? s.inputs.availabilityZoneId]);

        it("changes no subnet when AWS's live zone list changes (a zone impaired, a new zone)", async () => {
            const all = { names: ZONES, zoneIds: ZONES.map((_, i) => `use1-az${i + 1}`) };
            const shifted = { names: ["us-east-1g", ...ZONES.slice(1)], zoneIds: ["use1-az7", ...all.zoneIds.slice(1)].reverse() };
            const zones = ["us-east-1b", "us-east-1c", "us-east-1d"];
            const before = await withLiveZones(all, () => planVpc({ zones, natStrategy: "onePerAz" }));
            const after = await withLiveZones({ names: [...shifted.names, "us-east-1a"], zoneIds: [...shifted.zoneIds, "use1-az1"] }, () =>
                planVpc({ zones, natStrategy: "onePerAz" }),
            );
            assert.deepEqual(subnetZones(before).slice(0, 3), [
                ["net-public-0", "us-east-1b"],
                ["net-public-1", "us-east-1c"],
                ["net-public-2", "us-east-1d"],
            ]);
            const inputs = (g: Graph) => ofType(g, T.subnet).map((s) => s.inputs);
            assert.deepEqual(inputs(after), inputs(before));
            assert.deepEqual(ofType(after, T.nat).map((n) => n.inputs), ofType(before, T.nat).map((n) => n.inputs));
        });

        it("places subnets by zone id when given ids (the same physical zone in every account)", async () => {
            const g = await planVpc({ zones: ["use1-az4", "use1-az6"] });
            assert.deepEqual(subnetZones(g), [
                ["net-public-0", "use1-az4"],
                ["net-public-1", "use1-az6"],
                ["net-private-0", "use1-az4"],
                ["net-private-1", "use1-az6"],
                ["net-isolated-0", "use1-az4"],
                ["net-isolated-1", "use1-az6"],
            ]);
            assert.ok(ofType(g, T.subnet).every((s) => s.inputs.availabilityZone === undefined));
        });

        it("fails the deployment, naming the account's zones, when a pinned zone is not one of them", async () => {
            const live = { names: ["us-east-1a", "us-east-1b"], zoneIds: ["use1-az1", "use1-az2"] };
            await assert.rejects(
                withLiveZones(live, () => planVpc({ zones: ["us-east-1a", "us-east-1f"] })),
                (err: Error) => {
                    assert.match(
                        err.message,
                        /: the Vpc's zones us-east-1f are not availability zones of this account in us-east-1; it has us-east-1a \(use1-az1\), us-east-1b \(use1-az2\)$/,
                    );
                    return true;
                },
            );
        });
    });
});
