// The Database's customer-managed key and who may use it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsContext } from "../shared/aws-context";
import { accountUsesKeyThrough, logsMayEncrypt } from "../shared/iam";
import { customerManagedKey } from "../shared/key";
import type { Tags } from "../shared/tags";

/**
 * The component's key. The account uses it only through RDS (storage, Performance Insights) and Secrets Manager
 * (the master secret, read by the proxy and the rotation function), as each service's default key policy does;
 * CloudWatch Logs only for RDS instance log groups; with the component's own event topic, RDS event delivery.
 */
export function createKey(parent: pulumi.ComponentResource, name: string, ctx: AwsContext, protect: boolean, tags: (role: string) => Tags, eventTopic: boolean, proxyRoleArn: pulumi.Input<string>): aws.kms.Key {
    return customerManagedKey(
        `${name}-key`,
        `${name}: PostgreSQL storage, Performance Insights, logs and the master secret`,
        ctx.accountRoot,
        [
            accountUsesKeyThrough(ctx, "Rds", ctx.region, ["rds"]),
            accountUsesKeyThrough(ctx, "SecretsManager", ctx.region, ["secretsmanager"]),
            // The proxy decrypts its secret by this grant to its role (named, so the role's own policy names no key
            // ARN, which AWS assigns only at create: that policy is then known before deploy).
            {
                Sid: "ProxyDecryptsMasterSecret",
                Effect: "Allow",
                Principal: { AWS: proxyRoleArn },
                Action: ["kms:Decrypt"],
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${ctx.region}.${ctx.dnsSuffix}` } },
            },
            logsMayEncrypt(ctx.arn, ctx.region, "log-group:/aws/rds/instance/*"),
            // A publisher to an encrypted topic needs the key; without this RDS drops its events silently.
            ...(eventTopic
                ? [
                      {
                          Sid: "RdsEventsPublish",
                          Effect: "Allow" as const,
                          Principal: { Service: "events.rds.amazonaws.com" },
                          Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                          Resource: "*",
                          Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
                      },
                  ]
                : []),
        ],
        tags("key"),
        { parent, protect, retainOnDelete: protect },
    );
}
