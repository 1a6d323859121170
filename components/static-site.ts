import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext } from "./shared/aws-context";
import type { ProviderSettings } from "./shared/providers";
import { accountUsesKeyThrough, denyInsecureTransport, policyDocument, toJson } from "./shared/iam";
import { customerManagedKey } from "./shared/key";
import { dnsValidatedCertificate } from "./shared/certificate";
import { siteFiles } from "./shared/site-files";
import { createWebAcl } from "./shared/waf";
import { resourceTags, type Tags } from "./shared/tags";

/** AWS's managed cache policy "Managed-CachingOptimized": its id is fixed across accounts. */
export const CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6";
/**
 * AWS's managed cache policy "Managed-CachingDisabled" (TTLs 0): API answers are per request, never shared.
 * Managed policy ids are fixed across accounts (CloudFront developer guide, "Use managed cache policies").
 */
export const CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
/**
 * AWS's managed origin request policy "Managed-AllViewerExceptHostHeader": every viewer header, cookie and query
 * string but Host, so the load balancer sees its own name (api.<domain>) and its certificate matches. Fixed id
 * across accounts (CloudFront developer guide, "Use managed origin request policies").
 */
export const ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
/** Methods the API behaviour passes to the load balancer: all seven CloudFront offers. */
export const API_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"];
/**
 * Viewer-request CloudFront Function (cloudfront-js-2.0) of a single-page app with an API: extension-less paths
 * (the app's routes, "/" and "/dir/" included) become /index.html; files (a dot in the last segment) pass as is.
 */
export const SPA_ROUTING_CODE = `function handler(event) {
    var request = event.request;
    var last = request.uri.substring(request.uri.lastIndexOf("/") + 1);
    if (last.indexOf(".") === -1) request.uri = "/index.html";
    return request;
}
`;
/** CloudFront's fixed hosted zone for alias records. */
const CLOUDFRONT_ZONE_ID = "Z2FDTNDATAQYW2";
/** Content security policy of the UI: everything from the site itself, nothing inline, no framing. */
export const CONTENT_SECURITY_POLICY =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests";
/** Primary-origin responses that make an origin group try the failover origin. */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504, 403, 404];

/** Retention periods CloudWatch Logs accepts, in days. */
const LOG_GROUP_RETENTION = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
/** The shortest retention CloudWatch Logs accepts that keeps logs at least `days` (at most ten years). */
export function logGroupRetention(days: number): number {
    return LOG_GROUP_RETENTION.find((d) => d >= days) ?? 3653;
}

/** The API behind the site's distribution (ApiCluster's load balancer). */
export interface SiteApiOrigin {
    /** The origin's DNS name with a certificate valid for it (api.<domain>), e.g. ApiCluster's `domain`. */
    readonly domainName: pulumi.Input<string>;
    /**
     * The header CloudFront adds to every origin request; the load balancer forwards only requests carrying it.
     * The value is stored as a Pulumi secret whatever is passed (it is the only thing keeping the load balancer
     * private to this distribution).
     */
    readonly originHeader: { readonly name: string; readonly value: pulumi.Input<string> };
    /**
     * The path pattern routed to the API: uncached, all methods, all viewer headers but Host.
     * @default "/api/*"
     */
    readonly pathPattern?: string;
}

export interface FailoverOrigin {
    /** The replica bucket's regional domain name (`bucket.bucketRegionalDomainName`). Its policy must grant this distribution, as the content bucket's does. */
    readonly bucketRegionalDomainName: pulumi.Input<string>;
}

/** CloudFront price classes: which edge locations serve the site (fewer is cheaper). */
export type PriceClass = "PriceClass_100" | "PriceClass_200" | "PriceClass_All";

