// The Database's RDS event subscriptions and, without an alert topic, its own encrypted topic.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsContext } from "../shared/aws-context";
import { denyWithoutTls, policyDocument, toJson } from "../shared/iam";
import type { Tags } from "../shared/tags";
import { INSTANCE_EVENT_CATEGORIES, type DatabaseArgs } from "./settings";

/**
 * RDS event subscriptions (FSBP RDS.20, RDS.21): the instance's critical categories, and every category of the
 * parameter group (only "configuration change" exists for that source type; naming others fails the API call).
 * Without `eventTopicArn`, into the component's own topic: under its key, RDS of this account the only publisher,
 * TLS only. Returns the topic's ARN.
 */
export function createEventSubscriptions(
    parent: pulumi.ComponentResource,
    name: string,
    args: DatabaseArgs,
    instance: aws.rds.Instance,
    parameterGroup: aws.rds.ParameterGroup,
    key: aws.kms.Key,
    ctx: AwsContext,
    tags: (role: string) => Tags,
): pulumi.Output<string> {
    let topicArn: pulumi.Output<string>;
    let ready: pulumi.Resource[] = [];
    if (args.eventTopicArn !== undefined) {
        topicArn = pulumi.output(args.eventTopicArn);
    } else {
        const topic = new aws.sns.Topic(`${name}-events`, { kmsMasterKeyId: key.arn, tags: tags("events") }, { parent });
        // The topic's ARN from its name, known before deploy (its `arn` output is not): the pack reads this policy on every preview.
        const ownArn = ctx.arn("sns", topic.name);
        const policy = new aws.sns.TopicPolicy(
            `${name}-events`,
            {
                arn: topic.arn,
                policy: toJson(
                    policyDocument(
                        {
                            Sid: "RdsEventsPublish",
                            Effect: "Allow",
                            Principal: { Service: "events.rds.amazonaws.com" },
                            Action: "sns:Publish",
                            Resource: ownArn,
                            Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
                        },
                        denyWithoutTls("sns:Publish", ownArn),
                    ),
                ),
            },
            { parent },
        );
        topicArn = topic.arn;
        ready = [policy];
    }
    // RDS announces a new subscription on its topic: the topic must already accept RDS's messages.
    const opts = { parent, dependsOn: ready };
    new aws.rds.EventSubscription(
        `${name}-instance-events`,
        {
            snsTopic: topicArn,
            sourceType: "db-instance",
            sourceIds: [instance.identifier],
            eventCategories: [...INSTANCE_EVENT_CATEGORIES],
            enabled: true,
            tags: tags("instance-events"),
        },
        opts,
    );
    new aws.rds.EventSubscription(
        `${name}-params-events`,
        { snsTopic: topicArn, sourceType: "db-parameter-group", sourceIds: [parameterGroup.name], enabled: true, tags: tags("params-events") },
        opts,
    );
    return topicArn;
}
