import * as assert from "assert/strict";
import { R43, R44, R45, SERVERLESS_RULES } from "../../policy/rules/serverless";
import { findings, mutate, verdictOf, type Fixture } from "../helpers/policy";

const UNKNOWN_BOOLEAN = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
const ACCOUNT = "123456789012";
const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0d1e2f3a-1111-2222-3333-444455556666`;

// An API Gateway HTTP API behind CloudFront, a Lambda it invokes, a queue and a table.
const permission: Fixture = {
    type: "aws:lambda/permission:Permission",
    name: "api-invokes-worker",
    props: { action: "lambda:InvokeFunction", function: "worker", principal: "apigateway.amazonaws.com", sourceArn: `arn:aws:execute-api:eu-west-1:${ACCOUNT}:abc123/*/*` },
};
const functionUrl: Fixture = { type: "aws:lambda/functionUrl:FunctionUrl", name: "worker-url", props: { functionName: "worker", authorizationType: "AWS_IAM" } };
const stage: Fixture = {
    type: "aws:apigatewayv2/stage:Stage",
    name: "api-stage",
    props: {
        apiId: "abc123",
        name: "$default",
        autoDeploy: true,
        accessLogSettings: { destinationArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/webstack/api-gateway`, format: '{"requestId":"$context.requestId"}' },
    },
};
const domain: Fixture = {
    type: "aws:apigatewayv2/domainName:DomainName",
    name: "api-domain",
    props: { domainName: "api.example.com", domainNameConfiguration: { certificateArn: `arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/1`, endpointType: "REGIONAL", securityPolicy: "TLS_1_2" } },
};
const api: Fixture = { type: "aws:apigatewayv2/api:Api", name: "api", props: { name: "api", protocolType: "HTTP", disableExecuteApiEndpoint: true } };
const queue: Fixture = { type: "aws:sqs/queue:Queue", name: "jobs", props: { name: "jobs", kmsMasterKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 300 } };
const table: Fixture = {
    type: "aws:dynamodb/table:Table",
    name: "sessions",
    props: { name: "sessions", hashKey: "id", serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN }, pointInTimeRecovery: { enabled: true } },
};
const COMPLIANT = [permission, functionUrl, stage, domain, api, queue, table];

describe("R43 Lambda not public", () => {
    it("passes a service-principal permission and an IAM-authenticated URL", async () => {
        assert.deepEqual(await findings(R43, COMPLIANT), []);
    });

    it("reports a permission for any principal", async () => {
        assert.deepEqual(await findings(R43, [mutate(permission, { principal: "*", sourceArn: undefined })]), [
            'api-invokes-worker: permission lets any principal ("*") call lambda:InvokeFunction [finding public-invoke]',
        ]);
    });

    it("reports a function URL without authentication", async () => {
        assert.deepEqual(await findings(R43, [mutate(functionUrl, { authorizationType: "NONE" })]), [
            'worker-url: function URL has authorizationType "NONE", so anyone on the internet can invoke it [finding auth]',
        ]);
    });

    it("reports a function URL without an authorization type", async () => {
        assert.deepEqual(await findings(R43, [mutate(functionUrl, { authorizationType: undefined })]), ["worker-url: function URL sets no authorizationType (AWS_IAM is required) [finding auth]"]);
    });
});

describe("R44 API Gateway v2 logs, TLS and private endpoint", () => {
    it("passes a logged stage, a TLS 1.2 domain and an API reached only through its domain", async () => {
        assert.deepEqual(await findings(R44, COMPLIANT), []);
    });

    it("reports a stage without access logs", async () => {
        assert.deepEqual(await findings(R44, [mutate(stage, { accessLogSettings: undefined })]), [
            "api-stage: stage has no access log destination (accessLogSettings.destinationArn is not set) [finding access-logs]",
        ]);
    });

    it("reports a domain with an older or missing TLS policy", async () => {
        const fixtures = [
            mutate(domain, { domainNameConfiguration: { certificateArn: "c", endpointType: "REGIONAL", securityPolicy: "TLS_1_0" } }),
            mutate({ ...domain, name: "bare-domain" }, { domainNameConfiguration: undefined }),
            mutate({ ...domain, name: "no-policy" }, { domainNameConfiguration: [{ certificateArn: "c", endpointType: "REGIONAL" }] }),
        ];
        assert.deepEqual(await findings(R44, fixtures), [
            'api-domain: domain security policy "TLS_1_0" is not one of TLS_1_2 [finding tls-policy]',
            "bare-domain: domain has no domainNameConfiguration, so its TLS policy is unknown [finding tls-policy]",
            "no-policy: domain sets no securityPolicy (TLS_1_2 is required) [finding tls-policy]",
        ]);
    });

    it("reports an API whose default endpoint is enabled (the default)", async () => {
        assert.deepEqual(await findings(R44, [mutate(api, { disableExecuteApiEndpoint: undefined })]), [
            "api: the default execute-api endpoint is enabled (disableExecuteApiEndpoint is not true), so clients can bypass CloudFront [finding execute-api-endpoint]",
        ]);
    });
});

describe("R45 SQS and DynamoDB encryption, DynamoDB PITR", () => {
    it("passes a KMS queue, an SQS-managed SSE queue and a KMS table with PITR", async () => {
        assert.deepEqual(await findings(R45, [...COMPLIANT, mutate({ ...queue, name: "events" }, { kmsMasterKeyId: undefined, sqsManagedSseEnabled: true })]), []);
    });

    it("reports a queue without encryption settings, and one with SSE turned off", async () => {
        const fixtures = [mutate(queue, { kmsMasterKeyId: undefined }), mutate({ ...queue, name: "events" }, { kmsMasterKeyId: undefined, sqsManagedSseEnabled: false })];
        assert.deepEqual(await findings(R45, fixtures), [
            "events: queue is not encrypted (sqsManagedSseEnabled is false and kmsMasterKeyId is not set) [finding encryption]",
            "jobs: queue encryption is not set (neither kmsMasterKeyId nor sqsManagedSseEnabled: true) [finding encryption]",
        ]);
    });

    it("reports a table on the AWS-owned key without PITR", async () => {
        assert.deepEqual(await findings(R45, [mutate(table, { serverSideEncryption: { enabled: false }, pointInTimeRecovery: undefined })]), [
            "sessions: point-in-time recovery is off (pointInTimeRecovery.enabled is not true) [finding pitr]",
            "sessions: table is encrypted only with the AWS-owned key (serverSideEncryption.enabled is not true) [finding encryption]",
        ]);
    });

    it("cannot run when PITR is unknown during preview", async () => {
        assert.deepEqual(await findings(R45, [mutate(table, { pointInTimeRecovery: { enabled: UNKNOWN_BOOLEAN } })]), [
            "sessions: can't run policy 'R45-sqs-dynamodb-encrypted' during preview: boolean value at .pointInTimeRecovery.enabled can't be known during preview",
        ]);
    });
});

describe("serverless rules over a mixed graph", () => {
    it("fails exactly the non-compliant resources, per rule", async () => {
        const fixtures: Fixture[] = [
            ...COMPLIANT,
            mutate({ ...permission, name: "public-invoke" }, { principal: "*" }),
            mutate({ ...functionUrl, name: "open-url" }, { authorizationType: "NONE" }),
            mutate({ ...stage, name: "silent-stage" }, { accessLogSettings: {} }),
            mutate({ ...api, name: "direct-api" }, { disableExecuteApiEndpoint: false }),
            mutate({ ...queue, name: "plain-queue" }, { kmsMasterKeyId: undefined, sqsManagedSseEnabled: false }),
            mutate({ ...table, name: "no-pitr" }, { pointInTimeRecovery: { enabled: false } }),
        ];
        const verdict = await verdictOf(SERVERLESS_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R43-lambda-not-public open-url",
            "R43-lambda-not-public public-invoke",
            "R44-api-gateway-logs-tls-private direct-api",
            "R44-api-gateway-logs-tls-private silent-stage",
            "R45-sqs-dynamodb-encrypted no-pitr",
            "R45-sqs-dynamodb-encrypted plain-queue",
        ]);
    });
});
