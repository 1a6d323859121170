/**
 * Readers for buckets and what configures them. In provider v7 each bucket setting is a separate
 * resource whose `bucket` names the bucket; the deprecated inline forms (aws.s3.Bucket singular
 * objects, aws.s3.BucketV2 plural lists) are read too. Shared by the S3 and CloudFront rules.
 */
import { dependenciesOf, ofTypes, programValue, providerDefault, refersTo, setByProgram, type Node } from "./graph";
import { conditionValues, isPublicPrincipal, statements, type Statement } from "./iam-documents";
import { statementLabel } from "./iam-statements";
import { escapeRegExp, globMatch } from "./patterns";
import type { Props } from "./rule";
import { T } from "./types";
import { UNKNOWN_VALUE, asArray, known, knownAt, knownItems, type Known } from "./values";

export interface Problem {
    readonly key: string;
    readonly message: string;
}

/** The CloudFront service principal as `statements()` spells it. */
export const CLOUDFRONT_SERVICE = "Service:cloudfront.amazonaws.com";

/** ACL resources (not in T: only R38 reads them). */
export const BUCKET_ACL = ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"];

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
/** A non-empty string, UNKNOWN_VALUE, or undefined. */
const ref = (v: unknown): Known<string> | undefined => (v === UNKNOWN_VALUE ? v : str(v));

/** True when an action list grants `action` (IAM action names are case-insensitive). */
export function grantsAction(actions: readonly string[], action: string): boolean {
    return actions.some((a) => globMatch(a, action, true));
}


export function bucketsOf<N extends Node>(resources: readonly N[]): N[] {
    return ofTypes(resources, T.bucket);
}

/** The bucket's physical name: the `bucket` output (known before deploy), else its id (S3 ids are the name). */
export function bucketName(b: Node): string | undefined {
    return str(known(b.props, "bucket")) ?? str(known(b.props, "id"));
}

/** Resources of the given types whose `bucket` refers to the bucket (by name, or before deploy through its dependencies). */
export function settingsOf<N extends Node>(resources: readonly N[], tokens: readonly string[], bucket: Node): N[] {
    return ofTypes(resources, tokens).filter((r) => refersTo(r, "bucket", known(r.props, "bucket"), bucket, T.bucket));
}

// ---- encryption -------------------------------------------------------------------------------

export interface SseDefault {
    readonly algorithm?: string;
    /** The key's id or ARN; UNKNOWN_VALUE for a key created in the same preview. */
    readonly kmsMasterKeyId?: Known<string>;
    /** The rule's `bucketKeyEnabled` as set (S3 Bucket Keys cut KMS calls; off unless asked). */
    readonly bucketKeyEnabled?: unknown;
}

/**
 * Default-encryption entries of a configuration in any shape: the v7 resource (`rules[]` of
 * `applyServerSideEncryptionByDefault`), Bucket (`serverSideEncryptionConfiguration.rule`) and
 * BucketV2 (`serverSideEncryptionConfigurations[].rules[].applyServerSideEncryptionByDefaults[]`).
 */
export function sseDefaults(p: Props): SseDefault[] {
    const configs: Props[] = [p, ...asArray<Props>(p.serverSideEncryptionConfiguration), ...asArray<Props>(p.serverSideEncryptionConfigurations)];
    const rules = configs.flatMap((c) => [...asArray<Props>(c?.rule), ...asArray<Props>(c?.rules)]);
    return rules.flatMap((r) =>
        [...asArray<Props>(r?.applyServerSideEncryptionByDefault), ...asArray<Props>(r?.applyServerSideEncryptionByDefaults)]
            .filter((d) => typeof d === "object" && d !== null)
            .map((d) => ({ algorithm: str(d.sseAlgorithm), kmsMasterKeyId: ref(known(d, "kmsMasterKeyId")), bucketKeyEnabled: known(r, "bucketKeyEnabled") })),
    );
}

/** A bucket's default encryption with where it is set: the resource and its top-level property (whose dependencies name the key). */
export interface BucketEncryption extends SseDefault {
    readonly from: Node;
    readonly prop: string;
}

