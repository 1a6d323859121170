// Rules during `pulumi preview` of a new stack, on properties the provider fills in: every
// Optional+Computed property the program did not set is unknown ("known after apply") and has no
// property dependencies. Rules read it as not set (`setByProgram`), as they read the AWS default
// after deploy; one the program set from another resource's output (with dependencies) stays
// unknown, as before. Inputs, which resource rules read, never hold the former.
import * as assert from "assert/strict";
import { programValue, providerDefault, referenced, setByProgram, type Node } from "../../policy/lib/graph";
import { T } from "../../policy/lib/types";
import { UNKNOWN_VALUE } from "../../policy/lib/values";
import { S06 } from "../../policy/rules/cloudfront";
import { R02 } from "../../policy/rules/lb";
import { R27, S02, S03, S04, S05 } from "../../policy/rules/network";
import { S07, S11 } from "../../policy/rules/rds";
import { R14, R38, S01 } from "../../policy/rules/s3";
import { S08 } from "../../policy/rules/secrets";
import type { RecordedResource } from "../../tools/engine/graph";
import { evaluatePolicies, type AnyPolicy } from "../../tools/policy/evaluate";
import { DIST_ARN, PROD_TAGS, UNKNOWN, cloudFrontRead, doc, graphOf, tlsDeny, type Fixture } from "../helpers/policy";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require("@pulumi/policy/proxy") as { unknownCheckingProxy<V extends object>(v: V): V; UnknownValueError: new (...args: never[]) => Error };

const U = UNKNOWN;
const cannotRun = (policy: { name: string }, path: string, where = "(stack)") => `${where}: can't run policy '${policy.name}' during preview: string value at .${path} can't be known during preview`;

/** Unknown and not set from another resource: what the provider fills in, absent from the inputs. */
const filledByProvider = (r: RecordedResource, prop: string) => r.outputs[prop] === U && (r.propertyDependencies[prop] ?? []).length === 0;

/**
 * Runs one policy over fixtures recorded as the engine records a preview: outputs as given, inputs
 * without the unknowns the program did not set (unset inputs are absent). Findings as `findings()`.
 */
async function preview(policy: AnyPolicy, fixtures: readonly Fixture[]): Promise<string[]> {
    const resources = graphOf(fixtures).resources.map((r) => ({ ...r, inputs: Object.fromEntries(Object.entries(r.outputs).filter(([k]) => !filledByProvider(r, k))) }));
    const verdict = await evaluatePolicies({ resources }, [policy]);
    return verdict.findings.map((f) => `${f.resource ?? "(stack)"}: ${f.message}`).sort();
}

/** The same fixture with some of its props set from other fixtures (names) before deploy. */
const setFrom = (f: Fixture, deps: Record<string, string[]>): Fixture => ({ ...f, propertyDependencies: { ...f.propertyDependencies, ...deps } });
const withProps = (f: Fixture, props: Record<string, unknown>): Fixture => ({ ...f, props: { ...f.props, ...props } });