export interface StaticSiteArgs {
    /** The site's DNS name, equal to or below `hostedZone`. */
    readonly domain: string;
    /** The existing public Route 53 zone holding the records and the certificate validation. */
    readonly hostedZone: string;
    /** Base tags of the stack (Project, Stack, Environment, Owner, CostCenter). */
    readonly tags: Tags;
    /**
     * Folder whose files are uploaded (relative to the working directory, the project folder under Pulumi).
     * @default "site"
     */
    readonly siteDir?: string;
    /**
     * Values published as `/site-config.json` for the page (e.g. the environment). Never put secrets here: the file is public.
     * @default {}
     */
    readonly publicConfig?: Readonly<Record<string, string>>;
    /**
     * Edge locations served: PriceClass_100 is the cheapest (North America, Europe).
     * @default "PriceClass_100"
     */
    readonly priceClass?: PriceClass;
    /**
     * `redirect-to-https` answers plain HTTP with a redirect; `https-only` refuses it (403).
     * @default "redirect-to-https"
     */
    readonly viewerProtocolPolicy?: "redirect-to-https" | "https-only";
    /**
     * Single-page-app mode: unknown paths serve /index.html with 200 instead of /404.html with 404. With `api`
     * this is a viewer-request CloudFront Function on the default behaviour (extension-less paths -> /index.html;
     * about $0.10 per million requests) instead of an error page, which would also turn the API's 404s into 200s.
     * @default false
     */
    readonly spa?: boolean;
    /**
     * Put a WAF web ACL (AWS managed common, known-bad-input and IP-reputation rules, 2,000 requests per 5 minutes per IP) in front: about $10/month plus $0.60 per million requests.
     * @default false
     */
    readonly waf?: boolean;
    /**
     * Also serve `www.<domain>` (certificate name and alias records).
     * @default false
     */
    readonly www?: boolean;
    /**
     * Take over A/AAAA records of the site's names that already exist in the zone (Route 53
     * `allowOverwrite`). Their old values are replaced without a trace: check what they point at first,
     * or `pulumi import` them instead.
     * @default false: `pulumi up` stops at the record with Route 53's "already exists" error, before any
     * traffic moves
     */
    readonly takeOverRecords?: boolean;
    /**
     * Days to keep CloudFront and S3 access logs in the log bucket, and WAF logs (rounded up to a period
     * CloudWatch Logs offers).
     * @default 90
     */
    readonly logRetentionDays?: number;
    /**
     * Days to keep replaced or deleted versions of site files (rollback window; storage cost).
     * @default 30
     */
    readonly noncurrentVersionDays?: number;
    /**
     * Disaster recovery: a replica bucket in another region. The origin becomes an origin group that
     * fails over on 5xx, 403 and 404 from the primary bucket.
     * @default no failover origin
     */
    readonly failoverOrigin?: FailoverOrigin;
    /**
     * The API behind `pathPattern` (ApiCluster's load balancer): a second, HTTPS-only origin with a secret
     * header, uncached. Error pages are distribution-wide, so with an API they keep the status codes (a 404 stays
     * 404 also in SPA mode) and are not cached, and the API's answers reach the page with their own status.
     * @default none: no API behaviour
     */
    readonly api?: SiteApiOrigin;
    /**
     * Protect the buckets and the key from deletion (`protect` and `retainOnDelete`). Without it the
     * buckets are `forceDestroy`, so a staging stack tears down cleanly.
     * @default false
     */
    readonly protect?: boolean;
    /**
     * The stack's AWS provider settings (profile, assumed roles, allowed accounts, default tags) for the
     * explicit us-east-1 provider of the certificate, WAF and log delivery source.
     * @default {} (the default credential chain): the us-east-1 resources may then be created with other
     * credentials, in another account, than the rest of the stack
     */
    readonly providerSettings?: ProviderSettings;
}

const API_ORIGIN_ID = "api";

