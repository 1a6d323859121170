import * as assert from "assert/strict";
import { CLOUDFRONT_RULES, R04, R05, R06, R07, R46, R47, R48, S06 } from "../../policy/rules/cloudfront";
import { findings, mutate, verdictOf, type Fixture, UNKNOWN, ACCOUNT, DIST_ARN, doc, tlsDeny, cloudFrontRead } from "../helpers/policy";

const OTHER_DIST_ARN = `arn:aws:cloudfront::${ACCOUNT}:distribution/E1OTHERDIST`;
const CERT_ARN = `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/5c1d2b7e-8a3f-4c55-9f0e-2d7b6a1e9c44`;
const KEY_ID = "0c4f8d8e-5b1a-4c39-9a57-3f1f6f0e2a11";
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`;

const WEB_ACL_ARN = `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/site-waf/1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901`;

const siteOrigin = { originId: "site", domainName: "site-abc.s3.eu-west-1.amazonaws.com", originAccessControlId: "E3OAC" };
const apiOrigin = {
    originId: "api",
    domainName: "api-origin.example.com",
    customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
};
const methods = { allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] };

// What the StaticSite component creates: an S3 origin behind OAC and the API behind /api/*.
const cdn: Fixture = {
    type: "aws:cloudfront/distribution:Distribution",
    name: "site-cdn",
    props: {
        id: "E2QWRUHAPOMQZL",
        arn: DIST_ARN,
        enabled: true,
        defaultRootObject: "index.html",
        origins: [siteOrigin, apiOrigin],
        defaultCacheBehavior: { targetOriginId: "site", viewerProtocolPolicy: "redirect-to-https", ...methods },
        orderedCacheBehaviors: [{ pathPattern: "/api/*", targetOriginId: "api", viewerProtocolPolicy: "https-only", ...methods }],
        viewerCertificate: { acmCertificateArn: CERT_ARN, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
        restrictions: { geoRestriction: { restrictionType: "none" } },
        webAclId: WEB_ACL_ARN,
        loggingConfig: { bucket: "logs-abc.s3.amazonaws.com", prefix: "cdn/" },
    },
};
/** The distribution with changes to one origin (by originId). */
const withOrigin = (originId: string, origin: Record<string, unknown> | null, base: Fixture = cdn): Fixture => {
    const origins = (base.props.origins as Record<string, unknown>[]).filter((o) => o.originId !== originId);
    return mutate(base, { origins: origin ? [...origins, { originId, ...origin }] : origins });
};
const withCert = (changes: Record<string, unknown>) => mutate(cdn, { viewerCertificate: { ...(cdn.props.viewerCertificate as object), ...changes } });

// ---- the graph S06 reads ------------------------------------------------------------------------

const keyPolicy = (...extra: object[]) =>
    doc({ Sid: "Admin", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }, ...extra);
const cloudFrontDecrypt = {
    Sid: "CloudFrontDecrypt",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { StringEquals: { "AWS:SourceArn": DIST_ARN } },
};

const site: Fixture = {
    type: "aws:s3/bucketV2:BucketV2",
    name: "site",
    props: { id: "site-abc", bucket: "site-abc", arn: "arn:aws:s3:::site-abc", bucketRegionalDomainName: "site-abc.s3.eu-west-1.amazonaws.com", bucketDomainName: "site-abc.s3.amazonaws.com" },
};
const sitePolicy: Fixture = {
    type: "aws:s3/bucketPolicy:BucketPolicy",
    name: "site-policy",
    props: { id: "site-abc", bucket: "site-abc", policy: doc(cloudFrontRead("site-abc"), tlsDeny("site-abc")) },
    propertyDependencies: { bucket: ["site"], policy: ["site-cdn"] },
};
const siteEncryption: Fixture = {
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    name: "site-encryption",
    props: { id: "site-abc", bucket: "site-abc", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true }] },
    propertyDependencies: { bucket: ["site"], rules: ["site-key"] },
};
const key: Fixture = { type: "aws:kms/key:Key", name: "site-key", props: { id: KEY_ID, keyId: KEY_ID, arn: KEY_ARN, enableKeyRotation: true, policy: keyPolicy(cloudFrontDecrypt) } };
const oac: Fixture = {
    type: "aws:cloudfront/originAccessControl:OriginAccessControl",
    name: "site-oac",
    props: { id: "E3OAC", name: "site-abc-oac", originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" },
};
const GRAPH: Fixture[] = [site, sitePolicy, siteEncryption, key, oac, { ...cdn, propertyDependencies: { origins: ["site", "site-oac"] } }];

/** The graph with fixtures replaced (by name) or removed (`null`). */
function graphWith(changes: Record<string, Fixture | null>): Fixture[] {
    const out = GRAPH.filter((f) => changes[f.name] !== null).map((f) => changes[f.name] ?? f);
    for (const [name, f] of Object.entries(changes)) if (f && !GRAPH.some((b) => b.name === name)) out.push(f);
    // Dependencies on removed fixtures go too: the helper resolves every one.
    const names = new Set(out.map((f) => f.name));
    const keep = (deps: Record<string, string[]>) => Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.filter((n) => names.has(n))]));
    return out.map((f) => (f.propertyDependencies ? { ...f, propertyDependencies: keep(f.propertyDependencies) } : f));
}

// ---- resource rules ------------------------------------------------------------------------------

describe("R04 no CloudFront behaviour allows plain HTTP", () => {
    it("passes redirect-to-https and https-only behaviours", async () => {
        assert.deepEqual(await findings(R04, [cdn]), []);
    });

    it("reports allow-all on the default behaviour", async () => {
        const f = mutate(cdn, { defaultCacheBehavior: { targetOriginId: "site", viewerProtocolPolicy: "allow-all", ...methods } });
        assert.deepEqual(await findings(R04, [f]), ['site-cdn: default behaviour allows plain HTTP (viewerProtocolPolicy "allow-all") [finding default]']);
    });

    it("reports one finding per ordered behaviour with allow-all, keyed by path pattern", async () => {
        const f = mutate(cdn, {
            orderedCacheBehaviors: [
                { pathPattern: "/api/*", targetOriginId: "api", viewerProtocolPolicy: "allow-all", ...methods },
                { pathPattern: "/assets/*", targetOriginId: "site", viewerProtocolPolicy: "redirect-to-https", ...methods },
                { pathPattern: "/legacy/*", targetOriginId: "site", viewerProtocolPolicy: "allow-all", ...methods },
            ],
        });
        assert.deepEqual(await findings(R04, [f]), [
            'site-cdn: behaviour "/api/*" allows plain HTTP (viewerProtocolPolicy "allow-all") [finding /api/*]',
            'site-cdn: behaviour "/legacy/*" allows plain HTTP (viewerProtocolPolicy "allow-all") [finding /legacy/*]',
        ]);
    });

    it("reports a behaviour without viewerProtocolPolicy", async () => {
        const f = mutate(cdn, { defaultCacheBehavior: { targetOriginId: "site", ...methods } });
        assert.deepEqual(await findings(R04, [f]), ["site-cdn: default behaviour has no viewerProtocolPolicy, so plain HTTP cannot be ruled out [finding default]"]);
    });
});

describe("R05 CloudFront viewer TLS", () => {
    it("passes an ACM certificate with SNI and TLSv1.2_2021, and the newer TLS policies", async () => {
        const v2025 = { ...withCert({ minimumProtocolVersion: "TLSv1.2_2025" }), name: "cdn-2025" };
        const v13 = { ...withCert({ minimumProtocolVersion: "TLSv1.3_2025" }), name: "cdn-13" };
        assert.deepEqual(await findings(R05, [cdn, v2025, v13]), []);
    });

    it("reports the CloudFront default certificate, with its implied SSL method and TLSv1", async () => {
        const f = mutate(cdn, { viewerCertificate: { cloudfrontDefaultCertificate: true, minimumProtocolVersion: "TLSv1" } });
        assert.deepEqual(await findings(R05, [f]), [
            'site-cdn: minimumProtocolVersion "TLSv1" is not one of TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025 [finding minimum-protocol-version]',
            'site-cdn: sslSupportMethod is not set, not "sni-only" [finding ssl-support-method]',
            "site-cdn: viewer certificate is the CloudFront default certificate, not an ACM certificate [finding acm-certificate]",
        ]);
    });

    it("reports a dedicated-IP (vip) certificate and an older TLS 1.2 policy", async () => {
        assert.deepEqual(await findings(R05, [withCert({ sslSupportMethod: "vip", minimumProtocolVersion: "TLSv1.2_2019" })]), [
            'site-cdn: minimumProtocolVersion "TLSv1.2_2019" is not one of TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025 [finding minimum-protocol-version]',
            'site-cdn: sslSupportMethod is "vip", not "sni-only" [finding ssl-support-method]',
        ]);
    });

    it("reports an IAM certificate and an unset minimum protocol version", async () => {
        const f = mutate(cdn, { viewerCertificate: { iamCertificateId: "ASCAEXAMPLE", sslSupportMethod: "sni-only" } });
        assert.deepEqual(await findings(R05, [f]), [
            "site-cdn: minimumProtocolVersion is not set (CloudFront then allows TLSv1) [finding minimum-protocol-version]",
            'site-cdn: viewer certificate is the IAM certificate "ASCAEXAMPLE", not an ACM certificate [finding acm-certificate]',
        ]);
    });

    it("decides during preview with a certificate ARN known only after deploy (the field takes only ACM certificates)", async () => {
        assert.deepEqual(await findings(R05, [withCert({ acmCertificateArn: UNKNOWN })]), []);
        assert.deepEqual(await findings(R05, [withCert({ acmCertificateArn: UNKNOWN, minimumProtocolVersion: "TLSv1" })]), [
            'site-cdn: minimumProtocolVersion "TLSv1" is not one of TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025 [finding minimum-protocol-version]',
        ]);
    });
});

describe("R06 CloudFront to custom origins over TLS 1.2", () => {
    it("passes https-only with TLSv1.2, and ignores S3 origins", async () => {
        assert.deepEqual(await findings(R06, [cdn]), []);
    });

    it("reports match-viewer and each legacy SSL protocol", async () => {
        const f = withOrigin("api", {
            domainName: "api-origin.example.com",
            customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "match-viewer", originSslProtocols: ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"] },
        });
        assert.deepEqual(await findings(R06, [f]), [
            'site-cdn: custom origin "api" allows protocol "SSLv3" to the origin (only TLSv1.2) [finding origin-api-ssl-SSLv3]',
            'site-cdn: custom origin "api" allows protocol "TLSv1" to the origin (only TLSv1.2) [finding origin-api-ssl-TLSv1]',
            'site-cdn: custom origin "api" allows protocol "TLSv1.1" to the origin (only TLSv1.2) [finding origin-api-ssl-TLSv1.1]',
            'site-cdn: custom origin "api" uses originProtocolPolicy "match-viewer", not "https-only" [finding origin-api-protocol-policy]',
        ]);
    });

    it("reports http-only and a protocol list without TLSv1.2", async () => {
        const f = withOrigin("api", {
            domainName: "api-origin.example.com",
            customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "http-only", originSslProtocols: ["TLSv1.1"] },
        });
        assert.deepEqual(await findings(R06, [f]), [
            'site-cdn: custom origin "api" allows protocol "TLSv1.1" to the origin (only TLSv1.2) [finding origin-api-ssl-TLSv1.1]',
            'site-cdn: custom origin "api" does not list TLSv1.2 in originSslProtocols [finding origin-api-ssl-tls12]',
            'site-cdn: custom origin "api" uses originProtocolPolicy "http-only", not "https-only" [finding origin-api-protocol-policy]',
        ]);
    });
});

describe("R07 CloudFront S3 origins use Origin Access Control", () => {
    it("passes an OAC origin, also next to an empty s3OriginConfig, and ignores custom origins", async () => {
        const empty = { ...withOrigin("site", { ...siteOrigin, s3OriginConfig: { originAccessIdentity: "" } }), name: "empty-oai" };
        assert.deepEqual(await findings(R07, [cdn, empty]), []);
    });

    it("reports a legacy origin access identity", async () => {
        const f = withOrigin("site", { domainName: "site-abc.s3.amazonaws.com", s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1OAI" } });
        assert.deepEqual(await findings(R07, [f]), [
            'site-cdn: S3 origin "site" uses the legacy origin access identity "origin-access-identity/cloudfront/E1OAI" instead of Origin Access Control [finding origin-site-oai]',
        ]);
    });

    it("reports an identity left next to the OAC", async () => {
        const f = withOrigin("site", { ...siteOrigin, s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1OAI" } });
        assert.deepEqual(await findings(R07, [f]), [
            'site-cdn: S3 origin "site" uses the legacy origin access identity "origin-access-identity/cloudfront/E1OAI" next to its OAC [finding origin-site-oai]',
        ]);
    });

    it("reports an S3 origin with neither", async () => {
        const f = withOrigin("site", { domainName: "site-abc.s3.eu-west-1.amazonaws.com" });
        assert.deepEqual(await findings(R07, [f]), [
            "site-cdn: S3 origin \"site\" has no origin access control, so the bucket must be readable without CloudFront's signature [finding origin-site-oac]",
        ]);
    });
});

// ---- S06 ---------------------------------------------------------------------------------------

describe("S06 CloudFront and its buckets", () => {
    it("passes the StaticSite graph: grant with this distribution's ARN, key allowing CloudFront, OAC sigv4 always", async () => {
        assert.deepEqual(await findings(S06, GRAPH), []);
    });

    it("passes a key whose CloudFront grant is in a separate KeyPolicy, and a grant in an inline Bucket policy", async () => {
        const bareKey = mutate(key, { policy: keyPolicy() });
        const kp: Fixture = { type: "aws:kms/keyPolicy:KeyPolicy", name: "site-key-policy", props: { id: KEY_ID, keyId: KEY_ID, policy: keyPolicy(cloudFrontDecrypt) } };
        const legacy: Fixture = {
            type: "aws:s3/bucket:Bucket",
            name: "site",
            props: { ...site.props, policy: doc(cloudFrontRead("site-abc"), tlsDeny("site-abc")) },
        };
        assert.deepEqual(await findings(S06, graphWith({ "site-key": bareKey, "site-key-policy": kp, site: legacy, "site-policy": null })), []);
    });

    it("resolves the bucket from its name when it has no domain-name outputs", async () => {
        const unnamed = mutate(site, { bucketRegionalDomainName: undefined, bucketDomainName: undefined });
        assert.deepEqual(await findings(S06, graphWith({ site: unnamed })), []);
    });

    it("reports an origin bucket without a bucket policy", async () => {
        assert.deepEqual(await findings(S06, graphWith({ "site-policy": null })), [
            "site-cdn: bucket site has no bucket policy statement allowing the CloudFront service s3:GetObject on its objects [finding origin-site-bucket-policy]",
        ]);
    });

    it("reports a grant naming another distribution, and one without AWS:SourceArn", async () => {
        const other = mutate(sitePolicy, { policy: doc(cloudFrontRead("site-abc", { StringEquals: { "AWS:SourceArn": OTHER_DIST_ARN } })) });
        assert.deepEqual(await findings(S06, graphWith({ "site-policy": other })), [
            `site-cdn: bucket site grants CloudFront s3:GetObject for "${OTHER_DIST_ARN}", not this distribution's ARN ${DIST_ARN} [finding origin-site-source-arn]`,
        ]);
        const open = mutate(sitePolicy, { policy: doc(cloudFrontRead("site-abc", null)) });
        assert.deepEqual(await findings(S06, graphWith({ "site-policy": open })), [
            `site-cdn: bucket site grants CloudFront s3:GetObject for no AWS:SourceArn, not this distribution's ARN ${DIST_ARN} [finding origin-site-source-arn]`,
        ]);
    });

    it("reports a grant on another bucket's objects, or of another action", async () => {
        const wrongBucket = mutate(sitePolicy, { policy: doc(cloudFrontRead("other-bucket")) });
        const listOnly = mutate(sitePolicy, { policy: doc({ ...cloudFrontRead("site-abc"), Action: "s3:ListBucket" }) });
        const message = "site-cdn: bucket site has no bucket policy statement allowing the CloudFront service s3:GetObject on its objects [finding origin-site-bucket-policy]";
        assert.deepEqual(await findings(S06, graphWith({ "site-policy": wrongBucket })), [message]);
        assert.deepEqual(await findings(S06, graphWith({ "site-policy": listOnly })), [message]);
    });

    it("reports a KMS key in the stack whose policy does not allow CloudFront", async () => {
        assert.deepEqual(await findings(S06, graphWith({ "site-key": mutate(key, { policy: keyPolicy() }) })), [
            "site-cdn: bucket site is encrypted with KMS key site-key, whose policy does not allow the CloudFront service kms:Decrypt [finding origin-site-kms]",
        ]);
    });

    it("skips a KMS key outside the stack", async () => {
        assert.deepEqual(await findings(S06, graphWith({ "site-key": null })), []);
    });

    it("reports an S3 origin that matches no bucket in the stack", async () => {
        const f = withOrigin("site", { ...siteOrigin, domainName: "elsewhere-xyz.s3.eu-west-1.amazonaws.com" });
        assert.deepEqual(await findings(S06, graphWith({ "site-cdn": f })), [
            'site-cdn: S3 origin "site" (elsewhere-xyz.s3.eu-west-1.amazonaws.com) matches no bucket in the stack, so its access cannot be checked [finding origin-site-bucket]',
        ]);
    });

    it("reports an OAC that does not always sign with SigV4", async () => {
        assert.deepEqual(await findings(S06, graphWith({ "site-oac": mutate(oac, { signingBehavior: "no-override", signingProtocol: "sigv2" }) })), [
            'site-oac: origin access control has signingBehavior "no-override", not "always" [finding signing-behavior]',
            'site-oac: origin access control has signingProtocol "sigv2", not "sigv4" [finding signing-protocol]',
        ]);
    });

    it("reports an OAC id that is not in the stack, and ignores OACs no distribution uses", async () => {
        const unused = { ...mutate(oac, { id: "E9UNUSED", signingBehavior: "never" }), name: "unused-oac" };
        assert.deepEqual(await findings(S06, graphWith({ "site-oac": null, "unused-oac": unused })), [
            'site-cdn: S3 origin "site" uses origin access control E3OAC, which is not in the stack, so its signing cannot be checked [finding origin-site-oac]',
        ]);
    });
});

