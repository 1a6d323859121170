import { dependenciesOf, handles, ofTypes, refersTo, resolve, resolveAll, resolveRef, setByProgram, type Node } from "../lib/graph";
import { conditionValues, statements, type Statement } from "../lib/iam-documents";
import { resourceRule, stackRule, type Props, type Report } from "../lib/rule";
import { CLOUDFRONT_SERVICE, bucketName, coversObjects, encryptionOf, grantsAction, isKms, isS3Origin, originBuckets, policiesOf, type OriginBucket } from "../lib/s3-buckets";
import { T } from "../lib/types";
import { UNKNOWN_VALUE, Undecided, asArray, isPresent, known, shownValue } from "../lib/values";

/** Origin access controls (not in T: only S06 reads them). */
const ORIGIN_ACCESS_CONTROL = ["aws:cloudfront/originAccessControl:OriginAccessControl"];

/** Viewer security policies with TLS 1.2+ and only modern ciphers: TLSv1.2_2021 and the newer ones CloudFront offers. */
export const VIEWER_TLS_POLICIES = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

/** Origins as a list of objects, whatever the input held. */
const originsOf = (props: Props): Props[] => asArray<Props>(props.origins).filter((o) => typeof o === "object" && o !== null);
const originLabel = (o: Props): string => String(o.originId ?? o.domainName ?? "?");

export const R04 = resourceRule(
    {
        id: "R04",
        slug: "cloudfront-no-plain-http",
        requirement: 'No CloudFront cache behaviour has viewerProtocolPolicy "allow-all".',
        why: "allow-all serves the site and its cookies over plain HTTP, open to interception and injection.",
        anchors: ["FSBP CloudFront.3", "Pulumi aws-cloudfront-distribution-disallow-unencrypted-traffic", "CKV_AWS_34"],
        level: "M",
        severity: "critical",
        remediation: 'Set viewerProtocolPolicy to "redirect-to-https" (or "https-only") on the default and every ordered cache behaviour.',
    },
    T.distribution,
    (props, _subject, report) => {
        const behaviours: [key: string, label: string, behaviour: Props | undefined][] = [
            ["default", "default behaviour", asArray<Props>(props.defaultCacheBehavior)[0]],
            ...asArray<Props>(props.orderedCacheBehaviors).map((b, i): [string, string, Props | undefined] => {
                const path = typeof b?.pathPattern === "string" ? b.pathPattern : `#${i + 1}`;
                return [path, `behaviour "${path}"`, b];
            }),
        ];
        for (const [key, label, b] of behaviours) {
            const policy = b?.viewerProtocolPolicy;
            if (policy === "allow-all") report(key, `${label} allows plain HTTP (viewerProtocolPolicy "allow-all")`);
            // The input is required; without it plain HTTP cannot be ruled out.
            else if (typeof policy !== "string") report(key, `${label} has no viewerProtocolPolicy, so plain HTTP cannot be ruled out`);
        }
    },
);

export const R05 = resourceRule(
    {
        id: "R05",
        slug: "cloudfront-viewer-tls",
        requirement: `The viewer certificate comes from ACM, with sslSupportMethod "sni-only" and minimumProtocolVersion one of ${VIEWER_TLS_POLICIES.join(", ")}.`,
        why: "The default certificate forces TLSv1 support for *.cloudfront.net; older security policies accept TLS 1.0/1.1 and weak ciphers.",
        anchors: ["cdk-nag CFR4", "Pulumi aws-cloudfront-distribution-configure-secure-tls", "FSBP CloudFront.7", "FSBP CloudFront.8", "FSBP CloudFront.15", "CKV_AWS_174"],
        level: "M",
        severity: "high",
        remediation: 'Set viewerCertificate { acmCertificateArn: <us-east-1 ACM certificate>, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }.',
    },
    T.distribution,
    (props, _subject, report) => {
        const cert = asArray<Props>(props.viewerCertificate)[0] ?? {};
        // An ARN known only after deploy (the validated certificate's) is still an ACM certificate: the field takes nothing else.
        const acm = isPresent(known(cert, "acmCertificateArn"));
        if (cert.cloudfrontDefaultCertificate === true) report("acm-certificate", "viewer certificate is the CloudFront default certificate, not an ACM certificate");
        else if (!acm && typeof cert.iamCertificateId === "string") report("acm-certificate", `viewer certificate is the IAM certificate "${cert.iamCertificateId}", not an ACM certificate`);
        else if (!acm) report("acm-certificate", "viewer certificate names no ACM certificate");

        const method = cert.sslSupportMethod;
        if (method !== "sni-only") report("ssl-support-method", typeof method === "string" ? `sslSupportMethod is "${method}", not "sni-only"` : 'sslSupportMethod is not set, not "sni-only"');

        const version = cert.minimumProtocolVersion;
        if (typeof version !== "string") report("minimum-protocol-version", "minimumProtocolVersion is not set (CloudFront then allows TLSv1)");
        else if (!VIEWER_TLS_POLICIES.includes(version)) report("minimum-protocol-version", `minimumProtocolVersion "${version}" is not one of ${VIEWER_TLS_POLICIES.join(", ")}`);
    },
);

