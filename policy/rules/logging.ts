import type { PolicyResource } from "@pulumi/policy";
import { dependenciesOf, ofTypes, refersTo, resolveRef } from "../lib/graph";
import { stackRule } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, Undecided, asArray, known, knownAt, knownItems } from "../lib/values";
import { containerName, containersOf } from "../lib/data-helpers";

type Obj = Record<string, unknown>;
const objectOf = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const isSet = (v: unknown): v is string => typeof v === "string" && v !== "";

const ALARM_ACTIONS = ["alarmActions", "okActions", "insufficientDataActions"] as const;

/**
 * Default encryption algorithms a bucket gets from separate encryption resources. The bucket's own
 * `serverSideEncryptionConfiguration` output is not read: AWS reports its SSE-S3 default there even
 * when nothing was configured.
 */
function encryptionOf(resources: readonly PolicyResource[], bucket: PolicyResource): string[] {
    return ofTypes(resources, T.bucketEncryption)
        .filter((e) => refersTo(e, "bucket", known(e.props, "bucket"), bucket, T.bucket))
        .flatMap((e) => asArray(e.props?.rules as Obj[] | undefined))
        .map((rule) => objectOf(objectOf(rule).applyServerSideEncryptionByDefault).sseAlgorithm)
        .map((a) => (isSet(a) ? a : "(unset)"));
}

export const S09 = stackRule(
    {
        id: "S09",
        slug: "logging-fabric",
        requirement: "Every awslogs container logs to a log group of the stack that has retention, load balancer access logs go to a stack bucket encrypted with SSE-S3, and every alarm action is an SNS topic of the stack.",
        why: "Logs sent to a group nobody manages are kept forever or lost, an access log bucket the load balancer cannot write to records nothing, and an alarm whose action goes nowhere pages nobody.",
        anchors: ["FSBP ECS.9", "FSBP ELB.5", "CKV_AWS_66"],
        level: "M",
        severity: "high",
        remediation: "Create an aws.cloudwatch.LogGroup with retentionInDays for each awslogs-group, point accessLogs.bucket at a stack bucket with an AES256 BucketServerSideEncryptionConfiguration, and send alarm actions to an aws.sns.Topic of the stack.",
    },
    (resources, report) => {
        const undecided = new Undecided();
        const groups = ofTypes(resources, T.logGroup);
        for (const td of ofTypes(resources, T.ecsTaskDefinition)) {
            const parsed = containersOf(td.props?.containerDefinitions);
            // R36 reports unreadable container definitions.
            if ("error" in parsed) continue;
            parsed.containers.forEach((c, i) => {
                const name = containerName(c, i);
                const log = objectOf(c.logConfiguration);
                if (log.logDriver !== "awslogs") return;
                const groupName = objectOf(log.options)["awslogs-group"];
                if (!isSet(groupName)) {
                    report(`log-group-${name}`, `container "${name}" uses the awslogs driver without an awslogs-group option`, td.urn);
                    return;
                }
                const group = groups.find((g) => known(g.props, "name") === groupName);
                if (!group) {
                    report(`log-group-${name}`, `container "${name}" logs to ${groupName}, which is not a CloudWatch log group in the stack`, td.urn);
                    return;
                }
                const days = group.props?.retentionInDays;
                // 0 or unset: events never expire.
                if (typeof days !== "number" || days <= 0) {
                    report(`log-retention-${name}`, `container "${name}" logs to ${groupName}, which has no retention (retentionInDays is ${days === undefined ? "unset" : JSON.stringify(days)}, logs never expire)`, td.urn);
                }
            });
        }

        for (const lb of ofTypes(resources, T.loadBalancer)) {
            const value = knownAt(lb.props, "accessLogs", "bucket");
            if (value !== UNKNOWN_VALUE && !isSet(value)) continue;
            const bucket = resolveRef(resources, lb, "accessLogs", value, T.bucket);
            // Named in messages: the bucket's name when the value is known only after deploy (its id).
            const bucketName = isSet(value) ? value : String(known(bucket?.props, "bucket") ?? bucket?.name);
            if (!bucket) {
                report("access-logs-bucket", `access logs go to bucket ${bucketName}, which is not a bucket in the stack`, lb.urn);
                continue;
            }
            const algorithms = encryptionOf(resources, bucket);
            if (algorithms.length === 0) {
                report("access-logs-encryption", `access log bucket ${bucketName} has no server-side encryption configuration (SSE-S3, AES256, expected)`, lb.urn);
            }
            for (const algorithm of new Set(algorithms)) {
                if (algorithm !== "AES256") {
                    // Load balancers can only deliver access logs to SSE-S3 buckets.
                    report("access-logs-encryption", `access log bucket ${bucketName} is encrypted with ${JSON.stringify(algorithm)} instead of SSE-S3 (AES256), so the load balancer cannot write its logs`, lb.urn);
                }
            }
        }

        const topics = ofTypes(resources, T.topic);
        const isTopic = (arn: unknown) => isSet(arn) && topics.some((t) => known(t.props, "arn") === arn || known(t.props, "id") === arn);
        for (const alarm of ofTypes(resources, T.metricAlarm)) {
            const bad = new Map<string, string[]>();
            for (const field of ALARM_ACTIONS) {
                for (const action of knownItems(known(alarm.props, field))) {
                    if (action === UNKNOWN_VALUE) {
                        // Known only after deploy (a topic's ARN): fine when everything the field was computed from is a stack topic.
                        const deps = dependenciesOf(alarm, field);
                        if (deps.length === 0 || !deps.every((d) => isOneOf(d.type, T.topic))) undecided.note(alarm.name, field);
                        continue;
                    }
                    if (isTopic(action)) continue;
                    const shown = typeof action === "string" ? action : JSON.stringify(action);
                    bad.set(shown, [...(bad.get(shown) ?? []), field]);
                }
            }
            for (const [action, fields] of bad) {
                report(`action-${action}`, `alarm action ${JSON.stringify(action)} (in ${fields.join(", ")}) is not the ARN of an SNS topic in the stack`, alarm.urn);
            }
        }
        undecided.settle();
    },
);

export const LOGGING_RULES = [S09];
