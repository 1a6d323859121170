import { hasConditions, statements } from "../lib/iam-documents";
import { isAwsManagedKey } from "../lib/patterns";
import { publicAllows, publicPrincipalText, statementKey, statementLabel } from "../lib/iam-statements";
import { resourceRule } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { isPresent, known } from "../lib/values";

export const R18 = resourceRule(
    {
        id: "R18",
        slug: "sns-encrypted-not-public",
        requirement: "SNS topics are encrypted with a customer-managed KMS key (which CloudWatch alarms can be allowed to use), and no topic policy allows a `*` principal without a Condition.",
        why: "Alarm notifications can carry operational detail; the AWS-managed alias/aws/sns key's policy cannot grant CloudWatch, so alarms silently fail to publish; a public topic lets anyone publish or subscribe.",
        anchors: ["FSBP SNS.1", "CKV_AWS_26", "FSBP SNS.4"],
        level: "M",
        severity: "medium",
        remediation: "Set kmsMasterKeyId to a customer-managed key whose policy allows cloudwatch.amazonaws.com kms:Decrypt/GenerateDataKey*, and name principals (or add aws:SourceArn / aws:SourceAccount conditions) in topic policies.",
    },
    [...T.topic, ...T.topicPolicy],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.topic)) {
            // A key known only after deploy is a stack key's ARN, not the AWS-managed alias.
            const key: unknown = known(props, "kmsMasterKeyId");
            if (!isPresent(key)) report("kms", "topic is not encrypted (kmsMasterKeyId is not set)");
            else if (isAwsManagedKey(key)) report("kms", `topic is encrypted with the AWS-managed key ${String(key)}, which CloudWatch alarms cannot be allowed to use`);
        }
        // Topic's own `policy` and TopicPolicy's `policy` (string or object); absent means the default owner-only policy.
        const document: unknown = props.policy;
        for (const { statement, kind } of publicAllows(document, statements(document))) {
            if (hasConditions(statement)) continue;
            report(`${statementKey(statement)}/public-principal`, `topic policy ${statementLabel(statement)} allows ${publicPrincipalText(kind)} without a Condition`);
        }
    },
);

export const SNS_RULES = [R18];