/**
 * A bucket's default encryption. A separate configuration resource wins: the bucket's own inline
 * output is computed and shows S3's automatic SSE-S3 default from before the resource applied.
 * Before deploy an inline configuration the program did not set is unknown: S3's SSE-S3 default,
 * which the bucket reports after deploy.
 */
export function encryptionOf(resources: readonly Node[], bucket: Node): BucketEncryption[] {
    const separate = settingsOf(resources, T.bucketEncryption, bucket);
    if (separate.length > 0) return separate.flatMap((r) => sseDefaults(r.props).map((d) => ({ ...d, from: r, prop: "rules" })));
    return (["serverSideEncryptionConfiguration", "serverSideEncryptionConfigurations"] as const).flatMap((prop) =>
        providerDefault(bucket, prop)
            ? [{ algorithm: "AES256", from: bucket, prop }]
            : sseDefaults({ [prop]: programValue(bucket, prop) }).map((d) => ({ ...d, from: bucket, prop })),
    );
}

export const isKms = (algorithm: string | undefined) => algorithm === "aws:kms" || algorithm === "aws:kms:dsse";


// ---- versioning, logging, replication ----------------------------------------------------------

/** Whether versioning is Enabled, and what the bucket has instead (for messages). */
export function versioningEnabled(resources: readonly Node[], bucket: Node): { enabled: boolean; state: string } {
    const separate = settingsOf(resources, T.bucketVersioning, bucket);
    if (separate.length > 0) {
        const statuses = separate.flatMap((r) => asArray<Props>(r.props.versioningConfiguration).map((c) => String(c?.status ?? "unset")));
        return { enabled: statuses.includes("Enabled"), state: `versioning status ${statuses.map((x) => `"${x}"`).join(", ") || "unset"}` };
    }
    const inline = [...asArray<Props>(programValue(bucket, "versioning")), ...asArray<Props>(programValue(bucket, "versionings"))];
    const enabled = inline.some((v) => v?.enabled === true);
    // S3 buckets start unversioned.
    return { enabled, state: inline.length > 0 ? "versioning disabled" : "no versioning configuration" };
}

/**
 * Targets of a bucket's inline logging (Bucket `logging`, BucketV2 `loggings`), with the property
 * holding each; none when the program did not set it (unknown before deploy, absent after).
 */
function inlineLogTargets(b: Node): { prop: string; target: Known<string> }[] {
    return (["logging", "loggings"] as const).flatMap((prop) =>
        knownItems(setByProgram(b, prop)).flatMap((l) => {
            const target = l === UNKNOWN_VALUE ? l : ref(known(l, "targetBucket"));
            return target === undefined ? [] : [{ prop, target }];
        }),
    );
}

/** True when some bucket's inline logging writes to `bucket`. */
const inlineLoggingTo = <N extends Node>(resources: readonly N[], bucket: Node): N | undefined =>
    bucketsOf(resources).find((b) => inlineLogTargets(b).some((t) => refersTo(b, t.prop, t.target, bucket, T.bucket)));

/** The BucketLogging resource writing to `bucket`. */
const loggingTo = <N extends Node>(resources: readonly N[], bucket: Node): N | undefined =>
    ofTypes(resources, T.bucketLogging).find((r) => refersTo(r, "targetBucket", known(r.props, "targetBucket"), bucket, T.bucket));

export function hasAccessLogging(resources: readonly Node[], bucket: Node): boolean {
    return settingsOf(resources, T.bucketLogging, bucket).some((r) => ref(known(r.props, "targetBucket"))) || inlineLogTargets(bucket).length > 0;
}

