import * as assert from "assert/strict";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { exemptionsPolicy } from "../../policy/lib/exemptions";
import { R29, R30 } from "../../policy/rules/network";
import { levelOf } from "../../tools/policy/evaluate";
import { verdictOf, type Fixture } from "../helpers/policy";

const TODAY = new Date("2026-11-21T12:00:00Z");
const publicSubnet: Fixture = { type: "aws:ec2/subnet:Subnet", name: "public-0", props: { mapPublicIpOnLaunch: true } };
const pack = [exemptionsPolicy(() => [R29.name, R30.name], () => TODAY), R29, R30];
const exemption = { policy: R30.name, finding: "map-public-ip", target: "public-0", reason: "legacy bastion subnet until migration", expires: "2027-01-31" };
const config = (exemptions: unknown[]) => ({ "webstack-exemptions": { exemptions } });

describe("offline policy runner", () => {
    it("resolves levels like the CLI: policy config > all > the policy's level > mandatory", () => {
        const p = { name: "p", description: "d", enforcementLevel: "advisory" as const };
        assert.equal(levelOf(p, {}), "advisory");
        assert.equal(levelOf({ name: "q", description: "d" }, {}), "mandatory");
        assert.equal(levelOf(p, { all: "mandatory" }), "mandatory");
        assert.equal(levelOf(p, { all: "mandatory", p: "disabled" }), "disabled");
        assert.equal(levelOf(p, { all: { enforcementLevel: "advisory" }, p: { enforcementLevel: "mandatory", strict: true } }), "mandatory");
    });

    it("reports at the configured level, skips disabled policies and treats remediate as mandatory", async () => {
        assert.deepEqual((await verdictOf([R30], [publicSubnet], { [R30.name]: "advisory" })).advisory.length, 1);
        assert.deepEqual((await verdictOf([R30], [publicSubnet], { all: "disabled" })).findings, []);
        assert.deepEqual((await verdictOf([R30], [publicSubnet], { all: "remediate" })).mandatory.length, 1);
    });

    it("turns a value unknown at preview into the SDK's advisory, not a pass or a failure", async () => {
        const unknown: Fixture = { type: "aws:ec2/flowLog:FlowLog", name: "flow", props: { trafficType: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", logDestination: "arn:x" } };
        const verdict = await verdictOf([R29], [unknown]);
        assert.deepEqual(verdict.mandatory, []);
        assert.deepEqual(
            verdict.advisory.map((f) => [f.policy, f.resource, f.message]),
            [[R29.name, "flow", `can't run policy '${R29.name}' during preview: string value at .trafficType can't be known during preview`]],
        );
    });

    it("reports an exempted finding as advisory, naming the exemption", async () => {
        const verdict = await verdictOf(pack, [publicSubnet], config([exemption]));
        assert.deepEqual(verdict.mandatory, []);
        assert.deepEqual(
            verdict.exempted.map((f) => [f.policy, f.resource, f.message]),
            [
                [
                    R30.name,
                    "public-0",
                    "exempted until 2027-01-31 (legacy bastion subnet until migration): subnet auto-assigns public IPs (mapPublicIpOnLaunch is true) [finding map-public-ip]",
                ],
            ],
        );
    });

    it("starts every evaluation without the previous one's exemptions", async () => {
        await verdictOf(pack, [publicSubnet], config([exemption]));
        assert.equal((await verdictOf([R30], [publicSubnet])).mandatory.length, 1);
    });

    it("matches exemptions by policy, finding and target (logical name or URN) only", async () => {
        const other: Fixture = { ...publicSubnet, name: "public-1" };
        const byUrn = { ...exemption, target: "urn:pulumi:test::webstack::aws:ec2/subnet:Subnet::public-1" };
        const wrongFinding = { ...exemption, finding: "other" };
        const verdict = await verdictOf(pack, [publicSubnet, other], config([byUrn, wrongFinding]));
        assert.deepEqual(verdict.exempted.map((f) => f.resource), ["public-1"]);
        assert.deepEqual(verdict.mandatory.map((f) => f.resource), ["public-0"]);
    });

    it("treats expired and malformed exemptions as violations and does not apply them", async () => {
        const verdict = await verdictOf(
            pack,
            [publicSubnet],
            config([
                { ...exemption, expires: "2026-11-20" },
                { ...exemption, reason: "because", expires: "2026-13-01" },
                { ...exemption, policy: "R99-nothing", expires: "2028-01-01" },
                { policy: R30.name, target: "public-0" },
            ]),
        );
        assert.deepEqual(
            verdict.mandatory.map((f) => `${f.policy}: ${f.message}`),
            [
                `${R30.name}: subnet auto-assigns public IPs (mapPublicIpOnLaunch is true) [finding map-public-ip]`,
                `webstack-exemptions: exemption 1 (${R30.name} on public-0) expired on 2026-11-20: renew it with a new reason or fix the finding`,
                `webstack-exemptions: exemption 2 is malformed: "reason" must explain the exception in at least 20 characters; "expires" must be a date YYYY-MM-DD`,
                `webstack-exemptions: exemption 3 is malformed: "policy" "R99-nothing" is not a policy of this pack; "expires" 2028-01-01 is more than a year ahead`,
                `webstack-exemptions: exemption 4 is malformed: "finding" must be a non-empty string; "reason" must be a non-empty string; "expires" must be a non-empty string`,
            ],
        );
    });

    it("gives stack policies outputs with parents and property dependencies resolved", async () => {
        const seen: string[] = [];
        const probe: StackValidationPolicy = {
            name: "probe",
            description: "records what a stack policy sees",
            validateStack: ({ resources }) => {
                for (const r of resources as PolicyResource[]) {
                    seen.push(`${r.name} parent=${r.parent?.name ?? "-"} vpcId<-${(r.propertyDependencies.vpcId ?? []).map((d) => d.name).join(",")} id=${r.props.id}`);
                }
            },
        };
        await verdictOf([probe], [
            { type: "webstack:network:Vpc", name: "network", props: {} },
            { type: "aws:ec2/vpc:Vpc", name: "network-vpc", parent: "network", props: { id: "vpc-1" } },
            { type: "aws:ec2/subnet:Subnet", name: "network-public-0", parent: "network", props: { id: "subnet-1", vpcId: "vpc-1" }, propertyDependencies: { vpcId: ["network-vpc"] } },
        ]);
        assert.deepEqual(seen, [
            "network parent=- vpcId<- id=undefined",
            "network-vpc parent=network vpcId<- id=vpc-1",
            "network-public-0 parent=network vpcId<-network-vpc id=subnet-1",
        ]);
    });
});
