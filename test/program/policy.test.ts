import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert/strict";
import * as path from "path";
import { POLICIES, RULES } from "../../policy/rules";
import type { Graph, RecordedResource } from "../../tools/engine/graph";
import { evaluatePolicies } from "../../tools/policy/evaluate";
import { readPackConfig } from "../../tools/policy/pack";
import { ROOT, planStack } from "../helpers/engine";

const packConfig = (stack: string) => readPackConfig(path.join(ROOT, "policy", "config", `${stack}.json`));
const MODES = [
    { mode: "plan", preview: false },
    { mode: "plan --preview", preview: true },
] as const;

const cannotRun = (policy: string, path: string) => `can't run policy '${policy}' during preview: string value at .${path} can't be known during preview`;

/**
 * The only advisories `pulumi preview` of a new stack leaves (README, "Policy pack"): the content
 * bucket's policy and its key's policy let CloudFront in only for this distribution (AWS:SourceArn),
 * whose ARN AWS assigns when it creates it. R08 and R39 cannot read that bucket policy, R16 that key
 * policy, and S06 decides everything else (origin bucket, OAC, policies present) but that SourceArn.
 * (S01 needs the same document to see the TLS deny, and leaves it to R08's advisory.)
 */
const IAM_RULES = ["R21-iam-no-star-actions", "R22-iam-no-service-wildcards", "R23-iam-star-resource-allow-list", "R77-iam-bounded-wildcards"];
const iamUndecided = (policy: string) => IAM_RULES.map((rule) => [rule, policy, cannotRun(rule, "policy")]);
const PREVIEW_ADVISORIES = [
    ["R08-bucket-policy-denies-non-tls", "site-content", cannotRun("R08-bucket-policy-denies-non-tls", "policy")],
    ["R16-kms-policy-no-public-principal", "site-content", cannotRun("R16-kms-policy-no-public-principal", "policy")],
    ["R39-bucket-policy-not-public", "site-content", cannotRun("R39-bucket-policy-not-public", "policy")],
    ["S06-cloudfront-bucket-access", "(stack)", cannotRun("S06-cloudfront-bucket-access", "site-cdn.arn")],
    // The task's rds-db:connect names RDS Proxy's resource id (prx-...), which AWS assigns at create.
    ...iamUndecided("api-task-database"),
];
/** Staging's RDS-managed password: the proxy reads RDS's secret, whose ARN RDS assigns at create. */
const STAGING_PREVIEW_ADVISORIES = iamUndecided("db-proxy");

/**
 * Staging's advisories in both modes: its distribution has no WAF web ACL (`webstack:site.waf` is false there), and
 * its load balancer has no deletion protection (so `pulumi destroy` of a test stack needs no extra step).
 */
const STAGING_ADVISORIES = [
    ["R35-lb-access-logs-deletion-protection", "api-alb", "deletion protection is off (enableDeletionProtection is false) [finding deletion-protection]"],
    ["R46-cloudfront-waf", "site-cdn", "distribution has no WAF web ACL (webAclId is not set) [finding waf]"],
    // A single-AZ database and one cache node, without deletion protection: cost-driven, MP rules.
    ["R42-rds-production-resilience", "db-postgres", "instance is not Multi-AZ (multiAz is false) [finding multi-az]"],
    ["R42-rds-production-resilience", "db-postgres", "instance has no deletion protection (deletionProtection is false) [finding deletion-protection]"],
    ["R75-elasticache-resilience", "cache-group", "replication group does not fail over automatically (automaticFailoverEnabled is false) [finding failover]"],
    ["R75-elasticache-resilience", "cache-group", "replication group is not Multi-AZ (multiAzEnabled is false) [finding multi-az]"],
];