/** Why a bucket is a log bucket (the target of bucket, load balancer or CloudFront logs), or undefined. */
export function logSourceOf(resources: readonly Node[], bucket: Node): string | undefined {
    const logging = loggingTo(resources, bucket);
    if (logging) return `access logs of ${logging.name}`;
    const inline = inlineLoggingTo(resources, bucket);
    if (inline) return `access logs of ${inline.name}`;
    const lb = lbLogSource(resources, bucket);
    if (lb) return `access logs of load balancer ${lb.name}`;
    const cdn = ofTypes(resources, T.distribution).find((d) => {
        const target = ref(knownAt(d.props, "loggingConfig", "bucket"));
        return target !== undefined && domainRefersTo(d, "loggingConfig", target, bucket);
    });
    if (cdn) return `standard logs of distribution ${cdn.name}`;
    // CloudWatch vended log delivery (CloudFront standard logging v2): destination ARN is the bucket's, optionally with a prefix.
    const arn = str(known(bucket.props, "arn"));
    const vended = ofTypes(resources, T.logDeliveryDestination).find((d) => {
        const target = ref(knownAt(d.props, "deliveryDestinationConfiguration", "destinationResourceArn"));
        if (target === UNKNOWN_VALUE) return refersTo(d, "deliveryDestinationConfiguration", target, bucket, T.bucket);
        return arn !== undefined && target !== undefined && (target === arn || target.startsWith(`${arn}/`));
    });
    return vended ? `vended logs of ${vended.name}` : undefined;
}

/**
 * The delivery writing to the bucket that cannot use SSE-KMS, if any: load balancer access logs,
 * and S3 server access logs (their target bucket must use SSE-S3).
 */
export function sseS3OnlySource(resources: readonly Node[], bucket: Node): string | undefined {
    const lb = lbLogSource(resources, bucket);
    if (lb) return `load balancer ${lb.name}`;
    const logging = loggingTo(resources, bucket);
    if (logging) return `server access logs of ${logging.name}`;
    const inline = inlineLoggingTo(resources, bucket);
    return inline ? `server access logs of ${inline.name}` : undefined;
}

/** The load balancer whose access logs go to the bucket (ALB log delivery supports only SSE-S3). */
export function lbLogSource<N extends Node>(resources: readonly N[], bucket: Node): N | undefined {
    return ofTypes(resources, T.loadBalancer).find((lb) => refersTo(lb, "accessLogs", knownAt(lb.props, "accessLogs", "bucket"), bucket, T.bucket));
}

/** Inline replication rules of a bucket, with the property holding them (as the program set them). */
function replicationRules(b: Node): { prop: string; rule: Props }[] {
    return (["replicationConfiguration", "replicationConfigurations"] as const).flatMap((prop) =>
        asArray<Props>(programValue(b, prop)).flatMap((c) => asArray<Props>(c?.rules).map((rule) => ({ prop, rule }))),
    );
}

/** The destination buckets (ARNs, or UNKNOWN_VALUE) of replication rules. */
function destinations(rules: readonly Props[]): unknown[] {
    return rules.flatMap((r) => [...asArray<Props>(r?.destination), ...asArray<Props>(r?.destinations)]).map((d) => known(d, "bucket"));
}

/** What replicated data a bucket holds (as source or destination), or undefined. */
export function replicationRoleOf(resources: readonly Node[], bucket: Node): string | undefined {
    if (settingsOf(resources, T.bucketReplication, bucket).length > 0 || replicationRules(bucket).length > 0) return "replicated data (replication source)";
    const separate = ofTypes(resources, T.bucketReplication).find((r) => destinations(asArray<Props>(r.props.rules)).some((d) => refersTo(r, "rules", d, bucket, T.bucket)));
    if (separate) return `replicated data (destination of ${separate.name})`;
    const inline = bucketsOf(resources).find((b) => replicationRules(b).some(({ prop, rule }) => destinations([rule]).some((d) => refersTo(b, prop, d, bucket, T.bucket))));
    return inline ? `replicated data (destination of ${inline.name})` : undefined;
}

// ---- CloudFront origins ----------------------------------------------------------------------------

/**
 * An S3 (REST endpoint) origin: no custom or VPC origin config, and either an s3OriginConfig or an
 * S3-looking domain. CloudFront treats any origin without a custom config as an S3 origin.
 */
