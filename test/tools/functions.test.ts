import * as assert from "assert/strict";
import { crc32 } from "zlib";
import * as aws from "@pulumi/aws";
import { FUNCTIONS } from "../../tools/engine/functions";
import { functionResult } from "../../tools/engine/outputs/schema";
import { named, planProgram } from "../helpers/engine";

/** The answer the engine gives one provider function call, from inside a program on the mock runtime. */
async function call<T>(fn: () => Promise<T>, stack = "staging"): Promise<T> {
    let result: T | undefined;
    await planProgram(async () => {
        result = await fn();
    }, stack);
    return result as T;
}

const rejects = (fn: () => Promise<unknown>, message: RegExp) =>
    assert.rejects(planProgram(fn), (err: Error) => {
        assert.match(err.message, message);
        return true;
    });

describe("engine provider functions", () => {
    it("answers every declared result field of every function it knows", async () => {
        for (const token of Object.keys(FUNCTIONS)) assert.ok(functionResult(token), `declarations found for ${token}`);
        const vpc = await call(() => aws.ec2.getVpc({ default: true }));
        const missing = (functionResult("aws:ec2/getVpc:getVpc") ?? []).filter((m) => !m.optional && (vpc as unknown as Record<string, unknown>)[m.name] === undefined);
        assert.deepEqual(missing, []);
    });

    it("getAmi: an Amazon-owned image for the filters, the same in every run", async () => {
        const lookup = () => aws.ec2.getAmi({ owners: ["amazon"], mostRecent: true, filters: [{ name: "name", values: ["al2023-ami-*-kernel-6.1-x86_64"] }] });
        const ami = await call(lookup);
        assert.match(ami.id, /^ami-[0-9a-f]{17}$/);
        assert.equal(ami.imageId, ami.id);
        assert.equal(ami.name, "al2023-ami-2023.6.20250101.0-kernel-6.1-x86_64");
        assert.equal(ami.ownerId, "137112412989");
        assert.equal(ami.imageOwnerAlias, "amazon");
        assert.equal(ami.architecture, "x86_64");
        assert.equal(ami.arn, `arn:aws:ec2:us-east-1::image/${ami.id}`);
        assert.equal((await call(lookup)).id, ami.id);
    });

    it("getPolicyDocument: the JSON the provider renders (order, single values, reverse-sorted sets, merged principals, &{} variables)", async () => {
        const doc = await call(() =>
            aws.iam.getPolicyDocument({
                policyId: "example",
                statements: [
                    { sid: "", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/home/&{aws:username}/*"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }] },
                    {
                        sid: "ListBucket",
                        actions: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucket"],
                        resources: ["arn:aws:s3:::b"],
                        principals: [
                            { type: "Service", identifiers: ["cloudfront.amazonaws.com", "a.amazonaws.com"] },
                            { type: "AWS", identifiers: ["111111111111"] },
                        ],
                        conditions: [
                            { test: "StringLike", variable: "s3:prefix", values: ["home/", "home/&{aws:username}/"] },
                            { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
                        ],
                    },
                    { effect: "Deny", actions: ["*"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }], conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] },
                ],
            }),
        );
        const expected = {
            Version: "2012-10-17",
            Id: "example",
            Statement: [
                { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/home/${aws:username}/*", Principal: { AWS: "arn:aws:iam::123456789012:root" } },
                {
                    Sid: "ListBucket",
                    Effect: "Allow",
                    Action: ["s3:ListBucket", "s3:GetBucketLocation"],
                    Resource: "arn:aws:s3:::b",
                    Principal: { AWS: "111111111111", Service: ["cloudfront.amazonaws.com", "a.amazonaws.com"] },
                    Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, StringLike: { "s3:prefix": ["home/", "home/${aws:username}/"] } },
                },
                { Effect: "Deny", Action: "*", Resource: "*", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
            ],
        };
        assert.equal(doc.json, JSON.stringify(expected, null, 2));
        assert.equal(doc.minifiedJson, JSON.stringify(expected));
        assert.equal(doc.id, String(crc32(doc.json)));
    });

    it("getPolicyDocument: source documents first, then the statements, then overrides, replacing by Sid; Go's HTML-safe escaping", async () => {
        const doc = await call(() =>
            aws.iam.getPolicyDocument({
                sourcePolicyDocuments: [
                    JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Sid: "B", Effect: "Allow", Action: ["s3:B2", "s3:B1"], Resource: "*" }] }),
                ],
                statements: [{ sid: "B", actions: ["s3:PutObject"], resources: ["*"], conditions: [{ test: "StringEquals", variable: "s3:x-amz-acl", values: ["a&b"] }] }],
                overridePolicyDocuments: [JSON.stringify({ Statement: [{ Sid: "A", Effect: "Deny", Action: "s3:GetObject", Resource: "*" }] })],
            }),
        );
        assert.deepEqual(JSON.parse(doc.json).Statement, [
            { Sid: "A", Effect: "Deny", Action: "s3:GetObject", Resource: "*" },
            { Sid: "B", Effect: "Allow", Action: "s3:PutObject", Resource: "*", Condition: { StringEquals: { "s3:x-amz-acl": "a&b" } } },
        ]);
        assert.ok(doc.minifiedJson.includes('"a\\u0026b"'), "& escaped as Go does");
    });

    it("getServiceAccount: the regional ELB account, in the region of the call's provider", async () => {
        assert.deepEqual(await call(() => aws.elb.getServiceAccount({})), { id: "127311923021", arn: "arn:aws:iam::127311923021:root", region: "us-east-1" });
        assert.equal((await call(() => aws.elb.getServiceAccount({ region: "eu-west-1" }))).id, "156460612806");
        const west = await call(async () => aws.elb.getServiceAccount({}, { provider: new aws.Provider("west", { region: "us-west-2" }) }));
        assert.equal(west.id, "797873946194");
        await rejects(() => aws.elb.getServiceAccount({ region: "me-central-1" }), /unsupported AWS Region: me-central-1/);
    });

    it("getParameter: the ECS-optimized AMI parameters, and a deterministic string for any other name", async () => {
        const path = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended";
        const id = await call(() => aws.ssm.getParameter({ name: `${path}/image_id` }));
        assert.match(id.value, /^ami-[0-9a-f]{17}$/);
        assert.equal(id.type, "String");
        assert.equal(id.arn, `arn:aws:ssm:us-east-1::parameter${path}/image_id`, "AWS public parameters carry no account");
        const recommended = await call(() => aws.ssm.getParameter({ name: path }));
        assert.equal(JSON.parse(recommended.value).image_id, id.value);
        const own = await call(() => aws.ssm.getParameter({ name: "/webstack/flag" }));
        assert.equal(own.arn, "arn:aws:ssm:us-east-1:123456789012:parameter/webstack/flag");
        assert.equal(own.value, (await call(() => aws.ssm.getParameter({ name: "/webstack/flag" }))).value);
        assert.equal(typeof own.version, "number");
    });

    it("getOrganization: an organization the stack's account manages", async () => {
        const org = await call(() => aws.organizations.getOrganization({}));
        assert.match(org.id, /^o-[a-z0-9]{10}$/);
        assert.equal(org.masterAccountId, "123456789012");
        assert.equal(org.arn, `arn:aws:organizations::123456789012:organization/${org.id}`);
        assert.match(org.roots[0].id, /^r-[a-z0-9]{4}$/);
    });

    it("getVpc and getSubnets: the default VPC and its subnets, failing for VPCs they cannot know", async () => {
        const vpc = await call(() => aws.ec2.getVpc({ default: true }));
        assert.match(vpc.id, /^vpc-[0-9a-f]{17}$/);
        assert.equal(vpc.cidrBlock, "172.31.0.0/16");
        assert.equal(vpc.default, true);
        const subnets = await call(() => aws.ec2.getSubnets({ filters: [{ name: "vpc-id", values: [vpc.id] }] }));
        assert.equal(new Set(subnets.ids).size, 6, "one per availability zone of us-east-1");
        await rejects(() => aws.ec2.getSubnets({ filters: [{ name: "vpc-id", values: ["vpc-0123456789abcdef0"] }] }), /knows only the default VPC's subnets/);
    });

    it("CloudFront managed policies by their documented names and ids; unknown names fail", async () => {
        assert.equal((await call(() => aws.cloudfront.getCachePolicy({ name: "Managed-CachingOptimized" }))).id, "658327ea-f89d-4fab-a63d-7e88639e58f6");
        assert.equal((await call(() => aws.cloudfront.getCachePolicy({ id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" }))).name, "Managed-CachingDisabled");
        assert.equal((await call(() => aws.cloudfront.getOriginRequestPolicy({ name: "Managed-AllViewerExceptHostHeader" }))).id, "b689b0a8-53d0-40ab-baf2-68738e2966ac");
        const headers = await call(() => aws.cloudfront.getResponseHeadersPolicy({ name: "Managed-SecurityHeadersPolicy" }));
        assert.equal(headers.id, "67f7725c-6f97-4210-82d7-5512b31e9d03");
        assert.equal(headers.securityHeadersConfigs[0].strictTransportSecurities[0].accessControlMaxAgeSec, 31536000);
        await rejects(() => aws.cloudfront.getCachePolicy({ name: "CachingOptimized" }), /no AWS-managed CloudFront cache policy with name "CachingOptimized"/);
    });

    it("getManagedPrefixList: CloudFront's origin-facing list of the region", async () => {
        const list = await call(() => aws.ec2.getManagedPrefixList({ name: "com.amazonaws.global.cloudfront.origin-facing" }));
        assert.equal(list.id, "pl-3b927c52");
        assert.equal(list.arn, "arn:aws:ec2:us-east-1:aws:prefix-list/pl-3b927c52");
        const byFilter = await call(() => aws.ec2.getManagedPrefixList({ filters: [{ name: "prefix-list-name", values: ["com.amazonaws.global.cloudfront.origin-facing"] }] }));
        assert.equal(byFilter.id, list.id);
    });

    it("getIpRanges: published CloudFront ranges, sorted", async () => {
        const ranges = await call(() => aws.getIpRanges({ services: ["cloudfront"] }));
        assert.ok(ranges.cidrBlocks.includes("54.192.0.0/16"));
        assert.deepEqual(ranges.cidrBlocks, [...ranges.cidrBlocks].sort());
        await rejects(() => aws.getIpRanges({ services: ["ec2"] }), /knows the CLOUDFRONT and ROUTE53_HEALTHCHECKS ranges, not EC2/);
    });

    it("getAlias: an AWS-managed alias points at the key encrypted resources report", async () => {
        let alias: aws.kms.GetAliasResult | undefined;
        const graph = await planProgram(async () => {
            new aws.rds.Instance("db", { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, username: "app", storageEncrypted: true });
            alias = await aws.kms.getAlias({ name: "alias/aws/rds" });
        });
        assert.equal(alias?.arn, "arn:aws:kms:us-east-1:123456789012:alias/aws/rds");
        assert.equal(alias?.targetKeyArn, named(graph, "aws:rds/instance:Instance", "db").outputs.kmsKeyId);
    });

    it("getCertificate, getBillingServiceAccount and getRole", async () => {
        const cert = await call(() => aws.acm.getCertificate({ domain: "example.com", statuses: ["ISSUED"] }));
        assert.match(cert.arn, /^arn:aws:acm:us-east-1:123456789012:certificate\/[0-9a-f-]{36}$/);
        assert.equal(cert.status, "ISSUED");
        assert.deepEqual(await call(() => aws.getBillingServiceAccount({})), { id: "386209384616", arn: "arn:aws:iam::386209384616:root" });
        const role = await call(() => aws.iam.getRole({ name: "AWSServiceRoleForECS" }));
        assert.equal(role.arn, "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS");
        assert.equal(JSON.parse(role.assumeRolePolicy).Statement[0].Principal.Service, "ecs.amazonaws.com");
    });

    it("fails loudly, naming the token, on a provider function it has no answer for", async () => {
        await rejects(() => aws.ec2.getInstance({ instanceId: "i-0123456789abcdef0" }), /^offline engine: no mock for provider function aws:ec2\/getInstance:getInstance; add a realistic answer to tools\/engine\/functions.ts$/);
    });
});
