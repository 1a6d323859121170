import * as assert from "assert/strict";
import { R60, R61, R62, SQS_RULES } from "../../policy/rules/sqs";
import { ACCOUNT, UNKNOWN, doc, findings, mutate, verdictOf, type Fixture } from "../helpers/policy";

const QUEUE_ARN = `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`;
const QUEUE_URL = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/jobs`;
const DLQ_ARN = `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs-dlq`;
const TOPIC_ARN = `arn:aws:sns:eu-west-1:${ACCOUNT}:events`;

const tlsDeny = (action: string, resource: string) => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: resource,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
});
const topicSends = {
    Sid: "TopicSends",
    Effect: "Allow",
    Principal: { Service: "sns.amazonaws.com" },
    Action: "sqs:SendMessage",
    Resource: QUEUE_ARN,
    Condition: { ArnEquals: { "aws:SourceArn": TOPIC_ARN } },
};

// A work queue fed by an SNS topic, with its dead-letter queue.
const dlq: Fixture = { type: "aws:sqs/queue:Queue", name: "jobs-dlq", props: { id: `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/jobs-dlq`, arn: DLQ_ARN, name: "jobs-dlq", sqsManagedSseEnabled: true } };
const queue: Fixture = {
    type: "aws:sqs/queue:Queue",
    name: "jobs",
    props: { id: QUEUE_URL, arn: QUEUE_ARN, name: "jobs", sqsManagedSseEnabled: true, redrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 }) },
};
const queuePolicy: Fixture = { type: "aws:sqs/queuePolicy:QueuePolicy", name: "jobs-policy", props: { queueUrl: QUEUE_URL, policy: doc(topicSends, tlsDeny("sqs:*", QUEUE_ARN)) } };
const dlqPolicy: Fixture = mutate({ ...queuePolicy, name: "jobs-dlq-policy" }, { queueUrl: dlq.props.id, policy: doc(tlsDeny("*", DLQ_ARN)) });
const topic: Fixture = { type: "aws:sns/topic:Topic", name: "events", props: { id: TOPIC_ARN, arn: TOPIC_ARN, name: "events", policy: doc(tlsDeny("sns:Publish", TOPIC_ARN)) } };
const topicPolicy: Fixture = { type: "aws:sns/topicPolicy:TopicPolicy", name: "events-policy", props: { arn: TOPIC_ARN, policy: doc(tlsDeny("SNS:*", TOPIC_ARN)) } };
const COMPLIANT = [dlq, queue, queuePolicy, dlqPolicy, topic];

describe("R60 SQS queue policies not public", () => {
    it("passes a policy naming a service principal with a source condition", async () => {
        assert.deepEqual(await findings(R60, COMPLIANT), []);
    });

    it("reports a public statement in a QueuePolicy and in a queue's own policy", async () => {
        const open = { Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: QUEUE_ARN };
        const fixtures = [
            mutate(queuePolicy, { policy: doc(open) }),
            mutate(dlq, { policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sqs:*", Resource: DLQ_ARN }] } }),
            mutate({ ...queue, name: "conditioned" }, { policy: doc({ ...open, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }) }),
        ];
        assert.deepEqual(await findings(R60, fixtures), [
            'jobs-dlq: queue policy statement 1 allows any principal ("*") without a Condition [finding statement-1/public-principal]',
            'jobs-policy: queue policy statement 1 (Anyone) allows any principal ("*") without a Condition [finding Anyone/public-principal]',
        ]);
    });
});

describe("R61 queue and topic policies deny non-TLS requests", () => {
    it("passes queues with QueuePolicies and topics with an inline policy or a TopicPolicy", async () => {
        const other = mutate({ ...topic, name: "alarms" }, { id: `${TOPIC_ARN}-2`, arn: `${TOPIC_ARN}-2`, name: "alarms", policy: undefined });
        const otherPolicy = mutate(topicPolicy, { arn: `${TOPIC_ARN}-2` });
        assert.deepEqual(await findings(R61, [...COMPLIANT, other, otherPolicy]), []);
    });

    it("reports a queue without any policy, a policy without the deny, and denies too narrow", async () => {
        const fixtures = [
            dlq,
            mutate(queue, { policy: doc(topicSends) }),
            mutate(topic, { policy: doc(tlsDeny("sns:Subscribe", TOPIC_ARN)) }),
            mutate({ ...queue, name: "narrow" }, { id: "https://sqs/narrow", arn: "arn:narrow", name: "narrow", policy: doc({ ...tlsDeny("sqs:SendMessage", "arn:narrow"), Principal: { AWS: ACCOUNT } }) }),
        ];
        assert.deepEqual(await findings(R61, fixtures), [
            'events: no topic policy denies "sns:Publish" to every principal ("*") when aws:SecureTransport is "false" [finding tls-deny]',
            'jobs-dlq: no queue policy denies "sqs:*" to every principal ("*") when aws:SecureTransport is "false" [finding tls-deny]',
            'jobs: no queue policy denies "sqs:*" to every principal ("*") when aws:SecureTransport is "false" [finding tls-deny]',
            'narrow: no queue policy denies "sqs:*" to every principal ("*") when aws:SecureTransport is "false" [finding tls-deny]',
        ]);
    });

    it("at preview, pairs QueuePolicies through queueUrl's dependencies and reads an unset inline policy as none", async () => {
        const q = mutate(queue, { id: UNKNOWN, arn: UNKNOWN, policy: UNKNOWN });
        const bare = mutate(dlq, { id: UNKNOWN, arn: UNKNOWN, policy: UNKNOWN });
        const p = { ...mutate(queuePolicy, { queueUrl: UNKNOWN, policy: doc(tlsDeny("sqs:*", "*")) }), propertyDependencies: { queueUrl: ["jobs"] } };
        assert.deepEqual(await findings(R61, [q, bare, p]), [
            'jobs-dlq: no queue policy denies "sqs:*" to every principal ("*") when aws:SecureTransport is "false" [finding tls-deny]',
        ]);
    });

    it("at preview, cannot decide a policy document that names an ARN known only after deploy, after reporting the rest", async () => {
        const q = mutate(queue, { id: UNKNOWN, arn: UNKNOWN, policy: UNKNOWN });
        const bare = mutate(dlq, { id: UNKNOWN, arn: UNKNOWN, policy: UNKNOWN });
        const p = { ...mutate(queuePolicy, { queueUrl: UNKNOWN, policy: UNKNOWN }), propertyDependencies: { queueUrl: ["jobs"], policy: ["jobs"] } };
        assert.deepEqual(await findings(R61, [q, bare, p]), [
            "(stack): can't run policy 'R61-queue-topic-policies-require-tls' during preview: string value at .jobs-policy.policy can't be known during preview",
            'jobs-dlq: no queue policy denies "sqs:*" to every principal ("*") when aws:SecureTransport is "false" [finding tls-deny]',
        ]);
    });
});

describe("R62 SQS dead-letter queues", () => {
    it("passes a queue with a redrive policy and the queue it names", async () => {
        assert.deepEqual(await findings(R62, COMPLIANT), []);
    });

    it("passes the separate RedrivePolicy and RedriveAllowPolicy resources", async () => {
        const redrive: Fixture = { type: "aws:sqs/redrivePolicy:RedrivePolicy", name: "jobs-redrive", props: { queueUrl: QUEUE_URL, redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:1:elsewhere", maxReceiveCount: 3 }) } };
        const allow: Fixture = { type: "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", name: "dlq-allow", props: { queueUrl: dlq.props.id, redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [QUEUE_ARN] }) } };
        assert.deepEqual(await findings(R62, [dlq, mutate(queue, { redrivePolicy: undefined }), redrive, allow]), []);
    });

    it("reports queues that neither have nor are a dead-letter queue", async () => {
        const denied: Fixture = { type: "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", name: "dlq-deny", props: { queueUrl: dlq.props.id, redriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }) } };
        assert.deepEqual(await findings(R62, [dlq, mutate(queue, { redrivePolicy: undefined }), denied]), [
            "jobs-dlq: queue has no dead-letter queue (no redrivePolicy) and is not one (no queue names it, no redriveAllowPolicy) [finding dead-letter-queue]",
            "jobs: queue has no dead-letter queue (no redrivePolicy) and is not one (no queue names it, no redriveAllowPolicy) [finding dead-letter-queue]",
        ]);
    });

    it("at preview, finds the dead-letter queue through the redrive policy's dependencies", async () => {
        const d = mutate(dlq, { id: UNKNOWN, arn: UNKNOWN, redrivePolicy: UNKNOWN, redriveAllowPolicy: UNKNOWN });
        const q = { ...mutate(queue, { id: UNKNOWN, arn: UNKNOWN, redriveAllowPolicy: UNKNOWN, redrivePolicy: UNKNOWN }), propertyDependencies: { redrivePolicy: ["jobs-dlq"] } };
        const lone = mutate({ ...queue, name: "lone" }, { id: UNKNOWN, arn: UNKNOWN, redrivePolicy: UNKNOWN, redriveAllowPolicy: UNKNOWN });
        assert.deepEqual(await findings(R62, [d, q, lone]), [
            "lone: queue has no dead-letter queue (no redrivePolicy) and is not one (no queue names it, no redriveAllowPolicy) [finding dead-letter-queue]",
        ]);
    });
});

describe("SQS rules over a mixed graph", () => {
    it("fails exactly the non-compliant resources", async () => {
        const fixtures = [...COMPLIANT, mutate({ ...queue, name: "loose" }, { id: "https://sqs/loose", arn: "arn:loose", name: "loose", redrivePolicy: undefined })];
        const verdict = await verdictOf(SQS_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R61-queue-topic-policies-require-tls loose",
            "R62-sqs-dead-letter-queue loose",
        ]);
    });
});
