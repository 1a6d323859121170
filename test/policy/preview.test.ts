// Rules during `pulumi preview` of a new stack: ids and ARNs of new resources are unknown, property
// dependencies (and physical names) are known. References resolve through the dependencies.
import * as assert from "assert/strict";
import type { Node } from "../../policy/lib/graph";
import { reachability } from "../../policy/lib/reachability";
import { UNKNOWN_VALUE, isUnknownValue, known, knownItems } from "../../policy/lib/values";
import { S06 } from "../../policy/rules/cloudfront";
import { S10 } from "../../policy/rules/iam";
import { R02 } from "../../policy/rules/lb";
import { S09 } from "../../policy/rules/logging";
import { R26, R27, S02, S03, S04, S05 } from "../../policy/rules/network";
import { S07 } from "../../policy/rules/rds";
import { R14, R37, S01 } from "../../policy/rules/s3";
import { S08 } from "../../policy/rules/secrets";
import { DIST_ARN, PROD_TAGS, UNKNOWN, cloudFrontRead, doc, findings, tlsDeny, type Fixture } from "../helpers/policy";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require("@pulumi/policy/proxy") as { unknownCheckingProxy<V extends object>(v: V): V; UnknownValueError: new (...args: never[]) => Error };

const cannotRun = (policy: { name: string }, path: string) => `(stack): can't run policy '${policy.name}' during preview: string value at .${path} can't be known during preview`;

describe("values known only after deploy", () => {
    const props = sdk.unknownCheckingProxy({ arn: UNKNOWN, name: "site-abc", list: ["sg-1", UNKNOWN], nested: { key: UNKNOWN } });

    it("known() reads an unknown value as UNKNOWN_VALUE without tripping the SDK's proxy", () => {
        assert.equal(known(props, "arn"), UNKNOWN_VALUE);
        assert.equal(known(props, "name"), "site-abc");
        assert.equal(known(props, "missing"), undefined);
        assert.throws(() => props.arn, sdk.UnknownValueError);
    });

    it("keeps guarding what it hands back: an unknown nested in a known object still stops a rule that reads it", () => {
        const nested = known(props, "nested") as { key: unknown };
        assert.throws(() => nested.key, sdk.UnknownValueError);
        assert.equal(known(nested, "key"), UNKNOWN_VALUE);
    });

    it("knownItems() reads list items one by one, and reads the same on plain objects", () => {
        assert.deepEqual(knownItems(known(props, "list")), ["sg-1", UNKNOWN_VALUE]);
        assert.deepEqual(knownItems(UNKNOWN_VALUE), [UNKNOWN_VALUE]);
        assert.deepEqual(knownItems(known({ list: [UNKNOWN] }, "list")), [UNKNOWN_VALUE]);
        assert.ok(isUnknownValue(UNKNOWN) && isUnknownValue(UNKNOWN_VALUE) && !isUnknownValue("sg-1"));
    });
});

