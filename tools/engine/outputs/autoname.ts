import { hex } from "../fake-ids";
import { resourceDecl } from "./schema";

/**
 * Physical names, as pulumi-aws gives them. Source: pulumi-aws `provider/resources.go` (v6; v7 keeps
 * it) and `autonaming.go`: every resource whose schema has an input `name` gets
 * `tfbridge.AutoName("name", 255, "-")` — `<logical name>-<7 random hex>` — unless resources.go names
 * another property or other limits; the bridge fails when the name plus its 7 characters exceeds
 * the maximum. Pulumi names them in its Check step, so preview shows them too. A `namePrefix` (or a
 * property Terraform itself defaults, like an RDS cluster's `tf-…` identifier) is filled by Terraform at
 * create time: `<prefix><26 characters>` (terraform-plugin-sdk `id.PrefixedUniqueId`), unknown in preview.
 */
interface NameRule {
    /** The property carrying the physical name. */
    readonly prop: string;
    /** The input that asks Terraform for `<prefix><26 chars>` instead. */
    readonly prefix?: string;
    /** The longest name the provider's autoname or the service accepts. */
    readonly max: number;
    /** `lower`: the provider (or AWS) lower-cases the name; `strict`: the service rejects upper case. */
    readonly case?: "lower" | "strict";
    readonly sep?: string;
    /** Random characters after the separator (7; SQL Server identifiers get 3 to fit 15). */
    readonly rand?: number;
    /** Not Pulumi-autonamed: Terraform generates `tf-<26 chars>` when creating. */
    readonly terraform?: boolean;
    /** Added around the generated name (KMS aliases live under `alias/`, FIFO queues end in `.fifo`). */
    readonly before?: string;
    readonly after?: (inputs: Record<string, unknown>) => string;
}

const fifo = (flag: string) => (inputs: Record<string, unknown>) => (inputs[flag] === true ? ".fifo" : "");
const named = (max: number, more: Partial<NameRule> = {}): NameRule => ({ prop: "name", prefix: "namePrefix", max, ...more });

/**
 * Overrides of the default rule (`name`, 255). Provider limits from resources.go; where AWS allows
 * less than the provider's autoname (or requires lower case), the service limit, since AWS would
 * reject the longer name at create time.
 */
const RULES: Readonly<Record<string, NameRule>> = {
    "aws:s3/bucket:Bucket": { prop: "bucket", prefix: "bucketPrefix", max: 63, case: "lower" },
    "aws:s3/bucketV2:BucketV2": { prop: "bucket", prefix: "bucketPrefix", max: 63, case: "lower" },
    "aws:rds/instance:Instance": { prop: "identifier", prefix: "identifierPrefix", max: 63, case: "strict" },
    "aws:rds/cluster:Cluster": { prop: "clusterIdentifier", prefix: "clusterIdentifierPrefix", max: 63, terraform: true },
    "aws:rds/clusterInstance:ClusterInstance": { prop: "identifier", prefix: "identifierPrefix", max: 63, terraform: true },
    "aws:rds/subnetGroup:SubnetGroup": named(255, { case: "strict" }),
    "aws:rds/parameterGroup:ParameterGroup": named(255, { case: "strict" }),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": named(255, { case: "strict" }),
    "aws:rds/optionGroup:OptionGroup": named(255, { case: "strict" }),
    "aws:rds/proxy:Proxy": named(63, { case: "strict" }),
    "aws:elasticache/replicationGroup:ReplicationGroup": { prop: "replicationGroupId", max: 40, case: "lower" },
    "aws:elasticache/cluster:Cluster": { prop: "clusterId", max: 50, case: "lower" },
    "aws:elasticache/subnetGroup:SubnetGroup": named(255, { case: "lower" }),
    "aws:elasticache/parameterGroup:ParameterGroup": named(255, { case: "lower" }),
    "aws:lb/loadBalancer:LoadBalancer": named(32),
    "aws:alb/loadBalancer:LoadBalancer": named(32),
    "aws:lb/targetGroup:TargetGroup": named(32),
    "aws:alb/targetGroup:TargetGroup": named(32),
    "aws:iam/role:Role": named(64),
    "aws:iam/user:User": named(64),
    "aws:iam/group:Group": named(128),
    "aws:iam/policy:Policy": named(128),
    "aws:iam/instanceProfile:InstanceProfile": named(128),
    "aws:iam/rolePolicy:RolePolicy": named(128),
    "aws:lambda/function:Function": named(64),
    "aws:lambda/permission:Permission": { prop: "statementId", prefix: "statementIdPrefix", max: 100 },
    "aws:sqs/queue:Queue": named(80, { after: fifo("fifoQueue") }),
    "aws:sns/topic:Topic": named(80, { after: fifo("fifoTopic") }),
    "aws:kms/alias:Alias": named(256, { before: "alias/" }),
    "aws:ecr/repository:Repository": named(256, { case: "strict" }),
    "aws:backup/vault:Vault": named(50),
    "aws:backup/plan:Plan": named(50),
    "aws:cloudwatch/eventRule:EventRule": named(64),
    "aws:cloudwatch/eventTarget:EventTarget": { prop: "targetId", max: 64 },
    "aws:cloudwatch/logGroup:LogGroup": named(512),
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": named(60),
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": named(60),
    "aws:secretsmanager/secret:Secret": named(512),
    "aws:ec2/launchTemplate:LaunchTemplate": named(128),
    "aws:ec2/keyPair:KeyPair": { prop: "keyName", prefix: "keyNamePrefix", max: 255 },
    "aws:apigatewayv2/api:Api": named(128),
    "aws:apigatewayv2/stage:Stage": named(128),
    "aws:wafv2/webAcl:WebAcl": named(128),
    "aws:cloudfront/originAccessControl:OriginAccessControl": named(64),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": named(128),
    "aws:cloudfront/cachePolicy:CachePolicy": named(128),
    "aws:efs/fileSystem:FileSystem": { prop: "creationToken", max: 64 },
    "aws:eks/nodeGroup:NodeGroup": { prop: "nodeGroupName", prefix: "nodeGroupNamePrefix", max: 63 },
    "aws:eks/fargateProfile:FargateProfile": { prop: "fargateProfileName", max: 63 },
    "aws:mq/broker:Broker": { prop: "brokerName", max: 50 },
    "aws:msk/cluster:Cluster": { prop: "clusterName", max: 64 },
    "aws:opensearch/domain:Domain": { prop: "domainName", max: 28, case: "strict" },
    "aws:elasticsearch/domain:Domain": { prop: "domainName", max: 28, case: "lower" },
    "aws:elasticbeanstalk/environment:Environment": named(40),
};