describe("setByProgram: a property as the program set it, before deploy", () => {
    const logs: Node = { type: "aws:s3/bucket:Bucket", name: "logs", urn: "logs", props: { bucket: "logs-abc" } };
    const bucket = (props: Record<string, unknown>, propertyDependencies?: Record<string, Node[]>): Node => ({
        type: "aws:s3/bucket:Bucket",
        name: "site",
        urn: "site",
        props: sdk.unknownCheckingProxy(props),
        ...(propertyDependencies ? { propertyDependencies } : {}),
    });

    it("reads a value the program set as known() does, below it too", () => {
        const b = bucket({ acl: "private", logging: { targetBucket: U, targetPrefix: "s3/" } }, { logging: [logs] });
        assert.equal(setByProgram(b, "acl"), "private");
        assert.equal(setByProgram(b, "logging", "targetPrefix"), "s3/");
        assert.equal(setByProgram(b, "logging", "targetBucket"), UNKNOWN_VALUE);
        assert.equal(setByProgram(b, "missing"), undefined);
        assert.equal(programValue(b, "acl"), "private");
    });

    it("reads an unknown without property dependencies (absent or empty) as not set: the provider's default", () => {
        const b = bucket({ acl: U, logging: U, policy: U }, { policy: [] });
        assert.equal(setByProgram(b, "acl"), undefined);
        assert.equal(setByProgram(b, "policy"), undefined);
        assert.equal(setByProgram(b, "logging", "targetBucket"), undefined);
        assert.equal(programValue(b, "logging"), undefined, "no read of the unknown: the SDK's proxy is not tripped");
        assert.ok(providerDefault(b, "acl") && providerDefault(b, "policy") && !providerDefault(b, "missing"));
    });

    it("keeps an unknown the program set from another resource's output: UNKNOWN_VALUE, and programValue() trips the SDK's proxy as a direct read does", () => {
        const b = bucket({ logging: U }, { logging: [logs] });
        assert.equal(setByProgram(b, "logging"), UNKNOWN_VALUE);
        assert.equal(setByProgram(b, "logging", "targetBucket"), UNKNOWN_VALUE);
        assert.ok(!providerDefault(b, "logging"));
        assert.throws(() => programValue(b, "logging"), sdk.UnknownValueError);
    });

    it("cannot tell the two apart on a view without dependencies: UNKNOWN_VALUE", () => {
        assert.equal(setByProgram(bucket({ acl: U }), "acl"), UNKNOWN_VALUE);
        assert.ok(!providerDefault(bucket({ acl: U }), "acl"));
    });

    it("referenced(): a reference the program did not set refers to nothing, one set from a resource to that resource", () => {
        const group: Node = { type: "aws:rds/subnetGroup:SubnetGroup", name: "db", urn: "db", props: { name: "db-1a2b3c4" } };
        const db = (deps: Node[]): Node => ({ type: "aws:rds/instance:Instance", name: "postgres", urn: "postgres", props: sdk.unknownCheckingProxy({ dbSubnetGroupName: U }), propertyDependencies: deps.length ? { dbSubnetGroupName: deps } : {} });
        assert.equal(referenced([group], db([]), "dbSubnetGroupName", T.dbSubnetGroup), undefined);
        assert.equal(referenced([group], db([group]), "dbSubnetGroupName", T.dbSubnetGroup), group);
    });
});

// ---- S3 ---------------------------------------------------------------------------------------------

/** The Optional+Computed properties of an aws.s3.Bucket a program leaves out, as a preview shows them. */
const BUCKET_DEFAULTS = { acl: U, logging: U, versioning: U, policy: U, serverSideEncryptionConfiguration: U, replicationConfiguration: U, website: U, lifecycleRules: U, corsRules: U, grants: U };
const bucketNamed = (name: string): Fixture => ({ type: "aws:s3/bucket:Bucket", name, props: { bucket: `${name}-abc`, ...BUCKET_DEFAULTS } });
const setting = (type: string, name: string, bucket: string, props: Record<string, unknown>): Fixture => ({ type, name, props: { bucket: `${bucket}-abc`, ...props } });
const ownership = (bucket: string, objectOwnership: string) => setting("aws:s3/bucketOwnershipControls:BucketOwnershipControls", `${bucket}-ownership`, bucket, { rule: { objectOwnership } });
const bucketPolicy = (bucket: string) => setting("aws:s3/bucketPolicy:BucketPolicy", `${bucket}-policy`, bucket, { policy: doc(tlsDeny(`${bucket}-abc`)) });
const logging = (bucket: string, target: string) => setting("aws:s3/bucketLogging:BucketLogging", `${bucket}-logging`, bucket, { targetBucket: `${target}-abc`, targetPrefix: "s3/" });
const sse = (bucket: string, rule: object, deps?: Record<string, string[]>): Fixture => ({
    ...setting("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${bucket}-sse`, bucket, { rules: [rule] }),
    ...(deps ? { propertyDependencies: deps } : {}),
});
const AES = { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
const KMS = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: U }, bucketKeyEnabled: true };
const key: Fixture = { type: "aws:kms/key:Key", name: "key", props: { enableKeyRotation: true, policy: U, description: U } };

