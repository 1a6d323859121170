import { programValue, setByProgram, type Node } from "../lib/graph";
import { conditionValues, isPublicPrincipal, statements } from "../lib/iam-documents";
import { resourceRule, stackRule, type Props, type Report } from "../lib/rule";
import {
    BUCKET_ACL,
    CLOUDFRONT_SERVICE,
    bucketName,
    bucketsOf,
    encryptionOf,
    hasAccessLogging,
    isKms,
    sseS3OnlySource,
    logSourceOf,
    originOf,
    policiesOf,
    replicationRoleOf,
    settingsOf,
    tlsDenyProblems,
    versioningEnabled,
} from "../lib/s3-buckets";
import { statementKey, statementLabel } from "../lib/iam-statements";
import { globMatch, isAwsManagedKey } from "../lib/patterns";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, Undecided, asArray, asDocument, isTrue, known } from "../lib/values";

/** An inline bucket policy is set (the deprecated Bucket/BucketV2 `policy`). */
const hasPolicy = (props: Props) => props.policy !== undefined && props.policy !== null && props.policy !== "";

/** Reports each key once per resource: several configuration resources can repeat one problem. */
function once(report: Report, urn: string): Report {
    const seen = new Set<string>();
    return (key, message) => {
        if (seen.has(key)) return;
        seen.add(key);
        report(key, message, urn);
    };
}

export const R08 = resourceRule(
    {
        id: "R08",
        slug: "bucket-policy-denies-non-tls",
        requirement: 'Every bucket policy denies s3:* to every principal on the bucket and its objects when aws:SecureTransport is "false".',
        why: "Without the explicit deny, S3 answers plain-HTTP requests and data and credentials cross the network unencrypted.",
        anchors: ["FSBP S3.5", "cdk-nag S10"],
        level: "M",
        severity: "high",
        remediation:
            'Add {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["<bucket ARN>","<bucket ARN>/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}} to the bucket policy.',
    },
    [...T.bucketPolicy, ...T.bucket],
    (props, subject, report) => {
        // A bucket without an inline policy is S01's concern (it needs a BucketPolicy resource).
        if (isOneOf(subject.type, T.bucket) && !hasPolicy(props)) return;
        if (!asDocument(props.policy)) return report("invalid-document", "policy is not a JSON policy document, so it cannot be checked");
        // A bucket known only after deploy (its id) is checked as an unknown name: some ARN and its /* (S01 checks the name).
        const name = known(props, "bucket");
        const bucket = typeof name === "string" && name !== "" ? name : undefined;
        for (const p of tlsDenyProblems(props.policy, bucket)) report(p.key, p.message);
    },
);

export const R14 = stackRule(
    {
        id: "R14",
        slug: "bucket-encryption-cmk",
        requirement:
            "Every bucket has explicit server-side encryption with a customer-managed KMS key and an S3 Bucket Key (bucketKeyEnabled); SSE-S3 only on log buckets whose delivery cannot use SSE-KMS (load balancer access logs, S3 server access logs).",
        why: "A customer-managed key puts reads under a key policy and CloudTrail; ALB log delivery and S3 server access logging write only to SSE-S3 buckets, so those log buckets are the exception.",
        anchors: ["SH S3.17", "Pulumi aws-s3-bucket-enable-server-side-encryption", "Pulumi aws-s3-bucket-configure-server-side-encryption-kms", "Pulumi aws-s3-bucket-configure-server-side-encryption-customer-managed-key", "Pulumi aws-s3-bucket-enable-server-side-encryption-bucket-key", "CKV_AWS_145"],
        level: "M",
        severity: "high",
        remediation: 'Add a BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms" and kmsMasterKeyId set to the stack\'s KMS key (bucketKeyEnabled true).',
    },
    (resources, report) => {
        for (const b of bucketsOf(resources)) {
            const r = once(report, b.urn);
            const defaults = encryptionOf(resources, b);
            if (defaults.length === 0) {
                r("missing", "bucket has no server-side encryption configuration (a customer-managed KMS key is required)");
                continue;
            }
            for (const d of defaults) {
                if (isKms(d.algorithm)) {
                    // Without kmsMasterKeyId S3 uses the AWS-managed key aws/s3, whose policy nobody controls.
                    // A key known only after deploy is another resource's: not an AWS-managed alias.
                    if (!d.kmsMasterKeyId) r("aws-managed-key", `encryption "${d.algorithm}" names no kmsMasterKeyId, so S3 uses the AWS-managed key aws/s3`);
                    else if (d.kmsMasterKeyId !== UNKNOWN_VALUE && isAwsManagedKey(d.kmsMasterKeyId)) r("aws-managed-key", `encryption uses the AWS-managed key "${d.kmsMasterKeyId}", not a customer-managed key`);
                    // DSSE-KMS cannot use a Bucket Key. Unset, S3 calls KMS for every object (cost and KMS request quotas).
                    if (d.algorithm === "aws:kms" && d.bucketKeyEnabled !== UNKNOWN_VALUE && !isTrue(d.bucketKeyEnabled)) {
                        r("bucket-key", `SSE-KMS without an S3 Bucket Key (bucketKeyEnabled is ${d.bucketKeyEnabled === undefined ? "unset, default false" : JSON.stringify(d.bucketKeyEnabled)}): every object operation calls KMS`);
                    }
                } else if (d.algorithm === "AES256") {
                    if (!sseS3OnlySource(resources, b)) {
                        r("sse-s3", "encryption is SSE-S3 (AES256); only buckets receiving load balancer or S3 server access logs may use it, others need a customer-managed KMS key");
                    }
                } else {
                    r("algorithm", `encryption algorithm ${JSON.stringify(d.algorithm ?? "unset")} is not "aws:kms" or "aws:kms:dsse"`);
                }
            }
        }
    },
);