/** Types whose `name` input is the real-world name itself (a DNS record), never generated. */
const NOT_AUTONAMED = new Set(["aws:route53/record:Record"]);

/** The rule for a type: an override, else the default for an optional `name` input, else none. */
export function nameRule(type: string): NameRule | undefined {
    if (RULES[type]) return RULES[type];
    if (NOT_AUTONAMED.has(type) || !type.startsWith("aws:")) return undefined;
    const args = resourceDecl(type)?.args;
    return args?.get("name") === true ? named(255, { prefix: args.has("namePrefix") ? "namePrefix" : undefined }) : undefined;
}

/** The property carrying a type's physical name, if it has one. */
export function nameProp(type: string): string | undefined {
    return nameRule(type)?.prop;
}

/**
 * The physical name Pulumi's Check step computes (preview and deploy): `<logical>-<7 hex>` when neither
 * the name nor its prefix is given. Fails like the provider when the name cannot fit or has the wrong case.
 */
export function autoname(type: string, logical: string, inputs: Record<string, unknown>): Record<string, string> {
    const rule = nameRule(type);
    if (!rule || rule.terraform || inputs[rule.prop] !== undefined || (rule.prefix && inputs[rule.prefix] !== undefined)) return {};
    const sqlServer = type === "aws:rds/instance:Instance" && /sqlserver/i.test(String(inputs.engine ?? ""));
    const [rand, max] = sqlServer ? [3, 15] : [rule.rand ?? 7, rule.max];
    const base = rule.case === "lower" ? logical.toLowerCase() : logical;
    const value = `${rule.before ?? ""}${base}${rule.sep ?? "-"}${hex(`autoname:${type}:${logical}`, rand)}${rule.after?.(inputs) ?? ""}`;
    if (value.length > max) {
        throw new Error(`the auto-name "${value}" is longer than ${max} characters, so the provider rejects it; shorten the resource name or set ${rule.prop}`);
    }
    if (rule.case === "strict" && value !== value.toLowerCase()) {
        throw new Error(`the auto-name "${value}" has upper-case letters, which AWS rejects for ${rule.prop}; use a lower-case resource name or set ${rule.prop}`);
    }
    return { [rule.prop]: value };
}

/**
 * Names Terraform fills when creating: `<namePrefix><26 chars>`, or `tf-<26 chars>` for properties it
 * defaults itself. Deploy only; preview leaves them unknown.
 */
export function createTimeName(type: string, logical: string, inputs: Record<string, unknown>): Record<string, string> {
    const rule = nameRule(type);
    if (!rule || inputs[rule.prop] !== undefined) return {};
    const prefix = rule.prefix ? inputs[rule.prefix] : undefined;
    if (typeof prefix !== "string" && !rule.terraform) return {};
    return { [rule.prop]: `${typeof prefix === "string" ? prefix : "tf-"}${uniqueIdSuffix(`${type}:${logical}`)}${rule.after?.(inputs) ?? ""}` };
}

/** terraform-plugin-sdk `id.PrefixedUniqueId`'s 26 characters: UTC timestamp to 1/10000 s, then an 8-hex counter. */
function uniqueIdSuffix(key: string): string {
    const digits = BigInt(`0x${hex(`unique-id:${key}`, 16)}`).toString().padStart(20, "0");
    return `20250101${digits.slice(0, 10)}0000000${1 + (Number(digits.slice(10, 12)) % 9)}`;
}
