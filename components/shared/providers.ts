import type * as aws from "@pulumi/aws";

/**
 * The stack's AWS provider settings besides the region (`aws:profile`, `aws:assumeRoles`,
 * `aws:allowedAccountIds`, `aws:defaultTags`, ...): what the default provider uses. A component that
 * needs an explicit provider (another region) builds it from these, so it deploys with the same
 * credentials, into the same account, with the same default tags.
 */
export type ProviderSettings = Omit<aws.ProviderArgs, "region">;
