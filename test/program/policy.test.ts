import * as assert from "assert/strict";
import * as path from "path";
import { POLICIES, RULES } from "../../policy/rules";
import type { Graph, RecordedResource } from "../../tools/engine/graph";
import { evaluatePolicies } from "../../tools/policy/evaluate";
import { readPackConfig } from "../../tools/policy/pack";
import { ROOT, planStack } from "../helpers/engine";

const packConfig = (stack: string) => readPackConfig(path.join(ROOT, "policy", "config", `${stack}.json`));

describe("policy pack on the program", () => {
    for (const stack of ["staging", "production"]) {
        it(`passes ${stack} with zero mandatory violations and no advisories`, async () => {
            const verdict = await evaluatePolicies(await planStack(stack), POLICIES, packConfig(stack));
            assert.deepEqual(verdict.mandatory, []);
            assert.deepEqual(verdict.advisory, []);
        });
    }

    it("stack configs: production enforces every rule, staging lowers exactly the MP rules to advisory", () => {
        const mp = RULES.filter((r) => r.tags?.includes("mandatory-in-production")).map((r) => r.name);
        assert.deepEqual(mp, [
            "R17-log-group-retention-and-kms",
            "R20-secrets-cmk-and-managed-passwords",
            "R35-lb-access-logs-deletion-protection",
            "R41-ecr-scan-immutable-tags",
            "R42-rds-production-resilience",
            "R45-sqs-dynamodb-encrypted",
        ]);
        assert.deepEqual(packConfig("production"), { all: "mandatory", "webstack-exemptions": { exemptions: [] } });
        assert.deepEqual(packConfig("staging"), {
            all: "mandatory",
            ...Object.fromEntries(mp.map((name) => [name, "advisory"])),
            "webstack-exemptions": { exemptions: [] },
        });
    });

    /**
     * Mutation test: for each rule that applies to what the production stack creates, flip the
     * property it guards on one recorded resource (inputs and outputs alike) and check the rule fires.
     */
    interface Mutation {
        readonly rule: string;
        readonly resource: string;
        readonly change: (props: Record<string, unknown>, r: { protect: boolean }) => void;
    }
    const doc = (props: Record<string, unknown>, key: string, edit: (d: { Statement: Record<string, unknown>[] }) => void) => {
        const parsed = JSON.parse(String(props[key])) as { Statement: Record<string, unknown>[] };
        edit(parsed);
        props[key] = JSON.stringify(parsed);
    };
    const mutations: Mutation[] = [
        { rule: "R15", resource: "network-flow-logs:aws:kms/key:Key", change: (p) => (p.enableKeyRotation = false) },
        { rule: "R16", resource: "network-flow-logs:aws:kms/key:Key", change: (p) => doc(p, "policy", (d) => d.Statement.push({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" })) },
        { rule: "R17", resource: "network-flow-logs:aws:cloudwatch/logGroup:LogGroup", change: (p) => delete p.kmsKeyId },
        { rule: "R19", resource: "network-vpc:aws:ec2/vpc:Vpc", change: (p) => delete (p.tags as Record<string, string>).Owner },
        { rule: "R21", resource: "network-flow-logs:aws:iam/rolePolicy:RolePolicy", change: (p) => doc(p, "policy", (d) => (d.Statement[0].Action = "*")) },
        { rule: "R22", resource: "network-flow-logs:aws:iam/rolePolicy:RolePolicy", change: (p) => doc(p, "policy", (d) => (d.Statement[0].Action = "logs:*")) },
        { rule: "R23", resource: "network-flow-logs:aws:iam/rolePolicy:RolePolicy", change: (p) => doc(p, "policy", (d) => (d.Statement[0].Resource = "*")) },
        { rule: "R25", resource: "network-flow-logs:aws:iam/role:Role", change: (p) => doc(p, "assumeRolePolicy", (d) => (d.Statement[0].Principal = "*")) },
        { rule: "R26", resource: "network-in-internet-https:aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", change: (p) => Object.assign(p, { fromPort: 22, toPort: 22 }) },
        { rule: "R28", resource: "network-default:aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", change: (p) => (p.ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]) },
        { rule: "R29", resource: "network-flow-log:aws:ec2/flowLog:FlowLog", change: (p) => (p.trafficType = "REJECT") },
        { rule: "R30", resource: "network-public-0:aws:ec2/subnet:Subnet", change: (p) => (p.mapPublicIpOnLaunch = true) },
        { rule: "S02", resource: "network-default:aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", change: (p) => (p.vpcId = "vpc-elsewhere") },
        { rule: "S05", resource: "network-nat-0:aws:ec2/natGateway:NatGateway", change: (p) => (p.allocationId = "eipalloc-elsewhere") },
        { rule: "S11", resource: "network-flow-logs:aws:kms/key:Key", change: (_p, r) => (r.protect = false) },
        // StaticSite
        { rule: "R04", resource: "site-cdn:aws:cloudfront/distribution:Distribution", change: (p) => ((p.defaultCacheBehavior as Record<string, unknown>).viewerProtocolPolicy = "allow-all") },
        { rule: "R05", resource: "site-cdn:aws:cloudfront/distribution:Distribution", change: (p) => ((p.viewerCertificate as Record<string, unknown>).minimumProtocolVersion = "TLSv1") },
        { rule: "R07", resource: "site-cdn:aws:cloudfront/distribution:Distribution", change: (p) => delete (p.origins as Record<string, unknown>[])[0].originAccessControlId },
        { rule: "R08", resource: "site-content:aws:s3/bucketPolicy:BucketPolicy", change: (p) => doc(p, "policy", (d) => d.Statement.shift()) },
        { rule: "R14", resource: "site-content:aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", change: (p) => (p.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]) },
        { rule: "R19", resource: "site-file-index.html:aws:s3/bucketObjectv2:BucketObjectv2", change: (p) => delete (p.tags as Record<string, string>).Owner },
        { rule: "R37", resource: "site-content:aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", change: (p) => (p.blockPublicPolicy = false) },
        { rule: "R38", resource: "site-content:aws:s3/bucketOwnershipControls:BucketOwnershipControls", change: (p) => (p.rule = { objectOwnership: "ObjectWriter" }) },
        { rule: "R39", resource: "site-content:aws:s3/bucketPolicy:BucketPolicy", change: (p) => doc(p, "policy", (d) => delete d.Statement[1].Condition) },
        { rule: "S01", resource: "site-content:aws:s3/bucketVersioning:BucketVersioning", change: (p) => (p.versioningConfiguration = { status: "Suspended" }) },
        { rule: "S06", resource: "site-content:aws:s3/bucketPolicy:BucketPolicy", change: (p) => doc(p, "policy", (d) => ((d.Statement[1].Condition as Record<string, Record<string, string>>).StringEquals["AWS:SourceArn"] = "arn:aws:cloudfront::123456789012:distribution/EOTHER")) },
        { rule: "S11", resource: "site-content:aws:s3/bucket:Bucket", change: (_p, r) => (r.protect = false) },
    ];

    /** Deep copy of plain objects and arrays; class instances (assets) are shared, not cloned. */
    const clone = <V>(v: V): V => {
        if (Array.isArray(v)) return v.map(clone) as V;
        if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as V;
        }
        return v;
    };

    function mutated(graph: Graph, m: Mutation): Graph {
        const [name, ...type] = m.resource.split(":");
        const target = graph.resources.find((r) => r.name === name && r.type === type.join(":"));
        assert.ok(target, `${m.resource} exists in the production graph`);
        const copy = (r: RecordedResource): RecordedResource => {
            if (r !== target) return r;
            const inputs = clone(r.inputs);
            const outputs = clone(r.outputs);
            const opts = { protect: r.protect };
            m.change(inputs, opts);
            m.change(outputs, { protect: r.protect });
            return { ...r, inputs, outputs, protect: opts.protect };
        };
        return { ...graph, resources: graph.resources.map(copy) };
    }

    it("kills every mutation of the production graph (kill rate reported)", async () => {
        const graph = await planStack("production");
        const config = packConfig("production");
        const survivors: string[] = [];
        for (const m of mutations) {
            const verdict = await evaluatePolicies(mutated(graph, m), POLICIES, config);
            if (!verdict.mandatory.some((f) => f.policy.startsWith(`${m.rule}-`))) survivors.push(`${m.rule} on ${m.resource}`);
        }
        const killed = mutations.length - survivors.length;
        console.log(`      mutation kill rate: ${killed}/${mutations.length} (${((100 * killed) / mutations.length).toFixed(0)}%)`);
        assert.deepEqual(survivors, []);
    });
});
