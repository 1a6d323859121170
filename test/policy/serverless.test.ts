import * as assert from "assert/strict";
import { R43, R44, R45, R56, R59, R63, R64, SERVERLESS_RULES } from "../../policy/rules/serverless";
import { ACCOUNT, UNKNOWN, UNKNOWN_BOOLEAN, findings, mutate, verdictOf, type Fixture } from "../helpers/policy";

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
    props: {
        name: "sessions",
        hashKey: "id",
        billingMode: "PAY_PER_REQUEST",
        deletionProtectionEnabled: true,
        serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN },
        pointInTimeRecovery: { enabled: true },
    },
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

describe("R43 invoke permissions name their source", () => {
    it("reports a service permission without sourceArn, and an S3 one without sourceAccount", async () => {
        const fixtures = [
            mutate(permission, { sourceArn: undefined }),
            mutate({ ...permission, name: "bucket-invokes" }, { principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::uploads" }),
            mutate({ ...permission, name: "bucket-invokes-ok" }, { principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::uploads", sourceAccount: ACCOUNT }),
            mutate({ ...permission, name: "account-invokes" }, { principal: ACCOUNT, sourceArn: undefined }),
        ];
        assert.deepEqual(await findings(R43, fixtures), [
            "api-invokes-worker: permission lets the service apigateway.amazonaws.com invoke the function from any resource (sourceArn is not set) [finding source-arn]",
            "bucket-invokes: permission for s3.amazonaws.com names no sourceAccount (its source ARNs carry no account id) [finding source-account]",
        ]);
    });

    it("passes a sourceArn known only after deploy", async () => {
        assert.deepEqual(await findings(R43, [mutate(permission, { sourceArn: UNKNOWN })]), []);
    });
});

describe("R44 access log format", () => {
    it("reports a stage logging without a format", async () => {
        assert.deepEqual(await findings(R44, [mutate(stage, { accessLogSettings: { destinationArn: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/api` } })]), [
            "api-stage: stage access logs have no format (accessLogSettings.format is not set) [finding access-log-format]",
        ]);
    });
});

const route: Fixture = {
    type: "aws:apigatewayv2/route:Route",
    name: "get-items",
    props: { apiId: "abc123", routeKey: "GET /items", authorizationType: "JWT", authorizerId: "auth1", target: "integrations/int1" },
};
const apiWithId: Fixture = mutate(api, { id: "abc123" });

describe("R56 API routes authorized", () => {
    it("passes JWT, IAM and CUSTOM routes, and WebSocket message routes", async () => {
        const ws: Fixture = { ...api, name: "ws", props: { id: "ws1", name: "ws", protocolType: "WEBSOCKET" } };
        const fixtures = [
            apiWithId,
            route,
            mutate({ ...route, name: "iam-route" }, { routeKey: "$default", authorizationType: "AWS_IAM", authorizerId: undefined }),
            mutate({ ...route, name: "custom-route" }, { routeKey: "POST /items", authorizationType: "CUSTOM" }),
            ws,
            mutate({ ...route, name: "ws-message" }, { apiId: "ws1", routeKey: "sendMessage", authorizationType: undefined, authorizerId: undefined }),
            mutate({ ...route, name: "ws-default" }, { apiId: "ws1", routeKey: "$default", authorizationType: "NONE", authorizerId: undefined }),
            mutate({ ...route, name: "other-api-message" }, { apiId: "elsewhere", routeKey: "$disconnect", authorizationType: undefined, authorizerId: undefined }),
        ];
        assert.deepEqual(await findings(R56, fixtures), []);
    });

    it("reports open routes ($default included), a JWT route without an authorizer, and an open WebSocket $connect", async () => {
        const ws: Fixture = { ...api, name: "ws", props: { id: "ws1", name: "ws", protocolType: "WEBSOCKET" } };
        const fixtures = [
            apiWithId,
            ws,
            mutate(route, { authorizationType: undefined, authorizerId: undefined }),
            mutate({ ...route, name: "catch-all" }, { routeKey: "$default", authorizationType: "NONE", authorizerId: undefined }),
            mutate({ ...route, name: "no-authorizer" }, { authorizerId: undefined }),
            mutate({ ...route, name: "ws-connect" }, { apiId: "ws1", routeKey: "$connect", authorizationType: "NONE", authorizerId: undefined }),
            mutate({ ...route, name: "odd" }, { authorizationType: "API_KEY" }),
        ];
        assert.deepEqual(await findings(R56, fixtures), [
            'catch-all: route "$default" lets any caller in (authorizationType is NONE, the default) [finding authorization]',
            'get-items: route "GET /items" lets any caller in (authorizationType is NONE, the default) [finding authorization]',
            'no-authorizer: route "GET /items" has authorizationType JWT but names no authorizer (authorizerId is not set) [finding authorizer]',
            'odd: route "GET /items" authorizationType "API_KEY" is not one of AWS_IAM, JWT, CUSTOM [finding authorization]',
            'ws-connect: route "$connect" lets any caller in (authorizationType is NONE, the default) [finding authorization]',
        ]);
    });

    it("reports a quick-created HTTP API (its $default route has no authorization)", async () => {
        const quick = mutate(apiWithId, { target: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:worker` });
        assert.deepEqual(await findings(R56, [quick]), [
            'api: API is quick-created (target is set), so API Gateway adds a "$default" route with authorizationType NONE; declare the routes as aws.apigatewayv2.Route with an authorizer [finding quick-create]',
        ]);
        // At preview the API's target is unknown when the program did not set it (no dependencies): not quick-created.
        assert.deepEqual(await findings(R56, [{ ...mutate(apiWithId, { target: UNKNOWN }), propertyDependencies: {} }]), []);
    });

    it("at preview, finds the API through apiId's dependencies and reads an unset authorization type as NONE", async () => {
        const ws: Fixture = { ...api, name: "ws", props: { id: UNKNOWN, name: "ws", protocolType: "WEBSOCKET" } };
        const fixtures = [
            mutate(api, { id: UNKNOWN }),
            ws,
            { ...mutate(route, { apiId: UNKNOWN, authorizationType: UNKNOWN, authorizerId: undefined }), propertyDependencies: { apiId: ["api"] } },
            { ...mutate({ ...route, name: "ws-message" }, { apiId: UNKNOWN, routeKey: "$default", authorizationType: UNKNOWN, authorizerId: undefined }), propertyDependencies: { apiId: ["ws"] } },
            { ...mutate({ ...route, name: "jwt" }, { apiId: UNKNOWN, authorizerId: UNKNOWN }), propertyDependencies: { apiId: ["api"], authorizerId: ["api"] } },
        ];
        assert.deepEqual(await findings(R56, fixtures), ['get-items: route "GET /items" lets any caller in (authorizationType is NONE, the default) [finding authorization]']);
    });
});

const scaling = (name: string, resourceId: string, dimension: string): Fixture => ({
    type: "aws:appautoscaling/target:Target",
    name,
    props: { serviceNamespace: "dynamodb", resourceId, scalableDimension: dimension, minCapacity: 5, maxCapacity: 100 },
});

describe("R59 DynamoDB deletion protection and capacity", () => {
    const onDemand = mutate(table, { deletionProtectionEnabled: true, billingMode: "PAY_PER_REQUEST" });

    it("passes an on-demand protected table and a provisioned one scaled on table and index", async () => {
        const provisioned = mutate({ ...table, name: "orders" }, {
            name: "orders",
            deletionProtectionEnabled: true,
            billingMode: "PROVISIONED",
            readCapacity: 5,
            writeCapacity: 5,
            globalSecondaryIndexes: [{ name: "byUser", hashKey: "user", projectionType: "ALL", readCapacity: 5, writeCapacity: 5 }],
        });
        const fixtures = [
            onDemand,
            provisioned,
            scaling("orders-read", "table/orders", "dynamodb:table:ReadCapacityUnits"),
            scaling("orders-write", "table/orders", "dynamodb:table:WriteCapacityUnits"),
            scaling("by-user-read", "table/orders/index/byUser", "dynamodb:index:ReadCapacityUnits"),
            scaling("by-user-write", "table/orders/index/byUser", "dynamodb:index:WriteCapacityUnits"),
        ];
        assert.deepEqual(await findings(R59, fixtures), []);
    });

    it("reports an unprotected table, provisioned capacity without scaling, and an index scaled only for reads", async () => {
        const fixtures = [
            mutate(table, { deletionProtectionEnabled: false, billingMode: undefined }),
            mutate({ ...table, name: "orders" }, {
                billingMode: undefined,
                name: "orders",
                deletionProtectionEnabled: true,
                globalSecondaryIndexes: [{ name: "byUser", hashKey: "user", projectionType: "ALL" }],
            }),
            scaling("orders-read", "table/orders", "dynamodb:table:ReadCapacityUnits"),
            scaling("orders-write", "table/orders", "dynamodb:table:WriteCapacityUnits"),
            scaling("by-user-read", "table/orders/index/byUser", "dynamodb:index:ReadCapacityUnits"),
        ];
        assert.deepEqual(await findings(R59, fixtures), [
            'orders: index "byUser" has provisioned write capacity without auto scaling (billingMode is not PAY_PER_REQUEST, and no aws.appautoscaling.Target scales it) [finding capacity/byUser]',
            "sessions: table has no deletion protection (deletionProtectionEnabled is not true) [finding deletion-protection]",
            "sessions: table has provisioned read and write capacity without auto scaling (billingMode is not PAY_PER_REQUEST, and no aws.appautoscaling.Target scales it) [finding capacity]",
        ]);
    });

    it("checks inline replicas, TableReplica resources and GlobalSecondaryIndex resources", async () => {
        const replicated = mutate(table, { replicas: [{ regionName: "eu-central-1", deletionProtectionEnabled: true }, { regionName: "us-east-1" }] });
        const replica: Fixture = { type: "aws:dynamodb/tableReplica:TableReplica", name: "sessions-us-west-2", props: { globalTableArn: "arn:aws:dynamodb:eu-west-1:1:table/sessions", region: "us-west-2" } };
        const orders = mutate({ ...table, name: "orders" }, { name: "orders", billingMode: "PROVISIONED" });
        const index: Fixture = { type: "aws:dynamodb/globalSecondaryIndex:GlobalSecondaryIndex", name: "orders-by-user", props: { tableName: "orders", indexName: "byUser" } };
        const fixtures = [
            replicated,
            replica,
            { ...mutate(replica, { deletionProtectionEnabled: true }), name: "protected-replica" },
            orders,
            index,
            scaling("orders-read", "table/orders", "dynamodb:table:ReadCapacityUnits"),
            scaling("orders-write", "table/orders", "dynamodb:table:WriteCapacityUnits"),
            scaling("by-user-read", "table/orders/index/byUser", "dynamodb:index:ReadCapacityUnits"),
        ];
        assert.deepEqual(await findings(R59, fixtures), [
            'orders: index "byUser" has provisioned write capacity without auto scaling (billingMode is not PAY_PER_REQUEST, and no aws.appautoscaling.Target scales it) [finding capacity/byUser]',
            "sessions-us-west-2: table replica has no deletion protection (deletionProtectionEnabled is not true) [finding deletion-protection]",
            "sessions: replica in us-east-1 has no deletion protection (replicas[].deletionProtectionEnabled is not true) [finding deletion-protection/us-east-1]",
        ]);
    });

    it("at preview, reads unset settings as AWS's defaults and pairs targets through resourceId's dependencies", async () => {
        const fixtures = [
            mutate(table, { deletionProtectionEnabled: UNKNOWN_BOOLEAN, billingMode: UNKNOWN }),
            mutate({ ...table, name: "orders" }, { name: UNKNOWN, deletionProtectionEnabled: true, billingMode: "PROVISIONED" }),
            { ...scaling("orders-read", UNKNOWN, "dynamodb:table:ReadCapacityUnits"), propertyDependencies: { resourceId: ["orders"] } },
            { ...scaling("orders-write", UNKNOWN, "dynamodb:table:WriteCapacityUnits"), propertyDependencies: { resourceId: ["orders"] } },
        ];
        assert.deepEqual(await findings(R59, fixtures), [
            "sessions: table has no deletion protection (deletionProtectionEnabled is not true) [finding deletion-protection]",
            "sessions: table has provisioned read and write capacity without auto scaling (billingMode is not PAY_PER_REQUEST, and no aws.appautoscaling.Target scales it) [finding capacity]",
        ]);
    });
});

const fn: Fixture = {
    type: "aws:lambda/function:Function",
    name: "worker",
    props: {
        runtime: "nodejs22.x",
        handler: "index.handler",
        role: `arn:aws:iam::${ACCOUNT}:role/worker`,
        tracingConfig: { mode: "Active" },
        vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-1"] },
    },
};
const subnetA: Fixture = { type: "aws:ec2/subnet:Subnet", name: "private-a", props: { id: "subnet-a", vpcId: "vpc-1", cidrBlock: "10.0.1.0/24", availabilityZone: "eu-west-1a" } };
const subnetB: Fixture = mutate({ ...subnetA, name: "private-b" }, { id: "subnet-b", cidrBlock: "10.0.2.0/24", availabilityZone: "eu-west-1b" });

describe("R63 Lambda runtime", () => {
    it("passes current runtimes and container images", async () => {
        const fixtures = [fn, mutate({ ...fn, name: "py" }, { runtime: "python3.14" }), mutate({ ...fn, name: "image" }, { packageType: "Image", runtime: undefined, imageUri: "x" })];
        assert.deepEqual(await findings(R63, fixtures), []);
    });

    it("cannot run when the runtime is known only after deploy", async () => {
        assert.deepEqual(await findings(R63, [mutate(fn, { runtime: UNKNOWN })]), [
            "worker: can't run policy 'R63-lambda-supported-runtime' during preview: string value at .runtime can't be known during preview",
        ]);
    });

    it("reports deprecated and missing runtimes", async () => {
        const fixtures = [mutate(fn, { runtime: "nodejs18.x" }), mutate({ ...fn, name: "bare" }, { runtime: undefined })];
        assert.deepEqual(await findings(R63, fixtures), [
            "bare: function sets no runtime (a .zip function needs one) [finding runtime]",
            'worker: runtime "nodejs18.x" is deprecated or not current (use one of nodejs24.x, nodejs22.x, python3.14, python3.13, python3.12, java25, java21, dotnet10, ruby3.4, ruby3.3, provided.al2023) [finding runtime]',
        ]);
    });
});

describe("R64 Lambda tracing and zones", () => {
    it("passes a traced function in two zones, and one outside any VPC", async () => {
        assert.deepEqual(await findings(R64, [fn, subnetA, subnetB, mutate({ ...fn, name: "plain" }, { vpcConfig: undefined })]), []);
    });

    it("reports untraced functions and a function in one zone", async () => {
        const fixtures = [
            mutate(fn, { tracingConfig: { mode: "PassThrough" }, vpcConfig: { subnetIds: ["subnet-a"], securityGroupIds: ["sg-1"] } }),
            mutate({ ...fn, name: "outside" }, { tracingConfig: undefined, vpcConfig: { subnetIds: ["subnet-a", "subnet-x"], securityGroupIds: ["sg-1"] } }),
            subnetA,
            subnetB,
        ];
        assert.deepEqual(await findings(R64, fixtures), [
            'outside: X-Ray tracing is not active (tracingConfig.mode is not "Active"; AWS defaults to PassThrough) [finding tracing]',
            "outside: function runs in VPC subnets of one availability zone (eu-west-1a); 1 subnet(s) outside this stack or placed by AWS do not count; at least two zones are required [finding multi-az]",
            'worker: X-Ray tracing is not active (tracingConfig.mode is not "Active"; AWS defaults to PassThrough) [finding tracing]',
            "worker: function runs in VPC subnets of one availability zone (eu-west-1a); at least two zones are required [finding multi-az]",
        ]);
    });

    it("at preview, resolves subnets through vpcConfig's dependencies", async () => {
        const a = mutate(subnetA, { id: UNKNOWN });
        const b = mutate(subnetB, { id: UNKNOWN, availabilityZone: "eu-west-1a" });
        const fixtures = [
            a,
            b,
            { ...mutate(fn, { tracingConfig: UNKNOWN, vpcConfig: { subnetIds: [UNKNOWN, UNKNOWN], securityGroupIds: [UNKNOWN] } }), propertyDependencies: { vpcConfig: ["private-a", "private-b"] } },
        ];
        assert.deepEqual(await findings(R64, fixtures), [
            'worker: X-Ray tracing is not active (tracingConfig.mode is not "Active"; AWS defaults to PassThrough) [finding tracing]',
            "worker: function runs in VPC subnets of one availability zone (eu-west-1a); at least two zones are required [finding multi-az]",
        ]);
    });
});