const BLOCK_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const R37 = stackRule(
    {
        id: "R37",
        slug: "bucket-public-access-block",
        requirement: "Every bucket has a public access block with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
        why: "The block is the guard rail that keeps a later ACL or policy mistake from making the bucket public.",
        anchors: ["FSBP S3.8", "cdk-nag S2", "CKV2_AWS_6"],
        level: "M",
        severity: "critical",
        remediation: "Add a BucketPublicAccessBlock for the bucket with all four flags set to true.",
    },
    (resources, report) => {
        for (const b of bucketsOf(resources)) {
            const blocks = settingsOf(resources, T.publicAccessBlock, b);
            // New buckets get a block by default since 2023, but only an explicit resource survives imports and drift.
            if (blocks.length === 0) {
                report("missing", "bucket has no public access block", b.urn);
                continue;
            }
            for (const flag of BLOCK_FLAGS) {
                if (blocks.some((pb) => isTrue(pb.props[flag]))) continue;
                const value = blocks.map((pb) => pb.props[flag]).find((v) => v !== undefined && v !== null);
                // The provider defaults each flag to false.
                const shown = value === undefined ? "unset (defaults to false)" : JSON.stringify(value);
                report(flag, `public access block ${blocks.map((pb) => pb.name).join(", ")} has ${flag} ${shown}, not true`, b.urn);
            }
        }
    },
);

export const R38 = stackRule(
    {
        id: "R38",
        slug: "bucket-acls-disabled",
        requirement: 'Every bucket has ownership controls with objectOwnership "BucketOwnerEnforced" and sets no ACL other than private.',
        why: "ACLs grant access outside bucket and IAM policies, where reviews and Access Analyzer rarely look; BucketOwnerEnforced turns them off.",
        anchors: ["FSBP S3.12"],
        level: "M",
        severity: "high",
        remediation: 'Add a BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced"; remove acl settings and BucketAcl resources.',
    },
    (resources, report) => {
        for (const b of bucketsOf(resources)) {
            const controls = settingsOf(resources, T.ownershipControls, b);
            if (controls.length === 0) {
                report("missing", 'bucket has no ownership controls, so ACLs are not disabled ("BucketOwnerEnforced" required)', b.urn);
            } else {
                const owners = controls.flatMap((c) => asArray<Props>(c.props.rule).map((rule) => rule?.objectOwnership));
                if (!owners.includes("BucketOwnerEnforced")) {
                    const shown = owners.map((o) => JSON.stringify(o ?? "unset")).join(", ") || "no rule";
                    report("object-ownership", `ownership controls ${controls.map((c) => c.name).join(", ")} set objectOwnership ${shown}, not "BucketOwnerEnforced"`, b.urn);
                }
            }
            // Unset, the bucket is private (before deploy its `acl` is unknown: the program did not set it).
            const acl = programValue(b, "acl");
            if (typeof acl === "string" && acl !== "" && acl !== "private") report("acl", `bucket sets the canned ACL "${acl}"`, b.urn);
            // Only the canned ACL is read: accessControlPolicy is computed (the owner's grant) on every BucketAcl.
            for (const a of settingsOf(resources, BUCKET_ACL, b)) {
                if (typeof a.props.acl === "string" && a.props.acl !== "private") report("bucket-acl", `${a.name} sets the canned ACL "${a.props.acl}" on the bucket`, b.urn);
            }
        }
    },
);

