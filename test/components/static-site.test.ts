import * as assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    ALL_VIEWER_EXCEPT_HOST_HEADER,
    API_METHODS,
    CACHING_DISABLED,
    CACHING_OPTIMIZED,
    CONTENT_SECURITY_POLICY,
    FAILOVER_STATUS_CODES,
    SPA_ROUTING_CODE,
    StaticSite,
    type SiteApiOrigin,
    type StaticSiteArgs,
} from "../../components/static-site";
import { IMMUTABLE, REVALIDATE, isFingerprinted, siteFiles } from "../../components/shared/site-files";
import { POLICIES } from "../../policy/rules";
import { CLOUDFRONT_RULES } from "../../policy/rules/cloudfront";
import { MASK, UNKNOWN, mask, reveal, type Graph, type RecordedResource } from "../../tools/engine/graph";
import { evaluatePolicies } from "../../tools/policy/evaluate";
import { readPackConfig } from "../../tools/policy/pack";
import { ROOT, T, inventory, named, ofType, planProgram, valueOf } from "../helpers/engine";

const TAGS = { Project: "webstack", Stack: "staging", Environment: "staging", Owner: "platform-team", CostCenter: "CC-1042" };
/** A site folder in a temp dir with the given files. */
function tempSite(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-site-"));
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
}

const BASE: StaticSiteArgs = {
    domain: "app.example.com",
    hostedZone: "example.com",
    siteDir: path.join(ROOT, "site"),
    publicConfig: { environment: "staging" },
    tags: TAGS,
};

const planSite = (args: Partial<StaticSiteArgs> = {}) => planProgram(() => new StaticSite("site", { ...BASE, ...args }));
const one = (g: Graph, type: string, name: string) => named(g, type, name);
const statements = (r: RecordedResource, prop = "policy") => (JSON.parse(String(r.inputs[prop])) as { Statement: unknown[] }).Statement;
/** The region of the explicit provider a resource was created with ("default" without one). */
const regionOf = (g: Graph, r: RecordedResource) => {
    if (!r.provider) return "default";
    return g.resources.find((p) => p.type === T.provider && r.provider?.startsWith(`${p.urn}::`))?.inputs.region;
};