describe("R38 on a bucket's acl the provider fills in", () => {
    it("passes a bucket with ownership enforced whose acl the program did not set", async () => {
        assert.deepEqual(await preview(R38, [bucketNamed("site"), ownership("site", "BucketOwnerEnforced")]), []);
    });

    it("still reports the ownership controls, and a canned ACL the program sets", async () => {
        assert.deepEqual(await preview(R38, [bucketNamed("site"), ownership("site", "ObjectWriter")]), [
            'site: ownership controls site-ownership set objectOwnership "ObjectWriter", not "BucketOwnerEnforced" [finding object-ownership]',
        ]);
        assert.deepEqual(await preview(R38, [withProps(bucketNamed("site"), { acl: "public-read" }), ownership("site", "BucketOwnerEnforced")]), ['site: bucket sets the canned ACL "public-read" [finding acl]']);
    });

    it("cannot decide an acl the program set from another resource's output", async () => {
        const other: Fixture = { type: "aws:ssm/parameter:Parameter", name: "acl-setting", props: {} };
        assert.deepEqual(await preview(R38, [setFrom(bucketNamed("site"), { acl: ["acl-setting"] }), other, ownership("site", "BucketOwnerEnforced")]), [cannotRun(R38, "acl")]);
    });
});

describe("S01 on a bucket's inline logging, versioning, replication and policy the provider fills in", () => {
    const wrapped = [bucketNamed("site"), bucketNamed("logs"), bucketPolicy("site"), bucketPolicy("logs"), logging("site", "logs")];

    it("passes a bucket wrapped by separate resources: its inline blocks, not set, are not read as settings", async () => {
        assert.deepEqual(await preview(S01, wrapped), []);
    });

    it("reports a bucket without a BucketLogging or a BucketPolicy: the unknown inline logging and policy do not count", async () => {
        assert.deepEqual(await preview(S01, [bucketNamed("site"), bucketNamed("logs"), bucketPolicy("logs"), logging("site", "logs")]), [
            "site: bucket has no bucket policy, so nothing denies requests without TLS [finding tls-policy]",
        ]);
        assert.deepEqual(await preview(S01, [bucketNamed("site"), bucketNamed("logs"), bucketPolicy("site"), bucketPolicy("logs")]), [
            "logs: bucket has no server access logging (only log buckets may go without) [finding access-logging]",
            "site: bucket has no server access logging (only log buckets may go without) [finding access-logging]",
        ]);
    });

    it("reads a replicated bucket's versioning from its BucketVersioning: without one it has none", async () => {
        const replication = setting("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "site-replication", "site", { role: "arn:aws:iam::123456789012:role/replication", rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::dr-abc" } }] });
        const versioning = setting("aws:s3/bucketVersioning:BucketVersioning", "site-versioning", "site", { versioningConfiguration: { status: "Enabled" } });
        assert.deepEqual(await preview(S01, [...wrapped, replication, versioning]), []);
        assert.deepEqual(await preview(S01, [...wrapped, replication]), ["site: bucket holds replicated data (replication source) but has no versioning configuration (Enabled required) [finding versioning]"]);
    });

    it("reads inline logging the program set from the log bucket as the bucket's access logging", async () => {
        const inline = setFrom(bucketNamed("site"), { logging: ["logs"] });
        assert.deepEqual(await preview(S01, [inline, bucketNamed("logs"), bucketPolicy("site"), bucketPolicy("logs")]), []);
    });
});