/** A CloudFront distribution ARN (global: no region), naming one distribution. */
const DISTRIBUTION_ARN = /^arn:aws[a-z-]*:cloudfront::\d{12}:distribution\/[A-Za-z0-9]+$/;
const SOURCE_ARN_OPERATORS = ["StringEquals", "ArnEquals", "ArnLike", "StringLike"];

export const R39 = resourceRule(
    {
        id: "R39",
        slug: "bucket-policy-not-public",
        requirement:
            "Bucket policies allow no public principal, and allow the CloudFront service only with an AWS:SourceArn naming a distribution, and only s3:GetObject on objects and s3:ListBucket on the bucket itself.",
        why: 'A "*" principal opens the bucket to the internet; an unconditioned CloudFront grant lets any distribution, in any account, read it.',
        anchors: ["FSBP S3.2", "FSBP S3.3", "CKV_AWS_70", "cdk-nag S5"],
        level: "M",
        severity: "critical",
        remediation:
            'Grant named roles, or the CloudFront service principal s3:GetObject on <bucket ARN>/* (and s3:ListBucket on <bucket ARN>, for true 404s) with Condition {"StringEquals":{"AWS:SourceArn":"<distribution ARN>"}}; never "*".',
    },
    [...T.bucketPolicy, ...T.bucket],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.bucket) && !hasPolicy(props)) return;
        if (!asDocument(props.policy)) return report("invalid-document", "policy is not a JSON policy document, so it cannot be checked");
        for (const s of statements(props.policy)) {
            if (s.effect !== "Allow") continue;
            const label = statementLabel(s);
            const n = s.index + 1;
            const actions = s.actions.map((a) => `"${a}"`).join(", ") || "actions";
            // Conditions such as aws:SourceVpce narrow a "*" grant, but they are easy to get wrong: use named principals.
            if (isPublicPrincipal(s)) report(`statement-${n}/public`, `${label} allows ${actions} to every principal ("*")`);
            if (s.principals.includes(CLOUDFRONT_SERVICE)) {
                const arns = SOURCE_ARN_OPERATORS.flatMap((op) => conditionValues(s, op, "AWS:SourceArn"));
                const bad = arns.filter((a) => !DISTRIBUTION_ARN.test(a));
                if (arns.length === 0) {
                    report(`statement-${n}/cloudfront-source-arn`, `${label} allows the CloudFront service without an AWS:SourceArn condition, so any distribution of any account can use it`);
                } else if (bad.length > 0) {
                    report(`statement-${n}/cloudfront-source-arn`, `${label} limits the CloudFront service to AWS:SourceArn ${bad.map((a) => `"${a}"`).join(", ")}, not a distribution ARN`);
                }
                cloudFrontScope(s, (key, message) => report(`statement-${n}/${key}`, `${label} ${message}`));
            }
        }
        // Allow + NotPrincipal grants everyone except the listed principals (statements() drops NotPrincipal).
        const doc = asDocument(props.policy);
        asArray<Props>(doc?.Statement as Props | Props[] | undefined).forEach((s, i) => {
            if (s?.Effect === "Allow" && s.NotPrincipal !== undefined) report(`statement-${i + 1}/not-principal`, `statement ${i + 1} allows with NotPrincipal, i.e. to every principal but the ones listed`);
        });
    },
);

/**
 * What Origin Access Control needs from a bucket: s3:GetObject on its objects, and s3:ListBucket on the
 * bucket itself (so a missing key is a 404, not a 403). Any other action, or a list grant on more than
 * one bucket, gives every request through the distribution more than serving the site needs.
 */
