import * as assert from "assert/strict";
import { R08, R14, R37, R38, R39, R40, R71, R72, R79, S01, S3_RULES } from "../../policy/rules/s3";
import { findings, mutate, verdictOf, type Fixture, UNKNOWN, ACCOUNT, DIST_ARN, doc, tlsDeny, cloudFrontRead } from "../helpers/policy";

const KEY_ID = "0c4f8d8e-5b1a-4c39-9a57-3f1f6f0e2a11";
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`;

const S3 = {
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    encryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    versioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    logging: "aws:s3/bucketLogging:BucketLogging",
    website: "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    websiteV2: "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    acl: "aws:s3/bucketAclV2:BucketAclV2",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    lifecycleV2: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
};


// ---- a fully wrapped graph, as the StaticSite and logging components create it -----------------

/** A bucket with the outputs stack rules join on. */
const bucket = (name: string, physical: string, extra: Record<string, unknown> = {}, type = S3.bucketV2): Fixture => ({
    type,
    name,
    props: {
        id: physical,
        bucket: physical,
        arn: `arn:aws:s3:::${physical}`,
        bucketDomainName: `${physical}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${physical}.s3.eu-west-1.amazonaws.com`,
        ...extra,
    },
});
/** A v7 bucket setting resource pointing at its bucket. */
const setting = (type: string, name: string, of: string, physical: string, props: Record<string, unknown>): Fixture => ({
    type,
    name,
    props: { id: physical, bucket: physical, ...props },
    ...(of ? { propertyDependencies: { bucket: [of] } } : {}),
});
const allBlocked = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
const enforced = { rule: { objectOwnership: "BucketOwnerEnforced" } };
const kms = (keyId = KEY_ARN) => ({ rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyId }, bucketKeyEnabled: true }] });
const sseS3 = { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] };

const site = bucket("site", "site-abc");
const logs = bucket("logs", "logs-def");
const SITE: Fixture[] = [
    site,
    setting(S3.pab, "site-pab", "site", "site-abc", allBlocked),
    setting(S3.ownership, "site-ownership", "site", "site-abc", enforced),
    setting(S3.encryption, "site-encryption", "site", "site-abc", kms()),
    setting(S3.versioning, "site-versioning", "site", "site-abc", { versioningConfiguration: { status: "Enabled" } }),
    setting(S3.logging, "site-logging", "site", "site-abc", { targetBucket: "logs-def", targetPrefix: "s3/site/" }),
    setting(S3.policy, "site-policy", "site", "site-abc", { policy: doc(cloudFrontRead("site-abc"), tlsDeny("site-abc")) }),
    setting(S3.lifecycle, "site-lifecycle", "site", "site-abc", { rules: [{ id: "expire-old-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } }] }),
];
const LOGS: Fixture[] = [
    logs,
    setting(S3.pab, "logs-pab", "logs", "logs-def", allBlocked),
    setting(S3.ownership, "logs-ownership", "logs", "logs-def", enforced),
    // ALB log delivery supports only SSE-S3.
    setting(S3.encryption, "logs-encryption", "logs", "logs-def", sseS3),
    setting(S3.policy, "logs-policy", "logs", "logs-def", { policy: doc(tlsDeny("logs-def")) }),
    setting(S3.lifecycle, "logs-lifecycle", "logs", "logs-def", { rules: [{ id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: 90 } }] }),
];
const alb: Fixture = {
    type: "aws:lb/loadBalancer:LoadBalancer",
    name: "api-alb",
    props: { id: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api/1", loadBalancerType: "application", accessLogs: { bucket: "logs-def", prefix: "alb", enabled: true } },
    propertyDependencies: { accessLogs: ["logs"] },
};
const cdn: Fixture = {
    type: "aws:cloudfront/distribution:Distribution",
    name: "site-cdn",
    props: {
        id: "E2QWRUHAPOMQZL",
        arn: DIST_ARN,
        origins: [{ originId: "site", domainName: "site-abc.s3.eu-west-1.amazonaws.com", originAccessControlId: "E3OAC" }],
    },
    propertyDependencies: { origins: ["site"] },
};
const GRAPH: Fixture[] = [...SITE, ...LOGS, alb, cdn];

/** The graph with fixtures replaced (by name) or removed (`null`). */
function graphWith(changes: Record<string, Fixture | null>, base: readonly Fixture[] = GRAPH): Fixture[] {
    const out = base.filter((f) => changes[f.name] !== null).map((f) => changes[f.name] ?? f);
    for (const [name, f] of Object.entries(changes)) if (f && !base.some((b) => b.name === name)) out.push(f);
    // Dependencies on removed fixtures go too: the helper resolves every one.
    const names = new Set(out.map((f) => f.name));
    const keep = (deps: Record<string, string[]>) => Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.filter((n) => names.has(n))]));
    return out.map((f) => (f.propertyDependencies ? { ...f, propertyDependencies: keep(f.propertyDependencies) } : f));
}
/** A fixture of the graph on its own (resource rules), without its dependencies. */
const byName = (name: string): Fixture => {
    const f = GRAPH.find((x) => x.name === name);
    if (!f) throw new Error(name);
    return { ...f, propertyDependencies: undefined };
};

// ---- resource rules --------------------------------------------------------------------------

const sitePolicy = byName("site-policy");

describe("R08 bucket policies deny non-TLS requests", () => {
    it("passes webstack's bucket policies (string documents)", async () => {
        assert.deepEqual(await findings(R08, [sitePolicy, byName("logs-policy")]), []);
    });

    it("passes an object document with an AWS * principal, a * action, BoolIfExists and a wildcard resource", async () => {
        const policy = {
            Version: "2012-10-17",
            Statement: [{ Effect: "Deny", Principal: { AWS: ["*"] }, Action: ["*"], Resource: "arn:aws:s3:::site-abc*", Condition: { BoolIfExists: { "aws:securetransport": ["false"] } } }],
        };
        assert.deepEqual(await findings(R08, [mutate(sitePolicy, { policy })]), []);
    });

    it("passes an inline policy on the deprecated Bucket, and ignores buckets without one", async () => {
        const inline = bucket("legacy", "legacy-1", { policy: doc(tlsDeny("legacy-1")) }, S3.bucket);
        assert.deepEqual(await findings(R08, [inline, site]), []);
    });

    it("reports a policy without the TLS deny statement", async () => {
        assert.deepEqual(await findings(R08, [mutate(sitePolicy, { policy: doc(cloudFrontRead("site-abc")) })]), [
            'site-policy: no statement denies requests with aws:SecureTransport "false" [finding tls-deny]',
        ]);
    });

    it("reports a deny whose condition is not SecureTransport false", async () => {
        const wrong = { ...tlsDeny("site-abc"), Condition: { Bool: { "aws:SecureTransport": "true" } } };
        assert.deepEqual(await findings(R08, [mutate(sitePolicy, { policy: doc(wrong) })]), [
            'site-policy: no statement denies requests with aws:SecureTransport "false" [finding tls-deny]',
        ]);
    });

    it("reports each gap of the TLS deny statement: principal, action, resources", async () => {
        const partial = { ...tlsDeny("site-abc"), Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::site-abc" };
        assert.deepEqual(await findings(R08, [mutate(sitePolicy, { policy: doc(cloudFrontRead("site-abc"), partial) })]), [
            'site-policy: statement 2 (DenyInsecureTransport) covers arn:aws:s3:::site-abc, not both arn:aws:s3:::site-abc and arn:aws:s3:::site-abc/* [finding tls-deny-resource]',
            'site-policy: statement 2 (DenyInsecureTransport) denies non-TLS requests only to AWS:arn:aws:iam::123456789012:root, not to every principal ("*") [finding tls-deny-principal]',
            'site-policy: statement 2 (DenyInsecureTransport) denies only "s3:GetObject", "s3:PutObject" without TLS, not "s3:*" [finding tls-deny-action]',
        ]);
    });

    it("reports a deny that covers another bucket", async () => {
        assert.deepEqual(await findings(R08, [mutate(sitePolicy, { policy: doc(tlsDeny("other-bucket")) })]), [
            "site-policy: statement 1 (DenyInsecureTransport) covers arn:aws:s3:::other-bucket, arn:aws:s3:::other-bucket/*, not both arn:aws:s3:::site-abc and arn:aws:s3:::site-abc/* [finding tls-deny-resource]",
        ]);
    });

    it("reports an inline BucketV2 policy without the deny, and a document that is not JSON", async () => {
        const inline = bucket("legacy", "legacy-1", { policy: doc(cloudFrontRead("legacy-1")) });
        assert.deepEqual(await findings(R08, [inline, mutate(sitePolicy, { policy: "deny http" })]), [
            'legacy: no statement denies requests with aws:SecureTransport "false" [finding tls-deny]',
            "site-policy: policy is not a JSON policy document, so it cannot be checked [finding invalid-document]",
        ]);
    });

    it("decides during preview with the bucket known only after deploy: some ARN and its /* (S01 checks the name)", async () => {
        assert.deepEqual(await findings(R08, [mutate(sitePolicy, { bucket: UNKNOWN })]), []);
        const objectsOnly = { ...tlsDeny("site-abc"), Resource: "arn:aws:s3:::site-abc/*" };
        assert.deepEqual(await findings(R08, [mutate(sitePolicy, { bucket: UNKNOWN, policy: doc(objectsOnly) })]), [
            "site-policy: statement 1 (DenyInsecureTransport) covers arn:aws:s3:::site-abc/*, not both the bucket ARN and its /* objects [finding tls-deny-resource]",
        ]);
    });

    it("cannot run on a document known only after deploy", async () => {
        assert.deepEqual(await findings(R08, [mutate(sitePolicy, { policy: UNKNOWN })]), [
            "site-policy: can't run policy 'R08-bucket-policy-denies-non-tls' during preview: string value at .policy can't be known during preview",
        ]);
    });
});

describe("R39 bucket policies are not public", () => {
    it("passes webstack's bucket policies, and a CloudFront grant with ArnLike", async () => {
        const arnLike = cloudFrontRead("site-abc", { ArnLike: { "aws:SourceArn": DIST_ARN } });
        assert.deepEqual(await findings(R39, [sitePolicy, byName("logs-policy"), mutate({ ...sitePolicy, name: "arn-like" }, { policy: doc(arnLike) })]), []);
    });

    it("reports an Allow to * and to AWS *, one finding per statement", async () => {
        const policy = doc(
            { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::site-abc/*" },
            tlsDeny("site-abc"),
            { Sid: "List", Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["s3:ListBucket"], Resource: "arn:aws:s3:::site-abc" },
        );
        assert.deepEqual(await findings(R39, [mutate(sitePolicy, { policy })]), [
            'site-policy: statement 1 allows "s3:GetObject" to every principal ("*") [finding statement-1/public]',
            'site-policy: statement 3 (List) allows "s3:ListBucket" to every principal ("*") [finding statement-3/public]',
        ]);
    });

    it("passes the CloudFront list grant on the bucket itself (true 404s), and reports any wider CloudFront grant", async () => {
        const when = { StringEquals: { "AWS:SourceArn": DIST_ARN } };
        const grant = (Action: unknown, Resource: unknown, Sid: string) => ({ Sid, Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action, Resource, Condition: when });
        const narrow = doc(tlsDeny("site-abc"), grant("s3:GetObject", "arn:aws:s3:::site-abc/*", "Reads"), grant("s3:ListBucket", "arn:aws:s3:::site-abc", "Lists"));
        assert.deepEqual(await findings(R39, [mutate(sitePolicy, { policy: narrow })]), []);
        const wide = doc(
            grant(["s3:GetObject", "s3:List*"], "arn:aws:s3:::site-abc/*", "ListStar"),
            grant("s3:ListBucket", ["arn:aws:s3:::site-abc", "arn:aws:s3:::*"], "AnyBucket"),
            grant("s3:PutObject", "arn:aws:s3:::site-abc/*", "Writes"),
            { Sid: "AllBut", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, NotAction: "s3:DeleteObject", Resource: "arn:aws:s3:::site-abc/*", Condition: when },
        );
        assert.deepEqual(await findings(R39, [mutate(sitePolicy, { policy: wide })]), [
            'site-policy: statement 1 (ListStar) allows the CloudFront service "s3:List*"; Origin Access Control needs only s3:GetObject on objects and s3:ListBucket on the bucket [finding statement-1/cloudfront-action-s3:List*]',
            'site-policy: statement 2 (AnyBucket) allows the CloudFront service s3:ListBucket on "arn:aws:s3:::*"; only the bucket\'s own ARN is needed [finding statement-2/cloudfront-list-scope]',
            'site-policy: statement 3 (Writes) allows the CloudFront service "s3:PutObject"; Origin Access Control needs only s3:GetObject on objects and s3:ListBucket on the bucket [finding statement-3/cloudfront-action-s3:PutObject]',
            "site-policy: statement 4 (AllBut) allows the CloudFront service every action except its NotAction [finding statement-4/cloudfront-not-action]",
        ]);
    });

    it("reports a CloudFront grant without an AWS:SourceArn condition", async () => {
        assert.deepEqual(await findings(R39, [mutate(sitePolicy, { policy: doc(cloudFrontRead("site-abc", null), tlsDeny("site-abc")) })]), [
            "site-policy: statement 1 (AllowCloudFrontRead) allows the CloudFront service without an AWS:SourceArn condition, so any distribution of any account can use it [finding statement-1/cloudfront-source-arn]",
        ]);
    });

    it("reports a CloudFront grant whose AWS:SourceArn is a wildcard, not a distribution", async () => {
        const wildcard = cloudFrontRead("site-abc", { ArnLike: { "AWS:SourceArn": `arn:aws:cloudfront::${ACCOUNT}:distribution/*` } });
        assert.deepEqual(await findings(R39, [mutate(sitePolicy, { policy: doc(wildcard) })]), [
            'site-policy: statement 1 (AllowCloudFrontRead) limits the CloudFront service to AWS:SourceArn "arn:aws:cloudfront::123456789012:distribution/*", not a distribution ARN [finding statement-1/cloudfront-source-arn]',
        ]);
    });

    it("reports a CloudFront grant limited only by AWS:SourceAccount", async () => {
        const account = cloudFrontRead("site-abc", { StringEquals: { "AWS:SourceAccount": ACCOUNT } });
        assert.deepEqual(await findings(R39, [mutate(sitePolicy, { policy: { Version: "2012-10-17", Statement: account } })]), [
            "site-policy: statement 1 (AllowCloudFrontRead) allows the CloudFront service without an AWS:SourceArn condition, so any distribution of any account can use it [finding statement-1/cloudfront-source-arn]",
        ]);
    });

    it("reports an Allow with NotPrincipal, on an inline Bucket policy", async () => {
        const notPrincipal = { Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/intruder` }, Action: "s3:GetObject", Resource: "arn:aws:s3:::legacy-1/*" };
        assert.deepEqual(await findings(R39, [bucket("legacy", "legacy-1", { policy: doc(tlsDeny("legacy-1"), notPrincipal) }, S3.bucket)]), [
            "legacy: statement 2 allows with NotPrincipal, i.e. to every principal but the ones listed [finding statement-2/not-principal]",
        ]);
    });
});

describe("R40 no S3 website hosting", () => {
    it("passes buckets without website configuration", async () => {
        assert.deepEqual(await findings(R40, [site, bucket("legacy", "legacy-1", {}, S3.bucket)]), []);
    });

    it("reports website configuration resources, both tokens", async () => {
        const website = setting(S3.website, "site-website", "", "site-abc", { indexDocument: { suffix: "index.html" } });
        const websiteV2 = setting(S3.websiteV2, "old-website", "", "site-abc", { redirectAllRequestsTo: { hostName: "example.com" } });
        assert.deepEqual(await findings(R40, [website, websiteV2]), [
            "old-website: website configuration exposes the bucket on the plain-HTTP S3 website endpoint [finding website]",
            "site-website: website configuration exposes the bucket on the plain-HTTP S3 website endpoint [finding website]",
        ]);
    });

    it("reports inline website configuration on Bucket (object) and BucketV2 (list)", async () => {
        const legacy = bucket("legacy", "legacy-1", { website: { indexDocument: "index.html" } }, S3.bucket);
        const v2 = bucket("legacy-v2", "legacy-2", { websites: [{ indexDocument: "index.html" }] });
        assert.deepEqual(await findings(R40, [legacy, v2, bucket("empty-v2", "legacy-3", { websites: [] })]), [
            "legacy-v2: bucket has an inline website configuration, served on the plain-HTTP S3 website endpoint [finding website]",
            "legacy: bucket has an inline website configuration, served on the plain-HTTP S3 website endpoint [finding website]",
        ]);
    });
});

// ---- stack rules -------------------------------------------------------------------------------

describe("R14 bucket encryption with a customer-managed key", () => {
    it("passes KMS data buckets and the SSE-S3 ALB log bucket", async () => {
        assert.deepEqual(await findings(R14, GRAPH), []);
    });

    it("passes the V2 encryption resource with aws:kms:dsse, and inline Bucket and BucketV2 configuration", async () => {
        const v2 = setting(S3.encryptionV2, "site-encryption", "site", "site-abc", {
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY_ID } }],
        });
        const legacy = bucket("legacy", "legacy-1", { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true } } }, S3.bucket);
        const legacyV2 = bucket("legacy-v2", "legacy-2", {
            serverSideEncryptionConfigurations: [{ rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }], bucketKeyEnabled: true }] }],
        });
        assert.deepEqual(await findings(R14, graphWith({ "site-encryption": v2, legacy, "legacy-v2": legacyV2 })), []);
    });

    it("reports a bucket without encryption configuration", async () => {
        assert.deepEqual(await findings(R14, graphWith({ "site-encryption": null })), [
            "site: bucket has no server-side encryption configuration (a customer-managed KMS key is required) [finding missing]",
        ]);
    });

    it("reports aws:kms without a key id, and the aws/s3 alias, as the AWS-managed key", async () => {
        const noKey = setting(S3.encryption, "site-encryption", "site", "site-abc", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true }] });
        const alias = bucket("legacy", "legacy-1", { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" }, bucketKeyEnabled: true } } }, S3.bucket);
        assert.deepEqual(await findings(R14, graphWith({ "site-encryption": noKey, legacy: alias })), [
            'legacy: encryption uses the AWS-managed key "alias/aws/s3", not a customer-managed key [finding aws-managed-key]',
            'site: encryption "aws:kms" names no kmsMasterKeyId, so S3 uses the AWS-managed key aws/s3 [finding aws-managed-key]',
        ]);
    });

    it("reports SSE-S3 on a data bucket, and on the log bucket once neither a load balancer nor server access logging writes to it", async () => {
        const siteSseS3 = setting(S3.encryption, "site-encryption", "site", "site-abc", sseS3);
        const problem = "encryption is SSE-S3 (AES256); only buckets receiving load balancer or S3 server access logs may use it, others need a customer-managed KMS key [finding sse-s3]";
        assert.deepEqual(await findings(R14, graphWith({ "site-encryption": siteSseS3, "api-alb": null })), [`site: ${problem}`]);
        assert.deepEqual(await findings(R14, graphWith({ "site-encryption": siteSseS3, "api-alb": null, "site-logging": null })), [`logs: ${problem}`, `site: ${problem}`]);
    });

    it("accepts SSE-S3 on the log bucket of an aws.alb load balancer referring to it by name", async () => {
        assert.deepEqual(await findings(R14, graphWith({ "api-alb": { ...alb, type: "aws:alb/loadBalancer:LoadBalancer" } })), []);
    });

    it("ignores the bucket's computed inline SSE-S3 output when a separate KMS resource exists", async () => {
        const computed = mutate(site, { serverSideEncryptionConfigurations: [{ rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "AES256" }] }] }] });
        assert.deepEqual(await findings(R14, graphWith({ site: computed })), []);
    });

    it("reports SSE-KMS without an S3 Bucket Key in every shape (DSSE-KMS cannot use one)", async () => {
        const off = setting(S3.encryption, "site-encryption", "site", "site-abc", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: false }] });
        const legacy = bucket("legacy", "legacy-1", { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } } } }, S3.bucket);
        const dsse = bucket("dsse", "dsse-1", { serverSideEncryptionConfigurations: [{ rules: [{ applyServerSideEncryptionByDefaults: [{ sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: KEY_ARN }] }] }] });
        assert.deepEqual(await findings(R14, graphWith({ "site-encryption": off, legacy, dsse })), [
            "legacy: SSE-KMS without an S3 Bucket Key (bucketKeyEnabled is unset, default false): every object operation calls KMS [finding bucket-key]",
            "site: SSE-KMS without an S3 Bucket Key (bucketKeyEnabled is false): every object operation calls KMS [finding bucket-key]",
        ]);
    });

    it("reports an unknown algorithm", async () => {
        const odd = setting(S3.encryption, "site-encryption", "site", "site-abc", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "rot13" } }] });
        assert.deepEqual(await findings(R14, graphWith({ "site-encryption": odd })), ['site: encryption algorithm "rot13" is not "aws:kms" or "aws:kms:dsse" [finding algorithm]']);
    });
});

describe("R37 public access block on every bucket", () => {
    it("passes buckets with all four flags true", async () => {
        assert.deepEqual(await findings(R37, GRAPH), []);
    });

    it("reports a bucket without a public access block", async () => {
        assert.deepEqual(await findings(R37, graphWith({ "logs-pab": null })), ["logs: bucket has no public access block [finding missing]"]);
    });

    it("reports one finding per flag not true (false or unset)", async () => {
        const weak = setting(S3.pab, "site-pab", "site", "site-abc", { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true });
        assert.deepEqual(await findings(R37, graphWith({ "site-pab": weak })), [
            "site: public access block site-pab has blockPublicPolicy false, not true [finding blockPublicPolicy]",
            "site: public access block site-pab has restrictPublicBuckets unset (defaults to false), not true [finding restrictPublicBuckets]",
        ]);
    });

    it("reports a block that refers to another bucket as missing", async () => {
        const elsewhere = setting(S3.pab, "site-pab", "", "other-bucket", allBlocked);
        assert.deepEqual(await findings(R37, graphWith({ "site-pab": elsewhere })), ["site: bucket has no public access block [finding missing]"]);
    });
});

describe("R38 bucket ACLs disabled", () => {
    it("passes buckets with BucketOwnerEnforced and no ACL", async () => {
        assert.deepEqual(await findings(R38, [...GRAPH, setting(S3.acl, "site-acl", "site", "site-abc", { acl: "private" })]), []);
    });

    it("reports a bucket without ownership controls", async () => {
        assert.deepEqual(await findings(R38, graphWith({ "site-ownership": null })), [
            'site: bucket has no ownership controls, so ACLs are not disabled ("BucketOwnerEnforced" required) [finding missing]',
        ]);
    });

    it("reports ObjectWriter and BucketOwnerPreferred ownership", async () => {
        const writer = setting(S3.ownership, "site-ownership", "site", "site-abc", { rule: { objectOwnership: "ObjectWriter" } });
        const preferred = setting(S3.ownership, "logs-ownership", "logs", "logs-def", { rule: { objectOwnership: "BucketOwnerPreferred" } });
        assert.deepEqual(await findings(R38, graphWith({ "site-ownership": writer, "logs-ownership": preferred })), [
            'logs: ownership controls logs-ownership set objectOwnership "BucketOwnerPreferred", not "BucketOwnerEnforced" [finding object-ownership]',
            'site: ownership controls site-ownership set objectOwnership "ObjectWriter", not "BucketOwnerEnforced" [finding object-ownership]',
        ]);
    });

    it("reports an inline public-read ACL and a BucketAclV2 log-delivery-write ACL", async () => {
        const acl = setting(S3.acl, "logs-acl", "logs", "logs-def", { acl: "log-delivery-write" });
        assert.deepEqual(await findings(R38, graphWith({ site: mutate(site, { acl: "public-read" }), "logs-acl": acl })), [
            'logs: logs-acl sets the canned ACL "log-delivery-write" on the bucket [finding bucket-acl]',
            'site: bucket sets the canned ACL "public-read" [finding acl]',
        ]);
    });
});

describe("S01 every bucket fully wrapped", () => {
    it("passes the wrapped site and log buckets", async () => {
        assert.deepEqual(await findings(S01, GRAPH), []);
    });

    it("reports a bucket without a bucket policy", async () => {
        assert.deepEqual(await findings(S01, graphWith({ "logs-policy": null })), [
            "logs: bucket has no bucket policy, so nothing denies requests without TLS [finding tls-policy]",
        ]);
    });

    it("reports a bucket whose policies do not deny non-TLS requests", async () => {
        const noDeny = mutate(byName("site-policy"), { policy: doc(cloudFrontRead("site-abc")) });
        assert.deepEqual(await findings(S01, graphWith({ "site-policy": noDeny })), [
            "site: no bucket policy of the bucket (site-policy) denies requests without TLS on the bucket and its objects [finding tls-policy]",
        ]);
    });

    it("accepts the TLS deny from an inline Bucket policy", async () => {
        const legacy = bucket("legacy", "legacy-1", { policy: doc(tlsDeny("legacy-1")), logging: { targetBucket: "logs-def" } }, S3.bucket);
        assert.deepEqual(await findings(S01, graphWith({ legacy })), []);
    });

    it("reports a CloudFront origin bucket without versioning, or with versioning suspended", async () => {
        const suspended = setting(S3.versioningV2, "site-versioning", "site", "site-abc", { versioningConfiguration: { status: "Suspended" } });
        assert.deepEqual(await findings(S01, graphWith({ "site-versioning": suspended })), [
            'site: bucket holds site data (origin "site" of distribution site-cdn) but has versioning status "Suspended" (Enabled required) [finding versioning]',
        ]);
        assert.deepEqual(await findings(S01, graphWith({ "site-versioning": null })), [
            'site: bucket holds site data (origin "site" of distribution site-cdn) but has no versioning configuration (Enabled required) [finding versioning]',
        ]);
    });

    it("matches the origin by the bucket's global domain name built from its name", async () => {
        const global = { ...cdn, props: { ...cdn.props, origins: [{ originId: "site", domainName: "site-abc.s3.amazonaws.com", originAccessControlId: "E3OAC" }] } };
        const unnamed = mutate(site, { bucketDomainName: undefined, bucketRegionalDomainName: undefined });
        assert.deepEqual(await findings(S01, graphWith({ site: unnamed, "site-cdn": global, "site-versioning": null })), [
            'site: bucket holds site data (origin "site" of distribution site-cdn) but has no versioning configuration (Enabled required) [finding versioning]',
        ]);
    });

    it("reports replication source and destination buckets without versioning, and accepts inline versioning", async () => {
        const replica = bucket("replica", "replica-ghi", { loggings: [{ targetBucket: "logs-def" }], policy: doc(tlsDeny("replica-ghi")) });
        const replication = setting(S3.replication, "logs-replication", "logs", "logs-def", {
            role: `arn:aws:iam::${ACCOUNT}:role/replication`,
            rules: [{ id: "all", status: "Enabled", destination: { bucket: "arn:aws:s3:::replica-ghi" } }],
        });
        assert.deepEqual(await findings(S01, graphWith({ replica, "logs-replication": replication })), [
            "logs: bucket holds replicated data (replication source) but has no versioning configuration (Enabled required) [finding versioning]",
            "replica: bucket holds replicated data (destination of logs-replication) but has no versioning configuration (Enabled required) [finding versioning]",
        ]);
        const versioned = mutate(replica, { versionings: [{ enabled: true }] });
        const logsVersioning = setting(S3.versioning, "logs-versioning", "logs", "logs-def", { versioningConfiguration: { status: "Enabled" } });
        assert.deepEqual(await findings(S01, graphWith({ replica: versioned, "logs-replication": replication, "logs-versioning": logsVersioning })), []);
    });

    it("reports the destination of an inline replication configuration", async () => {
        const source = bucket(
            "legacy",
            "legacy-1",
            {
                policy: doc(tlsDeny("legacy-1")),
                loggings: [{ targetBucket: "logs-def" }],
                versionings: [{ enabled: true }],
                replicationConfigurations: [{ role: "r", rules: [{ status: "Enabled", destinations: [{ bucket: "arn:aws:s3:::replica-ghi" }] }] }],
            },
        );
        const replica = bucket("replica", "replica-ghi", { loggings: [{ targetBucket: "logs-def" }], policy: doc(tlsDeny("replica-ghi")) });
        assert.deepEqual(await findings(S01, graphWith({ legacy: source, replica })), [
            "replica: bucket holds replicated data (destination of legacy) but has no versioning configuration (Enabled required) [finding versioning]",
        ]);
    });

    it("reports a data bucket without access logging", async () => {
        assert.deepEqual(await findings(S01, graphWith({ "site-logging": null })), [
            "site: bucket has no server access logging (only log buckets may go without) [finding access-logging]",
        ]);
    });

    it("reports the log bucket once nothing logs to it", async () => {
        assert.deepEqual(await findings(S01, graphWith({ "site-logging": null, "api-alb": null })), [
            "logs: bucket has no server access logging (only log buckets may go without) [finding access-logging]",
            "site: bucket has no server access logging (only log buckets may go without) [finding access-logging]",
        ]);
    });

    it("treats buckets receiving bucket logs or CloudFront logs as log buckets", async () => {
        // Without the load balancer the log bucket is still the target of site-logging.
        assert.deepEqual(await findings(S01, graphWith({ "api-alb": null })), []);
        const cfLogs = bucket("cf-logs", "cf-logs-jkl", { policy: doc(tlsDeny("cf-logs-jkl")) });
        const logged = { ...cdn, props: { ...cdn.props, loggingConfig: { bucket: "cf-logs-jkl.s3.amazonaws.com", prefix: "cdn/" } } };
        assert.deepEqual(await findings(S01, graphWith({ "cf-logs": cfLogs, "site-cdn": logged })), []);
        assert.deepEqual(await findings(S01, graphWith({ "cf-logs": cfLogs })), [
            "cf-logs: bucket has no server access logging (only log buckets may go without) [finding access-logging]",
        ]);
    });
});

describe("R71 account-settings stack baseline", () => {
    const ebs: Fixture = { type: "aws:ebs/encryptionByDefault:EncryptionByDefault", name: "ebs-default", props: { enabled: true } };
    const accountBlock: Fixture = { type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", name: "account-bpa", props: { ...allBlocked } };

    it("does not apply to a stack without account settings, and passes a complete baseline (enabled defaults to true)", async () => {
        assert.deepEqual(await findings(R71, GRAPH), []);
        assert.deepEqual(await findings(R71, [mutate(ebs, { enabled: undefined }), accountBlock]), []);
    });

    it("reports encryption by default turned off and each account flag not true", async () => {
        assert.deepEqual(await findings(R71, [mutate(ebs, { enabled: false }), mutate(accountBlock, { ignorePublicAcls: undefined, restrictPublicBuckets: false })]), [
            "account-bpa: account public access block has ignorePublicAcls unset (defaults to false), not true [finding ignorePublicAcls]",
            "account-bpa: account public access block has restrictPublicBuckets false, not true [finding restrictPublicBuckets]",
            "ebs-default: EBS encryption by default is turned off (enabled is false) [finding ebs-encryption-by-default]",
        ]);
    });

    it("reports the missing half of the baseline in a stack that declares another account setting", async () => {
        const serial: Fixture = { type: "aws:ec2/serialConsoleAccess:SerialConsoleAccess", name: "serial", props: { enabled: false } };
        assert.deepEqual(await findings(R71, [serial]), [
            "(stack): the account-settings stack does not declare aws.ebs.EncryptionByDefault, so new EBS volumes may be unencrypted [finding ebs-encryption-by-default]",
            "(stack): the account-settings stack does not declare aws.s3.AccountPublicAccessBlock, so buckets are protected only by their own blocks [finding account-public-access-block]",
        ]);
        assert.deepEqual(await findings(R71, [ebs]), [
            "(stack): the account-settings stack does not declare aws.s3.AccountPublicAccessBlock, so buckets are protected only by their own blocks [finding account-public-access-block]",
        ]);
    });
});

describe("R72 no cross-account control of buckets", () => {
    const OTHER = "999988887777";
    const grant = (principal: unknown, action: unknown, extra: object = {}) => ({ Sid: "Partner", Effect: "Allow", Principal: { AWS: principal }, Action: action, Resource: ["arn:aws:s3:::logs-def", "arn:aws:s3:::logs-def/*"], ...extra });
    const logsPolicy = (...statements: object[]) => setting(S3.policy, "logs-policy", "logs", "logs-def", { policy: doc(tlsDeny("logs-def"), ...statements) });

    it("passes read/write grants to other accounts and control granted to the stack's own account (from its ARNs)", async () => {
        const read = grant(`arn:aws:iam::${OTHER}:role/reader`, ["s3:GetObject", "s3:PutObject", "s3:ListBucket"]);
        const own = { ...grant(`arn:aws:iam::${ACCOUNT}:root`, "s3:*"), Sid: "Own" };
        assert.deepEqual(await findings(R72, graphWith({ "logs-policy": logsPolicy(read, own) })), []);
    });

    it("passes accounts listed in trustedAccounts and in the policy's aws:SourceAccount conditions", async () => {
        const trusted = grant(OTHER, "s3:*");
        const bySource = { ...grant("111122223333", "s3:PutObjectAcl"), Sid: "Delivery", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } };
        assert.deepEqual(await findings(R72, graphWith({ "logs-policy": logsPolicy(trusted, bySource) }), { "R72-bucket-policy-no-cross-account-control": { enforcementLevel: "mandatory", trustedAccounts: [OTHER] } }), []);
    });

    it("reports s3:*, deletes, ACL and policy changes and NotAction granted to another account (id or ARN)", async () => {
        const all = grant(OTHER, "s3:*");
        const deletes = { ...grant(`arn:aws:iam::${OTHER}:user/ops`, ["s3:Delete*", "s3:PutObjectAcl"]), Sid: "Deletes" };
        const notAction = { ...grant(`arn:aws:iam::${OTHER}:root`, undefined), Sid: "Everything", NotAction: "s3:GetObject" };
        assert.deepEqual(await findings(R72, graphWith({ "logs-policy": logsPolicy(all, deletes, notAction) })), [
            `logs-policy: bucket policy logs-policy statement 2 (Partner) lets account ${OTHER} s3:DeleteBucketPolicy, s3:PutBucketAcl, s3:PutBucketPolicy, s3:PutEncryptionConfiguration, s3:PutObjectAcl, s3:DeleteBucket, s3:DeleteObject, s3:DeleteObjectVersion [finding Partner/cross-account]`,
            `logs-policy: bucket policy logs-policy statement 3 (Deletes) lets account ${OTHER} s3:DeleteBucketPolicy, s3:PutObjectAcl, s3:DeleteBucket, s3:DeleteObject, s3:DeleteObjectVersion [finding Deletes/cross-account]`,
            `logs-policy: bucket policy logs-policy statement 4 (Everything) lets account ${OTHER} everything but s3:GetObject [finding Everything/cross-account]`,
        ]);
    });

    it("cannot decide before deploy while the stack's own account is known only from ARNs not assigned yet", async () => {
        const unknownArns = GRAPH.map((f) => (f.props.arn === undefined ? f : mutate(f, { arn: UNKNOWN })));
        const fixtures = graphWith({ "logs-policy": logsPolicy(grant(`arn:aws:iam::${OTHER}:root`, "s3:*")) }, unknownArns).map((f) => (f.name === "site-cdn" ? mutate(f, { arn: UNKNOWN }) : f));
        const verdict = await verdictOf([R72], fixtures);
        assert.deepEqual(verdict.mandatory, []);
        assert.equal(verdict.advisory.length, 1);
        assert.match(verdict.advisory[0].message, /can't run policy 'R72-bucket-policy-no-cross-account-control' during preview: string value at \.logs-policy\.policy/);
    });
});

describe("R79 bucket lifecycle", () => {
    it("passes the site (noncurrent versions expire) and log buckets, a V2 resource and inline rules of both bucket shapes", async () => {
        assert.deepEqual(await findings(R79, GRAPH), []);
        const v2 = setting(S3.lifecycleV2, "logs-lifecycle", "logs", "logs-def", { rules: [{ id: "expire", status: "Enabled", expiration: { days: 30 } }] });
        const legacy = bucket("legacy", "legacy-1", { versioning: { enabled: true }, lifecycleRules: [{ enabled: true, noncurrentVersionExpiration: { days: 30 } }] }, S3.bucket);
        const legacyV2 = bucket("legacy-v2", "legacy-2", { lifecycleRules: [{ enabled: true, expirations: [{ days: 30 }], noncurrentVersionExpirations: [{ days: 30 }] }] });
        assert.deepEqual(await findings(R79, graphWith({ "logs-lifecycle": v2, legacy, "legacy-v2": legacyV2 })), []);
    });

    it("reports a bucket without lifecycle, one whose rules are disabled, and a versioned bucket whose rules keep old versions", async () => {
        const disabled = setting(S3.lifecycle, "logs-lifecycle", "logs", "logs-def", { rules: [{ id: "expire", status: "Disabled", expiration: { days: 30 } }] });
        const keepsVersions = setting(S3.lifecycle, "site-lifecycle", "site", "site-abc", { rules: [{ id: "expire", status: "Enabled", expiration: { days: 365 } }] });
        const bare = bucket("bare", "bare-1", { lifecycleRules: [{ enabled: false, expiration: { days: 1 } }] }, S3.bucket);
        assert.deepEqual(await findings(R79, graphWith({ "logs-lifecycle": disabled, "site-lifecycle": keepsVersions, bare })), [
            "bare: bucket has no enabled lifecycle rule, so its objects (and their old versions) are kept forever [finding missing]",
            "logs: bucket has no enabled lifecycle rule, so its objects (and their old versions) are kept forever [finding missing]",
            "site: versioned bucket has no lifecycle rule expiring noncurrent versions (noncurrentVersionExpiration), so overwritten and deleted objects stay forever [finding noncurrent-versions]",
        ]);
    });

    it("decides before deploy: configurations resolve through their bucket dependency, inline rules the program did not set are none", async () => {
        const pending = GRAPH.map((f) => (f.name === "site-lifecycle" || f.name === "logs-lifecycle" ? mutate(f, { bucket: UNKNOWN }) : f));
        assert.deepEqual(await findings(R79, pending), []);
        const computed = graphWith({ logs: mutate(logs, { lifecycleRules: UNKNOWN }), "logs-lifecycle": null });
        assert.deepEqual(await findings(R79, computed), ["logs: bucket has no enabled lifecycle rule, so its objects (and their old versions) are kept forever [finding missing]"]);
    });
});

describe("S3 rules over a mixed graph", () => {
    it("fails exactly the non-compliant resources, per rule", async () => {
        const open = bucket("open", "open-mno", { acl: "public-read" }, S3.bucket);
        const plain = bucket("plain", "plain-pqr");
        const fixtures: Fixture[] = [
            ...GRAPH,
            open,
            setting(S3.policy, "open-policy", "open", "open-mno", { policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::open-mno/*" }) }),
            setting(S3.website, "open-website", "open", "open-mno", { indexDocument: { suffix: "index.html" } }),
            setting(S3.encryption, "open-encryption", "open", "open-mno", kms()),
            setting(S3.ownership, "open-ownership", "open", "open-mno", enforced),
            plain,
            setting(S3.pab, "plain-pab", "plain", "plain-pqr", allBlocked),
            setting(S3.ownership, "plain-ownership", "plain", "plain-pqr", enforced),
            setting(S3.encryption, "plain-encryption", "plain", "plain-pqr", sseS3),
            setting(S3.policy, "plain-policy", "plain", "plain-pqr", { policy: doc(tlsDeny("plain-pqr")) }),
            setting(S3.logging, "plain-logging", "plain", "plain-pqr", { targetBucket: "logs-def", targetPrefix: "s3/plain/" }),
        ];
        const verdict = await verdictOf(S3_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R08-bucket-policy-denies-non-tls open-policy",
            "R14-bucket-encryption-cmk plain",
            "R37-bucket-public-access-block open",
            "R38-bucket-acls-disabled open",
            "R39-bucket-policy-not-public open-policy",
            "R40-no-bucket-website open-website",
            "R79-bucket-lifecycle open",
            "R79-bucket-lifecycle plain",
            "S01-bucket-fully-wrapped open",
        ]);
    });
});