describe("R14 on a bucket's inline encryption and logging the provider fills in", () => {
    it("passes a bucket encrypted by a separate configuration with a stack key", async () => {
        assert.deepEqual(await preview(R14, [bucketNamed("site"), key, sse("site", KMS, { rules: ["key"] })]), []);
    });

    it("reads encryption the program did not set as S3's SSE-S3 default, as after deploy: allowed only on a bucket receiving S3 server access logs", async () => {
        assert.deepEqual(await preview(R14, [bucketNamed("site")]), [
            "site: encryption is SSE-S3 (AES256); only buckets receiving load balancer or S3 server access logs may use it, others need a customer-managed KMS key [finding sse-s3]",
        ]);
        assert.deepEqual(await preview(R14, [bucketNamed("logs"), bucketNamed("app"), key, sse("app", KMS, { rules: ["key"] }), logging("app", "logs")]), []);
    });

    it("does not take another bucket's unset inline logging for S3 server access logs into this one", async () => {
        assert.deepEqual(await preview(R14, [bucketNamed("site"), bucketNamed("app"), key, sse("site", AES), sse("app", KMS, { rules: ["key"] })]), [
            "site: encryption is SSE-S3 (AES256); only buckets receiving load balancer or S3 server access logs may use it, others need a customer-managed KMS key [finding sse-s3]",
        ]);
    });

    it("allows SSE-S3 on the bucket another bucket's inline logging was set to write to", async () => {
        const app = setFrom(bucketNamed("app"), { logging: ["logs"] });
        assert.deepEqual(await preview(R14, [bucketNamed("logs"), app, key, sse("logs", AES), sse("app", KMS, { rules: ["key"] })]), []);
    });

    it("cannot decide an inline encryption the program set from another resource's output", async () => {
        assert.deepEqual(await preview(R14, [setFrom(bucketNamed("site"), { serverSideEncryptionConfiguration: ["key"] }), key]), [cannotRun(R14, "serverSideEncryptionConfiguration")]);
    });
});

