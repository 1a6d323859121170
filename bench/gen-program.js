// Writes a Pulumi TypeScript project of about <resources> resources into <dir>, for bench/plan.sh to
// plan with `--dir`: a shared base (a VPC with flow logs and a closed default security group, a log
// bucket), then tenants of 13 resources each (a component with a KMS key, an encrypted, versioned,
// logged, owner-enforced private bucket with a TLS-only policy, a log group, an IAM role with a scoped
// inline policy, and a security group), every taggable resource tagged, each depending on others
// through outputs as real programs do. It passes the webstack policy pack. Prints the resource count.
// Usage: node bench/gen-program.js <dir> <resources>
"use strict";
const fs = require("fs");
const path = require("path");

const [dir, count] = process.argv.slice(2);
const resources = Number(count);
if (!dir || !Number.isInteger(resources) || resources < 10) {
    console.error("usage: node bench/gen-program.js <dir> <resources (>= 10)>");
    process.exit(2);
}
const BASE = 12; // resources outside the tenants
const PER_TENANT = 13;
const tenants = Math.max(1, Math.round((resources - BASE) / PER_TENANT));

const program = `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config("bench");
const base = {
    Project: pulumi.getProject(),
    Stack: pulumi.getStack(),
    Environment: config.require("environment"),
    Owner: "platform",
    CostCenter: "cc-1234",
};
const tags = (component: string, name: string) => ({ ...base, Component: component, Name: name });

interface TenantArgs {
    readonly vpcId: pulumi.Input<string>;
    readonly logBucket: pulumi.Input<string>;
    readonly accountId: string;
}

class Tenant extends pulumi.ComponentResource {
    readonly bucketArn: pulumi.Output<string>;

    constructor(name: string, args: TenantArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("bench:data:Tenant", name, {}, opts);
        const parent = { parent: this };
        const stateful = { parent: this, protect: true };
        const key = new aws.kms.Key(\`\${name}-key\`, {
            description: \`\${name} data key\`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Sid: "Admin", Effect: "Allow", Principal: { AWS: \`arn:aws:iam::\${args.accountId}:root\` }, Action: "kms:*", Resource: "*" }],
            }),
            tags: tags(name, \`\${name}-key\`),
        }, stateful);
        const bucket = new aws.s3.Bucket(\`\${name}-data\`, { forceDestroy: false, tags: tags(name, \`\${name}-data\`) }, stateful);
        new aws.s3.BucketOwnershipControls(\`\${name}-data\`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
        new aws.s3.BucketLogging(\`\${name}-data\`, { bucket: bucket.id, targetBucket: args.logBucket, targetPrefix: \`\${name}/\` }, parent);
        new aws.s3.BucketPublicAccessBlock(\`\${name}-data\`, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, parent);
        new aws.s3.BucketServerSideEncryptionConfiguration(\`\${name}-data\`, {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
        }, parent);
        new aws.s3.BucketVersioning(\`\${name}-data\`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, parent);
        new aws.s3.BucketPolicy(\`\${name}-data\`, {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [bucket.arn, pulumi.interpolate\`\${bucket.arn}/*\`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                }],
            }),
        }, parent);
        const logs = new aws.cloudwatch.LogGroup(\`\${name}-logs\`, {
            retentionInDays: 365,
            kmsKeyId: key.arn,
            tags: tags(name, \`\${name}-logs\`),
        }, parent);
        const role = new aws.iam.Role(\`\${name}-worker\`, {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags: tags(name, \`\${name}-worker\`),
        }, parent);
        new aws.iam.RolePolicy(\`\${name}-worker\`, {
            role: role.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: pulumi.interpolate\`\${bucket.arn}/*\` },
                    { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: key.arn },
                    { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate\`\${logs.arn}:*\` },
                ],
            }),
        }, parent);
        new aws.ec2.SecurityGroup(\`\${name}-worker\`, {
            vpcId: args.vpcId,
            description: \`\${name} workers\`,
            tags: tags(name, \`\${name}-worker\`),
        }, parent);
        this.bucketArn = bucket.arn;
        this.registerOutputs({ bucketArn: this.bucketArn });
    }
}

const vpc = new aws.ec2.Vpc("bench", { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, tags: tags("network", "bench") });
new aws.ec2.DefaultSecurityGroup("bench-default", { vpcId: vpc.id, tags: tags("network", "bench-default") });
const flowKey = new aws.kms.Key("bench-flow-logs", {
    description: "flow logs key",
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "Admin", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }],
    }),
    tags: tags("network", "bench-flow-logs"),
}, { protect: true });
const flowLogs = new aws.cloudwatch.LogGroup("bench-flow-logs", { retentionInDays: 365, kmsKeyId: flowKey.arn, tags: tags("network", "bench-flow-logs") });
const flowRole = new aws.iam.Role("bench-flow-logs", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags: tags("network", "bench-flow-logs"),
});
new aws.iam.RolePolicy("bench-flow-logs", {
    role: flowRole.id,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate\`\${flowLogs.arn}:*\` }],
    }),
});
new aws.ec2.FlowLog("bench", { vpcId: vpc.id, trafficType: "ALL", logDestination: flowLogs.arn, iamRoleArn: flowRole.arn, tags: tags("network", "bench") });
const logs = new aws.s3.Bucket("bench-access-logs", { tags: tags("logging", "bench-access-logs") }, { protect: true });
new aws.s3.BucketOwnershipControls("bench-access-logs", { bucket: logs.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
new aws.s3.BucketPublicAccessBlock("bench-access-logs", {
    bucket: logs.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
});
new aws.s3.BucketServerSideEncryptionConfiguration("bench-access-logs", {
    bucket: logs.id,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
});
new aws.s3.BucketPolicy("bench-access-logs", {
    bucket: logs.id,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [logs.arn, pulumi.interpolate\`\${logs.arn}/*\`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                Sid: "S3ServerAccessLogs",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: pulumi.interpolate\`\${logs.arn}/*\`,
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
            },
        ],
    }),
});
const tenants = Array.from({ length: ${tenants} }, (_, i) => new Tenant(\`tenant\${i}\`, { vpcId: vpc.id, logBucket: logs.id, accountId: "123456789012" }));
export const buckets = tenants.map((t) => t.bucketArn);
`;

fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: bench\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n  bench:environment: production\n");
fs.writeFileSync(path.join(dir, "index.ts"), program);
console.log(BASE + tenants * PER_TENANT);