export const R06 = resourceRule(
    {
        id: "R06",
        slug: "cloudfront-origin-tls",
        requirement: 'Custom origins use originProtocolPolicy "https-only" and originSslProtocols ["TLSv1.2"] only.',
        why: "CloudFront to origin traffic crosses the internet; http-only, match-viewer or SSLv3/TLS 1.0/1.1 expose it.",
        anchors: ["FSBP CloudFront.9", "FSBP CloudFront.10", "cdk-nag CFR5", "Pulumi aws-cloudfront-distribution-configure-secure-tls-to-origin", "Pulumi aws-cloudfront-distribution-enable-tls-to-origin"],
        level: "M",
        severity: "high",
        remediation: 'Set customOriginConfig { originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], httpsPort: 443 }.',
    },
    T.distribution,
    (props, _subject, report) => {
        for (const o of originsOf(props)) {
            const config = asArray<Props>(o.customOriginConfig)[0];
            if (!config) continue;
            const id = originLabel(o);
            const policy = config.originProtocolPolicy;
            if (policy !== "https-only") {
                report(`origin-${id}-protocol-policy`, `custom origin "${id}" uses originProtocolPolicy ${JSON.stringify(policy ?? "unset")}, not "https-only"`);
            }
            const protocols = asArray<unknown>(config.originSslProtocols).map(String);
            for (const p of protocols.filter((x) => x !== "TLSv1.2")) report(`origin-${id}-ssl-${p}`, `custom origin "${id}" allows protocol "${p}" to the origin (only TLSv1.2)`);
            if (!protocols.includes("TLSv1.2")) report(`origin-${id}-ssl-tls12`, `custom origin "${id}" does not list TLSv1.2 in originSslProtocols`);
        }
    },
);

export const R07 = resourceRule(
    {
        id: "R07",
        slug: "cloudfront-s3-origin-oac",
        requirement: "S3 origins use Origin Access Control (originAccessControlId), not a legacy origin access identity.",
        why: "OAC signs requests with SigV4, works with SSE-KMS and all regions, and lets the bucket policy name the distribution; OAI is legacy.",
        anchors: ["FSBP CloudFront.13", "cdk-nag CFR7"],
        level: "M",
        severity: "high",
        remediation: 'Create an OriginAccessControl (origin type "s3", signing "always", "sigv4"), set originAccessControlId on the origin and remove s3OriginConfig.originAccessIdentity.',
    },
    T.distribution,
    (props, _subject, report) => {
        for (const o of originsOf(props).filter(isS3Origin)) {
            const id = originLabel(o);
            const oai = known(asArray<Props>(o.s3OriginConfig)[0], "originAccessIdentity");
            // An empty originAccessIdentity is how the provider spells "no OAI" next to an OAC; ids known only after deploy are set.
            const hasOai = isPresent(oai);
            const hasOac = isPresent(known(o, "originAccessControlId"));
            if (hasOai) report(`origin-${id}-oai`, `S3 origin "${id}" uses the legacy origin access identity "${shownValue(oai)}"${hasOac ? " next to its OAC" : " instead of Origin Access Control"}`);
            else if (!hasOac) report(`origin-${id}-oac`, `S3 origin "${id}" has no origin access control, so the bucket must be readable without CloudFront's signature`);
        }
    },
);

