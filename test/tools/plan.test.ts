import * as assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UNKNOWN } from "../../tools/engine/graph";
import { requiredOutputs, resourceDecl } from "../../tools/engine/outputs/schema";
import { runPlan } from "../helpers/cli";
import { ROOT } from "../helpers/engine";

/** A copy of a stack file with extra lines in its config block. */
function stackFileWith(stack: string, extraConfig: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-plan-"));
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    fs.writeFileSync(file, fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8") + extraConfig);
    return file;
}

const natLines = (out: string) => out.split("\n").filter((l) => l.includes("aws:ec2/natGateway:NatGateway  "));

/** A throwaway Pulumi project in a temp folder: no node_modules of its own. */
function throwawayProject(program: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-other-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: legacy-app\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n");
    fs.writeFileSync(path.join(dir, "index.ts"), program);
    return dir;
}

describe("npm run plan", () => {
    it("prints the staging tree with exactly one NAT gateway, counts and a summary", async () => {
        const { code, stdout, stderr } = await runPlan("--stack", "staging");
        assert.equal(code, 0, stderr);
        assert.match(stdout, /^webstack:network:Vpc +network$/m);
        assert.match(stdout, /^├─ aws:ec2\/vpc:Vpc +network-vpc +10\.20\.0\.0\/16$/m);
        assert.deepEqual(
            natLines(stdout).map((l) => l.replace(/ +/g, " ")),
            ["├─ aws:ec2/natGateway:NatGateway network-nat-0 in network-public-0 (us-east-1a)"],
        );
        // Counts are right-aligned to the widest (10 egress rules).
        assert.match(stdout, /^ {3}1 {2}aws:ec2\/natGateway:NatGateway$/m);
        assert.match(stdout, /^ {3}6 {2}aws:ec2\/subnet:Subnet$/m);
        assert.match(stdout, /^ {2}10 {2}aws:vpc\/securityGroupEgressRule:SecurityGroupEgressRule$/m);
        assert.match(stdout, /^Plan: 173 resources \(6 components, 167 cloud resources of 75 types\) for webstack\/staging in us-east-1, evaluated offline in \d+\.\d\d s$/m);
    });

    it("shows the StaticSite subtree: distribution, OAC, certificate and validation in us-east-1, records, bucket settings, one object per site file", async () => {
        const { code, stdout } = await runPlan("--stack", "production");
        assert.equal(code, 0);
        const tree = stdout.split("\n\nResources by type:")[0];
        const subtree = tree.slice(tree.indexOf("webstack:web:StaticSite")).split("\n").map((l) => l.replace(/ +/g, " "));
        for (const line of [
            "webstack:web:StaticSite site",
            "├─ aws:cloudfront/distribution:Distribution site-cdn webstack.example.com, www.webstack.example.com PriceClass_All",
            "├─ aws:cloudfront/originAccessControl:OriginAccessControl site-oac",
            "├─ aws:acm/certificate:Certificate site-certificate in us-east-1 webstack.example.com, www.webstack.example.com",
            "├─ aws:acm/certificateValidation:CertificateValidation site-certificate in us-east-1",
            "├─ aws:route53/record:Record site-apex-a A webstack.example.com",
            "├─ aws:route53/record:Record site-www-aaaa AAAA www.webstack.example.com",
            "├─ aws:s3/bucket:Bucket site-content",
            "├─ aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock site-content",
            "├─ aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration site-content",
            "├─ aws:wafv2/webAcl:WebAcl site-waf in us-east-1",
        ]) {
            assert.ok(subtree.includes(line), `missing: ${line}`);
        }
        const files = fs.readdirSync(path.join(ROOT, "site"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
        const objects = subtree.filter((l) => l.includes("aws:s3/bucketObjectv2:BucketObjectv2"));
        assert.equal(objects.length, files.length + 1, "every file in site/ plus site-config.json");
        assert.ok(objects.includes("├─ aws:s3/bucketObjectv2:BucketObjectv2 site-file-index.html text/html; charset=utf-8; no-cache"));
    });

    it("shows the ApiCluster subtree: EC2 hosts over two zones in production, Fargate in staging, canary releases with alarm rollback", async () => {
        const subtreeOf = (stdout: string) => {
            const tree = stdout.split("\n\nResources by type:")[0];
            const start = tree.indexOf("webstack:compute:ApiCluster");
            return tree.slice(start, tree.indexOf("\nwebstack:", start + 1)).split("\n").map((l) => l.replace(/ +/g, " ").replace(/-[0-9a-f]{7}\b/g, "-*"));
        };
        const [production, staging] = await Promise.all([runPlan("--stack", "production"), runPlan("--stack", "staging")]);
        assert.equal(production.code, 0);
        const prod = subtreeOf(production.stdout);
        for (const line of [
            "├─ aws:lb/loadBalancer:LoadBalancer api-alb internet-facing in us-east-1a, us-east-1b",
            "├─ aws:lb/listener:Listener api-https HTTPS:443 ELBSecurityPolicy-TLS13-1-2-Res-2021-06 default fixed-response",
            "├─ aws:lb/listenerRule:ListenerRule api-production forward weights 100/0 on header X-Origin-Verify",
            "├─ aws:lb/targetGroup:TargetGroup api-blue ip :8080 round_robin",
            "├─ aws:lb/targetGroup:TargetGroup api-green ip :8080 round_robin",
            "├─ aws:acm/certificate:Certificate api-certificate api.webstack.example.com",
            "├─ aws:acm/certificateValidation:CertificateValidation api-certificate",
            "├─ aws:route53/record:Record api-record A api.webstack.example.com",
            "├─ aws:ecs/cluster:Cluster api-cluster",
            "├─ aws:ecs/capacityProvider:CapacityProvider api-hosts managed scaling to 100%",
            "├─ aws:ec2/launchTemplate:LaunchTemplate api-hosts m6i.large IMDSv2 required",
            "├─ aws:autoscaling/group:Group api-hosts 4 hosts (4-10) over us-east-1a, us-east-1b",
            "├─ aws:ecs/taskDefinition:TaskDefinition api-app EC2 512 CPU 1024 MiB",
            // No image pushed yet (webstack:api.image unset): the service exists and runs nothing.
            "├─ aws:ecs/service:Service api-service 0 tasks on api-hosts-* CANARY 10% for 5 min, bake 15 min, rollback on 2 alarms",
            "├─ aws:cloudwatch/metricAlarm:MetricAlarm api-5xx-rate > 5",
            "├─ aws:cloudwatch/metricAlarm:MetricAlarm api-p99-latency > 1",
            "├─ aws:appautoscaling/policy:Policy api-cpu",
            "├─ aws:appautoscaling/policy:Policy api-requests",
            "├─ aws:ecr/repository:Repository api-images IMMUTABLE, scan on push",
            "├─ aws:iam/rolePolicyAttachment:RolePolicyAttachment api-releases AmazonECSInfrastructureRolePolicyForLoadBalancers",
        ]) {
            assert.ok(prod.includes(line), `production is missing: ${line}`);
        }
        assert.equal(prod.filter((l) => l.includes("aws:lb/listener:Listener")).length, 1, "CloudFront-only: no port 80 listener");
        assert.equal(staging.code, 0);
        const stag = subtreeOf(staging.stdout);
        assert.ok(stag.includes("├─ aws:ecs/service:Service api-service 0 tasks on FARGATE CANARY 10% for 5 min, bake 10 min, rollback on 2 alarms"), stag.join("\n"));
        assert.ok(stag.includes("├─ aws:ecs/taskDefinition:TaskDefinition api-app FARGATE 256 CPU 512 MiB"));
        for (const type of ["autoscaling/group:Group", "ec2/launchTemplate:LaunchTemplate", "ecs/capacityProvider:CapacityProvider"]) {
            assert.ok(!stag.some((l) => l.includes(type)), `staging (Fargate) has no ${type}`);
        }
    });

    it("shows the data tier: a Multi-AZ encrypted database behind a TLS-only proxy, two cache nodes in two zones, backups copied to a locked DR vault; single nodes and no DR vault in staging", async () => {
        const lines = (stdout: string) => stdout.split("\n\nResources by type:")[0].split("\n").map((l) => l.replace(/ +/g, " ").replace(/-[0-9a-f]{7}\b/g, "-*"));
        const [production, staging] = await Promise.all([runPlan("--stack", "production"), runPlan("--stack", "staging")]);
        assert.equal(production.code, 0);
        const prod = lines(production.stdout);
        for (const line of [
            "webstack:data:Database db",
            "├─ aws:rds/instance:Instance db-postgres postgres 17.5 db.m7g.large Multi-AZ, encrypted, backups 14 d, enhanced monitoring",
            "├─ aws:rds/parameterGroup:ParameterGroup db-params postgres17, rds.force_ssl 1",
            "├─ aws:rds/proxy:Proxy db-proxy TLS required, IAM auth REQUIRED",
            "├─ aws:secretsmanager/secretRotation:SecretRotation db-rotation every 30 days",
            "├─ aws:iam/rolePolicyAttachment:RolePolicyAttachment db-monitoring AmazonRDSEnhancedMonitoringRole",
            "webstack:data:Cache cache",
            "├─ aws:elasticache/replicationGroup:ReplicationGroup cache-group valkey 8.0 2 x cache.m7g.large in us-east-1a, us-east-1b, TLS required, KMS, Multi-AZ failover",
            "webstack:ops:DisasterRecovery dr",
            "├─ aws:backup/vault:Vault dr-vault",
            "├─ aws:backup/vault:Vault dr-dr-vault in us-west-2",
            "├─ aws:backup/plan:Plan dr-plan daily 35 d + copy; continuous 35 d point-in-time",
            "├─ aws:backup/selection:Selection dr-selection tag Backup=webstack-production",
            "├─ aws:backup/vaultLockConfiguration:VaultLockConfiguration dr-vault governance 7-365 d",
            "├─ aws:backup/vaultLockConfiguration:VaultLockConfiguration dr-dr-vault in us-west-2 governance 7-365 d",
            "├─ aws:backup/restoreTestingPlan:RestoreTestingPlan dr-restore-tests cron(0 6 ? * SUN *)",
        ]) {
            assert.ok(prod.includes(line), `production is missing: ${line}`);
        }
        assert.equal(staging.code, 0);
        const stag = lines(staging.stdout);
        assert.ok(stag.includes("├─ aws:rds/instance:Instance db-postgres postgres 17.5 db.t4g.micro single-AZ, encrypted, backups 7 d, enhanced monitoring"));
        assert.ok(stag.includes("├─ aws:elasticache/replicationGroup:ReplicationGroup cache-group valkey 8.0 1 x cache.t4g.micro in us-east-1a, TLS required, KMS"));
        assert.ok(stag.includes("├─ aws:backup/plan:Plan dr-plan daily 7 d; continuous 7 d point-in-time"));
        assert.ok(!stag.some((l) => l.includes("dr-dr-vault") || l.includes("VaultLockConfiguration")), "staging keeps no DR vault and no lock");
    });

    it("prints two production NAT gateways in two different zones", async () => {
        const { code, stdout } = await runPlan("--stack", "production");
        assert.equal(code, 0);
        assert.deepEqual(
            natLines(stdout).map((l) => l.replace(/ +/g, " ")),
            [
                "├─ aws:ec2/natGateway:NatGateway network-nat-0 in network-public-0 (us-east-1a)",
                "├─ aws:ec2/natGateway:NatGateway network-nat-1 in network-public-1 (us-east-1b)",
            ],
        );
    });

    it("--preview prints unknown values as [unknown] and the same reachability, surface and verdict as plan", async () => {
        const [plan, preview] = await Promise.all([runPlan("--stack", "production"), runPlan("--stack", "production", "--preview")]);
        assert.equal(plan.code, 0);
        assert.equal(preview.code, 0);
        assert.match(preview.stdout, /^Offline preview \(computed values unknown, as `pulumi preview` of a new stack\) of webstack\/production/);
        const section = (out: string) => out.slice(out.indexOf("Reachability"), out.indexOf("\nVerdict"));
        assert.ok(section(plan.stdout).includes("network-database  tcp/5432  from network-proxy"));
        assert.equal(section(preview.stdout), section(plan.stdout));
        assert.match(preview.stdout, /^Verdict: PASS: 0 mandatory violations, 8 advisories, 0 exempted findings$/m);
        assert.match(preview.stdout, /^ {2}vpcId: "\[unknown\]"\n/m);
        assert.match(preview.stdout, /^ {2}siteBucket: "site-content-[0-9a-f]{7}"\n/m);
    });

    it("prints every output each resource type declares in --json, masked, for both stacks and modes", async () => {
        for (const stack of ["staging", "production"]) {
            for (const mode of [[], ["--preview"]]) {
                const { code, stdout } = await runPlan("--stack", stack, "--json", ...mode);
                assert.equal(code, 0);
                const plan = JSON.parse(stdout) as { resources: { type: string; name: string; custom: boolean; outputs: Record<string, unknown> }[] };
                // At preview, optional inputs a program leaves out stay absent; every output the provider computes is there (unknown).
                const expected = (type: string) => (mode.length ? [...(resourceDecl(type)?.computed ?? [])] : requiredOutputs(type));
                const missing = plan.resources.filter((r) => r.custom).flatMap((r) => expected(r.type).filter((o) => r.outputs[o] === undefined).map((o) => `${r.type} ${r.name}: ${o}`));
                assert.deepEqual(missing, [], `${stack} ${mode.join("")}`);
                assert.ok(!stdout.includes(UNKNOWN), "unknown values print as [unknown]");
            }
        }
    });

    it("prints the same plan as JSON with type, name, parent and inputs of every resource", async () => {
        const { code, stdout } = await runPlan("--stack", "production", "--json");
        assert.equal(code, 0);
        const plan = JSON.parse(stdout) as {
            stack: string;
            counts: Record<string, number>;
            resources: { type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[];
        };
        assert.equal(plan.stack, "production");
        assert.equal(plan.resources.length, 199);
        assert.equal(plan.counts["aws:ec2/natGateway:NatGateway"], 2);
        const vpc = plan.resources.find((r) => r.name === "network-vpc");
        assert.equal(vpc?.parent, "urn:pulumi:production::webstack::webstack:network:Vpc::network");
        assert.equal(vpc?.inputs.cidrBlock, "10.10.0.0/16");
    });

    it("exits 1 naming webstack:network.cidr for a /33, without a stack trace", async () => {
        const file = stackFileWith("staging", `  webstack:network: {cidr: "10.0.0.0/33"}\n`);
        const { code, stdout, stderr } = await runPlan("--config-file", file);
        assert.equal(code, 1);
        assert.equal(stdout, "");
        assert.equal(
            stderr,
            "Invalid stack configuration (1 problem):\n" +
                `  - ${file}: webstack:network.cidr = "10.0.0.0/33" must be an IPv4 CIDR block such as 10.0.0.0/16 (four octets 0-255, prefix /0 to /32)\n`,
        );
    });

    it("exits 1 suggesting webstack:network for webstack:netwrok", async () => {
        const file = stackFileWith("production", `  webstack:netwrok: {azCount: 3}\n`);
        const { code, stderr } = await runPlan("--stack", "production", "--config-file", file);
        assert.equal(code, 1);
        assert.match(stderr, /webstack:netwrok is not a known key; did you mean webstack:network\?/);
        assert.doesNotMatch(stderr, /^\s+at /m);
    });

    it("exits 2 with the known stacks for a stack without a file, and with usage for a bad flag", async () => {
        const missing = await runPlan("--stack", "qa");
        assert.equal(missing.code, 2);
        assert.equal(missing.stderr, `stack file Pulumi.qa.yaml does not exist; stacks in ${ROOT}: production, staging\n`);
        const bad = await runPlan("--stak", "qa");
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /^Unknown option '--stak'/);
    });

    it("plans another project with --dir and exits 3 naming the checklist rules it breaks", async () => {
        const dir = throwawayProject(`
import * as aws from "@pulumi/aws";

const tags = { Environment: "dev", Owner: "legacy", CostCenter: "CC-9", Project: "legacy-app", Stack: "dev" };
new aws.s3.Bucket("uploads", { tags });
new aws.ec2.SecurityGroup("admin", {
    description: "admin access",
    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
    tags,
});
new aws.rds.Instance("db", {
    engine: "postgres",
    instanceClass: "db.t3.micro",
    allocatedStorage: 20,
    storageEncrypted: false,
    manageMasterUserPassword: true,
    username: "app",
    tags,
});
new aws.iam.Policy("admin", {
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
    tags,
});
`);
        const { code, stdout, stderr } = await runPlan("--dir", dir, "--stack", "dev");
        assert.equal(code, 3, stderr);
        const violations = stdout.split("Mandatory violations")[1].split("Advisories")[0];
        for (const id of ["R37", "R26", "R12", "R21"]) assert.match(violations, new RegExp(`^ +${id}-`, "m"), `${id} is reported`);
        assert.match(stdout, /^Verdict: FAIL: \d+ mandatory violations/m);
    });
});
