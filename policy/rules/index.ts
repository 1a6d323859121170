import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { exemptionsPolicy } from "../lib/exemptions";
import { CACHE_RULES } from "./cache";
import { CLOUDFRONT_RULES } from "./cloudfront";
import { DNS_RULES } from "./dns";
import { COMPUTE_RULES } from "./compute";
import { ECR_RULES } from "./ecr";
import { IAM_RULES } from "./iam";
import { KMS_RULES } from "./kms";
import { LB_RULES } from "./lb";
import { LOG_RULES } from "./logs";
import { LOGGING_RULES } from "./logging";
import { NETWORK_RULES } from "./network";
import { RDS_RULES } from "./rds";
import { S3_RULES } from "./s3";
import { SECRET_RULES } from "./secrets";
import { SERVERLESS_RULES } from "./serverless";
import { SNS_RULES } from "./sns";
import { SQS_RULES } from "./sqs";
import { TAG_RULES } from "./tags";
import { WAF_RULES } from "./waf";

export type Rule = ResourceValidationPolicy | StackValidationPolicy;

/** Every catalogue rule (R01-R79, S01-S11; there is no R13), in id order. */
export const RULES: readonly Rule[] = [
    ...LB_RULES,
    ...CLOUDFRONT_RULES,
    ...S3_RULES,
    ...RDS_RULES,
    ...CACHE_RULES,
    ...KMS_RULES,
    ...LOG_RULES,
    ...SNS_RULES,
    ...SQS_RULES,
    ...TAG_RULES,
    ...SECRET_RULES,
    ...IAM_RULES,
    ...NETWORK_RULES,
    ...COMPUTE_RULES,
    ...ECR_RULES,
    ...SERVERLESS_RULES,
    ...LOGGING_RULES,
    ...WAF_RULES,
    ...DNS_RULES,
].sort((a, b) => a.name.localeCompare(b.name));

/**
 * The pack's policies. The exemptions policy comes first: the CrossGuard server runs policies in
 * list order for each resource, so it loads the exemption list before any rule reports.
 */
export const POLICIES: readonly Rule[] = [exemptionsPolicy(() => RULES.map((r) => r.name)), ...RULES];