describe("StaticSite", () => {
    it("creates the expected resources for a plain site", async () => {
        const g = await planSite();
        const counts = (type: string) => ofType(g, type).length;
        assert.deepEqual(
            [T.bucket, T.pab, T.ownership, T.versioning, T.sse, T.lifecycle, T.logging, T.policy, T.kmsKey, T.cdn, T.oac, T.headers, T.cert, T.validation, T.record, T.waf, T.object].map(counts),
            [2, 2, 2, 1, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 3, 0, 7],
        );
    });

    it("keeps the content bucket private, versioned and KMS-encrypted, with old versions expiring", async () => {
        const g = await planSite({ noncurrentVersionDays: 14 });
        const content = one(g, T.bucket, "site-content");
        const key = one(g, T.kmsKey, "site-content");
        assert.deepEqual(one(g, T.pab, "site-content").inputs, {
            bucket: content.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        assert.deepEqual(one(g, T.ownership, "site-content").inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        assert.deepEqual(one(g, T.versioning, "site-content").inputs.versioningConfiguration, { status: "Enabled" });
        assert.deepEqual(one(g, T.sse, "site-content").inputs.rules, [
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.outputs.arn }, bucketKeyEnabled: true },
        ]);
        assert.deepEqual(one(g, T.lifecycle, "site-content").inputs.rules, [
            { id: "expire-old-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 14 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ]);
        assert.equal(content.inputs.forceDestroy, true);
        assert.equal(content.inputs.website, undefined);
    });

    it("lets only this distribution read the bucket and list it (for true 404s), and only over TLS", async () => {
        const g = await planSite();
        const arn = one(g, T.bucket, "site-content").outputs.arn;
        const distribution = one(g, T.cdn, "site-cdn").outputs.arn;
        assert.match(String(distribution), /^arn:aws:cloudfront::123456789012:distribution\/E[0-9A-F]+$/);
        assert.deepEqual(statements(one(g, T.policy, "site-content")), [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                Sid: "CloudFrontReads",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: `${arn}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": distribution } },
            },
            {
                Sid: "CloudFrontLists",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:ListBucket",
                Resource: arn,
                Condition: { StringEquals: { "AWS:SourceArn": distribution } },
            },
        ]);
    });

    it("writes the bucket policies before deploy from the buckets' names; the content's and the key's wait only for the distribution's ARN", async () => {
        const deployed = await planSite();
        const previewed = await planProgram(() => new StaticSite("site", BASE), "staging", { preview: true });
        const names = new Map(previewed.resources.map((r) => [r.urn, r.name]));
        const dependsOn = (r: RecordedResource, prop: string) => r.propertyDependencies[prop].map((urn) => names.get(urn));
        for (const role of ["content", "logs"]) {
            const bucket = one(deployed, T.bucket, `site-${role}`);
            assert.equal(one(deployed, T.policy, `site-${role}`).inputs.bucket, bucket.outputs.bucket);
            assert.equal(one(deployed, T.policy, `site-${role}`).inputs.bucket, bucket.id);
            assert.equal(one(previewed, T.policy, `site-${role}`).inputs.bucket, bucket.outputs.bucket);
        }
        assert.equal(one(previewed, T.policy, "site-logs").inputs.policy, one(deployed, T.policy, "site-logs").inputs.policy);
        assert.equal(one(previewed, T.policy, "site-content").inputs.policy, UNKNOWN);
        assert.deepEqual(dependsOn(one(previewed, T.policy, "site-content"), "policy"), ["site-content", "site-cdn"]);
        assert.equal(one(previewed, T.kmsKey, "site-content").inputs.policy, UNKNOWN);
        assert.deepEqual(dependsOn(one(previewed, T.kmsKey, "site-content"), "policy"), ["site-cdn"]);
    });

    it("lets the account use the key only through S3 and CloudFront decrypt only for this distribution", async () => {
        const g = await planSite();
        const key = one(g, T.kmsKey, "site-content");
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.equal(key.inputs.deletionWindowInDays, 30);
        const [admin, use, cloudfront] = statements(key) as Record<string, unknown>[];
        assert.equal(admin.Sid, "AccountAdministers");
        assert.ok(!(admin.Action as string[]).some((a) => a === "kms:*" || a.startsWith("kms:Decrypt") || a.startsWith("kms:GenerateDataKey")));
        assert.deepEqual(use, {
            Sid: "AccountUsesThroughS3",
            Effect: "Allow",
            Principal: { AWS: "arn:aws:iam::123456789012:root" },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: "*",
            Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com", "kms:CallerAccount": "123456789012" } },
        });
        assert.deepEqual(cloudfront, {
            Sid: "CloudFrontDecrypts",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: ["kms:Decrypt"],
            Resource: "*",
            Condition: { StringEquals: { "AWS:SourceArn": one(g, T.cdn, "site-cdn").outputs.arn } },
        });
    });

    it("serves HTTPS only through OAC with TLS 1.2+, HTTP/2 and 3, compression, managed caching and security headers", async () => {
        const g = await planSite({ priceClass: "PriceClass_200" });
        const cdn = one(g, T.cdn, "site-cdn").inputs;
        const oac = one(g, T.oac, "site-oac");
        const headers = one(g, T.headers, "site-security-headers");
        const validation = one(g, T.validation, "site-certificate");
        assert.deepEqual(oac.inputs.originAccessControlOriginType, "s3");
        assert.deepEqual([oac.inputs.signingBehavior, oac.inputs.signingProtocol], ["always", "sigv4"]);
        assert.deepEqual(cdn.origins, [{ originId: "content", domainName: one(g, T.bucket, "site-content").outputs.bucketRegionalDomainName, originAccessControlId: oac.id }]);
        assert.deepEqual(cdn.originGroups, []);
        assert.deepEqual(cdn.defaultCacheBehavior, {
            targetOriginId: "content",
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ["GET", "HEAD", "OPTIONS"],
            cachedMethods: ["GET", "HEAD"],
            compress: true,
            cachePolicyId: CACHING_OPTIMIZED,
            responseHeadersPolicyId: headers.id,
        });
        assert.deepEqual(cdn.viewerCertificate, { acmCertificateArn: validation.outputs.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" });
        assert.deepEqual([cdn.httpVersion, cdn.isIpv6Enabled, cdn.defaultRootObject, cdn.priceClass, cdn.aliases], ["http2and3", true, "index.html", "PriceClass_200", ["app.example.com"]]);
        assert.equal(cdn.webAclId, undefined);
        assert.deepEqual(headers.inputs.securityHeadersConfig, {
            strictTransportSecurity: { accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, preload: true, override: true },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: "DENY", override: true },
            referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
            contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
        });
    });

    it("can refuse plain HTTP instead of redirecting", async () => {
        const g = await planSite({ viewerProtocolPolicy: "https-only" });
        assert.equal((one(g, T.cdn, "site-cdn").inputs.defaultCacheBehavior as Record<string, unknown>).viewerProtocolPolicy, "https-only");
    });

    it("maps only a missing page (404) to /404.html, or /index.html with 200 in SPA mode; a refusal (403, WAF's) stays 403", async () => {
        const errors = async (args: Partial<StaticSiteArgs>) => (await planSite(args)).resources.find((r) => r.type === T.cdn)?.inputs.customErrorResponses;
        const refused = { errorCode: 403, errorCachingMinTtl: 10, responseCode: 403, responsePagePath: "/403.html" };
        assert.deepEqual(await errors({ spa: false }), [refused, { errorCode: 404, errorCachingMinTtl: 10, responseCode: 404, responsePagePath: "/404.html" }]);
        assert.deepEqual(await errors({ spa: true }), [refused, { errorCode: 404, errorCachingMinTtl: 10, responseCode: 200, responsePagePath: "/index.html" }]);
        // Without a 403 page, CloudFront's own 403 answer passes through.
        const noPage = tempSite({ "index.html": "<!doctype html>", "404.html": "<!doctype html>" });
        assert.deepEqual(await errors({ siteDir: noPage }), [{ errorCode: 404, errorCachingMinTtl: 10, responseCode: 404, responsePagePath: "/404.html" }]);
    });

    it("answers WAF blocks with 403 and the rate limit with 429, Retry-After and a short text", async () => {
        const waf = one(await planSite({ waf: true }), T.waf, "site-waf");
        const rules = waf.inputs.rules as { name: string; action?: unknown; overrideAction?: unknown }[];
        assert.deepEqual(
            rules.map((r) => [r.name, r.action ?? r.overrideAction]),
            [
                ["AWSManagedRulesCommonRuleSet", { none: {} }],
                ["AWSManagedRulesKnownBadInputsRuleSet", { none: {} }],
                ["AWSManagedRulesAmazonIpReputationList", { none: {} }],
                ["rate-limit", { block: { customResponse: { responseCode: 429, customResponseBodyKey: "rate-limited", responseHeaders: [{ name: "Retry-After", value: "300" }] } } }],
            ],
        );
        assert.deepEqual(waf.inputs.customResponseBodies, [
            { key: "rate-limited", contentType: "TEXT_PLAIN", content: "Too many requests from your address. Try again in a few minutes.\n" },
        ]);
    });

    it("issues the certificate in us-east-1, validated by DNS records in the zone", async () => {
        const g = await planSite({ www: true });
        const cert = one(g, T.cert, "site-certificate");
        const validation = one(g, T.validation, "site-certificate");
        assert.equal(regionOf(g, cert), "us-east-1");
        assert.equal(regionOf(g, validation), "us-east-1");
        assert.deepEqual([cert.inputs.domainName, cert.inputs.subjectAlternativeNames, cert.inputs.validationMethod], ["app.example.com", ["www.app.example.com"], "DNS"]);
        const options = cert.outputs.domainValidationOptions as Record<string, string>[];
        const records = [0, 1].map((i) => one(g, T.record, `site-certificate-validation-${i}`));
        assert.deepEqual(
            records.map((r) => [r.inputs.name, r.inputs.type, r.inputs.records]),
            options.map((o) => [o.resourceRecordName, "CNAME", [o.resourceRecordValue]]),
        );
        for (const r of records) assert.match(String(r.inputs.zoneId), /^Z[0-9A-F]{20}$/);
        assert.deepEqual(validation.inputs.validationRecordFqdns, records.map((r) => r.outputs.fqdn));
        assert.equal(validation.inputs.certificateArn, cert.outputs.arn);
        assert.match(String(cert.outputs.arn), /^arn:aws:acm:us-east-1:/);
    });

    it("points A and AAAA alias records for the domain (and www when asked) at the distribution", async () => {
        const g = await planSite({ www: true });
        const domain = one(g, T.cdn, "site-cdn").outputs.domainName;
        const aliases = ofType(g, T.record)
            .filter((r) => r.inputs.aliases)
            .map((r) => [r.name, r.inputs.name, r.inputs.type, r.inputs.aliases]);
        const target = [{ name: domain, zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }];
        assert.deepEqual(aliases, [
            ["site-apex-a", "app.example.com", "A", target],
            ["site-apex-aaaa", "app.example.com", "AAAA", target],
            ["site-www-a", "www.app.example.com", "A", target],
            ["site-www-aaaa", "www.app.example.com", "AAAA", target],
        ]);
        assert.deepEqual(one(g, T.cdn, "site-cdn").inputs.aliases, ["app.example.com", "www.app.example.com"]);
    });

    it("takes over existing A/AAAA records of the site's names only when asked", async () => {
        const overwrite = async (args: Partial<StaticSiteArgs>) =>
            ofType(await planSite({ www: true, ...args }), T.record)
                .filter((r) => r.inputs.aliases)
                .map((r) => r.inputs.allowOverwrite);
        assert.deepEqual(await overwrite({}), [false, false, false, false]);
        assert.deepEqual(await overwrite({ takeOverRecords: true }), [true, true, true, true]);
    });

    it("logs S3 and CloudFront access to a private SSE-S3 log bucket that expires them", async () => {
        const g = await planSite({ logRetentionDays: 45 });
        const logs = one(g, T.bucket, "site-logs");
        const arn = String(logs.outputs.arn);
        assert.deepEqual(one(g, T.sse, "site-logs").inputs.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
        assert.deepEqual(one(g, T.lifecycle, "site-logs").inputs.rules, [{ id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: 45 } }]);
        assert.deepEqual(one(g, T.ownership, "site-logs").inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        assert.deepEqual(one(g, T.logging, "site-content").inputs, { bucket: one(g, T.bucket, "site-content").id, targetBucket: logs.id, targetPrefix: "s3/content/" });
        const [tls, s3Logs, cdnLogs, aclCheck] = statements(one(g, T.policy, "site-logs")) as Record<string, unknown>[];
        assert.equal(tls.Sid, "DenyInsecureTransport");
        assert.deepEqual([s3Logs.Principal, s3Logs.Action, s3Logs.Resource], [{ Service: "logging.s3.amazonaws.com" }, "s3:PutObject", `${arn}/s3/*`]);
        assert.deepEqual(s3Logs.Condition, { ArnLike: { "aws:SourceArn": one(g, T.bucket, "site-content").outputs.arn }, StringEquals: { "aws:SourceAccount": "123456789012" } });
        assert.deepEqual([cdnLogs.Principal, cdnLogs.Resource], [{ Service: "delivery.logs.amazonaws.com" }, `${arn}/AWSLogs/123456789012/*`]);
        const source = one(g, T.logSource, "site-cdn-logs");
        const destination = one(g, T.logDestination, "site-cdn-logs");
        const delivery = one(g, T.logDelivery, "site-cdn-logs");
        assert.deepEqual([regionOf(g, source), regionOf(g, destination), regionOf(g, delivery)], ["us-east-1", "us-east-1", "us-east-1"]);
        assert.deepEqual([source.inputs.logType, source.inputs.resourceArn], ["ACCESS_LOGS", one(g, T.cdn, "site-cdn").outputs.arn]);
        assert.deepEqual(destination.inputs.deliveryDestinationConfiguration, { destinationResourceArn: arn });
        // Exactly the statements AWS documents for vended logs to S3, so the delivery never appends its own (no drift).
        const fromDeliverySources = { "aws:SourceArn": ["arn:aws:logs:us-east-1:123456789012:delivery-source:*"] };
        assert.deepEqual(cdnLogs, {
            Sid: "AWSLogDeliveryWrite",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${arn}/AWSLogs/123456789012/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": ["123456789012"] }, ArnLike: fromDeliverySources },
        });
        assert.deepEqual(aclCheck, {
            Sid: "AWSLogDeliveryAclCheck",
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: arn,
            Condition: { StringEquals: { "aws:SourceAccount": ["123456789012"] }, ArnLike: fromDeliverySources },
        });
        assert.deepEqual([delivery.inputs.deliverySourceName, delivery.inputs.deliveryDestinationArn], [source.outputs.name, destination.outputs.arn]);
    });

    it("puts a CloudFront-scope WAF web ACL in us-east-1 in front when asked", async () => {
        const g = await planSite({ waf: true });
        const waf = one(g, T.waf, "site-waf");
        assert.equal(regionOf(g, waf), "us-east-1");
        assert.equal(waf.inputs.scope, "CLOUDFRONT");
        assert.deepEqual(waf.inputs.defaultAction, { allow: {} });
        assert.deepEqual(
            (waf.inputs.rules as { name: string; priority: number }[]).map((r) => [r.priority, r.name]),
            [
                [0, "AWSManagedRulesCommonRuleSet"],
                [1, "AWSManagedRulesKnownBadInputsRuleSet"],
                [2, "AWSManagedRulesAmazonIpReputationList"],
                [3, "rate-limit"],
            ],
        );
        assert.deepEqual((waf.inputs.rules as Record<string, unknown>[])[3].statement, { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } });
        assert.equal(one(g, T.cdn, "site-cdn").inputs.webAclId, waf.outputs.arn);
    });

    it("logs the WAF's blocked, counted and challenged requests to an aws-waf-logs-* group in us-east-1, with the log retention and its own key", async () => {
        const g = await planSite({ waf: true, logRetentionDays: 45, protect: true });
        const waf = one(g, T.waf, "site-waf");
        const group = one(g, T.logGroup, "aws-waf-logs-site");
        const key = one(g, T.kmsKey, "site-waf-logs");
        const logging = one(g, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "site-waf");
        for (const r of [group, key, logging]) assert.equal(regionOf(g, r), "us-east-1");
        assert.match(String(group.outputs.name), /^aws-waf-logs-site-[0-9a-f]{7}$/);
        // 45 days is no CloudWatch Logs retention period: the next one up.
        assert.deepEqual([group.inputs.retentionInDays, group.inputs.kmsKeyId], [60, key.outputs.arn]);
        assert.deepEqual([group.protect, key.protect, logging.protect], [true, true, false]);
        assert.equal(key.inputs.enableKeyRotation, true);
        assert.deepEqual(statements(key)[1], {
            Sid: "CloudWatchLogsEncrypts",
            Effect: "Allow",
            Principal: { Service: "logs.us-east-1.amazonaws.com" },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-site-*" } },
        });
        assert.equal(logging.inputs.resourceArn, waf.outputs.arn);
        assert.deepEqual(logging.inputs.logDestinationConfigs, [`arn:aws:logs:us-east-1:123456789012:log-group:${String(group.outputs.name)}`]);
        assert.deepEqual(logging.inputs.loggingFilter, {
            defaultBehavior: "DROP",
            filters: [{ behavior: "KEEP", requirement: "MEETS_ANY", conditions: ["BLOCK", "COUNT", "CAPTCHA", "CHALLENGE"].map((action) => ({ actionCondition: { action } })) }],
        });
        assert.deepEqual(logging.inputs.redactedFields, [{ singleHeader: { name: "cookie" } }, { singleHeader: { name: "authorization" } }]);
    });

    it("creates no WAF log group or key without a WAF", async () => {
        const g = await planSite();
        assert.deepEqual([ofType(g, T.logGroup).length, ofType(g, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").length, ofType(g, T.kmsKey).length], [0, 0, 1]);
    });

    it("turns the origin into an origin group only when a failover bucket is given", async () => {
        let replica: aws.s3.Bucket | undefined;
        const g = await planProgram(() => {
            const west = new aws.Provider("dr-west", { region: "us-west-2" });
            replica = new aws.s3.Bucket("replica", {}, { provider: west });
            return new StaticSite("site", { ...BASE, failoverOrigin: { bucketRegionalDomainName: replica.bucketRegionalDomainName } });
        });
        const cdn = one(g, T.cdn, "site-cdn").inputs;
        const replicaDomain = await valueOf((replica as aws.s3.Bucket).bucketRegionalDomainName);
        assert.match(replicaDomain, /\.s3\.us-west-2\.amazonaws\.com$/);
        const oac = one(g, T.oac, "site-oac").id;
        assert.deepEqual(cdn.origins, [
            { originId: "content", domainName: one(g, T.bucket, "site-content").outputs.bucketRegionalDomainName, originAccessControlId: oac },
            { originId: "failover", domainName: replicaDomain, originAccessControlId: oac },
        ]);
        assert.deepEqual(cdn.originGroups, [
            { originId: "content-group", failoverCriteria: { statusCodes: FAILOVER_STATUS_CODES }, members: [{ originId: "content" }, { originId: "failover" }] },
        ]);
        assert.deepEqual(FAILOVER_STATUS_CODES, [500, 502, 503, 504, 403, 404]);
        assert.equal((cdn.defaultCacheBehavior as Record<string, unknown>).targetOriginId, "content-group");
    });

    it("uploads every site file with its content type and cache-control, encrypted with the key", async () => {
        const g = await planSite();
        const key = one(g, T.kmsKey, "site-content").outputs.arn;
        const objects = ofType(g, T.object).map((o) => [o.inputs.key, o.inputs.contentType, o.inputs.cacheControl, o.inputs.serverSideEncryption, o.inputs.kmsKeyId === key]);
        assert.deepEqual(objects, [
            ["403.html", "text/html; charset=utf-8", REVALIDATE, "aws:kms", true],
            ["404.html", "text/html; charset=utf-8", REVALIDATE, "aws:kms", true],
            ["assets/app.js", "text/javascript; charset=utf-8", REVALIDATE, "aws:kms", true],
            ["assets/site.css", "text/css; charset=utf-8", REVALIDATE, "aws:kms", true],
            ["favicon.svg", "image/svg+xml", REVALIDATE, "aws:kms", true],
            ["index.html", "text/html; charset=utf-8", REVALIDATE, "aws:kms", true],
            ["site-config.json", "application/json; charset=utf-8", REVALIDATE, "aws:kms", true],
        ]);
        const index = one(g, T.object, "site-file-index.html");
        assert.equal(index.inputs.bucket, one(g, T.bucket, "site-content").id);
        assert.match(String(index.inputs.sourceHash), /^[0-9a-f]{32}$/);
        assert.ok(index.dependencies.includes(one(g, T.sse, "site-content").urn), "uploaded after the bucket's encryption is set");
    });

    it("protects the buckets and key when asked, and then refuses to force-destroy", async () => {
        const g = await planSite({ protect: true });
        for (const r of [one(g, T.bucket, "site-content"), one(g, T.bucket, "site-logs"), one(g, T.kmsKey, "site-content")]) {
            assert.deepEqual([r.name, r.protect, r.retainOnDelete], [r.name, true, true]);
        }
        assert.equal(one(g, T.bucket, "site-content").inputs.forceDestroy, false);
    });

    it("exposes the bucket, distribution and URL", async () => {
        let site: StaticSite | undefined;
        const g = await planProgram(() => (site = new StaticSite("site", BASE)));
        const s = site as StaticSite;
        const cdn = one(g, T.cdn, "site-cdn");
        assert.deepEqual(await valueOf([s.bucketName, s.bucketArn, s.distributionId, s.distributionArn, s.distributionDomain]), [
            one(g, T.bucket, "site-content").outputs.bucket,
            one(g, T.bucket, "site-content").outputs.arn,
            cdn.id,
            cdn.outputs.arn,
            cdn.outputs.domainName,
        ]);
        assert.equal(s.url, "https://app.example.com");
    });
});

const ORIGIN_SECRET = "0f1e2d3c-origin-verify-secret";
const API: SiteApiOrigin = { domainName: "api.app.example.com", originHeader: { name: "X-Origin-Verify", value: pulumi.secret(ORIGIN_SECRET) } };
const FUNCTION = "aws:cloudfront/function:Function";
const cdnOf = (g: Graph) => one(g, T.cdn, "site-cdn").inputs;
const apiBehaviour = (headersPolicy: unknown, changes: Record<string, unknown> = {}) => ({
    pathPattern: "/api/*",
    targetOriginId: "api",
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
    cachedMethods: ["GET", "HEAD"],
    compress: true,
    cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    originRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    responseHeadersPolicyId: headersPolicy,
    ...changes,
});
/** Runs the SPA routing function's handler on a viewer request for `uri`, as CloudFront would. */
const routed = (uri: string): string => {
    const handler = new Function(`${SPA_ROUTING_CODE}\nreturn handler;`)() as (event: { request: { uri: string } }) => { uri: string };
    return handler({ request: { uri } }).uri;
};

describe("StaticSite with an API", () => {
    it("adds the API as an HTTPS-only (TLS 1.2) custom origin carrying the origin header, its value a secret", async () => {
        const g = await planSite({ api: API });
        const [content, api, ...rest] = cdnOf(g).origins as Record<string, unknown>[];
        assert.equal(rest.length, 0);
        assert.equal(content.originId, "content");
        assert.deepEqual(mask(api), {
            originId: "api",
            domainName: "api.app.example.com",
            customOriginConfig: {
                httpPort: 80,
                httpsPort: 443,
                originProtocolPolicy: "https-only",
                originSslProtocols: ["TLSv1.2"],
                originReadTimeout: 30,
                originKeepaliveTimeout: 5,
            },
            customHeaders: [{ name: "X-Origin-Verify", value: MASK }],
        });
        // The value reaches the provider (revealed), but only as a secret.
        assert.deepEqual(reveal(api.customHeaders), [{ name: "X-Origin-Verify", value: ORIGIN_SECRET }]);
        assert.equal(mask(one(g, T.cdn, "site-cdn").outputs.origins), MASK);
    });

    it("keeps the header value secret even when given in plain text, and nowhere in the plan or outputs in the clear", async () => {
        for (const value of [pulumi.secret(ORIGIN_SECRET), ORIGIN_SECRET]) {
            for (const preview of [false, true]) {
                const g = await planProgram(() => new StaticSite("site", { ...BASE, spa: true, api: { ...API, originHeader: { name: "X-Origin-Verify", value } } }), "staging", { preview });
                const api = (cdnOf(g).origins as Record<string, unknown>[])[1];
                assert.deepEqual(mask(api.customHeaders), [{ name: "X-Origin-Verify", value: MASK }]);
                const printable = JSON.stringify([g.outputs, ...g.resources.map((r) => mask([r.inputs, r.outputs]))]);
                assert.ok(printable.includes("X-Origin-Verify"), "the header name is shown");
                assert.ok(!printable.includes(ORIGIN_SECRET), "the header value is never shown");
            }
        }
    });

    it("routes /api/* to it uncached, with every method, all viewer headers but Host, the viewer policy and the security headers", async () => {
        const g = await planSite({ api: API });
        const headers = one(g, T.headers, "site-security-headers").id;
        assert.deepEqual(cdnOf(g).orderedCacheBehaviors, [apiBehaviour(headers)]);
        assert.deepEqual([CACHING_DISABLED, ALL_VIEWER_EXCEPT_HOST_HEADER], ["4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "b689b0a8-53d0-40ab-baf2-68738e2966ac"]);
        assert.deepEqual(API_METHODS, ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]);
        // The site itself is still served from the bucket, cached, without a function.
        assert.deepEqual(cdnOf(g).defaultCacheBehavior, {
            targetOriginId: "content",
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ["GET", "HEAD", "OPTIONS"],
            cachedMethods: ["GET", "HEAD"],
            compress: true,
            cachePolicyId: CACHING_OPTIMIZED,
            responseHeadersPolicyId: headers,
        });
    });

    it("uses the given path pattern and the site's viewer protocol policy", async () => {
        const g = await planSite({ api: { ...API, pathPattern: "/v1/*" }, viewerProtocolPolicy: "https-only" });
        const headers = one(g, T.headers, "site-security-headers").id;
        assert.deepEqual(cdnOf(g).orderedCacheBehaviors, [apiBehaviour(headers, { pathPattern: "/v1/*", viewerProtocolPolicy: "https-only" })]);
        assert.equal((cdnOf(g).defaultCacheBehavior as Record<string, unknown>).viewerProtocolPolicy, "https-only");
    });

    it("targets the API origin directly when the content is an origin group", async () => {
        const g = await planProgram(() => {
            const replica = new aws.s3.Bucket("replica", {}, { provider: new aws.Provider("dr-west", { region: "us-west-2" }) });
            return new StaticSite("site", { ...BASE, api: API, failoverOrigin: { bucketRegionalDomainName: replica.bucketRegionalDomainName } });
        });
        const cdn = cdnOf(g);
        assert.deepEqual((cdn.origins as Record<string, unknown>[]).map((o) => o.originId), ["content", "failover", "api"]);
        assert.deepEqual(cdn.originGroups, [
            { originId: "content-group", failoverCriteria: { statusCodes: FAILOVER_STATUS_CODES }, members: [{ originId: "content" }, { originId: "failover" }] },
        ]);
        assert.equal((cdn.defaultCacheBehavior as Record<string, unknown>).targetOriginId, "content-group");
        assert.deepEqual(cdn.orderedCacheBehaviors, [apiBehaviour(one(g, T.headers, "site-security-headers").id)]);
    });

    it("adds no resource (outside SPA mode): the same inventory as without an API", async () => {
        assert.deepEqual(inventory(await planSite({ api: API })), inventory(await planSite()));
        assert.deepEqual(inventory(await planSite({ api: API, waf: true, www: true })), inventory(await planSite({ waf: true, www: true })));
    });

    it("keeps the error pages' status codes and does not cache them, so the API's 403s and 404s reach the page as such", async () => {
        const g = await planSite({ api: API });
        assert.deepEqual(cdnOf(g).customErrorResponses, [
            { errorCode: 403, errorCachingMinTtl: 0, responseCode: 403, responsePagePath: "/403.html" },
            { errorCode: 404, errorCachingMinTtl: 0, responseCode: 404, responsePagePath: "/404.html" },
        ]);
        assert.equal(ofType(g, FUNCTION).length, 0);
    });

    it("in SPA mode serves app routes with a viewer-request function on the default behaviour, not 404 -> /index.html 200", async () => {
        const g = await planSite({ api: API, spa: true });
        const fn = one(g, FUNCTION, "site-spa-routing");
        assert.deepEqual(fn.inputs, {
            runtime: "cloudfront-js-2.0",
            comment: "site: app routes serve /index.html",
            code: SPA_ROUTING_CODE,
            publish: true,
            tags: { ...TAGS, Component: "site", Name: "site-spa-routing" },
        });
        const cdn = cdnOf(g);
        assert.deepEqual((cdn.defaultCacheBehavior as Record<string, unknown>).functionAssociations, [{ eventType: "viewer-request", functionArn: fn.outputs.arn }]);
        assert.match(String(fn.outputs.arn), /^arn:aws:cloudfront::123456789012:function\/site-spa-routing-[0-9a-f]{7}$/);
        // The API behaviour has no function: its paths reach the load balancer unchanged.
        assert.deepEqual(cdn.orderedCacheBehaviors, [apiBehaviour(one(g, T.headers, "site-security-headers").id)]);
        assert.deepEqual(cdn.customErrorResponses, [
            { errorCode: 403, errorCachingMinTtl: 0, responseCode: 403, responsePagePath: "/403.html" },
            { errorCode: 404, errorCachingMinTtl: 0, responseCode: 404, responsePagePath: "/404.html" },
        ]);
        assert.deepEqual(inventory(g), [...inventory(await planSite({ spa: true })), `${FUNCTION} site-spa-routing`].sort());
    });

    it("the SPA function rewrites extension-less paths to /index.html and leaves files alone", () => {
        assert.deepEqual(
            ["/", "/orders", "/orders/42", "/orders/", "/assets/app.js", "/site-config.json", "/favicon.svg", "/v1.2/report", "/404.html"].map(routed),
            ["/index.html", "/index.html", "/index.html", "/index.html", "/assets/app.js", "/site-config.json", "/favicon.svg", "/index.html", "/404.html"],
        );
    });

    it("changes nothing without an API: no second origin, ordered behaviour, function or other error caching", async () => {
        for (const spa of [false, true]) {
            const g = await planSite({ spa });
            const cdn = cdnOf(g);
            assert.deepEqual((cdn.origins as Record<string, unknown>[]).map((o) => o.originId), ["content"]);
            assert.equal("orderedCacheBehaviors" in cdn, false);
            assert.equal("functionAssociations" in (cdn.defaultCacheBehavior as Record<string, unknown>), false);
            assert.equal(ofType(g, FUNCTION).length, 0);
            assert.deepEqual(cdn.customErrorResponses, [
                { errorCode: 403, errorCachingMinTtl: 10, responseCode: 403, responsePagePath: "/403.html" },
                { errorCode: 404, errorCachingMinTtl: 10, ...(spa ? { responseCode: 200, responsePagePath: "/index.html" } : { responseCode: 404, responsePagePath: "/404.html" }) },
            ]);
        }
    });

    it("passes the pack's CloudFront rules as a site without an API does, in plan and plan --preview", async () => {
        const verdict = async (args: Partial<StaticSiteArgs>, preview: boolean) => {
            const g = await planProgram(() => new StaticSite("site", { ...BASE, waf: true, ...args }), "staging", { preview });
            return (await evaluatePolicies(g, CLOUDFRONT_RULES)).findings.map((f) => [f.policy, f.level, f.resource ?? "(stack)", f.message]);
        };
        const previewOnly = [
            ["S06-cloudfront-bucket-access", "advisory", "(stack)", "can't run policy 'S06-cloudfront-bucket-access' during preview: string value at .site-cdn.arn can't be known during preview"],
        ];
        for (const args of [{ api: API }, { api: API, spa: true }, { api: API, viewerProtocolPolicy: "https-only" as const }]) {
            assert.deepEqual(await verdict(args, false), []);
            assert.deepEqual(await verdict(args, true), previewOnly);
        }
        assert.deepEqual(await verdict({}, true), previewOnly);
    });

    it("adds no finding of the whole pack (production config), SPA function included", async () => {
        const config = readPackConfig(path.join(ROOT, "policy", "config", "production.json"));
        const findings = async (args: Partial<StaticSiteArgs>, preview: boolean) => {
            const g = await planProgram(() => new StaticSite("site", { ...BASE, tags: { ...TAGS, Stack: "production", Environment: "production" }, waf: true, protect: true, spa: true, ...args }), "production", { preview });
            return (await evaluatePolicies(g, POLICIES, config)).findings.map((f) => [f.policy, f.level, f.resource ?? "(stack)"]);
        };
        assert.deepEqual(await findings({ api: API }, false), []);
        assert.deepEqual(await findings({ api: API }, true), await findings({}, true));
    });
});

describe("site files", () => {
    it("gives fingerprinted assets a year of immutable caching and everything else revalidation", () => {
        const dir = tempSite({
            "index.html": "<!doctype html>",
            "404.html": "<!doctype html>",
            "assets/app.3f9c2b1d.js": "1",
            "assets/main-0a1b2c3d4e.css": "2",
            "img/logo.png": "3",
            "fonts/ui.woff2": "4",
            ".DS_Store": "x",
        });
        assert.deepEqual(
            siteFiles(dir, { environment: "production" }).map((f) => [f.key, f.contentType, f.cacheControl]),
            [
                ["404.html", "text/html; charset=utf-8", REVALIDATE],
                ["assets/app.3f9c2b1d.js", "text/javascript; charset=utf-8", IMMUTABLE],
                ["assets/main-0a1b2c3d4e.css", "text/css; charset=utf-8", IMMUTABLE],
                ["fonts/ui.woff2", "font/woff2", REVALIDATE],
                ["img/logo.png", "image/png", REVALIDATE],
                ["index.html", "text/html; charset=utf-8", REVALIDATE],
                ["site-config.json", "application/json; charset=utf-8", REVALIDATE],
            ],
        );
        assert.equal(IMMUTABLE, "public, max-age=31536000, immutable");
        assert.deepEqual([isFingerprinted("app.js"), isFingerprinted("v1.2.3.js"), isFingerprinted("app.deadbeef.js")], [false, false, true]);
    });

    it("publishes only publicConfig in site-config.json", async () => {
        const config = siteFiles(path.join(ROOT, "site"), { environment: "staging" }).find((f) => f.key === "site-config.json");
        assert.equal(await (config?.source as unknown as { text: Promise<string> }).text, '{\n  "environment": "staging"\n}\n');
    });

    it("refuses a folder without index.html or 404.html, or with its own site-config.json", () => {
        assert.throws(() => siteFiles(tempSite({ "404.html": "x" }), {}), /index\.html is missing; the distribution serves it$/);
        assert.throws(() => siteFiles(tempSite({ "index.html": "x" }), {}), /404\.html is missing; the distribution serves it$/);
        assert.throws(() => siteFiles(tempSite({ "index.html": "x", "404.html": "x", "site-config.json": "{}" }), {}), /site-config\.json is generated from publicConfig/);
        assert.throws(() => siteFiles("/nonexistent/site", {}), /site folder \/nonexistent\/site does not exist/);
    });
});

describe("site/ placeholder UI", () => {
    for (const page of ["index.html", "404.html", "403.html"]) {
        it(`${page} is accessible and runs under the content security policy`, () => {
            const html = fs.readFileSync(path.join(ROOT, "site", page), "utf8");
            assert.match(html, /^<!doctype html>\n<html lang="en">/);
            assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
            assert.match(html, /<title>[^<]+<\/title>/);
            assert.equal((html.match(/<h1>/g) ?? []).length, 1, "one h1");
            assert.match(html, /<main id="main">/);
            assert.match(html, /<a class="skip-link" href="#main">/);
            // CSP allows only files from the site: no inline script, style or handler, nothing external.
            assert.doesNotMatch(html, /<script>|<style|style="|\son[a-z]+="/i);
            assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
            assert.match(html, /<script src="\/assets\/app\.js" defer><\/script>/);
        });
    }

    it("the page checks the API's health through the site's own domain", () => {
        const js = fs.readFileSync(path.join(ROOT, "site", "assets", "app.js"), "utf8");
        assert.match(js, /const path = "\/api\/health";/);
        assert.match(js, /getJson\("\/site-config\.json", 5000\)/);
        assert.doesNotMatch(js, /innerHTML|eval\(|https?:\/\//);
    });
});