export function isS3Origin(o: Props): boolean {
    if (typeof o !== "object" || o === null || o.customOriginConfig || o.vpcOriginConfig) return false;
    if (o.s3OriginConfig) return true;
    const domain = known(o, "domainName");
    // A domain known only after deploy (a bucket's domain output): without a custom config it is an S3 origin.
    if (domain === UNKNOWN_VALUE) return true;
    const d = String(domain ?? "").toLowerCase();
    return d.includes(".s3.") || d.includes(".s3-") || d.endsWith(".amazonaws.com");
}

/** True when a domain name is the bucket's: its domain-name outputs, or built from its name. */
export function domainIsBucket(domain: string, bucket: Node): boolean {
    const d = domain.toLowerCase().replace(/\.$/, "");
    const p = bucket.props;
    if ([known(p, "bucketRegionalDomainName"), known(p, "bucketDomainName")].some((v) => typeof v === "string" && v.toLowerCase() === d)) return true;
    const name = bucketName(bucket);
    // <bucket>.s3.amazonaws.com, <bucket>.s3.<region>.amazonaws.com, legacy <bucket>.s3-<region>.amazonaws.com.
    return name !== undefined && new RegExp(`^${escapeRegExp(name.toLowerCase())}\\.s3([.-][a-z0-9-]+)?\\.amazonaws\\.com(\\.cn)?$`).test(d);
}

/** True when a domain in `from`'s property `prop` is the bucket's: by name, or before deploy through the property's dependencies. */
function domainRefersTo(from: Node, prop: string, domain: Known<string>, bucket: Node): boolean {
    return domain === UNKNOWN_VALUE ? refersTo(from, prop, domain, bucket, T.bucket) : domainIsBucket(domain, bucket);
}

/** The bucket an origin domain names, among the stack's buckets. */
export function bucketForDomain<N extends Node>(resources: readonly N[], domain: unknown): N | undefined {
    return typeof domain === "string" ? bucketsOf(resources).find((b) => domainIsBucket(domain, b)) : undefined;
}

/** One origin of a distribution and the stack bucket behind it. */
export interface OriginBucket<N extends Node> {
    readonly origin: Props;
    /**
     * The bucket; undefined when no stack bucket has the origin's domain; UNKNOWN_VALUE when the
     * domain is known only after deploy and the distribution's dependencies do not say which bucket.
     */
    readonly bucket: N | undefined | typeof UNKNOWN_VALUE;
}

/**
 * The bucket behind each origin of a distribution: by domain name when it is known. Before
 * deploy a bucket's domain is an output, so the bucket is one the `origins` property depends on;
 * which one is recorded only per property, so that settles it when one S3 origin has an unknown
 * domain and one bucket is left over.
 */
export function originBuckets<N extends Node>(resources: readonly N[], distribution: N): OriginBucket<N>[] {
    const origins = asArray<Props>(distribution.props.origins).filter((o) => typeof o === "object" && o !== null);
    const domains = origins.map((o) => known(o, "domainName"));
    const matched = domains.map((d) => bucketForDomain(resources, d));
    const waiting = origins.map((o, i) => domains[i] === UNKNOWN_VALUE && isS3Origin(o));
    const pending = waiting.filter(Boolean).length;
    const rest = dependenciesOf(distribution, "origins", T.bucket).filter((b) => !matched.includes(b));
    return origins.map((origin, i) => {
        if (!waiting[i]) return { origin, bucket: matched[i] };
        // A view without dependencies (not CrossGuard's stack phase): like a domain of no stack bucket.
        if (!distribution.propertyDependencies) return { origin, bucket: undefined };
        return { origin, bucket: pending === 1 && rest.length === 1 ? rest[0] : UNKNOWN_VALUE };
    });
}

/**
 * The distribution (and origin id) serving the bucket as an S3 origin, or undefined; UNKNOWN_VALUE
 * when before deploy the bucket may be an origin whose domain is not known yet.
 */
export function originOf(resources: readonly Node[], bucket: Node): { distribution: Node; originId: string } | undefined | typeof UNKNOWN_VALUE {
    let maybe = false;
    for (const d of ofTypes(resources, T.distribution)) {
        for (const { origin, bucket: b } of originBuckets(resources, d)) {
            if (b === bucket) return { distribution: d, originId: String(origin.originId ?? origin.domainName) };
            if (b === UNKNOWN_VALUE && dependenciesOf(d, "origins", T.bucket).includes(bucket)) maybe = true;
        }
    }
    return maybe ? UNKNOWN_VALUE : undefined;
}