/** The API origin: HTTPS only with TLS 1.2 to the load balancer's name, carrying the secret header it requires. */
function apiOrigin(api: SiteApiOrigin) {
    return {
        originId: API_ORIGIN_ID,
        domainName: api.domainName,
        customOriginConfig: {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
            originReadTimeout: 30,
            originKeepaliveTimeout: 5,
        },
        // Secret even when passed in plain text: it must never show in the plan, the state or outputs.
        customHeaders: [{ name: api.originHeader.name, value: pulumi.secret(api.originHeader.value) }],
    };
}

/** The UI: files in a private, KMS-encrypted S3 bucket served only through CloudFront (OAC, HTTPS, TLS 1.2+) on the site's domain. */
export class StaticSite extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    /** The bucket's regional domain name: the origin (DisasterRecovery replicates from this bucket). */
    readonly bucketRegionalDomainName: pulumi.Output<string>;
    readonly logBucketName: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    readonly distributionId: pulumi.Output<string>;
    readonly distributionArn: pulumi.Output<string>;
    readonly distributionDomain: pulumi.Output<string>;
    readonly url: string;

    constructor(name: string, args: StaticSiteArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("webstack:web:StaticSite", name, {}, opts);
        const parent = { parent: this };
        const tags = (role: string) => resourceTags(args.tags, name, `${name}-${role}`);
        const protect = args.protect ?? false;
        const stateful = { parent: this, protect, retainOnDelete: protect };
        const names = [args.domain, ...(args.www ? [`www.${args.domain}`] : [])];
        const ctx = awsContext(this);
        const zone = aws.route53.getZoneOutput({ name: args.hostedZone, privateZone: false }, parent);
        // CloudFront's certificate, WAF ACL and log delivery source must live in us-east-1.
        const usEast1 = new aws.Provider(`${name}-us-east-1`, { ...args.providerSettings, region: "us-east-1" }, parent);
        const global = { parent: this, provider: usEast1 };

        // Buckets: content (versioned, KMS) and logs (SSE-S3: S3 server access logs accept nothing else).
        const content = new aws.s3.Bucket(`${name}-content`, { forceDestroy: !protect, tags: tags("content") }, stateful);
        const logs = new aws.s3.Bucket(`${name}-logs`, { forceDestroy: !protect, tags: tags("logs") }, stateful);
        // ARNs from the names, which `pulumi preview` already knows (unlike the `arn` outputs): the policy
        // documents below are then known before deploy, and the pack checks them on every pull request.
        const contentArn = ctx.bucketArn(content.bucket);
        const logsArn = ctx.bucketArn(logs.bucket);
        for (const [role, bucket] of [["content", content], ["logs", logs]] as const) {
            new aws.s3.BucketPublicAccessBlock(
                `${name}-${role}`,
                { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                parent,
            );
            new aws.s3.BucketOwnershipControls(`${name}-${role}`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
        }
        const versioning = new aws.s3.BucketVersioning(`${name}-content`, { bucket: content.id, versioningConfiguration: { status: "Enabled" } }, parent);
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-content`,
            {
                bucket: content.id,
                rules: [
                    {
                        id: "expire-old-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays ?? 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            { parent: this, dependsOn: [versioning] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-logs`,
            {
                bucket: logs.id,
                rules: [{ id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: args.logRetentionDays ?? 90 } }],
            },
            parent,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-logs`,
            { bucket: logs.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            parent,
        );
        new aws.s3.BucketLogging(`${name}-content`, { bucket: content.id, targetBucket: logs.id, targetPrefix: "s3/content/" }, parent);

        const oac = new aws.cloudfront.OriginAccessControl(
            `${name}-oac`,
            { description: `${name}: CloudFront reads the content bucket`, originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" },
            parent,
        );
        const headers = this.securityHeaders(name);
        const certificate = dnsValidatedCertificate(this, name, names, zone.zoneId, tags("certificate"), global);
        const webAcl = args.waf
            ? createWebAcl(name, { scope: "CLOUDFRONT", region: "us-east-1", logRetentionDays: logGroupRetention(args.logRetentionDays ?? 90) }, ctx, tags, global, {
                  ...global,
                  protect,
                  retainOnDelete: protect,
              })
            : undefined;

        const primary = "content";
        const failover = args.failoverOrigin ? "failover" : undefined;
        const s3Origin = (originId: string, domainName: pulumi.Input<string>) => ({ originId, domainName, originAccessControlId: oac.id });
        const files = siteFiles(args.siteDir ?? "site", args.publicConfig ?? {});
        const api = args.api;
        const viewerProtocolPolicy = args.viewerProtocolPolicy ?? "redirect-to-https";
        // CloudFront gets true 404s for missing keys (s3:ListBucket below), so only 404 is a missing page. A 403
        // is a real refusal, mostly WAF's: it keeps its status (with /403.html when the site has one).
        // Error pages apply to every behaviour, the API's too: with an API they never change a status (SPA routes
        // come from the function below instead of 404 -> /index.html 200), and are not cached, so an API 404 or 403
        // for one request is not replayed to the next (CloudFront caches errors apart from the cache policy).
        const spaByErrorPage = args.spa && !api;
        const notFound = spaByErrorPage ? { responseCode: 200, responsePagePath: "/index.html" } : { responseCode: 404, responsePagePath: "/404.html" };
        const errorCachingMinTtl = api ? 0 : 10;
        const errorPages = [
            ...(files.some((f) => f.key === "403.html") ? [{ errorCode: 403, errorCachingMinTtl, responseCode: 403, responsePagePath: "/403.html" }] : []),
            { errorCode: 404, errorCachingMinTtl, ...notFound },
        ];
        const spaRouting =
            args.spa && api
                ? new aws.cloudfront.Function(
                      `${name}-spa-routing`,
                      { runtime: "cloudfront-js-2.0", comment: `${name}: app routes serve /index.html`, code: SPA_ROUTING_CODE, publish: true, tags: tags("spa-routing") },
                      parent,
                  )
                : undefined;
        const distribution = new aws.cloudfront.Distribution(
            `${name}-cdn`,
            {
                enabled: true,
                comment: `${name}: ${args.domain}`,
                aliases: names,
                defaultRootObject: "index.html",
                httpVersion: "http2and3",
                isIpv6Enabled: true,
                priceClass: args.priceClass ?? "PriceClass_100",
                origins: [
                    s3Origin(primary, content.bucketRegionalDomainName),
                    ...(args.failoverOrigin ? [s3Origin("failover", args.failoverOrigin.bucketRegionalDomainName)] : []),
                    ...(api ? [apiOrigin(api)] : []),
                ],
                originGroups: failover
                    ? [
                          {
                              originId: "content-group",
                              failoverCriteria: { statusCodes: FAILOVER_STATUS_CODES },
                              members: [{ originId: primary }, { originId: failover }],
                          },
                      ]
                    : [],
                defaultCacheBehavior: {
                    targetOriginId: failover ? "content-group" : primary,
                    viewerProtocolPolicy,
                    allowedMethods: ["GET", "HEAD", "OPTIONS"],
                    cachedMethods: ["GET", "HEAD"],
                    compress: true,
                    cachePolicyId: CACHING_OPTIMIZED,
                    responseHeadersPolicyId: headers.id,
                    functionAssociations: spaRouting ? [{ eventType: "viewer-request", functionArn: spaRouting.arn }] : undefined,
                },
                // The API goes to its own origin, never through the content group: S3 failover is no API failover.
                orderedCacheBehaviors: api
                    ? [
                          {
                              pathPattern: api.pathPattern ?? "/api/*",
                              targetOriginId: API_ORIGIN_ID,
                              viewerProtocolPolicy,
                              allowedMethods: API_METHODS,
                              cachedMethods: ["GET", "HEAD"],
                              compress: true,
                              cachePolicyId: CACHING_DISABLED,
                              originRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
                              responseHeadersPolicyId: headers.id,
                          },
                      ]
                    : undefined,
                customErrorResponses: errorPages,
                restrictions: { geoRestriction: { restrictionType: "none" } },
                viewerCertificate: { acmCertificateArn: certificate, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
                webAclId: webAcl?.arn,
                tags: tags("cdn"),
            },
            parent,
        );

        // The key: the account administers it and uses it only through S3; CloudFront decrypts for this distribution only.
        const key = customerManagedKey(
            `${name}-content`,
            `${name} content bucket`,
            ctx.accountRoot,
            [
                accountUsesKeyThrough(ctx, "S3", ctx.region, ["s3"], ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]),
                {
                    Sid: "CloudFrontDecrypts",
                    Effect: "Allow",
                    Principal: { Service: "cloudfront.amazonaws.com" },
                    Action: ["kms:Decrypt"],
                    Resource: "*",
                    Condition: { StringEquals: { "AWS:SourceArn": distribution.arn } },
                },
            ],
            tags("content"),
            stateful,
        );
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-content`,
            { bucket: content.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] },
            parent,
        );

        // The distribution's ARN is assigned when it is created: this document (and the key's) stays unknown in
        // the preview of a new stack. Bucket policies name the bucket (its id) by name, known before deploy.
        new aws.s3.BucketPolicy(
            `${name}-content`,
            {
                bucket: content.bucket,
                policy: toJson(
                    policyDocument(
                        denyInsecureTransport(contentArn),
                        {
                            Sid: "CloudFrontReads",
                            Effect: "Allow",
                            Principal: { Service: "cloudfront.amazonaws.com" },
                            Action: "s3:GetObject",
                            Resource: pulumi.interpolate`${contentArn}/*`,
                            Condition: { StringEquals: { "AWS:SourceArn": distribution.arn } },
                        },
                        {
                            // Lets S3 answer 404 (not 403) for a missing key, so CloudFront can tell a missing
                            // page from a refused request. The same principal and condition, this bucket only.
                            Sid: "CloudFrontLists",
                            Effect: "Allow",
                            Principal: { Service: "cloudfront.amazonaws.com" },
                            Action: "s3:ListBucket",
                            Resource: contentArn,
                            Condition: { StringEquals: { "AWS:SourceArn": distribution.arn } },
                        },
                    ),
                ),
            },
            parent,
        );
        new aws.s3.BucketPolicy(
            `${name}-logs`,
            {
                bucket: logs.bucket,
                policy: toJson(
                    policyDocument(
                        denyInsecureTransport(logsArn),
                        {
                            Sid: "S3ServerAccessLogs",
                            Effect: "Allow",
                            Principal: { Service: "logging.s3.amazonaws.com" },
                            Action: "s3:PutObject",
                            Resource: pulumi.interpolate`${logsArn}/s3/*`,
                            Condition: { ArnLike: { "aws:SourceArn": contentArn }, StringEquals: { "aws:SourceAccount": ctx.accountId } },
                        },
                        // CloudFront standard logging v2 (CloudWatch Logs vended delivery): the statements in the
                        // form AWS documents ("Logs sent to Amazon S3", V2 permissions). When the bucket policy lacks
                        // them, the delivery appends its own, and the next `pulumi up` would undo it: a diff every run.
                        {
                            Sid: "AWSLogDeliveryWrite",
                            Effect: "Allow",
                            Principal: { Service: "delivery.logs.amazonaws.com" },
                            Action: "s3:PutObject",
                            Resource: pulumi.interpolate`${logsArn}/AWSLogs/${ctx.accountId}/*`,
                            Condition: {
                                StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": [ctx.accountId] },
                                ArnLike: { "aws:SourceArn": [ctx.arn("logs", "delivery-source:*", "us-east-1")] },
                            },
                        },
                        {
                            Sid: "AWSLogDeliveryAclCheck",
                            Effect: "Allow",
                            Principal: { Service: "delivery.logs.amazonaws.com" },
                            Action: "s3:GetBucketAcl",
                            Resource: logsArn,
                            Condition: {
                                StringEquals: { "aws:SourceAccount": [ctx.accountId] },
                                ArnLike: { "aws:SourceArn": [ctx.arn("logs", "delivery-source:*", "us-east-1")] },
                            },
                        },
                    ),
                ),
            },
            parent,
        );

        // CloudFront standard logging v2 (vended logs): needs no ACLs on the log bucket, unlike the legacy logging.
        const source = new aws.cloudwatch.LogDeliverySource(`${name}-cdn-logs`, { logType: "ACCESS_LOGS", resourceArn: distribution.arn, tags: tags("cdn-logs") }, global);
        const destination = new aws.cloudwatch.LogDeliveryDestination(
            `${name}-cdn-logs`,
            {
                deliveryDestinationType: "S3",
                outputFormat: "json",
                // Vended logs land under AWSLogs/<account>/CloudFront/, which the log bucket policy allows.
                deliveryDestinationConfiguration: { destinationResourceArn: logs.arn },
                tags: tags("cdn-logs"),
            },
            global,
        );
        new aws.cloudwatch.LogDelivery(
            `${name}-cdn-logs`,
            { deliverySourceName: source.name, deliveryDestinationArn: destination.arn, tags: tags("cdn-logs") },
            global,
        );

        for (const host of names) {
            for (const type of ["A", "AAAA"]) {
                new aws.route53.Record(
                    `${name}-${host === args.domain ? "apex" : "www"}-${type.toLowerCase()}`,
                    {
                        zoneId: zone.zoneId,
                        name: host,
                        type,
                        aliases: [{ name: distribution.domainName, zoneId: CLOUDFRONT_ZONE_ID, evaluateTargetHealth: false }],
                        allowOverwrite: args.takeOverRecords ?? false,
                    },
                    parent,
                );
            }
        }

        // Site files: fingerprinted assets cached for a year, everything else revalidated, so publishing needs no invalidation.
        const upload = { parent: this, dependsOn: [encryption, versioning] };
        for (const file of files) {
            new aws.s3.BucketObjectv2(
                `${name}-file-${file.key}`,
                {
                    bucket: content.id,
                    key: file.key,
                    source: file.source,
                    sourceHash: file.hash,
                    contentType: file.contentType,
                    cacheControl: file.cacheControl,
                    serverSideEncryption: "aws:kms",
                    kmsKeyId: key.arn,
                    tags: tags(`file-${file.key}`),
                },
                upload,
            );
        }

        this.bucketName = content.bucket;
        this.bucketArn = content.arn;
        this.bucketRegionalDomainName = content.bucketRegionalDomainName;
        this.logBucketName = logs.bucket;
        this.keyArn = key.arn;
        this.distributionId = distribution.id;
        this.distributionArn = distribution.arn;
        this.distributionDomain = distribution.domainName;
        this.url = `https://${args.domain}`;
        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            logBucketName: this.logBucketName,
            distributionId: this.distributionId,
            distributionArn: this.distributionArn,
            distributionDomain: this.distributionDomain,
            url: this.url,
        });
    }

    /** HSTS (2 years, preload), nosniff, DENY framing, a strict referrer policy and the content security policy. */
    private securityHeaders(name: string): aws.cloudfront.ResponseHeadersPolicy {
        return new aws.cloudfront.ResponseHeadersPolicy(
            `${name}-security-headers`,
            {
                comment: `${name}: security headers`,
                securityHeadersConfig: {
                    strictTransportSecurity: { accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, preload: true, override: true },
                    contentTypeOptions: { override: true },
                    frameOptions: { frameOption: "DENY", override: true },
                    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
                    contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
                },
            },
            { parent: this },
        );
    }
}