/** True when a policy statement is an Allow to the CloudFront service principal of `action`. */
function allowsCloudFront(s: Statement, action: string): boolean {
    return s.effect === "Allow" && s.principals.includes(CLOUDFRONT_SERVICE) && grantsAction(s.actions, action);
}

const SOURCE_ARN_OPERATORS = ["StringEquals", "ArnEquals", "ArnLike", "StringLike"];

/**
 * Key policy documents of a KMS key (its own `policy` and KeyPolicy resources for it), each with
 * where it is set; UNKNOWN_VALUE before deploy when computed from other resources. A key whose
 * program sets no policy has AWS's default one (the account only), unknown before deploy: none here.
 */
function keyPolicies(resources: readonly Node[], key: Node): { resource: Node; document: unknown }[] {
    const separate = ofTypes(resources, T.kmsKeyPolicy).filter((p) => refersTo(p, "keyId", known(p.props, "keyId"), key, T.kmsKey));
    return [key, ...separate].map((r) => ({ resource: r, document: setByProgram(r, "policy") }));
}

/**
 * S06 checks of one S3 origin of one distribution. What needs a value known only after deploy is
 * noted in `undecided`; everything else is decided.
 */
function checkOrigin(resources: readonly Node[], distribution: Node, origin: OriginBucket<Node>, report: Report, undecided: Undecided): void {
    const id = originLabel(origin.origin);
    const r = (key: string, message: string) => report(`origin-${id}-${key}`, message, distribution.urn);
    checkBucket(resources, distribution, origin, r, undecided);
    const oacId = known(origin.origin, "originAccessControlId");
    // An id known only after deploy was resolved through the origins' dependencies (an OAC of the stack).
    if (typeof oacId === "string" && oacId !== "" && !resolve(resources, oacId, ORIGIN_ACCESS_CONTROL)) {
        r("oac", `S3 origin "${id}" uses origin access control ${oacId}, which is not in the stack, so its signing cannot be checked`);
    }
}

/** The bucket side of an S3 origin: its policy grants this distribution, its key lets CloudFront decrypt. */
function checkBucket(resources: readonly Node[], distribution: Node, { origin, bucket }: OriginBucket<Node>, r: (key: string, message: string) => void, undecided: Undecided): void {
    const id = originLabel(origin);
    if (bucket === UNKNOWN_VALUE) {
        undecided.note(distribution.name, "origins");
        return;
    }
    if (!bucket) {
        r("bucket", `S3 origin "${id}" (${String(origin.domainName)}) matches no bucket in the stack, so its access cannot be checked`);
        return;
    }
    const name = bucketName(bucket) ?? bucket.name;
    // Known only after deploy when the distribution is new (or replaced): its id does not exist yet.
    const distributionArn = known(distribution.props, "arn");

    // A document known only after deploy because it names this distribution (its AWS:SourceArn) waits for the
    // distribution's ARN: the advisory names that, the one value nothing can know before the distribution exists.
    const pending = (r: Node): string[] => (dependenciesOf(r, "policy").includes(distribution) ? [distribution.name, "arn"] : [r.name, "policy"]);
    const policies = policiesOf(resources, bucket);
    const grants = policies
        .flatMap((p) => (p.document === UNKNOWN_VALUE ? [] : statements(p.document)))
        .filter((s) => allowsCloudFront(s, "s3:GetObject") && coversObjects(s.resources, name));
    const pendingPolicy = policies.find((p) => p.document === UNKNOWN_VALUE);
    if (grants.length === 0) {
        if (pendingPolicy) undecided.note(...pending(pendingPolicy.resource));
        else r("bucket-policy", `bucket ${bucket.name} has no bucket policy statement allowing the CloudFront service s3:GetObject on its objects`);
    } else {
        const arns = grants.flatMap((s) => SOURCE_ARN_OPERATORS.flatMap((op) => conditionValues(s, op, "AWS:SourceArn")));
        // A known SourceArn names an existing distribution, never one whose id is still to be assigned.
        if (typeof distributionArn !== "string" || !arns.includes(distributionArn)) {
            const given = arns.length > 0 ? arns.map((a) => `"${a}"`).join(", ") : "no AWS:SourceArn";
            r("source-arn", `bucket ${bucket.name} grants CloudFront s3:GetObject for ${given}, not this distribution's ARN ${typeof distributionArn === "string" ? distributionArn : "(unknown)"}`);
        }
    }

    for (const sse of encryptionOf(resources, bucket).filter((d) => isKms(d.algorithm) && d.kmsMasterKeyId)) {
        const key = resolveRef(resources, sse.from, sse.prop, sse.kmsMasterKeyId, T.kmsKey);
        if (!key) continue; // a key outside the stack (or an alias) cannot be read here
        const documents = keyPolicies(resources, key);
        if (documents.some((p) => p.document !== UNKNOWN_VALUE && statements(p.document).some((s) => allowsCloudFront(s, "kms:Decrypt")))) continue;
        const pendingKey = documents.find((p) => p.document === UNKNOWN_VALUE);
        if (pendingKey) undecided.note(...pending(pendingKey.resource));
        else r("kms", `bucket ${bucket.name} is encrypted with KMS key ${key.name}, whose policy does not allow the CloudFront service kms:Decrypt`);
    }
}

