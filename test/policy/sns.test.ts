import * as assert from "assert/strict";
import { R18, SNS_RULES } from "../../policy/rules/sns";
import { R61 } from "../../policy/rules/sqs";
import { findings, mutate, verdictOf, type Fixture, UNKNOWN, ACCOUNT, doc } from "../helpers/policy";

const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0d1e2f3a-1111-2222-3333-444455556666`;
const TOPIC_ARN = `arn:aws:sns:eu-west-1:${ACCOUNT}:alarms`;

// Observability's alarm topic: a customer-managed key CloudWatch may use, and a policy letting
// CloudWatch publish only for this account's alarms.
const topic: Fixture = { type: "aws:sns/topic:Topic", name: "alarms", props: { name: "alarms", kmsMasterKeyId: KEY_ARN } };
const topicPolicy: Fixture = {
    type: "aws:sns/topicPolicy:TopicPolicy",
    name: "alarms-policy",
    props: {
        arn: TOPIC_ARN,
        policy: doc({
            Sid: "CloudWatchPublishes",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: TOPIC_ARN,
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        }),
    },
};

describe("R18 SNS topics encrypted and not public", () => {
    it("passes the alarm topic and its policy", async () => {
        assert.deepEqual(await findings(R18, [topic, topicPolicy]), []);
    });

    it("reports an unencrypted topic", async () => {
        assert.deepEqual(await findings(R18, [mutate(topic, { kmsMasterKeyId: undefined })]), ["alarms: topic is not encrypted (kmsMasterKeyId is not set) [finding kms]"]);
    });

    it("reports the AWS-managed alias/aws/sns key", async () => {
        assert.deepEqual(await findings(R18, [mutate(topic, { kmsMasterKeyId: "alias/aws/sns" })]), [
            "alarms: topic is encrypted with the AWS-managed key alias/aws/sns, which CloudWatch alarms cannot be allowed to use [finding kms]",
        ]);
    });

    it("reports an unconditioned public statement in a TopicPolicy given as an object", async () => {
        const policy = {
            Version: "2012-10-17",
            Statement: [
                { Sid: "AnyoneSubscribes", Effect: "Allow", Principal: { AWS: "*" }, Action: ["sns:Subscribe"], Resource: TOPIC_ARN },
                { Sid: "OrgPublishes", Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } },
                { Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } },
            ],
        };
        assert.deepEqual(await findings(R18, [mutate(topicPolicy, { policy })]), [
            'alarms-policy: topic policy statement 1 (AnyoneSubscribes) allows any principal ("*") without a Condition [finding AnyoneSubscribes/public-principal]',
        ]);
    });

    it("reports a public statement in a Topic's inline policy, and Allow with NotPrincipal", async () => {
        const policy = doc(
            { Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN },
            { Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sns:Subscribe", Resource: TOPIC_ARN },
        );
        assert.deepEqual(await findings(R18, [mutate(topic, { policy })]), [
            'alarms: topic policy statement 1 allows any principal ("*") without a Condition [finding statement-1/public-principal]',
            "alarms: topic policy statement 2 allows everyone except its NotPrincipal without a Condition [finding statement-2/public-principal]",
        ]);
    });

    it("decides during preview with a key known only after deploy (a stack key's ARN)", async () => {
        assert.deepEqual(await findings(R18, [mutate(topic, { kmsMasterKeyId: UNKNOWN })]), []);
    });

    it("cannot run on a topic policy known only after deploy", async () => {
        assert.deepEqual(await findings(R18, [mutate(topic, { policy: UNKNOWN })]), [
            "alarms: can't run policy 'R18-sns-encrypted-not-public' during preview: string value at .policy can't be known during preview",
        ]);
    });
});

describe("SNS rules over a mixed graph", () => {
    it("fails exactly the non-compliant topics and policies", async () => {
        const fixtures: Fixture[] = [
            topic,
            topicPolicy,
            mutate({ ...topic, name: "plain" }, { kmsMasterKeyId: undefined }),
            mutate({ ...topic, name: "aws-key" }, { kmsMasterKeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/aws/sns` }),
            mutate({ ...topicPolicy, name: "open-policy" }, { policy: doc({ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN }) }),
        ];
        const verdict = await verdictOf(SNS_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R18-sns-encrypted-not-public aws-key",
            "R18-sns-encrypted-not-public open-policy",
            "R18-sns-encrypted-not-public plain",
        ]);
    });
});

describe("R61 topic policies deny publishing without TLS (cdk-nag SNS3)", () => {
    const tlsDeny = { Sid: "DenyInsecurePublish", Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } };
    const named = mutate(topic, { id: TOPIC_ARN, arn: TOPIC_ARN });
    const withDeny = mutate(topicPolicy, { policy: doc(JSON.parse(topicPolicy.props.policy as string).Statement[0], tlsDeny) });

    it("passes a TopicPolicy that denies publishing without TLS", async () => {
        assert.deepEqual(await findings(R61, [named, withDeny]), []);
    });

    it("reports the alarm topic whose TopicPolicy only allows CloudWatch, and a topic with no policy", async () => {
        const bare = mutate({ ...topic, name: "bare" }, { id: `${TOPIC_ARN}-bare`, arn: `${TOPIC_ARN}-bare`, name: "bare" });
        assert.deepEqual(await findings(R61, [named, topicPolicy, bare]), [
            'alarms: no topic policy denies "sns:Publish" to every principal ("*") when aws:SecureTransport is "false" (checked alarms-policy and the topic\'s own policy) [finding tls-deny]',
            'bare: no topic policy denies "sns:Publish" to every principal ("*") when aws:SecureTransport is "false" [finding tls-deny]',
        ]);
    });

    it("at preview, pairs the TopicPolicy through arn's dependencies", async () => {
        const fresh = mutate(topic, { id: UNKNOWN, arn: UNKNOWN, policy: UNKNOWN });
        const policy = { ...mutate(withDeny, { arn: UNKNOWN }), propertyDependencies: { arn: ["alarms"] } };
        assert.deepEqual(await findings(R61, [fresh, policy]), []);
        assert.deepEqual(await findings(R61, [fresh, { ...mutate(topicPolicy, { arn: UNKNOWN }), propertyDependencies: { arn: ["alarms"] } }]), [
            'alarms: no topic policy denies "sns:Publish" to every principal ("*") when aws:SecureTransport is "false" (checked alarms-policy and the topic\'s own policy) [finding tls-deny]',
        ]);
    });
});
