import { dependenciesOf, ofTypes, programValue, referenced, refersTo, resolveAll, setByProgram, type Node } from "../lib/graph";
import { resourceRule, stackRule } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, Undecided, asArray, isPresent, isTrue, known, knownAt, knownItems } from "../lib/values";

/** API Gateway v2 custom domain security policies: the provider lists only TLS_1_2 (TLS 1.2 minimum). */
const API_TLS_POLICIES = ["TLS_1_2"];

/** An AWS service principal (`apigateway.amazonaws.com`, `events.amazonaws.com`, ...). */
const SERVICE_PRINCIPAL = /\.amazonaws\.com(\.cn)?$/;
/** Services whose source ARNs carry no account id, so a permission also needs sourceAccount. */
const ACCOUNTLESS_ARN_SERVICES = ["s3.amazonaws.com"];

export const R43 = resourceRule(
    {
        id: "R43",
        slug: "lambda-not-public",
        requirement: "No Lambda permission lets any principal (`*`) invoke a function, and every function URL requires IAM authentication.",
        why: "A public invoke permission or an unauthenticated function URL lets anyone on the internet run the function and whatever its role may do.",
        anchors: ["FSBP Lambda.1", "Pulumi aws-lambda-permission-configure-source-arn"],
        level: "M",
        severity: "critical",
        remediation: "Grant invoke to the calling service principal with sourceArn (and sourceAccount for S3), and set authorizationType: AWS_IAM on function URLs (front them with CloudFront OAC).",
    },
    [...T.lambdaPermission, ...T.lambdaFunctionUrl],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.lambdaPermission)) {
            const principal: unknown = known(props, "principal");
            if (principal === "*") report("public-invoke", `permission lets any principal ("*") call ${String(props.action ?? "lambda:InvokeFunction")}`);
            else if (typeof principal === "string" && SERVICE_PRINCIPAL.test(principal)) {
                // Without a sourceArn any resource of that service, in any account, may invoke the function (confused deputy).
                if (!isPresent(known(props, "sourceArn"))) report("source-arn", `permission lets the service ${principal} invoke the function from any resource (sourceArn is not set)`);
                // S3 bucket ARNs name no account: a bucket of the same name in another account would match the sourceArn.
                if (ACCOUNTLESS_ARN_SERVICES.includes(principal) && !isPresent(known(props, "sourceAccount"))) {
                    report("source-account", `permission for ${principal} names no sourceAccount (its source ARNs carry no account id)`);
                }
            }
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
        requirement: "API Gateway v2 stages write access logs in a set format, custom domains use the TLS 1.2 security policy, and APIs disable the default execute-api endpoint (reached only through CloudFront / the custom domain).",
        why: "Without access logs requests cannot be investigated; an older TLS policy allows weak protocols; the default endpoint bypasses CloudFront and its WAF, TLS and caching.",
        anchors: ["FSBP APIGateway.9", "cdk-nag APIG1", "Pulumi aws-apigatewayv2-stage-configure-access-logging", "CKV_AWS_76", "Pulumi aws-apigatewayv2-domainname-configure-domain-name-security-policy"],
        level: "M",
        severity: "high",
        remediation: "Set accessLogSettings.destinationArn to a log group and accessLogSettings.format to a JSON line of $context variables, domainNameConfiguration.securityPolicy: TLS_1_2, and disableExecuteApiEndpoint: true.",
    },
    [...T.apiStage, ...T.apiDomainName, ...T.apiGateway],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.apiStage)) {
            // A log group ARN known only after deploy is set.
            if (!isPresent(knownAt(props, "accessLogSettings", "destinationArn"))) report("access-logs", "stage has no access log destination (accessLogSettings.destinationArn is not set)");
            // The format decides which request fields reach the log (caller, route, status, authorizer error).
            else if (!isPresent(knownAt(props, "accessLogSettings", "format"))) report("access-log-format", "stage access logs have no format (accessLogSettings.format is not set)");
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

/** Route authorization types that check the caller (NONE lets anyone through). */
const ROUTE_AUTH_TYPES = ["AWS_IAM", "JWT", "CUSTOM"];
/** The types that name an authorizer resource. */
const AUTHORIZER_TYPES = ["JWT", "CUSTOM"];

/**
 * True when a route of `api` can carry authorization: every HTTP API route, and on WebSocket APIs
 * only `$connect` (API Gateway authorizes the connection, not each message). A route of an API
 * outside the stack is judged by its key: `$connect`, `$default` and `METHOD /path` routes.
 */
function canAuthorize(routeKey: unknown, api: Node | undefined): boolean {
    if (api) return programValue(api, "protocolType") !== "WEBSOCKET" || routeKey === "$connect";
    return typeof routeKey !== "string" || routeKey === "$connect" || routeKey === "$default" || routeKey.includes(" ");
}

export const R56 = stackRule(
    {
        id: "R56",
        slug: "api-routes-authorized",
        requirement:
            "Every API Gateway v2 route that can carry authorization (HTTP API routes including `$default`, WebSocket `$connect`) sets authorizationType AWS_IAM, JWT or CUSTOM, JWT/CUSTOM routes name their authorizer, and no HTTP API is quick-created (`target`), which adds an unauthorized `$default` route.",
        why: "A route with authorizationType NONE (the default) lets anyone who reaches the API call the integration behind it; `$default` catches every request no other route matches, so it is no exception.",
        anchors: ["FSBP APIGateway.8", "cdk-nag APIG4"],
        level: "M",
        severity: "high",
        remediation: 'Set authorizationType: "JWT" (or "CUSTOM") with authorizerId of an aws.apigatewayv2.Authorizer, or "AWS_IAM", on every route, $default included.',
    },
    (resources, report) => {
        for (const api of ofTypes(resources, T.apiGateway)) {
            // Quick create: `target` makes API Gateway create a `$default` route itself, with no authorization (it cannot be given one).
            if (programValue(api, "protocolType") !== "WEBSOCKET" && isPresent(setByProgram(api, "target"))) {
                report("quick-create", 'API is quick-created (target is set), so API Gateway adds a "$default" route with authorizationType NONE; declare the routes as aws.apigatewayv2.Route with an authorizer', api.urn);
            }
        }
        for (const route of ofTypes(resources, T.apiRoute)) {
            const routeKey: unknown = known(route.props, "routeKey");
            if (!canAuthorize(routeKey, referenced(resources, route, "apiId", T.apiGateway))) continue;
            const label = typeof routeKey === "string" ? `route "${routeKey}"` : "route";
            // Optional+Computed: unset (NONE) reads undefined at preview.
            const auth: unknown = programValue(route, "authorizationType");
            if (auth === undefined || auth === null || auth === "NONE") {
                // One message for unset and "NONE": after deploy AWS reports NONE for an unset type, before deploy it is not set.
                report("authorization", `${label} lets any caller in (authorizationType is NONE, the default)`, route.urn);
            } else if (typeof auth !== "string" || !ROUTE_AUTH_TYPES.includes(auth)) {
                report("authorization", `${label} authorizationType ${JSON.stringify(auth)} is not one of ${ROUTE_AUTH_TYPES.join(", ")}`, route.urn);
            } else if (AUTHORIZER_TYPES.includes(auth) && !isPresent(setByProgram(route, "authorizerId"))) {
                report("authorizer", `${label} has authorizationType ${auth} but names no authorizer (authorizerId is not set)`, route.urn);
            }
        }
    },
);

export const R59 = stackRule(
    {
        id: "R59",
        slug: "dynamodb-deletion-protection-capacity",
        requirement:
            "DynamoDB tables and their replicas (inline replicas and aws.dynamodb.TableReplica) have deletion protection, and tables use on-demand capacity (PAY_PER_REQUEST) or application auto scaling of read and write capacity for the table and each global secondary index (inline or aws.dynamodb.GlobalSecondaryIndex).",
        why: "Without deletion protection a replacement, a stray `pulumi destroy` or a console click deletes the table and its data; fixed provisioned capacity throttles requests (an outage) as soon as traffic grows.",
        anchors: ["FSBP DynamoDB.6", "FSBP DynamoDB.1"],
        level: "MP",
        severity: "medium",
        remediation:
            'Set deletionProtectionEnabled: true, and billingMode: "PAY_PER_REQUEST", or aws.appautoscaling.Target (serviceNamespace "dynamodb", resourceId table/<name>[/index/<index>]) for read and write capacity.',
    },
    (resources, report) => {
        const targets = ofTypes(resources, T.scalingTarget).filter((t) => known(t.props, "serviceNamespace") === "dynamodb");
        const indexes = ofTypes(resources, T.dynamoIndex);
        const undecided = new Undecided();
        for (const replica of ofTypes(resources, T.dynamoTableReplica)) {
            const flag: unknown = programValue(replica, "deletionProtectionEnabled");
            if (!isTrue(flag)) report("deletion-protection", "table replica has no deletion protection (deletionProtectionEnabled is not true)", replica.urn);
        }
        for (const table of ofTypes(resources, T.dynamoTable)) {
            const protection: unknown = programValue(table, "deletionProtectionEnabled");
            if (!isTrue(protection)) report("deletion-protection", "table has no deletion protection (deletionProtectionEnabled is not true)", table.urn);
            // Global table replicas (other regions) carry their own flag.
            for (const replica of knownItems(setByProgram(table, "replicas"))) {
                const region = known(replica, "regionName");
                const flag = known(replica, "deletionProtectionEnabled");
                if (!isTrue(flag) && flag !== UNKNOWN_VALUE) {
                    report(`deletion-protection/${String(region)}`, `replica in ${String(region)} has no deletion protection (replicas[].deletionProtectionEnabled is not true)`, table.urn);
                }
            }
            // PROVISIONED when unset.
            const billing: unknown = programValue(table, "billingMode");
            if (billing === "PAY_PER_REQUEST") continue;
            const name: unknown = known(table.props, "name");
            let undecidedTable = false;
            const scaled = (resourceId: string, dimension: string) =>
                targets.some((t) => {
                    if (known(t.props, "scalableDimension") !== dimension) return false;
                    const id: unknown = known(t.props, "resourceId");
                    // Known only after deploy (built from the table's name output): the table it was computed from.
                    if (id === UNKNOWN_VALUE) return dependenciesOf(t, "resourceId", T.dynamoTable).includes(table);
                    if (name === UNKNOWN_VALUE) {
                        // The table's name is known only after deploy: whether this known id names it is too.
                        undecidedTable = true;
                        return false;
                    }
                    return id === resourceId;
                });
            const scopes: [resourceId: string, kind: "table" | "index", label: string][] = [[`table/${String(name)}`, "table", "table"]];
            // Indexes: the table's inline globalSecondaryIndexes and the aws.dynamodb.GlobalSecondaryIndex resources naming it by tableName.
            const indexNames = [
                ...knownItems(setByProgram(table, "globalSecondaryIndexes")).map((index) => known(index, "name")),
                ...indexes.filter((i) => refersTo(i, "tableName", known(i.props, "tableName"), table, T.dynamoTable)).map((i) => known(i.props, "indexName")),
            ];
            for (const indexName of indexNames) {
                if (typeof indexName === "string") scopes.push([`table/${String(name)}/index/${indexName}`, "index", `index "${indexName}"`]);
            }
            for (const [resourceId, kind, label] of scopes) {
                const missing = ["Read", "Write"].filter((rw) => !scaled(resourceId, `dynamodb:${kind}:${rw}CapacityUnits`)).map((rw) => rw.toLowerCase());
                if (undecidedTable) {
                    undecided.note(table.name, "name");
                    break;
                }
                if (missing.length > 0) {
                    const key = kind === "table" ? "capacity" : `capacity/${label.slice(7, -1)}`;
                    report(key, `${label} has provisioned ${missing.join(" and ")} capacity without auto scaling (billingMode is not PAY_PER_REQUEST, and no aws.appautoscaling.Target scales it)`, table.urn);
                }
            }
        }
        undecided.settle();
    },
);

/**
 * Lambda runtimes AWS supports and has not scheduled for deprecation before 2027 (AWS Lambda
 * "Supported runtimes", checked 2026-12-01): nodejs20.x (Apr 2026), python3.9/3.10, java8.al2/11/17
 * (Jun 2026), dotnet8 (Nov 2026), ruby3.2 and provided.al2 are deprecated or about to be.
 */
export const SUPPORTED_RUNTIMES: readonly string[] = [
    "nodejs24.x",
    "nodejs22.x",
    "python3.14",
    "python3.13",
    "python3.12",
    "java25",
    "java21",
    "dotnet10",
    "ruby3.4",
    "ruby3.3",
    "provided.al2023",
];

export const R63 = resourceRule(
    {
        id: "R63",
        slug: "lambda-supported-runtime",
        requirement: `Lambda functions deployed as .zip archives use a current runtime (${SUPPORTED_RUNTIMES.join(", ")}); container-image functions bring their own.`,
        why: "A deprecated runtime gets no more security patches for its language or OS, and AWS later blocks creating and then updating functions on it, so a fix cannot ship.",
        anchors: ["FSBP Lambda.2", "cdk-nag L1"],
        level: "M",
        severity: "high",
        remediation: "Move the function to the newest runtime of its language (nodejs24.x, python3.14, java25, dotnet10, ruby3.4, provided.al2023).",
    },
    T.lambdaFunction,
    (props, _subject, report) => {
        if (known(props, "packageType") === "Image") return;
        // A runtime known only after deploy stops the rule with the SDK's preview advisory.
        const runtime: unknown = props.runtime;
        if (runtime === undefined || runtime === null || runtime === "") report("runtime", "function sets no runtime (a .zip function needs one)");
        else if (typeof runtime !== "string" || !SUPPORTED_RUNTIMES.includes(runtime)) report("runtime", `runtime ${JSON.stringify(runtime)} is deprecated or not current (use one of ${SUPPORTED_RUNTIMES.join(", ")})`);
    },
);

/** The availability zone a subnet is placed in: its zone name or zone id as set by the program; undefined when AWS picks it. */
function zoneOf(subnet: Node): unknown {
    const zone = setByProgram(subnet, "availabilityZone");
    return zone === undefined || zone === null || zone === "" ? setByProgram(subnet, "availabilityZoneId") : zone;
}

export const R64 = stackRule(
    {
        id: "R64",
        slug: "lambda-tracing-multi-az",
        requirement: 'Lambda functions have active X-Ray tracing (tracingConfig.mode "Active"), and functions in a VPC use subnets in at least two availability zones.',
        why: "Without traces a failing or abused function cannot be followed across the services it calls; a VPC function in one zone stops when that zone fails, though Lambda itself would keep running elsewhere.",
        anchors: ["FSBP Lambda.5", "Pulumi aws-lambda-function-enable-tracing-config", "Pulumi aws-lambda-function-configure-tracing-config"],
        level: "MP",
        severity: "medium",
        remediation: 'Set tracingConfig: { mode: "Active" } (the role needs xray:PutTraceSegments, e.g. AWSXRayDaemonWriteAccess), and vpcConfig.subnetIds to the private subnets of every zone (Vpc.privateSubnetIds).',
    },
    (resources, report) => {
        const undecided = new Undecided();
        for (const fn of ofTypes(resources, T.lambdaFunction)) {
            const mode: unknown = setByProgram(fn, "tracingConfig", "mode");
            if (mode === UNKNOWN_VALUE) undecided.note(fn.name, "tracingConfig", "mode");
            else if (mode !== "Active") report("tracing", 'X-Ray tracing is not active (tracingConfig.mode is not "Active"; AWS defaults to PassThrough)', fn.urn);

            const subnetIds = knownItems(setByProgram(fn, "vpcConfig", "subnetIds"));
            if (subnetIds.length === 0) continue;
            const subnets = resolveAll(resources, fn, "vpcConfig", subnetIds, T.subnet);
            const zones = new Set<string>();
            let unknownZones = 0;
            for (const s of subnets) {
                const zone = typeof s === "string" ? undefined : zoneOf(s);
                if (typeof zone === "string" && zone !== "") zones.add(zone);
                else unknownZones++;
            }
            if (zones.size >= 2) continue;
            const where = zones.size === 0 ? "no known availability zone" : `one availability zone (${[...zones][0]})`;
            const rest = unknownZones > 0 ? `; ${unknownZones} subnet(s) outside this stack or placed by AWS do not count` : "";
            report("multi-az", `function runs in VPC subnets of ${where}${rest}; at least two zones are required`, fn.urn);
        }
        undecided.settle();
    },
);

export const SERVERLESS_RULES = [R43, R44, R45, R56, R59, R63, R64];
