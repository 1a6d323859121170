import { resourceRule } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { asArray, isPresent, isTrue, known, knownAt } from "../lib/values";

/** API Gateway v2 custom domain security policies: the provider lists only TLS_1_2 (TLS 1.2 minimum). */
const API_TLS_POLICIES = ["TLS_1_2"];

export const R43 = resourceRule(
    {
        id: "R43",
        slug: "lambda-not-public",
        requirement: "No Lambda permission lets any principal (`*`) invoke a function, and every function URL requires IAM authentication.",
        why: "A public invoke permission or an unauthenticated function URL lets anyone on the internet run the function and whatever its role may do.",
        anchors: ["FSBP Lambda.1"],
        level: "M",
        severity: "critical",
        remediation: "Grant invoke to the calling service principal with sourceArn/sourceAccount, and set authorizationType: AWS_IAM on function URLs (front them with CloudFront OAC).",
    },
    [...T.lambdaPermission, ...T.lambdaFunctionUrl],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.lambdaPermission)) {
            if (props.principal === "*") report("public-invoke", `permission lets any principal ("*") call ${String(props.action ?? "lambda:InvokeFunction")}`);
            return;
        }
        const auth: unknown = props.authorizationType;
        if (auth !== "AWS_IAM") {
            if (auth === "NONE") report("auth", 'function URL has authorizationType "NONE", so anyone on the internet can invoke it');
            else if (auth === undefined || auth === null) report("auth", "function URL sets no authorizationType (AWS_IAM is required)");
            else report("auth", `function URL authorizationType ${JSON.stringify(auth)} is not AWS_IAM`);
        }
    },
);

export const R44 = resourceRule(
    {
        id: "R44",
        slug: "api-gateway-logs-tls-private",
        requirement: "API Gateway v2 stages write access logs, custom domains use the TLS 1.2 security policy, and APIs disable the default execute-api endpoint (reached only through CloudFront / the custom domain).",
        why: "Without access logs requests cannot be investigated; an older TLS policy allows weak protocols; the default endpoint bypasses CloudFront and its WAF, TLS and caching.",
        anchors: ["FSBP APIGateway.9", "CKV_AWS_76"],
        level: "M",
        severity: "high",
        remediation: "Set accessLogSettings.destinationArn to a log group, domainNameConfiguration.securityPolicy: TLS_1_2, and disableExecuteApiEndpoint: true.",
    },
    [...T.apiStage, ...T.apiDomainName, ...T.apiGateway],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.apiStage)) {
            // A log group ARN known only after deploy is set.
            if (!isPresent(knownAt(props, "accessLogSettings", "destinationArn"))) report("access-logs", "stage has no access log destination (accessLogSettings.destinationArn is not set)");
        } else if (isOneOf(subject.type, T.apiDomainName)) {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            const configurations = asArray<any>(props.domainNameConfiguration);
            if (configurations.length === 0) report("tls-policy", "domain has no domainNameConfiguration, so its TLS policy is unknown");
            for (const c of configurations) {
                const policy: unknown = c?.securityPolicy;
                if (policy === undefined || policy === null) report("tls-policy", `domain sets no securityPolicy (${API_TLS_POLICIES.join(" or ")} is required)`);
                else if (typeof policy !== "string" || !API_TLS_POLICIES.includes(policy)) {
                    report("tls-policy", `domain security policy ${JSON.stringify(policy)} is not one of ${API_TLS_POLICIES.join(", ")}`);
                }
            }
        } else if (!isTrue(props.disableExecuteApiEndpoint)) {
            // Default false: the https://<id>.execute-api.<region>.amazonaws.com endpoint stays open.
            report("execute-api-endpoint", "the default execute-api endpoint is enabled (disableExecuteApiEndpoint is not true), so clients can bypass CloudFront");
        }
    },
);

export const R45 = resourceRule(
    {
        id: "R45",
        slug: "sqs-dynamodb-encrypted",
        requirement: "SQS queues are encrypted (KMS or SQS-managed SSE), and DynamoDB tables use KMS encryption and point-in-time recovery.",
        why: "Queues and tables hold application data at rest; without point-in-time recovery a bad write or delete cannot be undone.",
        anchors: ["FSBP SQS.1", "FSBP DynamoDB.2"],
        level: "MP",
        severity: "high",
        remediation: "On queues set kmsMasterKeyId (or sqsManagedSseEnabled: true); on tables set serverSideEncryption { enabled: true, kmsKeyArn } and pointInTimeRecovery { enabled: true }.",
    },
    [...T.sqsQueue, ...T.dynamoTable],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.sqsQueue)) {
            if (isPresent(known(props, "kmsMasterKeyId")) || isTrue(props.sqsManagedSseEnabled)) return;
            // AWS applies SSE-SQS to new queues when neither is given, but the stack should say so rather than rely on it.
            if (props.sqsManagedSseEnabled === false || props.sqsManagedSseEnabled === "false") report("encryption", "queue is not encrypted (sqsManagedSseEnabled is false and kmsMasterKeyId is not set)");
            else report("encryption", "queue encryption is not set (neither kmsMasterKeyId nor sqsManagedSseEnabled: true)");
            return;
        }
        // Without serverSideEncryption.enabled DynamoDB uses an AWS-owned key the account cannot see or control.
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const sse = asArray<any>(props.serverSideEncryption)[0];
        if (!isTrue(sse?.enabled)) report("encryption", "table is encrypted only with the AWS-owned key (serverSideEncryption.enabled is not true)");
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const pitr = asArray<any>(props.pointInTimeRecovery)[0];
        if (!isTrue(pitr?.enabled)) report("pitr", "point-in-time recovery is off (pointInTimeRecovery.enabled is not true)");
    },
);

export const SERVERLESS_RULES = [R43, R44, R45];
