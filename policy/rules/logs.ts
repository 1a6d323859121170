import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";
import { isPresent, known } from "../lib/values";

export const R17 = resourceRule(
    {
        id: "R17",
        slug: "log-group-retention-and-kms",
        requirement: "Every CloudWatch log group sets a retention period and is encrypted with a KMS key.",
        why: "Without retention logs are kept (and billed) forever; without a KMS key anyone with logs read access in the account can read them, and access to the data cannot be revoked by key policy.",
        anchors: ["CKV_AWS_66", "CKV_AWS_158"],
        level: "MP",
        severity: "medium",
        remediation: "Set retentionInDays (e.g. 30, 90 or 365) and kmsKeyId to a customer-managed key whose policy allows logs.<region>.amazonaws.com.",
    },
    T.logGroup,
    (props, _subject, report) => {
        const retention: unknown = props.retentionInDays;
        // Absent or 0 means "never expire".
        if (retention === undefined || retention === null) report("retention", "retentionInDays is not set, so the logs never expire");
        else if (typeof retention !== "number" || retention <= 0) report("retention", `retentionInDays ${JSON.stringify(retention)} means the logs never expire; set a positive number of days`);

        // Absent: CloudWatch Logs encrypts with its own service key, which no key policy controls. Known only after deploy: a stack key's ARN.
        if (!isPresent(known(props, "kmsKeyId"))) report("kms", "kmsKeyId is not set, so the log group is not encrypted with a customer-managed KMS key");
    },
);

export const LOG_RULES = [R17];