describe("CloudFront rules over a mixed graph", () => {
    it("fails exactly the non-compliant resources, per rule", async () => {
        const legacy: Fixture = {
            ...cdn,
            name: "legacy-cdn",
            props: {
                ...cdn.props,
                id: "E1OTHERDIST",
                arn: OTHER_DIST_ARN,
                origins: [
                    { originId: "site", domainName: "site-abc.s3.amazonaws.com", s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1OAI" } },
                    { ...apiOrigin, customOriginConfig: { ...apiOrigin.customOriginConfig, originProtocolPolicy: "match-viewer" } },
                ],
                defaultCacheBehavior: { targetOriginId: "site", viewerProtocolPolicy: "allow-all", ...methods },
                viewerCertificate: { cloudfrontDefaultCertificate: true },
                webAclId: undefined,
                loggingConfig: undefined,
                defaultRootObject: undefined,
            },
        };
        const verdict = await verdictOf(CLOUDFRONT_RULES, [...GRAPH, legacy]);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R04-cloudfront-no-plain-http legacy-cdn",
            "R05-cloudfront-viewer-tls legacy-cdn",
            "R06-cloudfront-origin-tls legacy-cdn",
            "R07-cloudfront-s3-origin-oac legacy-cdn",
            "R46-cloudfront-waf legacy-cdn",
            "R47-cloudfront-access-logging legacy-cdn",
            "R48-cloudfront-default-root-object legacy-cdn",
            "S06-cloudfront-bucket-access legacy-cdn",
        ]);
    });
});