function cloudFrontScope(s: { actions: string[]; notActions: string[]; resources: string[] }, report: (key: string, message: string) => void): void {
    for (const action of s.actions) {
        const a = action.toLowerCase();
        if (a === "s3:getobject") continue;
        if (a !== "s3:listbucket") {
            report(`cloudfront-action-${action}`, `allows the CloudFront service "${action}"; Origin Access Control needs only s3:GetObject on objects and s3:ListBucket on the bucket`);
            continue;
        }
        const wide = s.resources.filter((r) => !BUCKET_ARN.test(r));
        if (wide.length > 0) {
            report("cloudfront-list-scope", `allows the CloudFront service s3:ListBucket on ${wide.map((r) => `"${r}"`).join(", ")}; only the bucket's own ARN is needed`);
        }
    }
    if (s.notActions.length > 0) report("cloudfront-not-action", "allows the CloudFront service every action except its NotAction");
}

/** One bucket's ARN: no key part, no wildcard. */
const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const R40 = resourceRule(
    {
        id: "R40",
        slug: "no-bucket-website",
        requirement: "No bucket has a website configuration; sites are served through CloudFront with Origin Access Control.",
        why: "The S3 website endpoint speaks plain HTTP only and needs a publicly readable bucket.",
        anchors: ["cdk-nag CFR7 (derived)", "FSBP CloudFront.13 (derived)"],
        level: "M",
        severity: "high",
        remediation: "Remove the website configuration; serve the bucket through a CloudFront distribution with an OAC origin (index via defaultRootObject or a CloudFront function).",
    },
    [...T.bucketWebsite, ...T.bucket],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.bucketWebsite)) {
            report("website", "website configuration exposes the bucket on the plain-HTTP S3 website endpoint");
            return;
        }
        // Bucket: `website` object; BucketV2: `websites` list.
        const inline = [...asArray<unknown>(props.website), ...asArray<unknown>(props.websites)];
        if (inline.length > 0) report("website", "bucket has an inline website configuration, served on the plain-HTTP S3 website endpoint");
    },
);

export const S01 = stackRule(
    {
        id: "S01",
        slug: "bucket-fully-wrapped",
        requirement:
            "Every bucket has a bucket policy denying non-TLS requests, versioning Enabled where it holds site or replicated data, and access logging unless it is a log bucket (R14, R37, R38 check encryption, public access block and ownership).",
        why: "A bucket missing one of its wrappers is reachable over plain HTTP, loses data to an overwrite, or is read without a trace.",
        anchors: ["FSBP S3.5", "cdk-nag S10", "FSBP S3.9", "cdk-nag S1", "CKV_AWS_18", "SH S3.14", "CKV_AWS_21"],
        level: "M",
        severity: "high",
        remediation:
            'Give the bucket a BucketPolicy with the TLS deny statement, a BucketVersioning with status "Enabled" when CloudFront serves it or it is replicated, and a BucketLogging to the log bucket.',
    },
    (resources, report) => {
        const undecided = new Undecided();
        for (const b of bucketsOf(resources)) {
            const policies = policiesOf(resources, b);
            // A document known only after deploy is R08's to report (it runs on that document and says it cannot check it);
            // S01 decides that the bucket has a policy, and fails only when every document is known and none denies.
            const checkable = policies.filter((p) => p.document !== UNKNOWN_VALUE);
            if (policies.length === 0) {
                report("tls-policy", "bucket has no bucket policy, so nothing denies requests without TLS", b.urn);
            } else if (checkable.length === policies.length && !checkable.some((p) => tlsDenyProblems(p.document, bucketName(b)).length === 0)) {
                report("tls-policy", `no bucket policy of the bucket (${policies.map((p) => p.source).join(", ")}) denies requests without TLS on the bucket and its objects`, b.urn);
            }

            const origin = originOf(resources, b);
            const v = versioningEnabled(resources, b);
            if (origin === UNKNOWN_VALUE) {
                // Before deploy it may be the origin whose domain is not known yet: that matters only without versioning.
                if (!v.enabled) undecided.note(b.name, "bucketRegionalDomainName");
            } else {
                const holds = origin ? `site data (origin "${origin.originId}" of distribution ${origin.distribution.name})` : replicationRoleOf(resources, b);
                if (holds && !v.enabled) report("versioning", `bucket holds ${holds} but has ${v.state} (Enabled required)`, b.urn);
            }

            if (!logSourceOf(resources, b) && !hasAccessLogging(resources, b)) {
                report("access-logging", "bucket has no server access logging (only log buckets may go without)", b.urn);
            }
        }
        undecided.settle();
    },
);