// ---- bucket policies ----------------------------------------------------------------------------

/**
 * Bucket policy documents that apply to a bucket: separate BucketPolicy resources and the inline
 * `policy` the program set (before deploy AWS's view of the bucket's policy is unknown, computed
 * from the BucketPolicy resources). A document known only after deploy is UNKNOWN_VALUE
 * (`resource` is where it is set).
 */
export function policiesOf(resources: readonly Node[], bucket: Node): { source: string; resource: Node; document: unknown }[] {
    const separate = settingsOf(resources, T.bucketPolicy, bucket).map((r) => ({ source: r.name, resource: r, document: known(r.props, "policy") }));
    const policy = setByProgram(bucket, "policy");
    const inline = policy !== undefined && policy !== null && policy !== "" ? [{ source: `${bucket.name} (inline)`, resource: bucket, document: policy }] : [];
    return [...separate, ...inline];
}

/** Patterns of S3 ARNs in a resource list, without the `arn:<partition>:s3:::` prefix. */
function s3Patterns(resources: readonly string[]): string[] {
    return resources.map((r) => /^arn:[^:]+:s3:::(.+)$/.exec(r)?.[1]).filter((p): p is string => p !== undefined);
}

/** True when the resources cover the bucket and its objects; with no known name, any `X` and `X/*` pair. */
export function coversBucketAndObjects(resources: readonly string[], bucket: string | undefined): boolean {
    if (bucket === undefined) return resources.some((r) => r.startsWith("arn:") && !r.endsWith("/*") && resources.includes(`${r}/*`));
    const patterns = s3Patterns(resources);
    return patterns.some((p) => globMatch(p, bucket)) && coversObjects(resources, bucket);
}

export function coversObjects(resources: readonly string[], bucket: string): boolean {
    return s3Patterns(resources).some((p) => globMatch(p, `${bucket}/any-object`));
}

const deniesInsecureTransport = (s: Statement) =>
    [...conditionValues(s, "Bool", "aws:SecureTransport"), ...conditionValues(s, "BoolIfExists", "aws:SecureTransport")].some((v) => v.toLowerCase() === "false");

/**
 * What stops a bucket policy from denying non-TLS requests (FSBP S3.5): none when some Deny
 * statement for every principal, on `s3:*`, with `Bool aws:SecureTransport false`, covers the
 * bucket and its objects. Else the problems of the closest candidate, or one `tls-deny`.
 */
export function tlsDenyProblems(document: unknown, bucket: string | undefined): Problem[] {
    const candidates = statements(document).filter((s) => s.effect === "Deny" && deniesInsecureTransport(s));
    if (candidates.length === 0) return [{ key: "tls-deny", message: 'no statement denies requests with aws:SecureTransport "false"' }];
    const problemsOf = (s: Statement): Problem[] => {
        const out: Problem[] = [];
        const label = statementLabel(s);
        if (!isPublicPrincipal(s)) out.push({ key: "tls-deny-principal", message: `${label} denies non-TLS requests only to ${s.principals.join(", ") || "no principal"}, not to every principal ("*")` });
        if (!s.actions.some((a) => a === "*" || a.toLowerCase() === "s3:*")) out.push({ key: "tls-deny-action", message: `${label} denies only ${s.actions.map((a) => `"${a}"`).join(", ") || "no action"} without TLS, not "s3:*"` });
        if (!coversBucketAndObjects(s.resources, bucket)) {
            const target = bucket ? `arn:aws:s3:::${bucket} and arn:aws:s3:::${bucket}/*` : "the bucket ARN and its /* objects";
            out.push({ key: "tls-deny-resource", message: `${label} covers ${s.resources.join(", ") || "no resource"}, not both ${target}` });
        }
        return out;
    };
    const all = candidates.map(problemsOf);
    return all.some((p) => p.length === 0) ? [] : all[0];
}
