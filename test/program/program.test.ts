import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { T, inventory, ofType, planStack } from "../helpers/engine";

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

    it("exports the network outputs users need", async () => {
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
        ]);
        assert.equal(g.outputs.siteUrl, "https://webstack.example.com");
        assert.deepEqual(g.outputs.availabilityZones, ["us-east-1a", "us-east-1b"]);
        assert.equal((g.outputs.natPublicIps as string[]).length, 2);
        assert.deepEqual(Object.keys(g.outputs.securityGroupIds as object), ["lb", "app", "proxy", "database", "cache", "monitoring"]);
    });

    // Changing only sizes or counts must keep every existing logical name, so `pulumi up` replaces nothing.
    const variations: { stack: string; change: string; overrides: Record<string, unknown> }[] = [
        { stack: "production", change: "a third availability zone", overrides: { "webstack:network": { azCount: 3 } } },
        { stack: "production", change: "six availability zones", overrides: { "webstack:network": { azCount: 6 } } },
        { stack: "staging", change: "one NAT gateway per zone", overrides: { "webstack:network": { natStrategy: "onePerAz" } } },
        { stack: "staging", change: "a longer flow log retention", overrides: { "webstack:network": { flowLogRetentionDays: 365 } } },
        { stack: "staging", change: "www, WAF and a wider price class", overrides: { "webstack:site": { www: true, waf: true, priceClass: "PriceClass_All" } } },
    ];
    for (const { stack, change, overrides } of variations) {
        it(`keeps every ${stack} logical name with ${change}`, async () => {
            const before = inventory(await planStack(stack));
            const after = new Set(inventory(await planStack(stack, overrides)));
            assert.deepEqual(before.filter((line) => !after.has(line)), []);
            assert.ok(after.size >= before.length);
        });
    }

    it("keeps every subnet's CIDR when zones are added", async () => {
        const cidrs = async (overrides: Record<string, unknown>) =>
            new Map(ofType(await planStack("production", overrides), T.subnet).map((s) => [s.name, s.inputs.cidrBlock]));
        const before = await cidrs({});
        const after = await cidrs({ "webstack:network": { azCount: 3 } });
        for (const [name, cidr] of before) assert.equal(after.get(name), cidr, name);
        assert.equal(after.size, 9);
    });
});