describe("S06 on a key policy and a bucket's inline policy the provider fills in", () => {
    const site = bucketNamed("site");
    const granted: Fixture = { ...setting("aws:s3/bucketPolicy:BucketPolicy", "site-policy", "site", { policy: doc(tlsDeny("site-abc"), cloudFrontRead("site-abc")) }) };
    const oac: Fixture = { type: "aws:cloudfront/originAccessControl:OriginAccessControl", name: "oac", props: { name: "oac-1a2b3c4", originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" } };
    const cdn: Fixture = {
        type: "aws:cloudfront/distribution:Distribution",
        name: "cdn",
        props: { arn: DIST_ARN, origins: [{ originId: "site", domainName: U, originAccessControlId: U }] },
        propertyDependencies: { origins: ["site", "oac"] },
    };
    const cloudFrontDecrypt = doc({ Sid: "CloudFrontDecrypts", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "kms:Decrypt", Resource: "*" });
    const encrypted = sse("site", KMS, { rules: ["key"] });

    it("passes a key whose policy lets CloudFront decrypt", async () => {
        assert.deepEqual(await preview(S06, [site, granted, oac, cdn, withProps(key, { policy: cloudFrontDecrypt }), encrypted]), []);
    });

    it("reports a key whose policy the program did not set: AWS's default policy lets only the account in", async () => {
        assert.deepEqual(await preview(S06, [site, granted, oac, cdn, key, encrypted]), [
            "cdn: bucket site is encrypted with KMS key key, whose policy does not allow the CloudFront service kms:Decrypt [finding origin-site-kms]",
        ]);
    });

    it("reports a bucket whose only policy is the unknown inline one the program did not set", async () => {
        assert.deepEqual(await preview(S06, [site, oac, cdn]), ["cdn: bucket site has no bucket policy statement allowing the CloudFront service s3:GetObject on its objects [finding origin-site-bucket-policy]"]);
    });

    it("leaves a key policy set from the distribution's ARN to deploy, as before", async () => {
        const pending = setFrom(withProps(granted, { policy: U }), { policy: ["cdn"] });
        assert.deepEqual(await preview(S06, [site, pending, oac, withProps(cdn, { arn: U }), setFrom(key, { policy: ["cdn"] }), encrypted]), [cannotRun(S06, "cdn.arn")]);
    });
});

// ---- network ------------------------------------------------------------------------------------------

describe("network rules on inline rules, default groups, ports and flags the provider fills in", () => {
    const SG = "aws:ec2/securityGroup:SecurityGroup";
    const vpc: Fixture = { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.0.0.0/16", enableDnsHostnames: U } };
    /** A group whose rules are separate resources: AWS reports their union inline, unknown before deploy. */
    const group = (name: string): Fixture => ({ type: SG, name, props: { name: `${name}-1a2b3c4`, description: "Managed by Pulumi", vpcId: U, ingress: U, egress: U }, propertyDependencies: { vpcId: ["vpc"] } });
    const ingress = (name: string, to: string, port: number, from: string | { cidr: string }): Fixture => ({
        type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        name,
        props: { securityGroupId: U, ipProtocol: "tcp", fromPort: port, toPort: port, ...(typeof from === "string" ? { referencedSecurityGroupId: U } : { cidrIpv4: from.cidr }) },
        propertyDependencies: { securityGroupId: [to], ...(typeof from === "string" ? { referencedSecurityGroupId: [from] } : {}) },
    });
    const lb: Fixture = { type: "aws:lb/loadBalancer:LoadBalancer", name: "alb", props: { internal: U, securityGroups: [U] }, propertyDependencies: { securityGroups: ["lb"] } };
    const rds: Fixture = { type: "aws:rds/instance:Instance", name: "postgres", props: { engine: "postgres", port: U, vpcSecurityGroupIds: [U] }, propertyDependencies: { vpcSecurityGroupIds: ["db"] } };
    const endpoint: Fixture = {
        type: "aws:ec2/vpcEndpoint:VpcEndpoint",
        name: "s3",
        props: { vpcId: U, serviceName: "com.amazonaws.us-east-1.s3", securityGroupIds: U, policy: U, subnetIds: U },
        propertyDependencies: { vpcId: ["vpc"] },
    };
    const designed = [vpc, group("lb"), group("app"), group("db"), lb, rds, endpoint, ingress("lb-https", "lb", 443, { cidr: "0.0.0.0/0" }), ingress("app-from-lb", "app", 8080, "lb"), ingress("db-from-app", "db", 5432, "app")];
    const other: Fixture = { type: "aws:ssm/parameter:Parameter", name: "setting", props: {} };

    describe("R27", () => {
        it("passes the designed paths: inline rules not set, the database's port the engine's default", async () => {
            assert.deepEqual(await preview(R27, designed), []);
        });

        it("reports another port than the engine's, and a CIDR rule whose source group the program did not set", async () => {
            assert.deepEqual(await preview(R27, [...designed, ingress("db-mysql", "db", 3306, "app")]), ["db: data-tier group db opens tcp/3306; only the engine port (tcp/5432) is allowed [finding port-tcp-3306]"]);
            const cidrRule: Fixture = {
                type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                name: "db-from-vpc",
                props: { type: "ingress", securityGroupId: U, protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"], sourceSecurityGroupId: U },
                propertyDependencies: { securityGroupId: ["db"] },
            };
            assert.deepEqual(await preview(R27, [...designed, cidrRule]), ["db: data-tier group db accepts tcp/5432 from CIDR 10.0.0.0/16 [finding cidr-10.0.0.0/16]"]);
        });

        it("cannot decide inline rules or a port the program set from another resource's output", async () => {
            assert.deepEqual(await preview(R27, [...designed.map((f) => (f.name === "app" ? setFrom(f, { ingress: ["setting"] }) : f)), other]), [cannotRun(R27, "ingress")]);
            assert.deepEqual(await preview(R27, [...designed.map((f) => (f === rds ? setFrom(f, { port: ["setting"] }) : f)), other]), [cannotRun(R27, "port")]);
        });
    });

    describe("S04", () => {
        it("passes the designed paths: an endpoint without groups, a load balancer internet-facing by default", async () => {
            assert.deepEqual(await preview(S04, designed), []);
        });

        it("reports the database reachable from the load balancer, whose `internal` the program did not set", async () => {
            assert.deepEqual(await preview(S04, [...designed, ingress("db-from-lb", "db", 5432, "lb")]), ["db: data-tier group db accepts tcp/5432 from lb, an internet-facing group [finding source-lb]"]);
        });

        it("resolves an endpoint's groups the program set through their dependencies, and cannot decide `internal` set from another resource", async () => {
            assert.deepEqual(await preview(S04, designed.map((f) => (f === endpoint ? setFrom(f, { securityGroupIds: ["lb"] }) : f))), [
                "lb: world-open group lb is attached to s3 (aws:ec2/vpcEndpoint:VpcEndpoint), not an internet-facing load balancer [finding world-open-s3]",
            ]);
            assert.deepEqual(await preview(S04, [...designed.map((f) => (f === lb ? setFrom(f, { internal: ["setting"] }) : f)), other]), [cannotRun(S04, "internal")]);
        });
    });

    describe("S05", () => {
        const instance: Fixture = { type: "aws:ec2/instance:Instance", name: "web", props: { ami: "ami-0123456789abcdef0", associatePublicIpAddress: U, vpcSecurityGroupIds: U } };

        it("passes an instance whose public IP the program did not ask for, and the load balancer", async () => {
            assert.deepEqual(await preview(S05, [vpc, group("lb"), instance, lb]), []);
        });

        it("reports one that asks for a public IP, and cannot decide one set from another resource", async () => {
            assert.deepEqual(await preview(S05, [withProps(instance, { associatePublicIpAddress: true })]), ["web: web is internet-facing: EC2 instance with a public IP [finding public]"]);
            assert.deepEqual(await preview(S05, [setFrom(instance, { associatePublicIpAddress: ["setting"] }), other]), [cannotRun(S05, "associatePublicIpAddress")]);
        });
    });

    describe("S02", () => {
        const flowLog: Fixture = { type: "aws:ec2/flowLog:FlowLog", name: "flow", props: { vpcId: U, trafficType: "ALL", logDestination: U, logFormat: U }, propertyDependencies: { vpcId: ["vpc"], logDestination: ["flows"] } };
        const flows: Fixture = { type: "aws:cloudwatch/logGroup:LogGroup", name: "flows", props: { name: "flows-1a2b3c4" } };
        const defaultGroup: Fixture = { type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", name: "default", props: { vpcId: U, ingress: U, egress: U } };

        it("passes the VPC whose default group was set to it", async () => {
            assert.deepEqual(await preview(S02, [vpc, flows, flowLog, setFrom(defaultGroup, { vpcId: ["vpc"] })]), []);
        });

        it("reports a default group whose vpcId the program did not set: the default VPC's, not this one's", async () => {
            assert.deepEqual(await preview(S02, [vpc, flows, flowLog, defaultGroup]), ["vpc: VPC vpc's default security group is not managed (its default rules stay) [finding default-security-group]"]);
        });
    });

    describe("S03", () => {
        const subnet = (name: string): Fixture => ({ type: "aws:ec2/subnet:Subnet", name, props: { cidrBlock: "10.0.0.0/24", vpcId: U }, propertyDependencies: { vpcId: ["vpc"] } });
        /** Route tables with Route resources: AWS reports them inline as `routes`, unknown before deploy. */
        const table = (name: string): Fixture => ({ type: "aws:ec2/routeTable:RouteTable", name, props: { vpcId: U, routes: U, propagatingVgws: U }, propertyDependencies: { vpcId: ["vpc"] } });
        const association = (s: string, t: string): Fixture => ({
            type: "aws:ec2/routeTableAssociation:RouteTableAssociation",
            name: `${s}-assoc`,
            props: { subnetId: U, routeTableId: U },
            propertyDependencies: { subnetId: [s], routeTableId: [t] },
        });
        const route = (name: string, t: string, via: "gatewayId" | "natGatewayId", to: string): Fixture => ({
            type: "aws:ec2/route:Route",
            name,
            props: { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", [via]: U },
            propertyDependencies: { routeTableId: [t], [via]: [to] },
        });
        const base = [
            vpc,
            subnet("private-0"),
            subnet("public-0"),
            table("private"),
            table("public"),
            association("private-0", "private"),
            association("public-0", "public"),
            { type: "aws:ec2/internetGateway:InternetGateway", name: "igw", props: { vpcId: U }, propertyDependencies: { vpcId: ["vpc"] } },
            { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: { privateIp: U } },
            route("public-internet", "public", "gatewayId", "igw"),
            route("private-nat", "private", "natGatewayId", "nat"),
        ];
        const subnetGroup = (s: string): Fixture => ({ type: "aws:rds/subnetGroup:SubnetGroup", name: "db-subnets", props: { name: "db-subnets-1a2b3c4", subnetIds: [U], region: U }, propertyDependencies: { subnetIds: [s] } });
        const db: Fixture = { type: "aws:rds/instance:Instance", name: "postgres", props: { engine: "postgres", dbSubnetGroupName: U }, propertyDependencies: { dbSubnetGroupName: ["db-subnets"] } };

        it("passes a database in a subnet routed through NAT: the tables' inline routes, not set, are the Route resources'", async () => {
            assert.deepEqual(await preview(S03, [...base, subnetGroup("private-0"), db]), []);
        });

        it("reports one in a public subnet, and one whose subnet group the program did not set (AWS's default)", async () => {
            assert.deepEqual(await preview(S03, [...base, subnetGroup("public-0"), db]), ["postgres: postgres uses subnet public-0, whose route table public routes to an internet gateway [finding subnet-public-0]"]);
            assert.deepEqual(await preview(S03, [...base, subnetGroup("private-0"), { ...db, propertyDependencies: {} }]), ["postgres: postgres has no subnets the policy can check [finding no-subnets]"]);
            const hosts: Fixture = { type: "aws:autoscaling/group:Group", name: "hosts", props: { minSize: 1, maxSize: 2, vpcZoneIdentifiers: U, availabilityZones: U } };
            assert.deepEqual(await preview(S03, [...base, hosts]), ["hosts: hosts has no subnets the policy can check [finding no-subnets]"]);
        });

        it("cannot decide inline routes the program set from another resource's output", async () => {
            const routed = base.map((f) => (f.name === "private" ? setFrom(f, { routes: ["nat"] }) : f));
            assert.deepEqual(await preview(S03, [...routed, subnetGroup("private-0"), db]), [cannotRun(S03, "routes")]);
        });
    });
});

// ---- data stores, secrets, certificates ---------------------------------------------------------------------

describe("S07 on a selection's conditions and a vault's key the provider fills in", () => {
    const backupKey: Fixture = { type: "aws:kms/key:Key", name: "backup-key", props: { policy: U } };
    const vault: Fixture = { type: "aws:backup/vault:Vault", name: "vault", props: { name: "webstack", kmsKeyArn: U, region: U }, propertyDependencies: { kmsKeyArn: ["backup-key"] } };
    const plan: Fixture = { type: "aws:backup/plan:Plan", name: "plan", props: { name: "daily", rules: [{ ruleName: "daily", targetVaultName: "webstack" }] } };
    const db: Fixture = { type: "aws:rds/instance:Instance", name: "postgres", props: { engine: "postgres", arn: U, tags: { ...PROD_TAGS, Environment: "staging" } } };
    const selection: Fixture = {
        type: "aws:backup/selection:Selection",
        name: "all",
        props: { planId: U, resources: [U], conditions: U, notResources: U },
        propertyDependencies: { planId: ["plan"], resources: ["postgres"] },
    };

    it("passes a database selected by ARN: conditions and exclusions the program did not set hold nothing back", async () => {
        assert.deepEqual(await preview(S07, [backupKey, vault, plan, db, selection]), []);
    });

    it("reports a vault whose key the program did not set (AWS's aws/backup key)", async () => {
        assert.deepEqual(await preview(S07, [backupKey, { ...vault, propertyDependencies: {} }, plan, db, selection]), [
            'postgres: RDS instance is backed up to vault "webstack", which is not encrypted with a customer-managed KMS key from the stack (kmsKeyArn is unset, default the aws/backup key) [finding backup-vault-key-webstack]',
        ]);
    });

    it("cannot decide conditions the program set from another resource's output", async () => {
        assert.deepEqual(await preview(S07, [backupKey, vault, plan, db, setFrom(selection, { conditions: ["plan"] })]), [cannotRun(S07, "conditions")]);
    });
});

describe("S08 on a rotation's status and a proxy's auth scheme the provider fills in", () => {
    const secret: Fixture = { type: "aws:secretsmanager/secret:Secret", name: "app-credentials", props: { name: "app-credentials", policy: U } };
    const rotation: Fixture = { type: "aws:secretsmanager/secretRotation:SecretRotation", name: "rotation", props: { secretId: U, rotationEnabled: U }, propertyDependencies: { secretId: ["app-credentials"] } };
    const proxy: Fixture = { type: "aws:rds/proxy:Proxy", name: "proxy", props: { auths: [{ secretArn: U, iamAuth: "DISABLED" }], defaultAuthScheme: U }, propertyDependencies: { auths: ["app-credentials"] } };
    const other: Fixture = { type: "aws:ssm/parameter:Parameter", name: "setting", props: {} };

    it("passes a proxy on a rotated secret: a rotation rotates unless the program turns it off", async () => {
        assert.deepEqual(await preview(S08, [secret, rotation, proxy]), []);
    });

    it("reports a rotation turned off, and an auth without a secret when the program did not choose IAM auth", async () => {
        assert.deepEqual(await preview(S08, [secret, withProps(rotation, { rotationEnabled: false }), proxy]), ['proxy: auth 1 uses secret "app-credentials", which no SecretRotation rotates [finding auth-1-rotation]']);
        assert.deepEqual(await preview(S08, [{ ...proxy, props: { auths: [{ iamAuth: "REQUIRED" }], defaultAuthScheme: U }, propertyDependencies: {} }]), ["proxy: auth 1 names no secret (secretArn is not set) [finding auth-1]"]);
    });

    it("cannot decide a rotation status the program set from another resource's output", async () => {
        assert.deepEqual(await preview(S08, [secret, setFrom(rotation, { rotationEnabled: ["setting"] }), other, proxy]), [cannotRun(S08, "rotationEnabled")]);
    });
});

describe("S11 on a flow log destination the provider fills in", () => {
    const group: Fixture = { type: "aws:cloudwatch/logGroup:LogGroup", name: "flows", props: { name: "flows", arn: U, tags: PROD_TAGS }, protect: false };
    const flowLog: Fixture = { type: "aws:ec2/flowLog:FlowLog", name: "flow", props: { logDestination: U, trafficType: "ALL" } };

    it("finds the audit group through a destination the program set, and reports it unprotected", async () => {
        assert.deepEqual(await preview(S11, [group, setFrom(flowLog, { logDestination: ["flows"] })]), [
            "flows: production log group receiving VPC flow logs is not protected from deletion (set the protect resource option; retainOnDelete is not visible to policies) [finding protect]",
        ]);
        assert.deepEqual(await preview(S11, [{ ...group, protect: true }, setFrom(flowLog, { logDestination: ["flows"] })]), []);
    });

    it("takes a destination the program did not set for none, without stopping", async () => {
        assert.deepEqual(await preview(S11, [group, flowLog]), []);
    });
});

describe("R02 on a listener's protocol the provider fills in", () => {
    const iam: Fixture = { type: "aws:iam/serverCertificate:ServerCertificate", name: "legacy-cert", props: { name: "legacy-cert" } };
    const acm: Fixture = { type: "aws:acm/certificateValidation:CertificateValidation", name: "validated", props: { certificateArn: U } };
    const listener = (props: Record<string, unknown>, certificate: string): Fixture => ({
        type: "aws:lb/listener:Listener",
        name: "web",
        props: { port: 443, certificateArn: U, protocol: U, sslPolicy: U, ...props },
        propertyDependencies: { certificateArn: [certificate] },
    });
    const TLS = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    it("passes an HTTPS listener on an ACM certificate, and skips one whose protocol the program did not set (HTTP)", async () => {
        assert.deepEqual(await preview(R02, [acm, listener({ protocol: "HTTPS", sslPolicy: TLS }, "validated")]), []);
        assert.deepEqual(await preview(R02, [iam, listener({}, "legacy-cert")]), []);
    });

    it("reports an HTTPS listener on an IAM certificate", async () => {
        assert.deepEqual(await preview(R02, [iam, listener({ protocol: "HTTPS", sslPolicy: TLS }, "legacy-cert")]), [
            'web: HTTPS listener on port 443 uses IAM server certificate "legacy-cert" instead of an ACM certificate [finding certificate]',
        ]);
    });

    it("cannot decide a protocol the program set from another resource's output (neither phase)", async () => {
        const other: Fixture = { type: "aws:ssm/parameter:Parameter", name: "setting", props: {} };
        assert.deepEqual(await preview(R02, [iam, other, setFrom(listener({ sslPolicy: TLS }, "legacy-cert"), { protocol: ["setting"] })]), [cannotRun(R02, "protocol"), cannotRun(R02, "protocol", "web")]);
    });
});