export const S06 = stackRule(
    {
        id: "S06",
        slug: "cloudfront-bucket-access",
        requirement:
            "Each S3 origin's bucket grants s3:GetObject to the CloudFront service with AWS:SourceArn of that distribution, its KMS key (if any) allows CloudFront kms:Decrypt, and its OAC signs always with SigV4.",
        why: "Without the grant the site breaks; without the SourceArn any distribution can read the bucket; unsigned OAC requests fall back to public access.",
        anchors: ["FSBP CloudFront.12", "FSBP CloudFront.13 (derived)", "cdk-nag CFR7 (derived)"],
        level: "M",
        severity: "high",
        remediation:
            'Add a bucket policy statement {Allow, Service cloudfront.amazonaws.com, s3:GetObject on <bucket ARN>/*, StringEquals AWS:SourceArn <distribution arn>}; allow the same principal kms:Decrypt in the key policy; OAC signingBehavior "always", signingProtocol "sigv4".',
    },
    (resources, report) => {
        const undecided = new Undecided();
        const usedOacs = new Set<Node>();
        for (const d of ofTypes(resources, T.distribution)) {
            for (const oac of resolveAll(resources, d, "origins", originsOf(d.props).map((o) => known(o, "originAccessControlId")), ORIGIN_ACCESS_CONTROL)) {
                if (typeof oac !== "string") usedOacs.add(oac);
            }
            for (const origin of originBuckets(resources, d)) {
                if (isS3Origin(origin.origin)) checkOrigin(resources, d, origin, report, undecided);
            }
        }
        for (const oac of usedOacs) {
            const behavior = oac.props.signingBehavior;
            const protocol = oac.props.signingProtocol;
            // "no-override" lets a viewer's Authorization header through unsigned; "never" does not sign at all.
            if (behavior !== "always") report("signing-behavior", `origin access control has signingBehavior ${JSON.stringify(behavior ?? "unset")}, not "always"`, oac.urn);
            if (protocol !== "sigv4") report("signing-protocol", `origin access control has signingProtocol ${JSON.stringify(protocol ?? "unset")}, not "sigv4"`, oac.urn);
        }
        undecided.settle();
    },
);

export const R46 = resourceRule(
    {
        id: "R46",
        slug: "cloudfront-waf",
        requirement: "Every CloudFront distribution is associated with a WAF web ACL (webAclId).",
        why: "The edge is the public entry point: without a web ACL nothing filters common exploits, known-bad inputs or request floods before they reach the origin.",
        anchors: ["cdk-nag CFR2", "Pulumi aws-cloudfront-distribution-configure-waf", "FSBP CloudFront.6"],
        // Cost-driven (about $10/month per web ACL plus requests): staging's test UI runs without one by default.
        level: "MP",
        severity: "high",
        remediation: 'Create an aws.wafv2.WebAcl with scope "CLOUDFRONT" in us-east-1 (StaticSite: waf: true) and set webAclId to its ARN.',
    },
    T.distribution,
    (props, _subject, report) => {
        // An ARN known only after deploy (the web ACL created with it) is set.
        if (!isPresent(known(props, "webAclId"))) report("waf", "distribution has no WAF web ACL (webAclId is not set)");
    },
);

