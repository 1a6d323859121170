import * as pulumi from "@pulumi/pulumi";

/** An IAM condition block: operator -> condition key -> value(s). */
export type Conditions = Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;

/** One statement of an IAM, trust or key policy, typed so tests and policies can read it. */
export interface Statement {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: { readonly Service?: pulumi.Input<string> | pulumi.Input<string>[]; readonly AWS?: pulumi.Input<string> | pulumi.Input<string>[] } | "*";
    readonly Action: string | readonly string[];
    readonly Resource?: pulumi.Input<string> | readonly pulumi.Input<string>[];
    readonly Condition?: Conditions;
}

export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: readonly Statement[];
}

/** A policy document of the given statements. */
export function policyDocument(...statements: Statement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** The JSON of a document whose values may be outputs (ARNs, account ids). */
export function toJson(doc: PolicyDocument): pulumi.Output<string> {
    return pulumi.jsonStringify(doc);
}

/**
 * A trust policy letting one AWS service assume the role, only on behalf of this account
 * (`aws:SourceAccount`) and, when given, only from matching resources (`aws:SourceArn`):
 * the confused-deputy guard AWS recommends for service roles.
 */
export function serviceTrustPolicy(service: string, accountId: pulumi.Input<string>, sourceArnLike?: pulumi.Input<string>): PolicyDocument {
    const condition: Conditions = { StringEquals: { "aws:SourceAccount": accountId } };
    if (sourceArnLike !== undefined) condition.ArnLike = { "aws:SourceArn": sourceArnLike };
    return policyDocument({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: condition });
}

/**
 * The administrative actions a key policy grants the account root, so IAM policies can manage the
 * key, without `kms:*`: use of the key (Encrypt/Decrypt) is granted per service, never to the root.
 */
export const KMS_ADMIN_ACTIONS = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
] as const;

/** The key policy statement letting the account administer a key through IAM, without using it (KMS_ADMIN_ACTIONS). */
export function accountAdministersKey(accountRoot: pulumi.Input<string>): Statement {
    return {
        Sid: "AccountAdministers",
        Effect: "Allow",
        Principal: { AWS: accountRoot },
        Action: KMS_ADMIN_ACTIONS,
        Resource: "*",
    };
}

/** What an AWS service does with a customer-managed key on a principal's behalf (S3 needs no grants). */
export const KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"] as const;

/** Where a key's users are: the account (its root as principal, its id for `kms:CallerAccount`) and the endpoints' DNS suffix. */
export interface KeyAccount {
    readonly accountRoot: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    readonly dnsSuffix: pulumi.Input<string>;
}

/**
 * The key policy statement letting the account's principals use a key only through the given services in
 * `region` (`kms:ViaService`), as each service's default key policy does: a role with `kms:Decrypt` still
 * cannot call KMS directly with this key. `Sid` is `AccountUsesThrough<sidName>`.
 */
export function accountUsesKeyThrough(
    account: KeyAccount,
    sidName: string,
    region: pulumi.Input<string>,
    services: readonly string[],
    actions: readonly string[] = KEY_USE_ACTIONS,
): Statement {
    const via = services.map((service) => pulumi.interpolate`${service}.${region}.${account.dnsSuffix}`);
    return {
        Sid: `AccountUsesThrough${sidName}`,
        Effect: "Allow",
        Principal: { AWS: account.accountRoot },
        Action: actions,
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": via.length === 1 ? via[0] : via, "kms:CallerAccount": account.accountId } },
    };
}

/** The resource policy statement refusing `action` on `resource` for every request made without TLS. */
export function denyWithoutTls(action: string, resource: pulumi.Input<string> | pulumi.Input<string>[]): Statement {
    return { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: action, Resource: resource, Condition: { Bool: { "aws:SecureTransport": "false" } } };
}

/** The bucket policy statement refusing every request made without TLS, to the bucket and its objects. */
export function denyInsecureTransport(bucketArn: pulumi.Input<string>): Statement {
    return denyWithoutTls("s3:*", [bucketArn, pulumi.interpolate`${bucketArn}/*`]);
}

/**
 * The key policy statement letting CloudWatch Logs of `region` encrypt and decrypt with a key, only for the
 * account's log groups matching `logGroups` (the encryption context names the group): what a KMS-encrypted
 * log group needs.
 */
export function logsMayEncrypt(
    arn: (service: string, resource: pulumi.Input<string>, region?: pulumi.Input<string>) => pulumi.Output<string>,
    region: pulumi.Input<string>,
    logGroups: pulumi.Input<string> = "log-group:*",
): Statement {
    return {
        Sid: "CloudWatchLogsEncrypts",
        Effect: "Allow",
        Principal: { Service: pulumi.interpolate`logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arn("logs", logGroups, region) } },
    };
}