/** Account-wide settings of the account-settings stack: one stack per account and region declares them. */
export const R71 = stackRule(
    {
        id: "R71",
        slug: "account-settings-baseline",
        requirement:
            "The stack that declares account-level settings (any aws.ebs.EncryptionByDefault, aws.ebs.DefaultKmsKey, aws.s3.AccountPublicAccessBlock or other account-wide resource) turns EBS encryption by default on and blocks public access for the whole account with all four S3 flags true; stacks declaring no account setting are not checked (the account baseline lives in its own stack).",
        why: "Account-wide Block Public Access stops any bucket, present or future, from being made public by an ACL or policy mistake; EBS encryption by default covers every volume and snapshot an AMI or a tool creates outside the launch templates the pack checks.",
        anchors: ["FSBP S3.1", "FSBP EC2.7"],
        level: "M",
        severity: "high",
        remediation:
            "In the account-settings stack declare new aws.ebs.EncryptionByDefault(..., { enabled: true }) and new aws.s3.AccountPublicAccessBlock(..., { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }).",
    },
    (resources, report) => {
        const settings = resources.filter((r) => isOneOf(r.type, T.accountSettings));
        if (settings.length === 0) return;
        const ebs = resources.filter((r) => isOneOf(r.type, T.ebsEncryptionByDefault));
        if (ebs.length === 0) report("ebs-encryption-by-default", "the account-settings stack does not declare aws.ebs.EncryptionByDefault, so new EBS volumes may be unencrypted");
        for (const e of ebs) {
            // The provider defaults enabled to true.
            const enabled = setByProgram(e, "enabled");
            if (enabled === false || enabled === "false") report("ebs-encryption-by-default", "EBS encryption by default is turned off (enabled is false)", e.urn);
        }
        const blocks = resources.filter((r) => isOneOf(r.type, T.accountPublicAccessBlock));
        if (blocks.length === 0) {
            report("account-public-access-block", "the account-settings stack does not declare aws.s3.AccountPublicAccessBlock, so buckets are protected only by their own blocks");
        }
        for (const b of blocks) {
            for (const flag of BLOCK_FLAGS) {
                const value = setByProgram(b, flag);
                if (value === UNKNOWN_VALUE || isTrue(value)) continue;
                report(flag, `account public access block has ${flag} ${value === undefined ? "unset (defaults to false)" : JSON.stringify(value)}, not true`, b.urn);
            }
        }
    },
);

/** Actions FSBP S3.6 forbids granting other accounts (and the deletes the platform adds): policy, ACL and encryption changes, deletions. */
const CROSS_ACCOUNT_FORBIDDEN = [
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketPolicy",
    "s3:PutEncryptionConfiguration",
    "s3:PutObjectAcl",
    "s3:DeleteBucket",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
];

/** The account an AWS principal names: a bare 12-digit id or the account field of an IAM/STS ARN. */
function principalAccount(principal: string): string | undefined {
    if (!principal.startsWith("AWS:")) return undefined;
    const value = principal.slice(4);
    if (/^\d{12}$/.test(value)) return value;
    return /^arn:[^:]+:(iam|sts)::(\d{12}):/.exec(value)?.[2];
}

/** The account field of an ARN. */
const arnAccount = (arn: unknown) => (typeof arn === "string" ? /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1] : undefined);

