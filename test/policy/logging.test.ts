import * as assert from "assert/strict";
import { LOGGING_RULES, S09 } from "../../policy/rules/logging";
import { findings, mutate, verdictOf, type Fixture, PROD_TAGS } from "../helpers/policy";

const ACCOUNT = "123456789012";
const TOPIC_ARN = `arn:aws:sns:eu-west-1:${ACCOUNT}:webstack-alarms`;

const logGroup: Fixture = {
    type: "aws:cloudwatch/logGroup:LogGroup",
    name: "app-logs",
    props: { id: "/webstack/production/app", name: "/webstack/production/app", arn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/webstack/production/app`, retentionInDays: 90, tags: PROD_TAGS },
};

const container = (name: string, group: string | undefined, driver = "awslogs") => ({
    name,
    image: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/${name}:1.0.0`,
    essential: true,
    logConfiguration: { logDriver: driver, options: { ...(group ? { "awslogs-group": group } : {}), "awslogs-region": "eu-west-1", "awslogs-stream-prefix": name } },
});

const taskDefinition = (containers: unknown[]): Fixture => ({
    type: "aws:ecs/taskDefinition:TaskDefinition",
    name: "app-task",
    props: {
        id: "app",
        arn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/app:3`,
        family: "app",
        networkMode: "awsvpc",
        containerDefinitions: JSON.stringify(containers),
        tags: PROD_TAGS,
    },
});

const logBucket: Fixture = {
    type: "aws:s3/bucket:Bucket",
    name: "alb-logs",
    props: { id: "webstack-alb-logs-1a2b", bucket: "webstack-alb-logs-1a2b", arn: "arn:aws:s3:::webstack-alb-logs-1a2b", tags: PROD_TAGS },
};

const logBucketEncryption: Fixture = {
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    name: "alb-logs-encryption",
    props: { id: "webstack-alb-logs-1a2b", bucket: "webstack-alb-logs-1a2b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }] },
    propertyDependencies: { bucket: ["alb-logs"] },
};

const alb: Fixture = {
    type: "aws:lb/loadBalancer:LoadBalancer",
    name: "web-alb",
    props: {
        id: `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188`,
        arn: `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188`,
        name: "web",
        loadBalancerType: "application",
        accessLogs: { bucket: "webstack-alb-logs-1a2b", prefix: "web", enabled: true },
        tags: PROD_TAGS,
    },
    propertyDependencies: { accessLogs: ["alb-logs"] },
};

const topic: Fixture = { type: "aws:sns/topic:Topic", name: "alarms", props: { id: TOPIC_ARN, arn: TOPIC_ARN, name: "webstack-alarms", kmsMasterKeyId: "alias/webstack", tags: PROD_TAGS } };

const alarm: Fixture = {
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    name: "alb-5xx",
    props: {
        id: "webstack-alb-5xx",
        arn: `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:webstack-alb-5xx`,
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: 3,
        metricName: "HTTPCode_ELB_5XX_Count",
        namespace: "AWS/ApplicationELB",
        period: 60,
        statistic: "Sum",
        threshold: 10,
        alarmActions: [TOPIC_ARN],
        okActions: [TOPIC_ARN],
        tags: PROD_TAGS,
    },
    propertyDependencies: { alarmActions: ["alarms"], okActions: ["alarms"] },
};

const graph = [logGroup, taskDefinition([container("app", "/webstack/production/app")]), logBucket, logBucketEncryption, alb, topic, alarm];

describe("logging rules", () => {
    describe("S09 logging fabric", () => {
        it("passes containers logging to stack log groups with retention, SSE-S3 access log buckets and SNS alarm actions", async () => {
            assert.deepEqual(await findings(S09, graph), []);
        });

        it("ignores containers with other log drivers, and load balancers without access logs", async () => {
            const firelens = taskDefinition([container("app", undefined, "awsfirelens")]);
            const noLogs = mutate(alb, { accessLogs: undefined });
            assert.deepEqual(await findings(S09, [firelens, { ...noLogs, propertyDependencies: {} }]), []);
        });

        it("reports containers whose log group is missing from the stack, unnamed, or kept forever", async () => {
            const forever: Fixture = { ...mutate(logGroup, { id: "/webstack/production/worker", name: "/webstack/production/worker", retentionInDays: 0 }), name: "worker-logs" };
            const unset: Fixture = { ...mutate(logGroup, { id: "/webstack/production/cron", name: "/webstack/production/cron", retentionInDays: undefined }), name: "cron-logs" };
            const td = taskDefinition([
                container("app", "/webstack/production/app"),
                container("sidecar", "/ecs/sidecar"),
                container("nameless", undefined),
                container("worker", "/webstack/production/worker"),
                container("cron", "/webstack/production/cron"),
            ]);
            assert.deepEqual(await findings(S09, [logGroup, forever, unset, td]), [
                'app-task: container "cron" logs to /webstack/production/cron, which has no retention (retentionInDays is unset, logs never expire) [finding log-retention-cron]',
                'app-task: container "nameless" uses the awslogs driver without an awslogs-group option [finding log-group-nameless]',
                'app-task: container "sidecar" logs to /ecs/sidecar, which is not a CloudWatch log group in the stack [finding log-group-sidecar]',
                'app-task: container "worker" logs to /webstack/production/worker, which has no retention (retentionInDays is 0, logs never expire) [finding log-retention-worker]',
            ]);
        });

        it("skips unreadable container definitions (R36 reports them)", async () => {
            assert.deepEqual(await findings(S09, [mutate(taskDefinition([]), { containerDefinitions: "not json" })]), []);
        });

        it("reports access logs going to a bucket outside the stack", async () => {
            const elsewhere = { ...mutate(alb, { accessLogs: { bucket: "central-logs", enabled: true } }), propertyDependencies: {} };
            assert.deepEqual(await findings(S09, [elsewhere]), ["web-alb: access logs go to bucket central-logs, which is not a bucket in the stack [finding access-logs-bucket]"]);
        });

        it("reports an access log bucket without an encryption resource", async () => {
            assert.deepEqual(await findings(S09, [logBucket, alb]), [
                "web-alb: access log bucket webstack-alb-logs-1a2b has no server-side encryption configuration (SSE-S3, AES256, expected) [finding access-logs-encryption]",
            ]);
        });

        it("reports a KMS-encrypted access log bucket (V2 encryption token, aws:alb load balancer)", async () => {
            const kms: Fixture = {
                ...logBucketEncryption,
                type: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
                props: { ...logBucketEncryption.props, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/logs" } }] },
            };
            const legacy = { ...alb, type: "aws:alb/loadBalancer:LoadBalancer" };
            assert.deepEqual(await findings(S09, [logBucket, kms, legacy]), [
                'web-alb: access log bucket webstack-alb-logs-1a2b is encrypted with "aws:kms" instead of SSE-S3 (AES256), so the load balancer cannot write its logs [finding access-logs-encryption]',
            ]);
        });

        it("reports each alarm action that is not a stack SNS topic, once per action", async () => {
            const other = `arn:aws:sns:eu-west-1:${ACCOUNT}:someone-elses-topic`;
            const stop = "arn:aws:automate:eu-west-1:ec2:stop";
            const noisy = { ...mutate(alarm, { alarmActions: [TOPIC_ARN, other, stop], okActions: [other], insufficientDataActions: ["webstack-alarms"] }), propertyDependencies: {} };
            assert.deepEqual(await findings(S09, [topic, noisy]), [
                `alb-5xx: alarm action "${stop}" (in alarmActions) is not the ARN of an SNS topic in the stack [finding action-${stop}]`,
                `alb-5xx: alarm action "${other}" (in alarmActions, okActions) is not the ARN of an SNS topic in the stack [finding action-${other}]`,
                'alb-5xx: alarm action "webstack-alarms" (in insufficientDataActions) is not the ARN of an SNS topic in the stack [finding action-webstack-alarms]',
            ]);
        });

        it("checks composite alarms too", async () => {
            const composite: Fixture = { type: "aws:cloudwatch/compositeAlarm:CompositeAlarm", name: "site-down", props: { alarmName: "site-down", alarmRule: "ALARM(webstack-alb-5xx)", alarmActions: ["arn:aws:sns:us-east-1:999999999999:ops"] } };
            assert.deepEqual(await findings(S09, [topic, composite]), [
                'site-down: alarm action "arn:aws:sns:us-east-1:999999999999:ops" (in alarmActions) is not the ARN of an SNS topic in the stack [finding action-arn:aws:sns:us-east-1:999999999999:ops]',
            ]);
        });
    });

    it("mixed graph: exactly the non-compliant resources fail", async () => {
        const fixtures: Fixture[] = [
            ...graph,
            { ...taskDefinition([container("worker", "/ecs/worker")]), name: "worker-task" },
            { ...mutate(alb, { accessLogs: { bucket: "central-logs", enabled: true } }), name: "admin-alb", propertyDependencies: {} },
            { ...mutate(alarm, { alarmActions: ["arn:aws:sns:eu-west-1:1:x"] }), name: "db-cpu", propertyDependencies: {} },
        ];
        const verdict = await verdictOf(LOGGING_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), ["S09-logging-fabric admin-alb", "S09-logging-fabric db-cpu", "S09-logging-fabric worker-task"]);
    });
});
