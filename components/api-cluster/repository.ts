import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsContext } from "../shared/aws-context";
import { accountUsesKeyThrough, logsMayEncrypt, type Statement } from "../shared/iam";
import { customerManagedKey } from "../shared/key";
import type { Tags } from "../shared/tags";

/** Images kept in the repository: every release, rollback target and audit copy of the last months. */
const KEPT_IMAGES = 100;
/** Untagged layers of interrupted pushes and re-pushed builds. */
const UNTAGGED_DAYS = 7;

/**
 * The component's key for data at rest: images, task logs and, with EC2 hosts, their volumes. The account uses
 * it only through ECR; CloudWatch Logs only for this account's log groups; EC2 Auto Scaling's service-linked role
 * (which launches the hosts) to encrypt their volumes, as the EC2 Auto Scaling guide's key policy for encrypted
 * volumes grants. That role must exist before the key: any auto scaling group ever created makes it, otherwise
 * `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com` once per account.
 */
export function createKey(
    parent: pulumi.ComponentResource,
    name: string,
    hostVolumes: boolean,
    protect: boolean,
    ctx: AwsContext,
    tags: (role: string) => Tags,
): aws.kms.Key {
    const autoScaling = pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const volumes: Statement[] = hostVolumes
        ? [
              {
                  Sid: "AutoScalingEncryptsHostVolumes",
                  Effect: "Allow",
                  Principal: { AWS: autoScaling },
                  Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                  Resource: "*",
              },
              {
                  Sid: "AutoScalingAttachesHostVolumes",
                  Effect: "Allow",
                  Principal: { AWS: autoScaling },
                  Action: ["kms:CreateGrant"],
                  Resource: "*",
                  Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
              },
          ]
        : [];
    return customerManagedKey(
        `${name}-key`,
        `${name}: API images, task logs${hostVolumes ? " and host volumes" : ""}`,
        ctx.accountRoot,
        [accountUsesKeyThrough(ctx, "Ecr", ctx.region, ["ecr"]), logsMayEncrypt(ctx.arn, ctx.region), ...volumes],
        tags("key"),
        { parent, protect, retainOnDelete: protect },
    );
}

/**
 * The API's image repository, for CI to push to (the program never builds images: that would need a Docker
 * daemon during every preview): scanned on push, immutable tags, KMS-encrypted with the component's key,
 * old images expiring, no repository policy (only this account's IAM principals can pull or push).
 */
export function createRepository(parent: pulumi.ComponentResource, name: string, key: aws.kms.Key, protect: boolean, tags: (role: string) => Tags): aws.ecr.Repository {
    const stateful = { parent, protect, retainOnDelete: protect };
    const repository = new aws.ecr.Repository(
        `${name}-images`,
        {
            imageTagMutability: "IMMUTABLE",
            imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }],
            forceDelete: !protect,
            tags: tags("images"),
        },
        stateful,
    );
    new aws.ecr.LifecyclePolicy(
        `${name}-images`,
        {
            repository: repository.name,
            policy: JSON.stringify({
                rules: [
                    {
                        rulePriority: 1,
                        description: `Expire untagged images after ${UNTAGGED_DAYS} days`,
                        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: UNTAGGED_DAYS },
                        action: { type: "expire" },
                    },
                    {
                        rulePriority: 2,
                        description: `Keep the last ${KEPT_IMAGES} images`,
                        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: KEPT_IMAGES },
                        action: { type: "expire" },
                    },
                ],
            }),
        },
        { parent },
    );
    return repository;
}