export const R72 = stackRule(
    {
        id: "R72",
        slug: "bucket-policy-no-cross-account-control",
        requirement:
            "No bucket policy allows a principal of another AWS account to change the bucket's policy, ACLs or encryption or to delete the bucket or its objects (s3:*, Delete*, Put*Acl, PutBucketPolicy, PutEncryptionConfiguration, or an Allow with NotAction). The stack's own account is the account of its resources' ARNs and of the policy's aws:SourceAccount conditions, plus the accounts listed in the rule's trustedAccounts config.",
        why: "Another account that can rewrite the policy or ACLs owns the bucket in all but name, and one that can delete objects can destroy the data; cross-account access is granted by read or write actions on named prefixes, never by control of the bucket.",
        anchors: ["FSBP S3.6"],
        level: "M",
        severity: "high",
        remediation:
            "Grant the other account only the object actions it needs (s3:GetObject, s3:PutObject on a prefix) or, better, a role in this account it may assume; list accounts of the same organisation that run the platform in trustedAccounts.",
        configSchema: { properties: { trustedAccounts: { type: "array", items: { type: "string" } } } },
    },
    (resources, report, config) => {
        const own = new Set<string>(asArray(config.trustedAccounts as string[] | undefined).map(String));
        let ownUnknown = false;
        for (const r of resources) {
            const arn = known(r.props, "arn");
            if (arn === UNKNOWN_VALUE) ownUnknown = true;
            const account = arnAccount(arn);
            if (account) own.add(account);
        }
        const undecided = new Undecided();
        for (const b of bucketsOf(resources)) {
            for (const { source, resource, document } of policiesOf(resources, b)) {
                // A document known only after deploy is R08's and R39's to wait for.
                if (document === UNKNOWN_VALUE) continue;
                const list = statements(document);
                const local = new Set(own);
                for (const s of list) {
                    for (const operator of ["StringEquals", "StringLike"]) {
                        for (const key of ["aws:SourceAccount", "aws:SourceOwner"]) conditionValues(s, operator, key).forEach((a) => local.add(a));
                    }
                }
                for (const s of list) {
                    if (s.effect !== "Allow") continue;
                    const foreign = s.principals.map(principalAccount).filter((a): a is string => a !== undefined && !local.has(a));
                    if (foreign.length === 0) continue;
                    const forbidden = s.notActions.length > 0 ? ["everything but " + s.notActions.join(", ")] : CROSS_ACCOUNT_FORBIDDEN.filter((a) => s.actions.some((p) => p === "*" || globMatch(p, a, true)));
                    if (forbidden.length === 0) continue;
                    // Before deploy the stack's own account may be known only from ARNs not assigned yet.
                    if (local.size === 0 && ownUnknown) {
                        undecided.note(resource.name, "policy");
                        continue;
                    }
                    report(
                        `${statementKey(s)}/cross-account`,
                        `bucket policy ${source} ${statementLabel(s)} lets account ${[...new Set(foreign)].join(", ")} ${s.notActions.length > 0 ? forbidden[0] : forbidden.join(", ")}`,
                        resource.urn,
                    );
                }
            }
        }
        undecided.settle();
    },
);

/** A bucket's enabled lifecycle rules in any shape: the separate resources' `rules` (status Enabled), inline `lifecycleRules` (enabled). */
function lifecycleRulesOf(resources: readonly Node[], bucket: Node): { noncurrentExpiry: boolean }[] {
    const separate = settingsOf(resources, T.bucketLifecycle, bucket).flatMap((r) =>
        asArray<Props>(r.props.rules)
            .filter((rule) => rule?.status === "Enabled")
            .map((rule) => ({ noncurrentExpiry: asArray<Props>(rule.noncurrentVersionExpiration).some((e) => e !== null && typeof e === "object") })),
    );
    // The deprecated inline rules: unknown before deploy when the program did not set them (none).
    const inline = asArray<Props>(programValue(bucket, "lifecycleRules"))
        .filter((rule) => rule?.enabled === true)
        .map((rule) => ({ noncurrentExpiry: [...asArray<Props>(rule.noncurrentVersionExpiration), ...asArray<Props>(rule.noncurrentVersionExpirations)].some((e) => e !== null && typeof e === "object") }));
    return [...separate, ...inline];
}

export const R79 = stackRule(
    {
        id: "R79",
        slug: "bucket-lifecycle",
        requirement: "Every bucket has an enabled lifecycle rule, and a versioned bucket has one that expires noncurrent versions.",
        why: "Without lifecycle rules logs and old object versions are kept forever: data nobody needs stays exposed to a later leak, deleted objects never really go, and storage cost only grows.",
        anchors: ["FSBP S3.10", "FSBP S3.13"],
        level: "M",
        severity: "low",
        remediation:
            'Add an aws.s3.BucketLifecycleConfiguration with a rule { status: "Enabled", filter: {}, expiration (log buckets) or noncurrentVersionExpiration: { noncurrentDays: 30 } (versioned buckets), abortIncompleteMultipartUpload }.',
    },
    (resources, report) => {
        for (const b of bucketsOf(resources)) {
            const rules = lifecycleRulesOf(resources, b);
            if (rules.length === 0) {
                report("missing", "bucket has no enabled lifecycle rule, so its objects (and their old versions) are kept forever", b.urn);
                continue;
            }
            if (versioningEnabled(resources, b).enabled && !rules.some((r) => r.noncurrentExpiry)) {
                report("noncurrent-versions", "versioned bucket has no lifecycle rule expiring noncurrent versions (noncurrentVersionExpiration), so overwritten and deleted objects stay forever", b.urn);
            }
        }
    },
);

export const S3_RULES = [R08, R14, R37, R38, R39, R40, S01, R71, R72, R79];