export const R48 = resourceRule(
    {
        id: "R48",
        slug: "cloudfront-default-root-object",
        requirement: "A distribution with an S3 origin names a default root object.",
        why: "Without one a request for the root URL is passed to the origin as is, and an origin that lists its contents would answer it with the listing.",
        anchors: ["FSBP CloudFront.1"],
        level: "M",
        severity: "medium",
        remediation: 'Set defaultRootObject: "index.html" (the object served for "/").',
    },
    T.distribution,
    (props, _subject, report) => {
        if (!originsOf(props).some(isS3Origin)) return; // FSBP CloudFront.1 applies to S3 origins only
        const root = props.defaultRootObject;
        if (typeof root !== "string" || root === "") report("default-root-object", "distribution with an S3 origin has no defaultRootObject, so the root URL reaches the bucket as is");
    },
);

/** CloudFront standard logging v2: CloudWatch Logs vended delivery. */
const LOG_DELIVERY_SOURCE = ["aws:cloudwatch/logDeliverySource:LogDeliverySource"];
const LOG_DELIVERY = ["aws:cloudwatch/logDelivery:LogDelivery"];

/**
 * True when `from`'s `prop` names `target`: a known value is one of its handles (ARN, name); one known
 * only after deploy was computed from it (the property's dependencies of `tokens`).
 */
function names(from: Node, prop: string, target: Node, tokens: readonly string[]): boolean {
    const value = known(from.props, prop);
    if (value !== UNKNOWN_VALUE) return typeof value === "string" && handles(target).includes(value);
    return dependenciesOf(from, prop, tokens).includes(target);
}

export const R47 = stackRule(
    {
        id: "R47",
        slug: "cloudfront-access-logging",
        requirement:
            'Every distribution logs its requests: legacy logging to a bucket (loggingConfig.bucket), or standard logging v2 (a LogDeliverySource with logType "ACCESS_LOGS" for the distribution and a LogDelivery from it).',
        why: "Access logs are the record of who requested what at the edge: without them an attack, a leak or a misbehaving client cannot be traced.",
        anchors: ["cdk-nag CFR3", "Pulumi aws-cloudfront-distribution-enable-access-logging", "Pulumi aws-cloudfront-distribution-configure-access-logging", "FSBP CloudFront.5"],
        level: "M",
        severity: "medium",
        remediation:
            'Create (in us-east-1) aws.cloudwatch.LogDeliverySource { logType: "ACCESS_LOGS", resourceArn: distribution.arn }, a LogDeliveryDestination (S3, CloudWatch Logs or Firehose) and a LogDelivery { deliverySourceName: source.name, deliveryDestinationArn }; or set loggingConfig { bucket: "<bucket>.s3.amazonaws.com" }.',
    },
    (resources, report) => {
        const deliveries = ofTypes(resources, LOG_DELIVERY);
        for (const d of ofTypes(resources, T.distribution)) {
            // v1: a bucket known only after deploy (a bucket's domain output) is set; a block the program left out reads unset.
            if (isPresent(setByProgram(d, "loggingConfig", "bucket"))) continue;
            const sources = ofTypes(resources, LOG_DELIVERY_SOURCE).filter((s) => s.props.logType === "ACCESS_LOGS" && names(s, "resourceArn", d, T.distribution));
            if (sources.length === 0) {
                report("access-logs", "distribution has no access logging: no loggingConfig.bucket (legacy) and no ACCESS_LOGS log delivery source for it (standard logging v2)", d.urn);
                continue;
            }
            const delivered = sources.some((s) => deliveries.some((x) => names(x, "deliverySourceName", s, LOG_DELIVERY_SOURCE)));
            if (!delivered) {
                const names = sources.map((s) => s.name).join(", ");
                report("access-logs", `distribution's ACCESS_LOGS delivery source ${names} has no log delivery to a destination, so nothing is logged`, d.urn);
            }
        }
    },
);

export const CLOUDFRONT_RULES = [R04, R05, R06, R07, S06, R46, R47, R48];
