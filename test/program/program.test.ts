import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { providerSettings } from "../../stacks/provider-settings";
import { T, inventory, ofType, planStack } from "../helpers/engine";
import { runPlan } from "../helpers/cli";
import { MASK, mask, reveal } from "../../tools/engine/graph";

/**
 * The expected (type, name) inventory of each stack lives in inventory.<stack>.txt, reviewed like
 * code. After an intended change, regenerate with `UPDATE_INVENTORY=1 npm run mocha` and review the diff.
 */
function expectedInventory(stack: string, actual: string[]): string[] {
    const file = path.join(__dirname, `inventory.${stack}.txt`);
    if (process.env.UPDATE_INVENTORY === "1") fs.writeFileSync(file, `${actual.join("\n")}\n`);
    return fs.readFileSync(file, "utf8").trimEnd().split("\n");
}

describe("program (index.ts)", () => {
    for (const stack of ["staging", "production"]) {
        it(`registers exactly the expected inventory for ${stack}`, async () => {
            const actual = inventory(await planStack(stack));
            assert.deepEqual(actual, expectedInventory(stack, actual));
        });
    }

    it("staging has one NAT gateway; production one per zone in distinct zones", async () => {
        const zonesOfNats = async (stack: string) => {
            const g = await planStack(stack);
            return ofType(g, T.nat).map((n) => g.resources.find((r) => r.id === n.inputs.subnetId)?.inputs.availabilityZone);
        };
        assert.deepEqual(await zonesOfNats("staging"), ["us-east-1a"]);
        assert.deepEqual(await zonesOfNats("production"), ["us-east-1a", "us-east-1b"]);
    });

    it("exports the network, site, API, data and backup outputs users need", async () => {
        const g = await planStack("production");
        assert.deepEqual(Object.keys(g.outputs), [
            "region",
            "environment",
            "vpcId",
            "availabilityZones",
            "publicSubnetIds",
            "privateSubnetIds",
            "isolatedSubnetIds",
            "natPublicIps",
            "securityGroupIds",
            "siteUrl",
            "siteBucket",
            "siteDistributionId",
            "siteDistributionDomain",
            "apiUrl",
            "apiLoadBalancerArn",
            "apiLoadBalancerDnsName",
            "apiLoadBalancerArnSuffix",
            "apiTargetGroupArnSuffixes",
            "apiClusterName",
            "apiServiceName",
            "apiLogGroup",
            "apiAutoScalingGroup",
            "apiRepositoryUrl",
            "apiDiscoveryName",
            "databaseEndpoint",
            "databasePort",
            "databaseName",
            "databaseSecretArn",
            "databaseInstance",
            "databaseInstanceArn",
            "databaseKeyArn",
            "cacheEndpoint",
            "cacheReaderEndpoint",
            "cachePort",
            "cacheUser",
            "backupVault",
            "backupDrVault",
            "backupPlanId",
        ]);
        assert.match(String(g.outputs.databaseEndpoint), /^db-proxy-[0-9a-f]{7}\.proxy-[a-z0-9]+\.us-east-1\.rds\.amazonaws\.com$/);
        assert.equal(g.outputs.databasePort, 5432);
        assert.match(String(g.outputs.databaseSecretArn), /^arn:aws:secretsmanager:us-east-1:123456789012:secret:db-master-[0-9a-f]{7}-[A-Za-z0-9]{6}$/);
        assert.equal(g.outputs.cachePort, 6379);
        assert.match(String(g.outputs.backupDrVault), /^dr-dr-vault-[0-9a-f]{7}$/);
        assert.equal(g.outputs.apiUrl, "https://api.webstack.example.com");
        assert.match(String(g.outputs.apiLoadBalancerArnSuffix), /^app\/api-alb-[0-9a-f]{7}\/[0-9a-f]{16}$/);
        assert.equal(g.outputs.apiLoadBalancerArn, `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/${g.outputs.apiLoadBalancerArnSuffix}`);
        assert.deepEqual(
            (g.outputs.apiTargetGroupArnSuffixes as string[]).map((s) => s.replace(/-[0-9a-f]{7}\/[0-9a-f]{16}$/, "")),
            ["targetgroup/api-blue", "targetgroup/api-green"],
        );
        assert.match(String(g.outputs.apiAutoScalingGroup), /^api-hosts-[0-9a-f]{7}$/);
        assert.match(String(g.outputs.apiRepositoryUrl), /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/api-images-[0-9a-f]{7}$/);
        assert.equal(g.outputs.apiDiscoveryName, "app.api.webstack.internal");
        assert.equal(g.outputs.siteUrl, "https://webstack.example.com");
        assert.deepEqual(g.outputs.availabilityZones, ["us-east-1a", "us-east-1b"]);
        assert.equal((g.outputs.natPublicIps as string[]).length, 2);
        assert.deepEqual(Object.keys(g.outputs.securityGroupIds as object), ["lb", "app", "hosts", "proxy", "database", "cache", "monitoring", "rotation"]);
        // Fargate has no hosts: staging exports no auto scaling group.
        const staging = (await planStack("staging")).outputs;
        assert.equal(staging.apiAutoScalingGroup, null);
        // Staging keeps its backups in its own region only.
        assert.equal(staging.backupDrVault, null);
    });

    it("never holds a generated credential outside a secret: not in any recorded input or output, stack output or printed plan", async () => {
        for (const stack of ["staging", "production"]) {
            const g = await planStack(stack);
            // Every value the random provider generated (the database password, the origin header, the identifier suffix).
            const generated = g.resources
                .filter((r) => r.type === "random:index/randomPassword:RandomPassword")
                .map((r) => (reveal(r.outputs) as { result: string }).result);
            assert.equal(generated.length, stack === "production" ? 2 : 1, "the origin header, and in production the stack-owned master password");
            for (const value of generated) assert.match(value, /^[A-Za-z0-9]{32,}$/);
            const printable = JSON.stringify([g.outputs, ...g.resources.map((r) => mask([r.inputs, r.outputs]))]);
            for (const value of generated) assert.equal(printable.includes(value), false, `${stack}: a generated secret is printable`);
            const plan = await runPlan("--stack", stack, "--json");
            for (const value of generated) assert.equal(plan.stdout.includes(value), false, `${stack}: a generated secret is in the printed plan`);
            // No other credential-shaped input at all: no plain passwords, auth tokens or keys.
            const plain = g.resources.flatMap((r) =>
                ["password", "masterPassword", "authToken", "secretString", "passwords"].filter((k) => k in r.inputs && mask(r.inputs[k]) !== MASK).map((k) => `${r.name}.${k}`),
            );
            assert.deepEqual(plain, [], stack);
        }
    });

    // Changing only sizes or counts must keep every existing logical name, so `pulumi up` replaces nothing.
    const variations: { stack: string; change: string; overrides: Record<string, unknown> }[] = [
        { stack: "production", change: "a third availability zone", overrides: { "webstack:network": { azCount: 3 } } },
        { stack: "production", change: "six availability zones", overrides: { "webstack:network": { azCount: 6 } } },
        { stack: "staging", change: "one NAT gateway per zone", overrides: { "webstack:network": { natStrategy: "onePerAz" } } },
        { stack: "staging", change: "a longer flow log retention", overrides: { "webstack:network": { flowLogRetentionDays: 365 } } },
        { stack: "staging", change: "www, WAF and a wider price class", overrides: { "webstack:site": { www: true, waf: true, priceClass: "PriceClass_All" } } },
        { stack: "production", change: "more and bigger hosts and tasks", overrides: { "webstack:api": { instanceType: "m6i.xlarge", maxHosts: 12, maxTasks: 18, cpu: 1024, memory: 2048 } } },
        { stack: "staging", change: "bigger Fargate tasks and least outstanding requests", overrides: { "webstack:api": { cpu: 1024, memory: 2048, maxTasks: 4, routingAlgorithm: "least_outstanding_requests" } } },
        { stack: "staging", change: "EC2 hosts instead of Fargate", overrides: { "webstack:api": { capacity: "ec2" } } },
    ];
    for (const { stack, change, overrides } of variations) {
        it(`keeps every ${stack} logical name with ${change}`, async () => {
            const before = inventory(await planStack(stack));
            const after = new Set(inventory(await planStack(stack, overrides)));
            assert.deepEqual(before.filter((line) => !after.has(line)), []);
            assert.ok(after.size >= before.length);
        });
    }

    it("gives every explicit provider the stack's AWS settings (account guard, profile, assumed role, default tags)", async () => {
        const settings = {
            "aws:allowedAccountIds": ["123456789012"],
            "aws:profile": "webstack-prod",
            "aws:assumeRoles": [{ roleArn: "arn:aws:iam::123456789012:role/deploy", sessionName: "webstack" }],
            "aws:defaultTags": { tags: { ManagedBy: "pulumi" } },
        };
        const graph = await planStack("production", settings);
        const providers = ofType(graph, T.provider);
        assert.deepEqual(
            providers.map((p) => [p.name, p.inputs.region]),
            [
                ["site-us-east-1", "us-east-1"],
                ["dr-dr-region", "us-west-2"],
            ],
        );
        // Providers take their inputs as strings on the wire: lists and objects as JSON.
        const wire = (v: unknown) => (typeof v === "string" && /^[[{]/.test(v) ? JSON.parse(v) : v);
        for (const provider of providers) {
            assert.deepEqual(
                Object.fromEntries(Object.keys(settings).map((k) => [k, wire(provider.inputs[k.slice(4)])])),
                settings,
                `${provider.name} carries the stack's settings`,
            );
        }
    });

    it("passes AWS credentials from config to explicit providers only as secrets", () => {
        const settings = providerSettings({ "aws:region": "us-east-1", "aws:secretKey": "s3cr3t", "aws:profile": "ops", "aws:skipMetadataApiCheck": "false" });
        assert.deepEqual(Object.keys(settings).sort(), ["profile", "secretKey", "skipMetadataApiCheck"]);
        assert.equal(settings.profile, "ops");
        assert.equal(settings.skipMetadataApiCheck, false);
        assert.ok(pulumi.Output.isInstance(settings.secretKey), "a secret output, never a plain string");
    });

    it("keeps every subnet's CIDR when zones are added", async () => {
        const cidrs = async (overrides: Record<string, unknown>) =>
            new Map(ofType(await planStack("production", overrides), T.subnet).map((s) => [s.name, s.inputs.cidrBlock]));
        const before = await cidrs({});
        const after = await cidrs({ "webstack:network": { azCount: 3 } });
        for (const [name, cidr] of before) assert.equal(after.get(name), cidr, name);
        assert.equal(after.size, 9);
    });
});