describe("references resolved through property dependencies before deploy", () => {
    describe("S3 settings: `bucket` is the bucket's id", () => {
        const bucket: Fixture = { type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "site-abc", tags: PROD_TAGS } };
        const other: Fixture = { type: "aws:s3/bucket:Bucket", name: "other", props: { bucket: "other-abc" } };
        const pab = (target: string): Fixture => ({
            type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            name: `${target}-pab`,
            props: { bucket: UNKNOWN, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            propertyDependencies: { bucket: [target] },
        });

        it("R37: a public access block whose bucket id is unknown belongs to the bucket it was computed from", async () => {
            assert.deepEqual(await findings(R37, [bucket, pab("site")]), []);
        });

        it("R37: one computed from another bucket does not cover this one", async () => {
            assert.deepEqual(await findings(R37, [bucket, other, pab("other")]), ["site: bucket has no public access block [finding missing]"]);
        });

        it("R14: the key of an encryption configuration is a stack key, and SSE-S3 is allowed only on the bucket a logging resource writes to", async () => {
            const sse = (target: string, rule: object, deps: Record<string, string[]> = {}): Fixture => ({
                type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                name: `${target}-sse`,
                props: { bucket: UNKNOWN, rules: [rule] },
                propertyDependencies: { bucket: [target], ...deps },
            });
            const key: Fixture = { type: "aws:kms/key:Key", name: "site-key", props: { enableKeyRotation: true } };
            const logging: Fixture = {
                type: "aws:s3/bucketLogging:BucketLogging",
                name: "site-logging",
                props: { bucket: UNKNOWN, targetBucket: UNKNOWN, targetPrefix: "s3/" },
                propertyDependencies: { bucket: ["site"], targetBucket: ["other"] },
            };
            const kms = sse("site", { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN }, bucketKeyEnabled: true }, { rules: ["site-key"] });
            const aes = { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
            assert.deepEqual(await findings(R14, [bucket, other, key, kms, logging, sse("other", aes)]), []);
            assert.deepEqual(await findings(R14, [bucket, other, key, sse("site", aes), logging, sse("other", aes)]), [
                "site: encryption is SSE-S3 (AES256); only buckets receiving load balancer or S3 server access logs may use it, others need a customer-managed KMS key [finding sse-s3]",
            ]);
        });

        it("S01: a bucket policy whose document is unknown is R08's to report; S01 still fails a bucket without one", async () => {
            const policy: Fixture = { type: "aws:s3/bucketPolicy:BucketPolicy", name: "site-policy", props: { bucket: UNKNOWN, policy: UNKNOWN }, propertyDependencies: { bucket: ["site"] } };
            const logs = (target: string): Fixture => ({
                type: "aws:s3/bucketLogging:BucketLogging",
                name: `${target}-logging`,
                props: { bucket: UNKNOWN, targetBucket: "central-logs" },
                propertyDependencies: { bucket: [target] },
            });
            assert.deepEqual(await findings(S01, [bucket, policy, logs("site")]), []);
            assert.deepEqual(await findings(S01, [bucket, other, policy, logs("site"), logs("other")]), ["other: bucket has no bucket policy, so nothing denies requests without TLS [finding tls-policy]"]);
        });
    });

    describe("NAT gateway -> its Elastic IP (S05)", () => {
        const eip = (name: string): Fixture => ({ type: "aws:ec2/eip:Eip", name, props: { domain: "vpc" } });
        const nat = (name: string, of: string): Fixture => ({ type: "aws:ec2/natGateway:NatGateway", name, props: { allocationId: UNKNOWN }, propertyDependencies: { allocationId: [of] } });

        it("passes an address used by the NAT gateway computed from it", async () => {
            assert.deepEqual(await findings(S05, [eip("nat-0"), nat("nat-0-gw", "nat-0")]), []);
        });

        it("reports an address no NAT gateway was computed from", async () => {
            assert.deepEqual(await findings(S05, [eip("nat-0"), eip("spare"), nat("nat-0-gw", "nat-0")]), ["spare: spare is internet-facing: Elastic IP not used by a NAT gateway [finding public]"]);
        });
    });

    describe("security group rules -> their groups (R26, R27, S04)", () => {
        const SG = "aws:ec2/securityGroup:SecurityGroup";
        const group = (name: string): Fixture => ({ type: SG, name, props: { name: `${name}-1a2b3c4`, vpcId: UNKNOWN }, propertyDependencies: { vpcId: ["vpc"] } });
        const ingress = (name: string, to: string, port: number, from: string | { cidr: string }): Fixture => ({
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            name,
            props: { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: port, toPort: port, ...(typeof from === "string" ? { referencedSecurityGroupId: UNKNOWN } : { cidrIpv4: from.cidr }) },
            propertyDependencies: { securityGroupId: [to], ...(typeof from === "string" ? { referencedSecurityGroupId: [from] } : {}) },
        });
        const vpc: Fixture = { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.0.0.0/16" } };
        const lb: Fixture = { type: "aws:lb/loadBalancer:LoadBalancer", name: "alb", props: { internal: false, securityGroups: [UNKNOWN] }, propertyDependencies: { securityGroups: ["lb"] } };
        const rds: Fixture = { type: "aws:rds/instance:Instance", name: "postgres", props: { engine: "postgres", vpcSecurityGroupIds: [UNKNOWN] }, propertyDependencies: { vpcSecurityGroupIds: ["db"] } };
        const designed = [vpc, group("lb"), group("app"), group("db"), lb, rds, ingress("lb-https", "lb", 443, { cidr: "0.0.0.0/0" }), ingress("app-from-lb", "app", 8080, "lb"), ingress("db-from-app", "db", 5432, "app")];

        it("R26 decides a rule whose group ids are unknown: only its CIDR matters", async () => {
            assert.deepEqual(await findings(R26, designed), []);
            assert.deepEqual(await findings(R26, [vpc, group("app"), ingress("ssh", "app", 22, { cidr: "0.0.0.0/0" })]), ["ssh: ingress tcp/22 from 0.0.0.0/0: only TCP 443 and 80 may be open to the internet [finding world-tcp-22]"]);
        });

        it("S04 and R27 pass the designed paths", async () => {
            assert.deepEqual(await findings(S04, designed), []);
            assert.deepEqual(await findings(R27, designed), []);
        });

        it("S04 reports the database reachable from the load balancer's group; R27 a CIDR into the data tier", async () => {
            assert.deepEqual(await findings(S04, [...designed, ingress("db-from-lb", "db", 5432, "lb")]), ["db: data-tier group db accepts tcp/5432 from lb, an internet-facing group [finding source-lb]"]);
            assert.deepEqual(await findings(R27, [...designed, ingress("db-from-vpc", "db", 5432, { cidr: "10.0.0.0/16" })]), ["db: data-tier group db accepts tcp/5432 from CIDR 10.0.0.0/16 [finding cidr-10.0.0.0/16]"]);
        });

        it("cannot decide a reference whose dependencies name several candidates, and says which", async () => {
            const ambiguous: Fixture = { ...ingress("db-from-somewhere", "db", 5432, "app"), propertyDependencies: { securityGroupId: ["db"], referencedSecurityGroupId: ["app", "lb"] } };
            assert.deepEqual(await findings(S04, [...designed, ambiguous]), [cannotRun(S04, "db-from-somewhere.referencedSecurityGroupId")]);
        });

        it("the reachability view: paths through the dependencies when the view has them, none (and no error) without", () => {
            const plain = designed.map((f) => ({ type: f.type, name: f.name, urn: f.name, props: f.props }));
            assert.deepEqual(reachability(plain), []);
            const byName = new Map<string, Node & { propertyDependencies: Record<string, Node[]> }>(plain.map((n) => [n.name, { ...n, propertyDependencies: {} }]));
            for (const f of designed) {
                for (const [prop, names] of Object.entries(f.propertyDependencies ?? {})) byName.get(f.name)!.propertyDependencies[prop] = names.map((n) => byName.get(n)!);
            }
            assert.deepEqual(
                reachability([...byName.values()]).map((p) => `${p.to} ${p.port} from ${p.from}`),
                ["app tcp/8080 from lb", "db tcp/5432 from app", "lb tcp/443 from internet (0.0.0.0/0)"],
            );
        });

        it("S02: the flow log and the default group of a VPC are the ones computed from it", async () => {
            const flowLog: Fixture = { type: "aws:ec2/flowLog:FlowLog", name: "flow", props: { vpcId: UNKNOWN, trafficType: "ALL", logDestination: UNKNOWN }, propertyDependencies: { vpcId: ["vpc"] } };
            const closed: Fixture = { type: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", name: "default", props: { vpcId: UNKNOWN }, propertyDependencies: { vpcId: ["vpc"] } };
            const other: Fixture = { type: "aws:ec2/vpc:Vpc", name: "other", props: {} };
            assert.deepEqual(await findings(S02, [vpc, flowLog, closed]), []);
            assert.deepEqual(await findings(S02, [vpc, other, flowLog, { ...closed, propertyDependencies: { vpcId: ["other"] } }]), [
                "other: VPC other has no flow log of ALL traffic [finding flow-log]",
                "vpc: VPC vpc's default security group is not managed (its default rules stay) [finding default-security-group]",
            ]);
        });
    });

    describe("S03: subnet group -> subnets -> route table -> gateway", () => {
        const subnet = (name: string): Fixture => ({ type: "aws:ec2/subnet:Subnet", name, props: { cidrBlock: "10.0.0.0/24", vpcId: UNKNOWN } });
        const table = (name: string): Fixture => ({ type: "aws:ec2/routeTable:RouteTable", name, props: { vpcId: UNKNOWN } });
        const association = (s: string, t: string): Fixture => ({
            type: "aws:ec2/routeTableAssociation:RouteTableAssociation",
            name: `${s}-assoc`,
            props: { subnetId: UNKNOWN, routeTableId: UNKNOWN },
            propertyDependencies: { subnetId: [s], routeTableId: [t] },
        });
        const route = (name: string, t: string, via: { gatewayId: string } | { natGatewayId: string }): Fixture => ({
            type: "aws:ec2/route:Route",
            name,
            props: { routeTableId: UNKNOWN, destinationCidrBlock: "0.0.0.0/0", ...Object.fromEntries(Object.keys(via).map((k) => [k, UNKNOWN])) },
            propertyDependencies: { routeTableId: [t], ...Object.fromEntries(Object.entries(via).map(([k, v]) => [k, [v]])) },
        });
        const base = [
            subnet("private-0"),
            subnet("public-0"),
            table("private"),
            table("public"),
            association("private-0", "private"),
            association("public-0", "public"),
            { type: "aws:ec2/internetGateway:InternetGateway", name: "igw", props: {} },
            { type: "aws:ec2/natGateway:NatGateway", name: "nat", props: {} },
            route("public-internet", "public", { gatewayId: "igw" }),
            route("private-nat", "private", { natGatewayId: "nat" }),
        ];
        const rdsIn = (s: string): Fixture[] => [
            { type: "aws:rds/subnetGroup:SubnetGroup", name: "db-subnets", props: { name: "db-subnets-1a2b3c4", subnetIds: [UNKNOWN] }, propertyDependencies: { subnetIds: [s] } },
            { type: "aws:rds/instance:Instance", name: "postgres", props: { dbSubnetGroupName: "db-subnets-1a2b3c4" } },
        ];

        it("passes a database in a subnet routed through NAT", async () => {
            assert.deepEqual(await findings(S03, [...base, ...rdsIn("private-0")]), []);
        });

        it("reports one in a subnet whose table routes to the internet gateway", async () => {
            assert.deepEqual(await findings(S03, [...base, ...rdsIn("public-0")]), ["postgres: postgres uses subnet public-0, whose route table public routes to an internet gateway [finding subnet-public-0]"]);
        });
    });

    describe("CloudFront origin -> bucket and origin access control (S06)", () => {
        const bucket: Fixture = { type: "aws:s3/bucket:Bucket", name: "site", props: { bucket: "site-abc" } };
        const policy = (document: string): Fixture => ({ type: "aws:s3/bucketPolicy:BucketPolicy", name: "site-policy", props: { bucket: "site-abc", policy: document }, propertyDependencies: { policy: ["cdn"] } });
        const oac = (signingBehavior: string): Fixture => ({
            type: "aws:cloudfront/originAccessControl:OriginAccessControl",
            name: "oac",
            props: { name: "oac-1a2b3c4", originAccessControlOriginType: "s3", signingBehavior, signingProtocol: "sigv4" },
        });
        const cdn = (arn: string): Fixture => ({
            type: "aws:cloudfront/distribution:Distribution",
            name: "cdn",
            props: { arn, origins: [{ originId: "site", domainName: UNKNOWN, originAccessControlId: UNKNOWN }] },
            propertyDependencies: { origins: ["site", "oac"] },
        });
        const granted = doc(tlsDeny("site-abc"), cloudFrontRead("site-abc"));

        it("passes an origin whose bucket and OAC are known only through the dependencies", async () => {
            assert.deepEqual(await findings(S06, [bucket, policy(granted), oac("always"), cdn(DIST_ARN)]), []);
        });

        it("reports the signing of the OAC the origin was computed from", async () => {
            assert.deepEqual(await findings(S06, [bucket, policy(granted), oac("never"), cdn(DIST_ARN)]), ['oac: origin access control has signingBehavior "never", not "always" [finding signing-behavior]']);
        });

        it("reports a hand-written SourceArn for a distribution created in this preview: no existing ARN can name it", async () => {
            assert.deepEqual(await findings(S06, [bucket, policy(granted), oac("always"), cdn(UNKNOWN)]), [
                `cdn: bucket site grants CloudFront s3:GetObject for "${DIST_ARN}", not this distribution's ARN (unknown) [finding origin-site-source-arn]`,
            ]);
        });

        it("decides everything else, then leaves one advisory for the SourceArn that names the new distribution", async () => {
            assert.deepEqual(await findings(S06, [bucket, policy(UNKNOWN), oac("never"), cdn(UNKNOWN)]), [
                cannotRun(S06, "cdn.arn"),
                'oac: origin access control has signingBehavior "never", not "always" [finding signing-behavior]',
            ]);
        });
    });

    describe("roles, secrets, topics, certificates, backups", () => {
        const role = (name: string): Fixture => ({ type: "aws:iam/role:Role", name, props: { name: `${name}-1a2b3c4` } });
        const task = (taskRole: string, executionRole: string): Fixture => ({
            type: "aws:ecs/taskDefinition:TaskDefinition",
            name: "api",
            props: { family: "api", taskRoleArn: UNKNOWN, executionRoleArn: UNKNOWN, containerDefinitions: "[]" },
            propertyDependencies: { taskRoleArn: [taskRole], executionRoleArn: [executionRole] },
        });

        it("S10: a task role computed from the execution role is the execution role", async () => {
            assert.deepEqual(await findings(S10, [role("task"), role("execution"), task("task", "execution")]), []);
            assert.deepEqual(await findings(S10, [role("execution"), task("execution", "execution")]), [
                "api: task role execution-1a2b3c4 is also the execution role, so the application holds the permissions ECS uses to start it [finding task-role-is-execution-role]",
            ]);
        });

        it("S08: a proxy's secret known only after deploy must be rotated", async () => {
            const secret: Fixture = { type: "aws:secretsmanager/secret:Secret", name: "app-credentials", props: { name: "app-credentials" } };
            const rotation: Fixture = { type: "aws:secretsmanager/secretRotation:SecretRotation", name: "rotation", props: { secretId: UNKNOWN }, propertyDependencies: { secretId: ["app-credentials"] } };
            const proxy: Fixture = { type: "aws:rds/proxy:Proxy", name: "proxy", props: { auths: [{ secretArn: UNKNOWN, iamAuth: "DISABLED" }] }, propertyDependencies: { auths: ["app-credentials"] } };
            assert.deepEqual(await findings(S08, [secret, rotation, proxy]), []);
            assert.deepEqual(await findings(S08, [secret, proxy]), ['proxy: auth 1 uses secret "app-credentials", which no SecretRotation rotates [finding auth-1-rotation]']);
        });

        it("S09: alarm actions known only after deploy are fine when computed from stack topics", async () => {
            const topic: Fixture = { type: "aws:sns/topic:Topic", name: "alarms", props: { name: "alarms-1a2b3c4" } };
            const fn: Fixture = { type: "aws:lambda/function:Function", name: "handler", props: {} };
            const alarm = (from: string): Fixture => ({ type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: "cpu", props: { alarmActions: [UNKNOWN] }, propertyDependencies: { alarmActions: [from] } });
            assert.deepEqual(await findings(S09, [topic, alarm("alarms")]), []);
            assert.deepEqual(await findings(S09, [topic, fn, alarm("handler")]), [cannotRun(S09, "cpu.alarmActions")]);
        });

        it("R02: a listener's certificate known only after deploy is checked in the stack phase by what it was computed from", async () => {
            const listener = (from: string): Fixture => ({
                type: "aws:lb/listener:Listener",
                name: "https",
                props: { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: UNKNOWN },
                propertyDependencies: { certificateArn: [from] },
            });
            const acm: Fixture = { type: "aws:acm/certificateValidation:CertificateValidation", name: "validated", props: { certificateArn: UNKNOWN } };
            const iam: Fixture = { type: "aws:iam/serverCertificate:ServerCertificate", name: "legacy-cert", props: { name: "legacy-cert" } };
            assert.deepEqual(await findings(R02, [acm, listener("validated")]), []);
            assert.deepEqual(await findings(R02, [iam, listener("legacy-cert")]), ['https: HTTPS listener on port 443 uses IAM server certificate "legacy-cert" instead of an ACM certificate [finding certificate]']);
        });

        it("S07: a backup selection names a database by the ARN computed from it", async () => {
            const key: Fixture = { type: "aws:kms/key:Key", name: "backup-key", props: {} };
            const vault: Fixture = { type: "aws:backup/vault:Vault", name: "vault", props: { name: "webstack", kmsKeyArn: UNKNOWN }, propertyDependencies: { kmsKeyArn: ["backup-key"] } };
            const plan: Fixture = { type: "aws:backup/plan:Plan", name: "plan", props: { name: "daily", rules: [{ ruleName: "daily", targetVaultName: "webstack" }] } };
            const db: Fixture = { type: "aws:rds/instance:Instance", name: "postgres", props: { engine: "postgres", arn: UNKNOWN, tags: { ...PROD_TAGS, Environment: "staging" } } };
            const other: Fixture = { ...db, name: "reports" };
            const selection: Fixture = { type: "aws:backup/selection:Selection", name: "all", props: { planId: UNKNOWN, resources: [UNKNOWN] }, propertyDependencies: { planId: ["plan"], resources: ["postgres"] } };
            assert.deepEqual(await findings(S07, [key, vault, plan, db, selection]), []);
            assert.deepEqual(await findings(S07, [key, vault, plan, db, other, selection]), ["reports: RDS instance is not selected by any AWS Backup selection [finding backup-missing]"]);
        });
    });
});
