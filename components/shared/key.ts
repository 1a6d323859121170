// The customer-managed keys of every component: one shape, so none can miss rotation or the admin split.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountAdministersKey, policyDocument, toJson, type Statement } from "./iam";
import type { Tags } from "./tags";

/**
 * A component's customer-managed key: rotated yearly, 30 days to cancel a scheduled deletion (the longest
 * KMS allows: a key deleted by mistake makes everything under it unreadable), administered by the account
 * without use (accountAdministersKey), and used only as `uses` allow.
 */
export function customerManagedKey(
    name: string,
    description: pulumi.Input<string>,
    accountRoot: pulumi.Input<string>,
    uses: readonly Statement[],
    tags: Tags,
    opts: pulumi.CustomResourceOptions,
): aws.kms.Key {
    return new aws.kms.Key(
        name,
        { description, enableKeyRotation: true, deletionWindowInDays: 30, policy: toJson(policyDocument(accountAdministersKey(accountRoot), ...uses)), tags },
        opts,
    );
}