describe("R46 CloudFront distributions have a WAF web ACL", () => {
    it("passes a distribution with a web ACL ARN, also one known only after deploy", async () => {
        assert.deepEqual(await findings(R46, [cdn]), []);
        assert.deepEqual(await findings(R46, [mutate(cdn, { webAclId: UNKNOWN })]), []);
    });
    it("reports a distribution without webAclId, and an empty one", async () => {
        assert.deepEqual(await findings(R46, [mutate(cdn, { webAclId: undefined })]), ["site-cdn: distribution has no WAF web ACL (webAclId is not set) [finding waf]"]);
        assert.deepEqual(await findings(R46, [mutate(cdn, { webAclId: "" })]), ["site-cdn: distribution has no WAF web ACL (webAclId is not set) [finding waf]"]);
    });
    it("is MP: mandatory in production, advisory in staging", () => {
        assert.ok(R46.tags?.includes("mandatory-in-production"));
    });
});

describe("R47 CloudFront access logging", () => {
    const noV1 = mutate(cdn, { loggingConfig: undefined });
    const source: Fixture = {
        type: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
        name: "site-cdn-logs",
        props: { name: "site-cdn-logs-3f2a1b0", logType: "ACCESS_LOGS", resourceArn: DIST_ARN, arn: `arn:aws:logs:us-east-1:${ACCOUNT}:delivery-source:site-cdn-logs-3f2a1b0` },
    };
    const delivery: Fixture = {
        type: "aws:cloudwatch/logDelivery:LogDelivery",
        name: "site-cdn-logs",
        props: { deliverySourceName: "site-cdn-logs-3f2a1b0", deliveryDestinationArn: `arn:aws:logs:us-east-1:${ACCOUNT}:delivery-destination:site-cdn-logs` },
    };
    const NONE = "site-cdn: distribution has no access logging: no loggingConfig.bucket (legacy) and no ACCESS_LOGS log delivery source for it (standard logging v2) [finding access-logs]";

    it("passes legacy logging to a bucket (loggingConfig.bucket)", async () => {
        assert.deepEqual(await findings(R47, [cdn]), []);
    });
    it("passes standard logging v2: an ACCESS_LOGS source for the distribution and a delivery from it", async () => {
        assert.deepEqual(await findings(R47, [noV1, source, delivery]), []);
    });
    it("reports a distribution with neither, a loggingConfig without bucket, and a source for another distribution or of another log type", async () => {
        assert.deepEqual(await findings(R47, [noV1]), [NONE]);
        assert.deepEqual(await findings(R47, [mutate(cdn, { loggingConfig: { includeCookies: false } })]), [NONE]);
        assert.deepEqual(await findings(R47, [noV1, mutate(source, { resourceArn: OTHER_DIST_ARN }), delivery]), [NONE]);
        assert.deepEqual(await findings(R47, [noV1, mutate(source, { logType: "CONNECTION_LOGS" }), delivery]), [NONE]);
    });
    it("reports a v2 source without a delivery", async () => {
        assert.deepEqual(await findings(R47, [noV1, source, mutate(delivery, { deliverySourceName: "other-source" })]), [
            "site-cdn: distribution's ACCESS_LOGS delivery source site-cdn-logs has no log delivery to a destination, so nothing is logged [finding access-logs]",
        ]);
    });
    it("at preview resolves the distribution's ARN and the source's name through property dependencies", async () => {
        const newCdn = mutate(noV1, { id: UNKNOWN, arn: UNKNOWN });
        const newSource: Fixture = { ...mutate(source, { resourceArn: UNKNOWN, name: UNKNOWN, arn: UNKNOWN }), propertyDependencies: { resourceArn: ["site-cdn"] } };
        const newDelivery: Fixture = { ...mutate(delivery, { deliverySourceName: UNKNOWN }), propertyDependencies: { deliverySourceName: ["site-cdn-logs"] } };
        // Both named "site-cdn-logs": give the delivery its own name for the graph.
        const d = { ...newDelivery, name: "site-cdn-delivery" };
        assert.deepEqual(await findings(R47, [newCdn, newSource, d]), []);
        assert.deepEqual(await findings(R47, [newCdn, newSource]), [
            "site-cdn: distribution's ACCESS_LOGS delivery source site-cdn-logs has no log delivery to a destination, so nothing is logged [finding access-logs]",
        ]);
        // A source computed from another distribution's ARN logs that one, not this one.
        const other = { ...newCdn, name: "other-cdn" };
        assert.deepEqual(await findings(R47, [newCdn, other, { ...newSource, propertyDependencies: { resourceArn: ["other-cdn"] } }, d]), [NONE]);
    });
});

describe("R48 CloudFront default root object", () => {
    it("passes a distribution with an S3 origin and a default root object, and one with custom origins only", async () => {
        assert.deepEqual(await findings(R48, [cdn]), []);
        assert.deepEqual(await findings(R48, [mutate(cdn, { defaultRootObject: undefined, origins: [apiOrigin] })]), []);
    });
    it("reports an S3-origin distribution without one, or with an empty one", async () => {
        const message = "site-cdn: distribution with an S3 origin has no defaultRootObject, so the root URL reaches the bucket as is [finding default-root-object]";
        assert.deepEqual(await findings(R48, [mutate(cdn, { defaultRootObject: undefined })]), [message]);
        assert.deepEqual(await findings(R48, [mutate(cdn, { defaultRootObject: "" })]), [message]);
    });
});