describe("policy pack on the program", () => {
    for (const stack of ["staging", "production"]) {
        for (const { mode, preview } of MODES) {
            it(`passes ${stack} under ${mode} with zero mandatory violations and ${preview ? "only the advisories of values AWS assigns at create" : "no advisories"}${stack === "staging" ? " (and R35, R42, R46, R75: no deletion protection, no WAF, one zone for the data)" : ""}`, async () => {
                const verdict = await evaluatePolicies(await planStack(stack, {}, { preview }), POLICIES, packConfig(stack));
                assert.deepEqual(verdict.mandatory, []);
                const advisories = verdict.advisory.map((f) => [f.policy, f.resource ?? "(stack)", f.message]).sort((a, b) => a.join().localeCompare(b.join()));
                // Staging runs without a WAF web ACL (cost) and load balancer deletion protection: R35 and R46 are MP, advisories there.
                const expected = [
                    ...(stack === "staging" ? STAGING_ADVISORIES : []),
                    ...(preview ? PREVIEW_ADVISORIES : []),
                    ...(preview && stack === "staging" ? STAGING_PREVIEW_ADVISORIES : []),
                ].sort((a, b) => a.join().localeCompare(b.join()));
                assert.deepEqual(advisories, expected);
            });
        }
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
            "R46-cloudfront-waf",
            "R59-dynamodb-deletion-protection-capacity",
            "R64-lambda-tracing-multi-az",
            "R75-elasticache-resilience",
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
     * property it guards on one recorded resource (inputs and outputs alike) and check the rule fires,
     * after deploy (`plan`) and in the preview of a new stack (`plan --preview`). A mutation changes
     * inputs as a bad pull request would: it writes literals and reads only values known before deploy
     * (physical names, not ids or ARNs), so it means the same in both graphs.
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
    /** A bucket policy a pull request could write by hand: the TLS deny and a CloudFront grant for another distribution. */
    const otherDistributionGrant = (p: Record<string, unknown>) => {
        const bucket = `arn:aws:s3:::${String(p.bucket)}`;
        p.policy = JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket, `${bucket}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
                {
                    Sid: "CloudFrontReads",
                    Effect: "Allow",
                    Principal: { Service: "cloudfront.amazonaws.com" },
                    Action: "s3:GetObject",
                    Resource: `${bucket}/*`,
                    Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/EOTHER" } },
                },
            ],
        });
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
        { rule: "R26", resource: "network-in-cloudfront-https:aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", change: (p) => Object.assign(p, { cidrIpv4: "0.0.0.0/0", prefixListId: undefined, fromPort: 22, toPort: 22 }) },
        { rule: "R28", resource: "network-default:aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", change: (p) => (p.ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]) },
        { rule: "R29", resource: "network-flow-log:aws:ec2/flowLog:FlowLog", change: (p) => (p.trafficType = "REJECT") },
        { rule: "R30", resource: "network-public-0:aws:ec2/subnet:Subnet", change: (p) => (p.mapPublicIpOnLaunch = true) },
        { rule: "S02", resource: "network-default:aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", change: (p) => (p.vpcId = "vpc-elsewhere") },
        { rule: "S05", resource: "network-nat-0:aws:ec2/natGateway:NatGateway", change: (p) => (p.allocationId = "eipalloc-elsewhere") },
        { rule: "S11", resource: "network-flow-logs:aws:kms/key:Key", change: (_p, r) => (r.protect = false) },
        { rule: "S11", resource: "network-flow-logs:aws:cloudwatch/logGroup:LogGroup", change: (_p, r) => (r.protect = false) },
        // StaticSite
        { rule: "R04", resource: "site-cdn:aws:cloudfront/distribution:Distribution", change: (p) => ((p.defaultCacheBehavior as Record<string, unknown>).viewerProtocolPolicy = "allow-all") },
        { rule: "R05", resource: "site-cdn:aws:cloudfront/distribution:Distribution", change: (p) => ((p.viewerCertificate as Record<string, unknown>).minimumProtocolVersion = "TLSv1") },
        { rule: "R07", resource: "site-cdn:aws:cloudfront/distribution:Distribution", change: (p) => delete (p.origins as Record<string, unknown>[])[0].originAccessControlId },
        { rule: "R08", resource: "site-logs:aws:s3/bucketPolicy:BucketPolicy", change: (p) => doc(p, "policy", (d) => d.Statement.shift()) },
        { rule: "R14", resource: "site-content:aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", change: (p) => (p.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]) },
        { rule: "R19", resource: "site-file-index.html:aws:s3/bucketObjectv2:BucketObjectv2", change: (p) => delete (p.tags as Record<string, string>).Owner },
        { rule: "R37", resource: "site-content:aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", change: (p) => (p.blockPublicPolicy = false) },
        { rule: "R38", resource: "site-content:aws:s3/bucketOwnershipControls:BucketOwnershipControls", change: (p) => (p.rule = { objectOwnership: "ObjectWriter" }) },
        // An Optional+Computed input the program did not set (unknown at preview) that a pull request sets.
        { rule: "R38", resource: "site-content:aws:s3/bucket:Bucket", change: (p) => (p.acl = "public-read") },
        { rule: "R39", resource: "site-logs:aws:s3/bucketPolicy:BucketPolicy", change: (p) => doc(p, "policy", (d) => (d.Statement[1].Principal = "*")) },
        {
            rule: "R39",
            resource: "site-logs:aws:s3/bucketPolicy:BucketPolicy",
            change: (p) =>
                doc(p, "policy", (d) =>
                    d.Statement.push({
                        Effect: "Allow",
                        Principal: { Service: "cloudfront.amazonaws.com" },
                        Action: "s3:ListBucket",
                        Resource: "arn:aws:s3:::*",
                        Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/EXAMPLE" } },
                    }),
                ),
        },
        { rule: "S01", resource: "site-content:aws:s3/bucketVersioning:BucketVersioning", change: (p) => (p.versioningConfiguration = { status: "Suspended" }) },
        { rule: "S01", resource: "site-content:aws:s3/bucketLogging:BucketLogging", change: (p) => delete p.targetBucket },
        { rule: "S06", resource: "site-content:aws:s3/bucketPolicy:BucketPolicy", change: otherDistributionGrant },
        { rule: "S06", resource: "site-oac:aws:cloudfront/originAccessControl:OriginAccessControl", change: (p) => (p.signingBehavior = "no-override") },
        { rule: "S11", resource: "site-content:aws:s3/bucket:Bucket", change: (_p, r) => (r.protect = false) },
        { rule: "R46", resource: "site-cdn:aws:cloudfront/distribution:Distribution", change: (p) => delete p.webAclId },
        { rule: "R47", resource: "site-cdn-logs:aws:cloudwatch/logDeliverySource:LogDeliverySource", change: (p) => (p.logType = "CONNECTION_LOGS") },
        { rule: "R48", resource: "site-cdn:aws:cloudfront/distribution:Distribution", change: (p) => delete p.defaultRootObject },
        { rule: "R52", resource: "site-waf:aws:wafv2/webAcl:WebAcl", change: (p) => ((p.visibilityConfig as Record<string, unknown>).cloudwatchMetricsEnabled = false) },
        { rule: "R52", resource: "site-waf:aws:wafv2/webAcl:WebAcl", change: (p) => (p.rules = []) },
        { rule: "R53", resource: "site-waf:aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", change: (p) => (p.resourceArn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/other/0f1e2d3c") },
        { rule: "R53", resource: "site-waf:aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", change: (p) => (p.logDestinationConfigs = ["arn:aws:logs:us-east-1:123456789012:log-group:site-waf"]) },
        { rule: "R54", resource: "site-certificate:aws:acm/certificate:Certificate", change: (p) => (p.keyAlgorithm = "RSA_1024") },
        { rule: "R14", resource: "site-content:aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", change: (p) => ((p.rules as Record<string, unknown>[])[0].bucketKeyEnabled = false) },
        { rule: "R69", resource: "network-in-cloudfront-https:aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", change: (p) => delete p.description },
        { rule: "R69", resource: "network-app:aws:ec2/securityGroup:SecurityGroup", change: (p) => (p.description = "Managed by Pulumi") },
        {
            rule: "R72",
            resource: "site-logs:aws:s3/bucketPolicy:BucketPolicy",
            change: (p) =>
                doc(p, "policy", (d) =>
                    d.Statement.push({ Sid: "Partner", Effect: "Allow", Principal: { AWS: "arn:aws:iam::999988887777:root" }, Action: "s3:*", Resource: `arn:aws:s3:::${String(p.bucket)}/*` }),
                ),
        },
        { rule: "R76", resource: "network-flow-logs:aws:kms/key:Key", change: (p) => delete p.description },
        { rule: "R77", resource: "network-flow-logs:aws:iam/rolePolicy:RolePolicy", change: (p) => doc(p, "policy", (d) => (d.Statement[0].Action = "logs:Put*")) },
        { rule: "R77", resource: "network-flow-logs:aws:iam/rolePolicy:RolePolicy", change: (p) => doc(p, "policy", (d) => (d.Statement[0].Resource = "arn:aws:logs:*:*:log-group:*")) },
        { rule: "R78", resource: "network-flow-logs:aws:iam/role:Role", change: (p) => (p.managedPolicyArns = ["arn:aws:iam::aws:policy/CloudWatchLogsFullAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"]) },
        { rule: "R79", resource: "site-content:aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", change: (p) => ((p.rules as Record<string, unknown>[])[0].status = "Disabled") },
        { rule: "R79", resource: "site-content:aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", change: (p) => delete (p.rules as Record<string, unknown>[])[0].noncurrentVersionExpiration },
        // ApiCluster
        { rule: "R02", resource: "api-https:aws:lb/listener:Listener", change: (p) => (p.sslPolicy = "ELBSecurityPolicy-2016-08") },
        { rule: "R03", resource: "api-alb:aws:lb/loadBalancer:LoadBalancer", change: (p) => (p.dropInvalidHeaderFields = false) },
        { rule: "R35", resource: "api-alb:aws:lb/loadBalancer:LoadBalancer", change: (p) => (p.enableDeletionProtection = false) },
        { rule: "R49", resource: "api-alb:aws:lb/loadBalancer:LoadBalancer", change: (p) => (p.desyncMitigationMode = "monitor") },
        { rule: "R51", resource: "network-in-cloudfront-https:aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", change: (p) => Object.assign(p, { cidrIpv4: "0.0.0.0/0", prefixListId: undefined }) },
        { rule: "R51", resource: "api-https:aws:lb/listener:Listener", change: (p) => (p.defaultActions = [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-blue/0123456789abcdef" }]) },
        { rule: "R31", resource: "api-hosts:aws:ec2/launchTemplate:LaunchTemplate", change: (p) => ((p.metadataOptions as Record<string, unknown>).httpTokens = "optional") },
        { rule: "R68", resource: "api-hosts:aws:autoscaling/group:Group", change: (p) => (p.vpcZoneIdentifiers = ["subnet-0123456789abcdef0"]) },
        { rule: "R36", resource: "api-app:aws:ecs/taskDefinition:TaskDefinition", change: (p) => (p.containerDefinitions = JSON.stringify(JSON.parse(String(p.containerDefinitions)).map((c: object) => ({ ...c, readonlyRootFilesystem: false })))) },
        {
            rule: "R36",
            resource: "api-app:aws:ecs/taskDefinition:TaskDefinition",
            change: (p) =>
                (p.containerDefinitions = JSON.stringify(
                    JSON.parse(String(p.containerDefinitions)).map((c: { environment: object[] }) => ({ ...c, environment: [...c.environment, { name: "AWS_SECRET_ACCESS_KEY", value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }] })),
                )),
        },
        { rule: "R41", resource: "api-images:aws:ecr/repository:Repository", change: (p) => (p.imageTagMutability = "MUTABLE") },
        { rule: "R17", resource: "api-tasks:aws:cloudwatch/logGroup:LogGroup", change: (p) => delete p.kmsKeyId },
        { rule: "R19", resource: "api-service:aws:ecs/service:Service", change: (p) => delete (p.tags as Record<string, string>).Owner },
        { rule: "R23", resource: "api-execution:aws:iam/rolePolicy:RolePolicy", change: (p) => doc(p, "policy", (d) => (d.Statement[1].Resource = "*")) },
        { rule: "R23", resource: "api-hosts:aws:iam/rolePolicy:RolePolicy", change: (p) => doc(p, "policy", (d) => (d.Statement[0].Resource = "*")) },
        // Database, Cache, DisasterRecovery
        { rule: "R09", resource: "db-params:aws:rds/parameterGroup:ParameterGroup", change: (p) => (p.parameters = (p.parameters as { name: string }[]).filter((x) => x.name !== "rds.force_ssl")) },
        { rule: "R10", resource: "db-proxy:aws:rds/proxy:Proxy", change: (p) => (p.requireTls = false) },
        { rule: "R12", resource: "db-postgres:aws:rds/instance:Instance", change: (p) => (p.storageEncrypted = false) },
        { rule: "R33", resource: "db-postgres:aws:rds/instance:Instance", change: (p) => (p.publiclyAccessible = true) },
        { rule: "R42", resource: "db-postgres:aws:rds/instance:Instance", change: (p) => (p.multiAz = false) },
        { rule: "R74", resource: "db-instance-events:aws:rds/eventSubscription:EventSubscription", change: (p) => (p.enabled = false) },
        {
            rule: "S07",
            resource: "db-postgres:aws:rds/instance:Instance",
            change: (p) => {
                delete (p.tags as Record<string, string>).Backup;
                if (p.tagsAll) delete (p.tagsAll as Record<string, string>).Backup;
            },
        },
        { rule: "R65", resource: "db-rotation:aws:secretsmanager/secretRotation:SecretRotation", change: (p) => (p.rotationRules = { automaticallyAfterDays: 400 }) },
        { rule: "S08", resource: "db-rotation:aws:secretsmanager/secretRotation:SecretRotation", change: (p) => (p.secretId = "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-AbCdEf") },
        { rule: "R11", resource: "cache-group:aws:elasticache/replicationGroup:ReplicationGroup", change: (p) => (p.transitEncryptionMode = "preferred") },
        { rule: "R75", resource: "cache-group:aws:elasticache/replicationGroup:ReplicationGroup", change: (p) => (p.automaticFailoverEnabled = false) },
        { rule: "S11", resource: "dr-vault:aws:backup/vault:Vault", change: (_p, r) => (r.protect = false) },
    ];

    /**
     * Deep copy of plain objects and arrays, secrets unwrapped (a pull request edits the value, and policies
     * see it unwrapped anyway); class instances (assets) are shared, not cloned.
     */
    const clone = <V>(v: V): V => {
        const secret = v as Record<string, unknown> | null;
        if (typeof secret === "object" && secret !== null && secret[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return clone(secret.value) as V;
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

    for (const { mode, preview } of MODES) {
        it(`kills every mutation of the production graph under ${mode} (kill rate reported)`, async () => {
            const graph = await planStack("production", {}, { preview });
            const config = packConfig("production");
            const survivors: string[] = [];
            for (const m of mutations) {
                const verdict = await evaluatePolicies(mutated(graph, m), POLICIES, config);
                if (!verdict.mandatory.some((f) => f.policy.startsWith(`${m.rule}-`))) survivors.push(`${m.rule} on ${m.resource}`);
            }
            const killed = mutations.length - survivors.length;
            console.log(`      mutation kill rate (${mode}): ${killed}/${mutations.length} (${((100 * killed) / mutations.length).toFixed(0)}%)`);
            assert.deepEqual(survivors, []);
        });
    }
});
