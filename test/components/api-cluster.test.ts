import * as assert from "assert/strict";
import { createHash } from "crypto";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    API_TLS_POLICY,
    ApiCluster,
    argProblems,
    CONTAINER,
    ECS_AMI,
    ECS_LOAD_BALANCER_POLICY,
    NOT_PUSHED,
    ORIGIN_HEADER,
    ecsConfig,
    type ApiClusterArgs,
} from "../../components/api-cluster";
import { Vpc } from "../../components/vpc";
import { POLICIES } from "../../policy/rules";
import { MASK, UNKNOWN, mask, reveal, type Graph, type RecordedResource } from "../../tools/engine/graph";
import { evaluatePolicies } from "../../tools/policy/evaluate";
import { readPackConfig } from "../../tools/policy/pack";
import { ROOT, T, inventory, named, ofType, planProgram, registeredCount, valueOf } from "../helpers/engine";
import { MANAGED_RULE_GROUPS, RATE_LIMIT } from "../../components/shared/waf";

const A = {
    component: "webstack:compute:ApiCluster",
    alb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    rule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    password: "random:index/randomPassword:RandomPassword",
    cluster: "aws:ecs/cluster:Cluster",
    clusterCapacity: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
    capacityProvider: "aws:ecs/capacityProvider:CapacityProvider",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    group: "aws:autoscaling/group:Group",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    namespace: "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
    discovery: "aws:servicediscovery/service:Service",
    repository: "aws:ecr/repository:Repository",
    repositoryPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
    ecrLifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    scheduled: "aws:appautoscaling/scheduledAction:ScheduledAction",
} as const;

const TAGS = { Project: "webstack", Stack: "production", Environment: "production", Owner: "platform-team", CostCenter: "CC-1042" };
const tagsOf = (role: string) => ({ ...TAGS, Component: "api", Name: `api-${role}` });
const ACCOUNT = "123456789012";
/** us-east-1's Elastic Load Balancing account (ELB guide, "Enable access logs"): the principal that writes the access logs. */
const ELB_ACCOUNT_US_EAST_1 = "arn:aws:iam::127311923021:root";
const NETWORK = {
    vpcId: "vpc-0a1b2c3d4e5f60718",
    publicSubnetIds: ["subnet-0pub0000000000a", "subnet-0pub0000000000b"],
    privateSubnetIds: ["subnet-0prv0000000000a", "subnet-0prv0000000000b"],
    loadBalancerSecurityGroupId: "sg-0lb00000000000000",
    appSecurityGroupId: "sg-0app0000000000000",
    hostsSecurityGroupId: "sg-0hosts00000000000",
    cloudFrontOnly: true,
};
const PUBLIC: Partial<ApiClusterArgs> = { network: { ...NETWORK, cloudFrontOnly: false } };
const HOSTS = { instanceType: "m6i.large", min: 4, desired: 4, max: 10 };
const BASE: ApiClusterArgs = {
    network: NETWORK,
    domain: "api.example.com",
    hostedZone: "example.com",
    capacity: "ec2",
    hosts: HOSTS,
    tasks: { min: 2, desired: 4, max: 8, cpu: 512, memory: 1024 },
    tags: TAGS,
};
const FARGATE: Partial<ApiClusterArgs> = { capacity: "fargate", hosts: undefined };
const DIGEST = `sha256:${createHash("sha256").update("webstack api image").digest("hex")}`;
const SECRET_ARN = (name: string) => `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${name}-AbCdEf`;
const KEY_ARN = (id: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`;

interface Planned {
    readonly g: Graph;
    readonly api: ApiCluster;
    /** The public zone's id as the program's provider resolves it. */
    readonly zoneId: string;
}

/** Plans one ApiCluster named "api" over the fake network (`preview`: as `plan --preview`). */
async function planApi(args: Partial<ApiClusterArgs> = {}, { preview = false } = {}): Promise<Planned> {
    let api: ApiCluster | undefined;
    let zone: pulumi.Output<string> | undefined;
    const g = await planProgram(
        () => {
            api = new ApiCluster("api", { ...BASE, ...args });
            zone = aws.route53.getZoneOutput({ name: "example.com", privateZone: false }).zoneId;
        },
        "production",
        { preview },
    );
    return { g, api: api as ApiCluster, zoneId: await valueOf(zone as pulumi.Output<string>) };
}

const one = named;
const json = (value: unknown): unknown => {
    assert.equal(typeof value, "string", "expected a JSON document string");
    return JSON.parse(value as string);
};
const statements = (r: RecordedResource, prop = "policy") => (json(r.inputs[prop]) as { Statement: Record<string, unknown>[] }).Statement;
const withoutTags = ({ tags: _tags, ...rest }: Record<string, unknown>) => rest;
const containerOf = (g: Graph) => (json(one(g, A.taskDefinition, "api-app").inputs.containerDefinitions) as Record<string, unknown>[])[0];

/** The `ignoreChanges` option of every resource the program registers with one, by `type name` (the graph does not record it). */
async function ignoredChanges(args: Partial<ApiClusterArgs> = {}): Promise<Record<string, string[]>> {
    const found: Record<string, string[]> = {};
    await planProgram(
        () => {
            pulumi.runtime.registerResourceTransform((t) => {
                if (t.opts.ignoreChanges?.length) found[`${t.type} ${t.name}`] = [...t.opts.ignoreChanges];
                return undefined;
            });
            new ApiCluster("api", { ...BASE, ...args });
        },
        "production",
    );
    return found;
}

/** The repository URL the component builds in plan mode (deterministic: the autonamed repository in production). */
let REPOSITORY_URL = "";
let IMAGE = "";

describe("ApiCluster", () => {
    before(async () => {
        const { g } = await planApi();
        REPOSITORY_URL = String(one(g, A.repository, "api-images").outputs.repositoryUrl);
        assert.match(REPOSITORY_URL, /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/api-images-[0-9a-f]{7}$/);
        IMAGE = `${REPOSITORY_URL}@${DIGEST}`;
    });

    describe("inventory", () => {
        const EC2 = [
            "aws:acm/certificate:Certificate api-certificate",
            "aws:acm/certificateValidation:CertificateValidation api-certificate",
            "aws:appautoscaling/policy:Policy api-cpu",
            "aws:appautoscaling/policy:Policy api-requests",
            "aws:appautoscaling/target:Target api-tasks",
            "aws:autoscaling/group:Group api-hosts",
            "aws:cloudwatch/logGroup:LogGroup api-tasks",
            "aws:cloudwatch/metricAlarm:MetricAlarm api-5xx-rate",
            "aws:cloudwatch/metricAlarm:MetricAlarm api-p99-latency",
            "aws:ec2/launchTemplate:LaunchTemplate api-hosts",
            "aws:ecr/lifecyclePolicy:LifecyclePolicy api-images",
            "aws:ecr/repository:Repository api-images",
            "aws:ecs/capacityProvider:CapacityProvider api-hosts",
            "aws:ecs/cluster:Cluster api-cluster",
            "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders api-capacity",
            "aws:ecs/service:Service api-service",
            "aws:ecs/taskDefinition:TaskDefinition api-app",
            "aws:iam/instanceProfile:InstanceProfile api-hosts",
            "aws:iam/role:Role api-execution",
            "aws:iam/role:Role api-hosts",
            "aws:iam/role:Role api-releases",
            "aws:iam/role:Role api-task",
            "aws:iam/rolePolicy:RolePolicy api-execution",
            "aws:iam/rolePolicy:RolePolicy api-hosts",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment api-releases",
            "aws:kms/key:Key api-key",
            "aws:lb/listener:Listener api-https",
            "aws:lb/listenerRule:ListenerRule api-production",
            "aws:lb/loadBalancer:LoadBalancer api-alb",
            "aws:lb/targetGroup:TargetGroup api-blue",
            "aws:lb/targetGroup:TargetGroup api-green",
            "aws:route53/record:Record api-certificate-validation-0",
            "aws:route53/record:Record api-record",
            "aws:s3/bucket:Bucket api-lb-logs",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration api-lb-logs",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls api-lb-logs",
            "aws:s3/bucketPolicy:BucketPolicy api-lb-logs",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock api-lb-logs",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration api-lb-logs",
            "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace api-discovery",
            "aws:servicediscovery/service:Service api-discovery",
            "random:index/randomPassword:RandomPassword api-origin-secret",
            "webstack:compute:ApiCluster api",
        ];
        const HOST_PARTS = [
            "aws:autoscaling/group:Group api-hosts",
            "aws:ec2/launchTemplate:LaunchTemplate api-hosts",
            "aws:ecs/capacityProvider:CapacityProvider api-hosts",
            "aws:iam/instanceProfile:InstanceProfile api-hosts",
            "aws:iam/role:Role api-hosts",
            "aws:iam/rolePolicy:RolePolicy api-hosts",
        ];

        it("creates exactly the ec2 shape, every child parented to the component", async () => {
            const { g } = await planApi();
            assert.deepEqual(inventory(g), EC2);
            const component = one(g, A.component, "api");
            for (const r of g.resources.filter((x) => x !== component)) assert.equal(r.parent, component.urn, r.name);
        });

        it("creates the Fargate shape without launch template, group, capacity provider, instance profile or hosts role", async () => {
            const { g } = await planApi(FARGATE);
            assert.deepEqual(inventory(g), EC2.filter((line) => !HOST_PARTS.includes(line)));
        });

        it("adds the HTTP listener and drops the origin secret when the load balancer is public, and one action per schedule entry", async () => {
            const schedule = [
                { name: "business-hours", cron: "cron(0 7 ? * MON-FRI *)", minTasks: 4, maxTasks: 8 },
                { name: "night", cron: "cron(0 20 ? * * *)", minTasks: 2, maxTasks: 4 },
            ];
            const { g } = await planApi({ ...PUBLIC, scaling: { schedule } });
            const expected = [
                ...EC2.filter((line) => line !== "random:index/randomPassword:RandomPassword api-origin-secret"),
                "aws:lb/listener:Listener api-http",
                "aws:appautoscaling/scheduledAction:ScheduledAction api-schedule-business-hours",
                "aws:appautoscaling/scheduledAction:ScheduledAction api-schedule-night",
            ].sort();
            assert.deepEqual(inventory(g), expected);
        });
    });

    describe("load balancer", () => {
        it("is internet-facing in the public subnets with the lb group, drops invalid headers, strictest desync mitigation, logs to the bucket", async () => {
            for (const protect of [false, true]) {
                const { g } = await planApi({ protect });
                const alb = one(g, A.alb, "api-alb");
                const bucket = one(g, T.bucket, "api-lb-logs");
                assert.deepEqual(alb.inputs, {
                    loadBalancerType: "application",
                    internal: false,
                    ipAddressType: "ipv4",
                    subnets: NETWORK.publicSubnetIds,
                    securityGroups: [NETWORK.loadBalancerSecurityGroupId],
                    dropInvalidHeaderFields: true,
                    desyncMitigationMode: "strictest",
                    enableDeletionProtection: protect,
                    enableHttp2: true,
                    idleTimeout: 60,
                    accessLogs: { bucket: bucket.outputs.bucket, prefix: "alb", enabled: true },
                    tags: tagsOf("alb"),
                });
                // ELB writes a test object when logging is enabled: the grant must exist first.
                assert.ok(alb.dependencies.includes(one(g, T.policy, "api-lb-logs").urn), "the load balancer waits for the log bucket's policy");
                assert.equal(bucket.inputs.forceDestroy, !protect);
            }
        });

        it("keeps the access-log bucket private, SSE-S3 encrypted (ALB logs take no KMS key), expiring after the log retention", async () => {
            const { g } = await planApi({ logRetentionDays: 90 });
            const bucket = one(g, T.bucket, "api-lb-logs");
            assert.deepEqual(one(g, T.pab, "api-lb-logs").inputs, {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            assert.deepEqual(one(g, T.ownership, "api-lb-logs").inputs, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
            assert.deepEqual(one(g, T.sse, "api-lb-logs").inputs, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
            assert.deepEqual(one(g, T.lifecycle, "api-lb-logs").inputs, {
                bucket: bucket.id,
                rules: [{ id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: 90 } }],
            });
            assert.deepEqual((await planApi()).g.resources.find((r) => r.type === T.lifecycle)?.inputs.rules, [
                { id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: 30 } },
            ]);
        });

        it("lets only the region's ELB account write under alb/AWSLogs/<account>/, and nothing without TLS", async () => {
            for (const preview of [false, true]) {
                const { g } = await planApi({}, { preview });
                const bucket = one(g, T.bucket, "api-lb-logs");
                const name = String(bucket.outputs.bucket);
                assert.match(name, /^api-lb-logs-[0-9a-f]{7}$/);
                const arn = `arn:aws:s3:::${name}`;
                const policy = one(g, T.policy, "api-lb-logs");
                assert.equal(policy.inputs.bucket, name);
                assert.deepEqual(json(policy.inputs.policy), {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "DenyInsecureTransport",
                            Effect: "Deny",
                            Principal: "*",
                            Action: "s3:*",
                            Resource: [arn, `${arn}/*`],
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                        {
                            Sid: "ElbDeliversAccessLogs",
                            Effect: "Allow",
                            Principal: { AWS: ELB_ACCOUNT_US_EAST_1 },
                            Action: "s3:PutObject",
                            Resource: `${arn}/alb/AWSLogs/${ACCOUNT}/*`,
                        },
                    ],
                });
            }
        });
    });

    describe("listeners and certificate", () => {
        it("terminates HTTPS with the TLS 1.3 policy and the validated certificate, and answers 403 to anything no rule forwards", async () => {
            const { g } = await planApi();
            assert.equal(API_TLS_POLICY, "ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
            assert.deepEqual(one(g, A.listener, "api-https").inputs, {
                loadBalancerArn: one(g, A.alb, "api-alb").outputs.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
                certificateArn: one(g, T.validation, "api-certificate").outputs.certificateArn,
                defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" } }],
                tags: tagsOf("https"),
            });
        });

        it("opens no port-80 listener behind CloudFront; when public, port 80 only redirects to HTTPS 443 with a 301", async () => {
            const cloaked = (await planApi()).g;
            assert.deepEqual(ofType(cloaked, A.listener).map((l) => [l.name, l.inputs.port]), [["api-https", 443]]);
            const { g } = await planApi(PUBLIC);
            assert.deepEqual(
                ofType(g, A.listener)
                    .map((l) => [l.name, l.inputs.port])
                    .sort(),
                [
                    ["api-http", 80],
                    ["api-https", 443],
                ],
            );
            assert.deepEqual(one(g, A.listener, "api-http").inputs, {
                loadBalancerArn: one(g, A.alb, "api-alb").outputs.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                tags: tagsOf("http"),
            });
        });

        it("issues an EC certificate for the domain, validated by DNS in the zone, and aliases the domain to the load balancer", async () => {
            const { g, zoneId } = await planApi();
            assert.match(zoneId, /^Z[0-9A-Z]+$/);
            const cert = one(g, T.cert, "api-certificate");
            assert.deepEqual(cert.inputs, {
                domainName: "api.example.com",
                subjectAlternativeNames: [],
                validationMethod: "DNS",
                keyAlgorithm: "EC_prime256v1",
                tags: tagsOf("certificate"),
            });
            const [option] = cert.outputs.domainValidationOptions as Record<string, string>[];
            const record = one(g, T.record, "api-certificate-validation-0");
            assert.deepEqual(record.inputs, {
                zoneId,
                name: option.resourceRecordName,
                type: "CNAME",
                records: [option.resourceRecordValue],
                ttl: 300,
                allowOverwrite: true,
            });
            assert.deepEqual(one(g, T.validation, "api-certificate").inputs, { certificateArn: cert.outputs.arn, validationRecordFqdns: [record.outputs.fqdn] });
            const alb = one(g, A.alb, "api-alb");
            assert.deepEqual(one(g, T.record, "api-record").inputs, {
                zoneId,
                name: "api.example.com",
                type: "A",
                aliases: [{ name: alb.outputs.dnsName, zoneId: alb.outputs.zoneId, evaluateTargetHealth: true }],
            });
        });
    });

    describe("target groups", () => {
        const group = (color: string, port: number, path: string, algorithm: string, slowStart: number) => ({
            vpcId: NETWORK.vpcId,
            targetType: "ip",
            protocol: "HTTP",
            protocolVersion: "HTTP1",
            port,
            loadBalancingAlgorithmType: algorithm,
            slowStart,
            deregistrationDelay: 30,
            healthCheck: {
                enabled: true,
                protocol: "HTTP",
                port: "traffic-port",
                path,
                matcher: "200",
                interval: 15,
                timeout: 5,
                healthyThreshold: 2,
                unhealthyThreshold: 3,
            },
            tags: tagsOf(color),
        });

        it("are identical but for their names: ip targets, health check, 30 s deregistration, 60 s slow start with round robin", async () => {
            const { g } = await planApi();
            assert.deepEqual(
                ofType(g, A.targetGroup).map((t) => t.inputs),
                ["blue", "green"].map((c) => group(c, 8080, "/api/health", "round_robin", 60)),
            );
        });

        it("turn slow start off with least outstanding requests (ALB allows it only with round robin), and take port and health check path", async () => {
            const { g } = await planApi({ routingAlgorithm: "least_outstanding_requests", port: 3000, healthCheckPath: "/healthz" });
            assert.deepEqual(
                ofType(g, A.targetGroup).map((t) => t.inputs),
                ["blue", "green"].map((c) => group(c, 3000, "/healthz", "least_outstanding_requests", 0)),
            );
        });
    });

    describe("canary releases", () => {
        const forward = (g: Graph) => [
            {
                type: "forward",
                forward: {
                    targetGroups: [
                        { arn: one(g, A.targetGroup, "api-blue").outputs.arn, weight: 100 },
                        { arn: one(g, A.targetGroup, "api-green").outputs.arn, weight: 0 },
                    ],
                },
            },
        ];

        it("forwards only requests carrying the origin header, its value the secret CloudFront gets, all to blue at first", async () => {
            const { g, api } = await planApi();
            const rule = one(g, A.rule, "api-production");
            assert.deepEqual(mask(rule.inputs), {
                listenerArn: one(g, A.listener, "api-https").outputs.arn,
                priority: 100,
                conditions: [{ httpHeader: { httpHeaderName: "X-Origin-Verify", values: [MASK] } }],
                actions: forward(g),
                tags: tagsOf("production"),
            });
            const header = api.originHeader as { name: string; value: pulumi.Output<string> };
            assert.equal(ORIGIN_HEADER, "X-Origin-Verify");
            assert.equal(header.name, ORIGIN_HEADER);
            assert.equal(await pulumi.isSecret(header.value), true);
            // The rule requires exactly the generated password, which is what CloudFront is handed.
            const password = one(g, A.password, "api-origin-secret");
            assert.deepEqual(password.inputs, { length: 32, special: false });
            const value = await valueOf(header.value);
            assert.equal(value, reveal(password.outputs.result));
            assert.deepEqual(reveal(rule.inputs.conditions), [{ httpHeader: { httpHeaderName: "X-Origin-Verify", values: [value] } }]);
            assert.deepEqual(rule.propertyDependencies.conditions, [password.urn]);
        });

        it("forwards every path when the load balancer is public, with no origin header", async () => {
            const { g, api } = await planApi(PUBLIC);
            const rule = one(g, A.rule, "api-production");
            assert.deepEqual(rule.inputs, {
                listenerArn: one(g, A.listener, "api-https").outputs.arn,
                priority: 100,
                conditions: [{ pathPattern: { values: ["/*"] } }],
                actions: forward(g),
                tags: tagsOf("production"),
            });
            assert.equal(api.originHeader, undefined);
        });

        it("ignores changes to the rule's actions (ECS rewrites the weights), the service's desired count and the hosts' desired capacity, and nothing else", async () => {
            assert.deepEqual(await ignoredChanges(), {
                "aws:lb/listenerRule:ListenerRule api-production": ["actions"],
                "aws:ecs/service:Service api-service": ["desiredCount"],
                "aws:autoscaling/group:Group api-hosts": ["desiredCapacity"],
            });
            assert.deepEqual(await ignoredChanges(FARGATE), {
                "aws:lb/listenerRule:ListenerRule api-production": ["actions"],
                "aws:ecs/service:Service api-service": ["desiredCount"],
            });
        });

        it("wires the service to blue, the alternate green, the production rule's ARN and the releases role", async () => {
            const { g } = await planApi();
            assert.deepEqual(one(g, A.service, "api-service").inputs.loadBalancers, [
                {
                    targetGroupArn: one(g, A.targetGroup, "api-blue").outputs.arn,
                    containerName: CONTAINER,
                    containerPort: 8080,
                    advancedConfiguration: {
                        alternateTargetGroupArn: one(g, A.targetGroup, "api-green").outputs.arn,
                        productionListenerRule: one(g, A.rule, "api-production").outputs.arn,
                        roleArn: one(g, T.role, "api-releases").outputs.arn,
                    },
                },
            ]);
            assert.equal(CONTAINER, "app");
            assert.match(String(one(g, A.rule, "api-production").outputs.arn), /^arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule\/app\//);
        });

        it("releases by CANARY (bake times as strings) with the circuit breaker and both alarms rolling back", async () => {
            const deployment = async (args: Partial<ApiClusterArgs>) => {
                const { g } = await planApi(args);
                const service = one(g, A.service, "api-service").inputs;
                return [service.deploymentConfiguration, service.deploymentCircuitBreaker, service.alarms, service.deploymentController, service.deploymentMaximumPercent, service.deploymentMinimumHealthyPercent, g];
            };
            const [config, breaker, alarms, controller, max, min, g] = await deployment({});
            assert.deepEqual(config, { strategy: "CANARY", bakeTimeInMinutes: "15", canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: "5" } });
            assert.deepEqual(breaker, { enable: true, rollback: true });
            const names = [one(g as Graph, A.alarm, "api-5xx-rate").outputs.name, one(g as Graph, A.alarm, "api-p99-latency").outputs.name];
            assert.match(String(names[0]), /^api-5xx-rate-[0-9a-f]{7}$/);
            assert.deepEqual(alarms, { alarmNames: names, enable: true, rollback: true });
            assert.deepEqual([controller, max, min], [{ type: "ECS" }, 200, 100]);
            const [custom] = await deployment({ release: { canaryPercent: 25, canaryBakeMinutes: 10, bakeMinutes: 30 } });
            assert.deepEqual(custom, { strategy: "CANARY", bakeTimeInMinutes: "30", canaryConfiguration: { canaryPercent: 25, canaryBakeTimeInMinutes: "10" } });
        });

        it("lets ECS (this account only) assume the releases role, with the AWS-managed load balancer policy", async () => {
            const { g } = await planApi();
            const role = one(g, T.role, "api-releases");
            assert.deepEqual(json(role.inputs.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ecs.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }],
            });
            assert.equal(ECS_LOAD_BALANCER_POLICY, "AmazonECSInfrastructureRolePolicyForLoadBalancers");
            assert.deepEqual(ofType(g, A.attachment).map((a) => [a.name, a.inputs]), [
                ["api-releases", { role: role.outputs.name, policyArn: "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers" }],
            ]);
            assert.equal(ofType(g, T.rolePolicy).some((p) => p.inputs.role === role.id), false, "no inline policy on the releases role");
        });

        it("rolls back on the load balancer's target 5xx rate and p99 latency: 2 of 3 one-minute periods", async () => {
            for (const [release, rate, p99] of [
                [undefined, 5, 1],
                [{ errorRatePercent: 2, p99LatencySeconds: 0.5 }, 2, 0.5],
            ] as const) {
                const { g } = await planApi({ release });
                const dimensions = { LoadBalancer: one(g, A.alb, "api-alb").outputs.arnSuffix };
                assert.match(String(dimensions.LoadBalancer), /^app\/api-alb-[0-9a-f]{7}\/[0-9a-f]{16}$/);
                const window = { evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: "notBreaching", actionsEnabled: true };
                assert.deepEqual(one(g, A.alarm, "api-5xx-rate").inputs, {
                    alarmDescription: `api: more than ${rate}% of requests fail with a target 5xx (rolls a release back)`,
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: rate,
                    metricQueries: [
                        { id: "errors", metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions, period: 60, stat: "Sum" } },
                        { id: "requests", metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions, period: 60, stat: "Sum" } },
                        { id: "rate", expression: "100 * FILL(errors, 0) / requests", label: "Target 5xx rate (%)", returnData: true },
                    ],
                    ...window,
                    tags: tagsOf("5xx-rate"),
                });
                assert.deepEqual(one(g, A.alarm, "api-p99-latency").inputs, {
                    alarmDescription: `api: p99 target response time above ${p99} s (rolls a release back)`,
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: p99,
                    namespace: "AWS/ApplicationELB",
                    metricName: "TargetResponseTime",
                    dimensions,
                    period: 60,
                    extendedStatistic: "p99",
                    ...window,
                    tags: tagsOf("p99-latency"),
                });
            }
        });
    });

    describe("hosts", () => {
        it("writes the ECS agent's config: this cluster, awsvpc tasks kept from instance metadata, reserved memory, task roles", () => {
            assert.equal(
                ecsConfig("api-cluster-0123abc"),
                [
                    "#!/bin/bash",
                    "cat >> /etc/ecs/ecs.config <<'EOF'",
                    "ECS_CLUSTER=api-cluster-0123abc",
                    "ECS_AWSVPC_BLOCK_IMDS=true",
                    "ECS_RESERVED_MEMORY=256",
                    "ECS_ENABLE_TASK_IAM_ROLE=true",
                    "EOF",
                    "",
                ].join("\n"),
            );
        });

        it("launches the current ECS AMI with IMDSv2 (hop limit 1), no public IP, the hosts group, an encrypted gp3 root with the component key", async () => {
            const { g } = await planApi();
            const template = one(g, A.launchTemplate, "api-hosts");
            const clusterName = String(one(g, A.cluster, "api-cluster").outputs.name);
            assert.match(clusterName, /^api-cluster-[0-9a-f]{7}$/);
            assert.equal(ECS_AMI, "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
            const { userData, ...inputs } = template.inputs;
            assert.equal(Buffer.from(String(userData), "base64").toString("utf8"), ecsConfig(clusterName));
            assert.ok(ecsConfig(clusterName).includes("\nECS_AWSVPC_BLOCK_IMDS=true\n"));
            assert.deepEqual(inputs, {
                description: "api: ECS container hosts",
                imageId: "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
                instanceType: "m6i.large",
                iamInstanceProfile: { arn: one(g, A.profile, "api-hosts").outputs.arn },
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
                networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [NETWORK.hostsSecurityGroupId] }],
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true", kmsKeyId: one(g, T.kmsKey, "api-key").outputs.arn, deleteOnTermination: "true" },
                    },
                ],
                monitoring: { enabled: true },
                updateDefaultVersion: true,
                tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: tagsOf("host") })),
                tags: tagsOf("hosts"),
            });
            assert.equal(one(g, A.profile, "api-hosts").inputs.role, one(g, T.role, "api-hosts").outputs.name);
        });

        it("turns off resource-name DNS records only with ENI trunking", async () => {
            const { g } = await planApi({ hosts: { ...HOSTS, trunking: true } });
            assert.deepEqual(one(g, A.launchTemplate, "api-hosts").inputs.privateDnsNameOptions, {
                hostnameType: "ip-name",
                enableResourceNameDnsARecord: false,
                enableResourceNameDnsAaaaRecord: false,
            });
            const { g: plain } = await planApi({ hosts: { ...HOSTS, trunking: false } });
            assert.equal("privateDnsNameOptions" in one(plain, A.launchTemplate, "api-hosts").inputs, false);
        });

        it("runs them in an auto scaling group over the private subnets, protected from scale-in, refreshed without losing capacity", async () => {
            const { g } = await planApi();
            const template = one(g, A.launchTemplate, "api-hosts");
            assert.deepEqual(one(g, A.group, "api-hosts").inputs, {
                vpcZoneIdentifiers: NETWORK.privateSubnetIds,
                minSize: 4,
                maxSize: 10,
                desiredCapacity: 4,
                launchTemplate: { id: template.id, version: String(template.outputs.latestVersion) },
                protectFromScaleIn: true,
                healthCheckType: "EC2",
                defaultInstanceWarmup: 300,
                instanceRefresh: {
                    strategy: "Rolling",
                    preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmup: "300", scaleInProtectedInstances: "Refresh", skipMatching: true },
                },
                tags: [
                    ...Object.entries(tagsOf("host")).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
                    { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
                ],
            });
        });

        it("sizes the group by ECS managed scaling with termination protection and draining, the cluster's only capacity provider", async () => {
            for (const [targetCapacityPercent, expected] of [
                [undefined, 100],
                [80, 80],
            ] as const) {
                const { g } = await planApi({ hosts: { ...HOSTS, targetCapacityPercent } });
                const provider = one(g, A.capacityProvider, "api-hosts");
                assert.deepEqual(provider.inputs, {
                    autoScalingGroupProvider: {
                        autoScalingGroupArn: one(g, A.group, "api-hosts").outputs.arn,
                        managedScaling: { status: "ENABLED", targetCapacity: expected, minimumScalingStepSize: 1, maximumScalingStepSize: 10, instanceWarmupPeriod: 300 },
                        managedTerminationProtection: "ENABLED",
                        managedDraining: "ENABLED",
                    },
                    tags: tagsOf("hosts"),
                });
                assert.deepEqual(one(g, A.clusterCapacity, "api-capacity").inputs, {
                    clusterName: one(g, A.cluster, "api-cluster").outputs.name,
                    capacityProviders: [provider.outputs.name],
                    defaultCapacityProviderStrategies: [{ capacityProvider: provider.outputs.name, weight: 1, base: 0 }],
                });
            }
            const { g } = await planApi(FARGATE);
            assert.deepEqual(one(g, A.clusterCapacity, "api-capacity").inputs, {
                clusterName: one(g, A.cluster, "api-cluster").outputs.name,
                capacityProviders: ["FARGATE"],
                defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
            });
        });

        it("gives the hosts' role only what the ECS agent calls, scoped to this cluster: no image pulls, no log writes", async () => {
            const { g } = await planApi();
            const role = one(g, T.role, "api-hosts");
            assert.deepEqual(json(role.inputs.assumeRolePolicy), {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            });
            const clusterName = String(one(g, A.cluster, "api-cluster").outputs.name);
            const policy = one(g, T.rolePolicy, "api-hosts");
            assert.equal(policy.inputs.role, role.id);
            assert.deepEqual(statements(policy), [
                {
                    Sid: "JoinCluster",
                    Effect: "Allow",
                    Action: [
                        "ecs:RegisterContainerInstance",
                        "ecs:DeregisterContainerInstance",
                        "ecs:SubmitContainerStateChange",
                        "ecs:SubmitTaskStateChange",
                        "ecs:SubmitAttachmentStateChanges",
                    ],
                    Resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${clusterName}`,
                },
                {
                    Sid: "ServeTasks",
                    Effect: "Allow",
                    Action: ["ecs:Poll", "ecs:StartTelemetrySession", "ecs:UpdateContainerInstancesState"],
                    Resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:container-instance/${clusterName}/*`,
                },
                { Sid: "FindEndpoint", Effect: "Allow", Action: ["ecs:DiscoverPollEndpoint"], Resource: "*" },
            ]);
            const actions = statements(policy).flatMap((s) => s.Action as string[]);
            assert.deepEqual(actions.filter((a) => /^(ecr|logs):/.test(a)), []);
            assert.equal(ofType(g, A.attachment).some((a) => a.inputs.role === role.outputs.name), false, "no managed policy on the hosts' role");
        });
    });

    describe("task definition and roles", () => {
        const containerFor = (g: Graph, changes: Record<string, unknown> = {}) => ({
            name: "app",
            image: `${REPOSITORY_URL}:${NOT_PUSHED}`,
            essential: true,
            user: "1000:1000",
            readonlyRootFilesystem: true,
            privileged: false,
            portMappings: [
                { name: "http", containerPort: 8080, protocol: "tcp" },
                { name: "metrics", containerPort: 9090, protocol: "tcp" },
            ],
            environment: [
                { name: "METRICS_PORT", value: "9090" },
                { name: "PORT", value: "8080" },
            ],
            secrets: [],
            mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
            linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
            healthCheck: {
                command: ["CMD", "node", "-e", "fetch('http://127.0.0.1:8080/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"],
                interval: 15,
                timeout: 5,
                retries: 3,
                startPeriod: 30,
            },
            stopTimeout: 30,
            ulimits: [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }],
            logConfiguration: {
                logDriver: "awslogs",
                options: {
                    "awslogs-group": one(g, T.logGroup, "api-tasks").outputs.name,
                    "awslogs-region": "us-east-1",
                    "awslogs-stream-prefix": "app",
                    mode: "non-blocking",
                    "max-buffer-size": "25m",
                },
            },
            ...changes,
        });

        for (const [args, compatibility] of [
            [{}, "EC2"],
            [FARGATE, "FARGATE"],
        ] as const) {
            it(`runs one non-root, read-only, capability-less container in awsvpc mode on ${compatibility}`, async () => {
                const { g } = await planApi(args);
                const definition = one(g, A.taskDefinition, "api-app");
                const { containerDefinitions, ...inputs } = definition.inputs;
                assert.deepEqual(inputs, {
                    family: `${String(one(g, A.cluster, "api-cluster").outputs.name)}-app`,
                    networkMode: "awsvpc",
                    requiresCompatibilities: [compatibility],
                    cpu: "512",
                    memory: "1024",
                    runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                    executionRoleArn: one(g, T.role, "api-execution").outputs.arn,
                    taskRoleArn: one(g, T.role, "api-task").outputs.arn,
                    volumes: [{ name: "tmp" }],
                    tags: tagsOf("app"),
                });
                assert.deepEqual(json(containerDefinitions), [containerFor(g)]);
            });
        }

        it("takes ports, user, health check command and environment (sorted, with PORT and METRICS_PORT) from args", async () => {
            const { g } = await planApi({
                port: 3000,
                metricsPort: 9464,
                user: "10001:10001",
                healthCheckCommand: ["CMD", "/app/healthcheck"],
                environment: { LOG_LEVEL: "info", ENVIRONMENT: "production", APP_MODE: "api" },
            });
            assert.deepEqual(
                containerOf(g),
                containerFor(g, {
                    user: "10001:10001",
                    portMappings: [
                        { name: "http", containerPort: 3000, protocol: "tcp" },
                        { name: "metrics", containerPort: 9464, protocol: "tcp" },
                    ],
                    environment: [
                        { name: "APP_MODE", value: "api" },
                        { name: "ENVIRONMENT", value: "production" },
                        { name: "LOG_LEVEL", value: "info" },
                        { name: "METRICS_PORT", value: "9464" },
                        { name: "PORT", value: "3000" },
                    ],
                    healthCheck: { command: ["CMD", "/app/healthcheck"], interval: 15, timeout: 5, retries: 3, startPeriod: 30 },
                }),
            );
            assert.equal((one(g, A.service, "api-service").inputs.loadBalancers as Record<string, unknown>[])[0].containerPort, 3000);
            const { g: defaultCheck } = await planApi({ port: 3000, healthCheckPath: "/healthz" });
            assert.deepEqual((containerOf(defaultCheck).healthCheck as Record<string, unknown>).command, [
                "CMD",
                "node",
                "-e",
                "fetch('http://127.0.0.1:3000/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))",
            ]);
        });

        it("runs no task before the first image (placeholder reference, desired 0, scaling 0-0), and the image with the task range once given", async () => {
            const empty = (await planApi()).g;
            assert.equal(containerOf(empty).image, `${REPOSITORY_URL}:not-pushed-yet`);
            assert.equal(one(empty, A.service, "api-service").inputs.desiredCount, 0);
            assert.deepEqual([one(empty, A.scalingTarget, "api-tasks").inputs.minCapacity, one(empty, A.scalingTarget, "api-tasks").inputs.maxCapacity], [0, 0]);
            for (const preview of [false, true]) {
                const { g } = await planApi({ image: IMAGE }, { preview });
                assert.equal(containerOf(g).image, IMAGE);
                assert.equal(one(g, A.service, "api-service").inputs.desiredCount, 4);
                assert.deepEqual([one(g, A.scalingTarget, "api-tasks").inputs.minCapacity, one(g, A.scalingTarget, "api-tasks").inputs.maxCapacity], [2, 8]);
            }
        });

        it("fails the run, naming the repository to push to, when the image is not this repository's by digest", async () => {
            const bad = [`docker.io/library/node@${DIGEST}`, `${REPOSITORY_URL}:v1.2.3`, `${REPOSITORY_URL}-other@${DIGEST}`, `${REPOSITORY_URL}@sha256:`, `${REPOSITORY_URL}@sha256:${DIGEST.slice(7, 20)}`];
            for (const image of bad) {
                for (const preview of [false, true]) {
                    await assert.rejects(planApi({ image }, { preview }), (err: Error) => {
                        const expected = `the ApiCluster's image ${image} is not an image of its repository by digest: push to ${REPOSITORY_URL} and set the image as ${REPOSITORY_URL}@sha256:<64 hex digits>`;
                        assert.ok(err.message.startsWith(`resource "api-app" [aws:ecs/taskDefinition:TaskDefinition] (input containerDefinitions): `), err.message);
                        assert.ok(err.message.endsWith(`: ${expected}`), err.message);
                        return true;
                    });
                }
            }
        });

        it("lets the execution role log in to the registry, pull from this repository and write this log group, nothing more without secrets", async () => {
            for (const preview of [false, true]) {
                const { g } = await planApi({}, { preview });
                const role = one(g, T.role, "api-execution");
                const policy = one(g, T.rolePolicy, "api-execution");
                assert.equal(policy.inputs.role, preview ? UNKNOWN : role.id);
                const repository = String(one(g, A.repository, "api-images").outputs.name);
                const logGroup = String(one(g, T.logGroup, "api-tasks").outputs.name);
                assert.deepEqual(statements(policy), [
                    { Sid: "RegistryLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
                    {
                        Sid: "PullImage",
                        Effect: "Allow",
                        Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                        Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${repository}`,
                    },
                    { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${logGroup}:*` },
                ]);
                if (!preview) assert.equal(`arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${repository}`, one(g, A.repository, "api-images").outputs.arn);
            }
        });

        it("injects secrets as valueFrom <arn>:<key>::, and lets the execution role read exactly those and decrypt with their keys", async () => {
            const app = SECRET_ARN("api/app");
            const { g } = await planApi({
                secrets: [
                    { name: "API_SIGNING_KEY", secretArn: app, jsonKey: "signingKey", kmsKeyArn: KEY_ARN("app-key") },
                    { name: "THIRD_PARTY_TOKEN", secretArn: SECRET_ARN("api/token") },
                ],
            });
            assert.deepEqual(containerOf(g).secrets, [
                { name: "API_SIGNING_KEY", valueFrom: `${app}:signingKey::` },
                { name: "THIRD_PARTY_TOKEN", valueFrom: SECRET_ARN("api/token") },
            ]);
            const [login, pull, logs, ...rest] = statements(one(g, T.rolePolicy, "api-execution"));
            assert.deepEqual([login.Sid, pull.Sid, logs.Sid], ["RegistryLogin", "PullImage", "WriteLogs"]);
            assert.deepEqual(rest, [
                { Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [app, SECRET_ARN("api/token")] },
                {
                    Sid: "DecryptSecrets",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: [KEY_ARN("app-key")],
                    Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
                },
            ]);
        });

        it("connects to the database and the cache with IAM: settings as environment, endpoints through parameters, no secret; the task role may connect as their users only", async () => {
            const connectDb = `arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:prx-0123456789abcdef0/webstack`;
            const cacheArns = [`arn:aws:elasticache:us-east-1:${ACCOUNT}:replicationgroup:cache-rg`, `arn:aws:elasticache:us-east-1:${ACCOUNT}:user:cache-app`];
            for (const preview of [false, true]) {
                const { g } = await planApi(
                    {
                        database: { host: "db-proxy.proxy-abc.us-east-1.rds.amazonaws.com", port: 5432, name: "webstack", username: "webstack", connectResourceArn: connectDb, poolSize: 12 },
                        cache: { host: "master.cache.abc.use1.cache.amazonaws.com", port: 6379, username: "cache-app", connectResourceArns: cacheArns },
                    },
                    { preview },
                );
                const container = containerOf(g);
                assert.deepEqual(container.environment, [
                    { name: "DATABASE_AUTH", value: "iam" },
                    { name: "DATABASE_NAME", value: "webstack" },
                    { name: "DATABASE_POOL_MAX", value: "12" },
                    { name: "DATABASE_PORT", value: "5432" },
                    { name: "DATABASE_USER", value: "webstack" },
                    { name: "METRICS_PORT", value: "9090" },
                    { name: "PORT", value: "8080" },
                    { name: "REDIS_AUTH", value: "iam" },
                    { name: "REDIS_PORT", value: "6379" },
                    { name: "REDIS_TLS", value: "true" },
                    { name: "REDIS_USER", value: "cache-app" },
                ]);
                // Endpoints AWS assigns at create reach the task through parameters named before deploy.
                const host = one(g, "aws:ssm/parameter:Parameter", "api-database-host");
                const redis = one(g, "aws:ssm/parameter:Parameter", "api-redis-host");
                assert.equal(host.inputs.type, "String");
                // The SDK keeps every parameter value secret in state.
                assert.equal((reveal(host.inputs) as { value: string }).value, "db-proxy.proxy-abc.us-east-1.rds.amazonaws.com");
                const arnOf = (p: RecordedResource) => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/${String(p.outputs.name)}`;
                assert.deepEqual(container.secrets, [
                    { name: "DATABASE_HOST", valueFrom: arnOf(host) },
                    { name: "REDIS_HOST", valueFrom: arnOf(redis) },
                ]);
                assert.deepEqual(statements(one(g, T.rolePolicy, "api-execution")).slice(3), [
                    { Sid: "ReadSettings", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: [arnOf(host), arnOf(redis)] },
                ]);
                const database = one(g, T.rolePolicy, "api-task-database");
                const cache = one(g, T.rolePolicy, "api-task-cache");
                assert.deepEqual(statements(database), [{ Sid: "ConnectDatabase", Effect: "Allow", Action: ["rds-db:connect"], Resource: [connectDb] }]);
                assert.deepEqual(statements(cache), [{ Sid: "ConnectCache", Effect: "Allow", Action: ["elasticache:Connect"], Resource: cacheArns }]);
                // The first tasks start once their role may connect.
                const service = one(g, A.service, "api-service");
                assert.ok(service.dependencies.includes(database.urn) && service.dependencies.includes(cache.urn));
            }
        });

        it("grants secrets without a customer-managed key no kms:Decrypt", async () => {
            const { g } = await planApi({ secrets: [{ name: "TOKEN", secretArn: SECRET_ARN("api/token") }] });
            assert.deepEqual(containerOf(g).secrets, [{ name: "TOKEN", valueFrom: SECRET_ARN("api/token") }]);
            assert.deepEqual(statements(one(g, T.rolePolicy, "api-execution")).slice(3), [
                { Sid: "ReadSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET_ARN("api/token")] },
            ]);
        });

        it("trusts only this account's ECS tasks in both roles and gives the task role no permission", async () => {
            const { g } = await planApi();
            const trust = {
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Principal: { Service: "ecs-tasks.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": `arn:aws:ecs:us-east-1:${ACCOUNT}:*` } },
                    },
                ],
            };
            for (const name of ["api-execution", "api-task"]) assert.deepEqual(json(one(g, T.role, name).inputs.assumeRolePolicy), trust, name);
            const task = one(g, T.role, "api-task");
            assert.deepEqual(
                ofType(g, T.rolePolicy).map((p) => p.name),
                ["api-hosts", "api-execution"],
            );
            assert.equal(ofType(g, T.rolePolicy).some((p) => p.inputs.role === task.id), false);
            assert.equal(ofType(g, A.attachment).some((a) => a.inputs.role === task.outputs.name), false);
        });

        it("logs to a KMS-encrypted group kept for the log retention", async () => {
            const { g } = await planApi({ logRetentionDays: 90 });
            assert.deepEqual(one(g, T.logGroup, "api-tasks").inputs, { retentionInDays: 90, kmsKeyId: one(g, T.kmsKey, "api-key").outputs.arn, tags: tagsOf("tasks") });
        });
    });

    describe("service", () => {
        const serviceFor = (g: Graph, fargate: boolean) => ({
            cluster: one(g, A.cluster, "api-cluster").outputs.arn,
            taskDefinition: one(g, A.taskDefinition, "api-app").outputs.arn,
            desiredCount: 4,
            capacityProviderStrategies: [{ capacityProvider: fargate ? "FARGATE" : one(g, A.capacityProvider, "api-hosts").outputs.name, weight: 1, base: 0 }],
            ...(fargate ? { platformVersion: "LATEST" } : {}),
            networkConfiguration: { subnets: NETWORK.privateSubnetIds, securityGroups: [NETWORK.appSecurityGroupId], assignPublicIp: false },
            ...(fargate
                ? {}
                : {
                      orderedPlacementStrategies: [
                          { type: "spread", field: "attribute:ecs.availability-zone" },
                          { type: "spread", field: "instanceId" },
                      ],
                  }),
            loadBalancers: [
                {
                    targetGroupArn: one(g, A.targetGroup, "api-blue").outputs.arn,
                    containerName: "app",
                    containerPort: 8080,
                    advancedConfiguration: {
                        alternateTargetGroupArn: one(g, A.targetGroup, "api-green").outputs.arn,
                        productionListenerRule: one(g, A.rule, "api-production").outputs.arn,
                        roleArn: one(g, T.role, "api-releases").outputs.arn,
                    },
                },
            ],
            healthCheckGracePeriodSeconds: 60,
            deploymentController: { type: "ECS" },
            deploymentConfiguration: { strategy: "CANARY", bakeTimeInMinutes: "15", canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: "5" } },
            deploymentMaximumPercent: 200,
            deploymentMinimumHealthyPercent: 100,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            alarms: { alarmNames: [one(g, A.alarm, "api-5xx-rate").outputs.name, one(g, A.alarm, "api-p99-latency").outputs.name], enable: true, rollback: true },
            serviceRegistries: { registryArn: one(g, A.discovery, "api-discovery").outputs.arn },
            enableEcsManagedTags: true,
            propagateTags: "SERVICE",
            enableExecuteCommand: false,
            tags: tagsOf("service"),
        });

        for (const fargate of [false, true]) {
            it(`runs ${fargate ? "on Fargate (LATEST platform)" : "on the hosts' capacity provider, spread over zones and hosts"}: private subnets, the app group, no public IP, no exec`, async () => {
                const { g } = await planApi({ image: IMAGE, ...(fargate ? FARGATE : {}) });
                const service = one(g, A.service, "api-service");
                assert.deepEqual(service.inputs, serviceFor(g, fargate));
                // ECS needs the role's managed policy to shift traffic, the listener before it attaches, the capacity provider before it places tasks.
                for (const dependency of [one(g, A.attachment, "api-releases"), one(g, A.listener, "api-https"), one(g, A.clusterCapacity, "api-capacity")]) {
                    assert.ok(service.dependencies.includes(dependency.urn), dependency.name);
                }
            });
        }

        it("registers every task in Cloud Map: one A record per task (MULTIVALUE, ttl 10) under app.<discoveryDomain>", async () => {
            for (const [discoveryDomain, expected] of [
                [undefined, "api.webstack.internal"],
                ["api.prod.internal", "api.prod.internal"],
            ] as const) {
                const { g, api } = await planApi({ discoveryDomain });
                const namespace = one(g, A.namespace, "api-discovery");
                assert.deepEqual(namespace.inputs, { name: expected, vpc: NETWORK.vpcId, description: "api: API tasks for monitoring", tags: tagsOf("discovery") });
                assert.deepEqual(one(g, A.discovery, "api-discovery").inputs, {
                    name: "app",
                    dnsConfig: { namespaceId: namespace.id, routingPolicy: "MULTIVALUE", dnsRecords: [{ type: "A", ttl: 10 }] },
                    forceDestroy: true,
                    tags: tagsOf("discovery"),
                });
                assert.equal(api.discoveryName, `app.${expected}`);
            }
        });
    });

    describe("scaling", () => {
        it("tracks CPU and requests per running task on the service's desired count", async () => {
            const { g } = await planApi({ image: IMAGE, scaling: { cpuTargetPercent: 60, requestsPerTask: 1500 } });
            const clusterName = one(g, A.cluster, "api-cluster").outputs.name;
            const serviceName = one(g, A.service, "api-service").outputs.name;
            const scaled = { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: `service/${String(clusterName)}/${String(serviceName)}` };
            assert.deepEqual(one(g, A.scalingTarget, "api-tasks").inputs, { ...scaled, minCapacity: 2, maxCapacity: 8, tags: tagsOf("tasks") });
            assert.deepEqual(one(g, A.scalingPolicy, "api-cpu").inputs, {
                ...scaled,
                policyType: "TargetTrackingScaling",
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                    targetValue: 60,
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            });
            assert.deepEqual(one(g, A.scalingPolicy, "api-requests").inputs, {
                ...scaled,
                policyType: "TargetTrackingScaling",
                targetTrackingScalingPolicyConfiguration: {
                    customizedMetricSpecification: {
                        metrics: [
                            {
                                id: "requests",
                                metricStat: {
                                    metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions: [{ name: "LoadBalancer", value: one(g, A.alb, "api-alb").outputs.arnSuffix }] },
                                    stat: "Sum",
                                },
                                returnData: false,
                            },
                            {
                                id: "tasks",
                                metricStat: {
                                    metric: {
                                        namespace: "ECS/ContainerInsights",
                                        metricName: "RunningTaskCount",
                                        dimensions: [
                                            { name: "ClusterName", value: clusterName },
                                            { name: "ServiceName", value: serviceName },
                                        ],
                                    },
                                    stat: "Average",
                                },
                                returnData: false,
                            },
                            { id: "perTask", expression: "requests / tasks", label: "Requests per task per minute", returnData: true },
                        ],
                    },
                    targetValue: 1500,
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            });
            // Running task counts come from Container Insights.
            assert.deepEqual(one(g, A.cluster, "api-cluster").inputs, { settings: [{ name: "containerInsights", value: "enhanced" }], tags: tagsOf("cluster") });
            const defaults = (await planApi()).g;
            const targetValue = (name: string) => (one(defaults, A.scalingPolicy, name).inputs.targetTrackingScalingPolicyConfiguration as Record<string, unknown>).targetValue;
            assert.deepEqual([targetValue("api-cpu"), targetValue("api-requests")], [70, 1000]);
        });

        it("changes the task range on the schedule (UTC unless a time zone is given), to 0-0 before the first image", async () => {
            const schedule = [
                { name: "business-hours", cron: "cron(0 7 ? * MON-FRI *)", timezone: "Europe/Berlin", minTasks: 4, maxTasks: 8 },
                { name: "night", cron: "cron(0 20 ? * * *)", minTasks: 2, maxTasks: 4 },
            ];
            for (const [image, ranges] of [
                [IMAGE, [[4, 8], [2, 4]]],
                [undefined, [[0, 0], [0, 0]]],
            ] as const) {
                const { g } = await planApi({ image, scaling: { schedule } });
                const target = one(g, A.scalingTarget, "api-tasks");
                const scaled = { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: target.inputs.resourceId };
                assert.deepEqual(
                    ofType(g, A.scheduled).map((s) => [s.name, s.inputs]),
                    [
                        ["api-schedule-business-hours", { ...scaled, name: "business-hours", schedule: "cron(0 7 ? * MON-FRI *)", timezone: "Europe/Berlin", scalableTargetAction: { minCapacity: ranges[0][0], maxCapacity: ranges[0][1] } }],
                        ["api-schedule-night", { ...scaled, name: "night", schedule: "cron(0 20 ? * * *)", timezone: "UTC", scalableTargetAction: { minCapacity: ranges[1][0], maxCapacity: ranges[1][1] } }],
                    ],
                );
            }
        });
    });

    describe("repository and key", () => {
        it("keeps images immutable, scanned on push, encrypted with the component key, expiring old ones, with no repository policy", async () => {
            for (const protect of [false, true]) {
                const { g } = await planApi({ protect });
                assert.deepEqual(one(g, A.repository, "api-images").inputs, {
                    imageTagMutability: "IMMUTABLE",
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: one(g, T.kmsKey, "api-key").outputs.arn }],
                    forceDelete: !protect,
                    tags: tagsOf("images"),
                });
                assert.deepEqual(ofType(g, A.repositoryPolicy), []);
                const lifecycle = one(g, A.ecrLifecycle, "api-images");
                assert.equal(lifecycle.inputs.repository, one(g, A.repository, "api-images").outputs.name);
                assert.deepEqual(json(lifecycle.inputs.policy), {
                    rules: [
                        {
                            rulePriority: 1,
                            description: "Expire untagged images after 7 days",
                            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                            action: { type: "expire" },
                        },
                        {
                            rulePriority: 2,
                            description: "Keep the last 100 images",
                            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 100 },
                            action: { type: "expire" },
                        },
                    ],
                });
            }
        });

        it("rotates the key and lets the account use it only through ECR, Logs only for this account's groups, Auto Scaling only with hosts", async () => {
            const admin = {
                Sid: "AccountAdministers",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: [
                    "kms:Create*",
                    "kms:Describe*",
                    "kms:Enable*",
                    "kms:List*",
                    "kms:Put*",
                    "kms:Update*",
                    "kms:Revoke*",
                    "kms:Disable*",
                    "kms:Get*",
                    "kms:Delete*",
                    "kms:TagResource",
                    "kms:UntagResource",
                    "kms:ScheduleKeyDeletion",
                    "kms:CancelKeyDeletion",
                ],
                Resource: "*",
            };
            const ecr = {
                Sid: "AccountUsesThroughEcr",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"],
                Resource: "*",
                Condition: { StringEquals: { "kms:ViaService": "ecr.us-east-1.amazonaws.com", "kms:CallerAccount": ACCOUNT } },
            };
            const logs = {
                Sid: "CloudWatchLogsEncrypts",
                Effect: "Allow",
                Principal: { Service: "logs.us-east-1.amazonaws.com" },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*` } },
            };
            const autoScaling = { AWS: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling` };
            const volumes = [
                {
                    Sid: "AutoScalingEncryptsHostVolumes",
                    Effect: "Allow",
                    Principal: autoScaling,
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                    Resource: "*",
                },
                {
                    Sid: "AutoScalingAttachesHostVolumes",
                    Effect: "Allow",
                    Principal: autoScaling,
                    Action: ["kms:CreateGrant"],
                    Resource: "*",
                    Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
                },
            ];
            for (const [args, description, expected] of [
                [{}, "api: API images, task logs and host volumes", [admin, ecr, logs, ...volumes]],
                [FARGATE, "api: API images, task logs", [admin, ecr, logs]],
            ] as const) {
                const { g } = await planApi(args);
                const key = one(g, T.kmsKey, "api-key");
                assert.deepEqual(withoutTags(key.inputs), { description, enableKeyRotation: true, deletionWindowInDays: 30, policy: key.inputs.policy });
                assert.deepEqual(json(key.inputs.policy), { Version: "2012-10-17", Statement: expected });
            }
        });
    });

    describe("tags and protection", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const TAGGABLE = new Set(require("../../policy/lib/taggable-types.json") as string[]);

        it("tags every taggable child with the base tags, the component and its Name", async () => {
            for (const args of [{}, FARGATE, { ...PUBLIC, scaling: { schedule: [{ name: "night", cron: "cron(0 20 ? * * *)", minTasks: 1, maxTasks: 2 }] } }]) {
                const { g } = await planApi(args);
                const taggable = g.resources.filter((r) => TAGGABLE.has(r.type));
                assert.equal(taggable.length, g.resources.filter((r) => r.inputs.tags !== undefined).length, "every resource with tags is a taggable type");
                for (const r of taggable) {
                    // The group's tags are a list, propagated to its hosts, named for one host.
                    const tags =
                        r.type === A.group
                            ? Object.fromEntries((r.inputs.tags as { key: string; value: string }[]).filter((t) => t.key !== "AmazonECSManaged").map((t) => [t.key, t.value]))
                            : r.inputs.tags;
                    assert.deepEqual(tags, tagsOf(r.type === A.group ? "host" : r.name.replace(/^api-/, "")), `${r.type} ${r.name}`);
                }
            }
        });

        it("protects and retains exactly the repository, key, task log group and access-log bucket when asked, nothing without", async () => {
            const options = async (protect: boolean | undefined) =>
                (await planApi(protect === undefined ? {} : { protect })).g.resources.filter((r) => r.protect || r.retainOnDelete).map((r) => [r.type, r.name, r.protect, r.retainOnDelete]);
            assert.deepEqual(await options(undefined), []);
            assert.deepEqual(await options(false), []);
            assert.deepEqual(
                (await options(true)).sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
                [
                    [A.repository, "api-images", true, true],
                    [T.kmsKey, "api-key", true, true],
                    [T.bucket, "api-lb-logs", true, true],
                    [T.logGroup, "api-tasks", true, true],
                ],
            );
        });
    });

    describe("outputs", () => {
        it("exposes the URL, load balancer, target groups, cluster, service, log group, hosts group, repository, discovery and origin header", async () => {
            const { g, api } = await planApi();
            const alb = one(g, A.alb, "api-alb");
            assert.deepEqual(
                await valueOf([
                    api.loadBalancerArn,
                    api.loadBalancerDnsName,
                    api.loadBalancerArnSuffix,
                    api.targetGroupArnSuffixes,
                    api.clusterName,
                    api.serviceName,
                    api.logGroupName,
                    api.autoScalingGroupName as pulumi.Output<string>,
                    api.repositoryUrl,
                    api.discoveryNamespaceId,
                ]),
                [
                    alb.outputs.arn,
                    alb.outputs.dnsName,
                    alb.outputs.arnSuffix,
                    [one(g, A.targetGroup, "api-blue").outputs.arnSuffix, one(g, A.targetGroup, "api-green").outputs.arnSuffix],
                    one(g, A.cluster, "api-cluster").outputs.name,
                    one(g, A.service, "api-service").outputs.name,
                    one(g, T.logGroup, "api-tasks").outputs.name,
                    one(g, A.group, "api-hosts").outputs.name,
                    REPOSITORY_URL,
                    one(g, A.namespace, "api-discovery").id,
                ],
            );
            assert.match(String(alb.outputs.arnSuffix), /^app\/api-alb-[0-9a-f]{7}\/[0-9a-f]{16}$/);
            assert.deepEqual([api.url, api.domain, api.discoveryName, api.originHeader?.name], ["https://api.example.com", "api.example.com", "app.api.webstack.internal", "X-Origin-Verify"]);
            assert.deepEqual(one(g, A.component, "api").outputs, {
                url: "https://api.example.com",
                loadBalancerArn: alb.outputs.arn,
                loadBalancerDnsName: alb.outputs.dnsName,
                loadBalancerArnSuffix: alb.outputs.arnSuffix,
                targetGroupArnSuffixes: [one(g, A.targetGroup, "api-blue").outputs.arnSuffix, one(g, A.targetGroup, "api-green").outputs.arnSuffix],
                clusterName: one(g, A.cluster, "api-cluster").outputs.name,
                serviceName: one(g, A.service, "api-service").outputs.name,
                logGroupName: one(g, T.logGroup, "api-tasks").outputs.name,
                autoScalingGroupName: one(g, A.group, "api-hosts").outputs.name,
                repositoryUrl: REPOSITORY_URL,
                discoveryName: "app.api.webstack.internal",
            });
        });

        it("has no hosts group on Fargate and no origin header when public", async () => {
            const { api } = await planApi({ ...FARGATE, ...PUBLIC });
            assert.equal(api.autoScalingGroupName, undefined);
            assert.equal(api.originHeader, undefined);
        });
    });

    describe("policy pack", () => {
        const production = readPackConfig(path.join(ROOT, "policy", "config", "production.json"));

        it("passes every production rule with a real Vpc's network (ec2 and Fargate, plan and plan --preview)", async () => {
            for (const capacity of [{}, FARGATE]) {
                for (const preview of [false, true]) {
                    const g = await planProgram(
                        () => {
                            const net = new Vpc("network", { cidr: "10.20.0.0/16", zones: ["us-east-1a", "us-east-1b"], natStrategy: "onePerAz", flowLogRetentionDays: 365, protect: true, tags: TAGS });
                            const network = {
                                vpcId: net.vpcId,
                                publicSubnetIds: net.publicSubnetIds,
                                privateSubnetIds: net.privateSubnetIds,
                                loadBalancerSecurityGroupId: net.securityGroupIds.lb,
                                appSecurityGroupId: net.securityGroupIds.app,
                                hostsSecurityGroupId: net.securityGroupIds.hosts,
                                cloudFrontOnly: net.loadBalancerIngress === "cloudfront",
                            };
                            new ApiCluster("api", { ...BASE, ...capacity, network, protect: true });
                        },
                        "production",
                        { preview },
                    );
                    const verdict = await evaluatePolicies(g, POLICIES, production);
                    assert.deepEqual(verdict.findings.map((f) => [f.policy, f.level, f.resource, f.message]), [], `${capacity === FARGATE ? "fargate" : "ec2"} preview=${preview}`);
                }
            }
        });

        it("alone, over ids it cannot see, leaves only the network-relationship rules undecided", async () => {
            for (const capacity of [{}, FARGATE]) {
                for (const preview of [false, true]) {
                    const { g } = await planApi({ ...capacity, protect: true }, { preview });
                    const verdict = await evaluatePolicies(g, POLICIES, production);
                    // R51 cannot see the load balancer group's rules, S03 the subnets' route tables: a real Vpc decides both (above).
                    assert.deepEqual(
                        [...new Set(verdict.findings.map((f) => `${f.policy} ${f.level} ${f.resource}`))].sort(),
                        [
                            "R51-public-alb-waf-or-cloudfront-only mandatory api-alb",
                            ...(capacity === FARGATE ? [] : ["S03-private-placement mandatory api-hosts"]),
                            "S03-private-placement mandatory api-service",
                        ],
                    );
                }
            }
        });
    });

    describe("regional WAF", () => {
        it("puts a REGIONAL web ACL with managed rules and the rate limit on the load balancer only when asked, logging to an aws-waf-logs-* group under its own key", async () => {
            const without = (await planApi()).g;
            assert.equal(ofType(without, "aws:wafv2/webAcl:WebAcl").length, 0);
            const { g } = await planApi({ waf: true, logRetentionDays: 90, protect: true });
            const acl = one(g, "aws:wafv2/webAcl:WebAcl", "api-waf");
            assert.equal(acl.inputs.scope, "REGIONAL");
            assert.deepEqual(
                (acl.inputs.rules as { name: string }[]).map((r) => r.name),
                [...MANAGED_RULE_GROUPS, "rate-limit"],
            );
            assert.equal(RATE_LIMIT, 2000);
            const association = one(g, "aws:wafv2/webAclAssociation:WebAclAssociation", "api-waf");
            assert.equal(association.inputs.resourceArn, one(g, A.alb, "api-alb").outputs.arn);
            assert.equal(association.inputs.webAclArn, acl.outputs.arn);
            const group = one(g, T.logGroup, "aws-waf-logs-api");
            assert.equal(group.inputs.retentionInDays, 90);
            assert.equal(group.inputs.kmsKeyId, one(g, T.kmsKey, "api-waf-logs").outputs.arn);
            assert.equal(group.protect, true);
            const logging = one(g, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "api-waf");
            assert.deepEqual(logging.inputs.logDestinationConfigs, [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${String(group.outputs.name)}`]);
            const keyPolicy = statements(one(g, T.kmsKey, "api-waf-logs"));
            assert.deepEqual(keyPolicy[1].Principal, { Service: "logs.us-east-1.amazonaws.com" });
        });
    });

    describe("argument checks", () => {
        it("refuses unusable args before registering anything, naming every problem at once", async () => {
            const args: ApiClusterArgs = {
                ...BASE,
                hosts: undefined,
                tasks: { min: 5, desired: 3, max: 8, cpu: 512, memory: 1024 },
                release: { canaryPercent: 0, canaryBakeMinutes: 2.5, bakeMinutes: 2000 },
                port: 9090,
            };
            assert.deepEqual(argProblems(args), [
                'capacity "ec2" needs the hosts argument (instance type and min/desired/max)',
                "tasks must have min <= desired <= max, not 5 / 3 / 8",
                "release.canaryPercent (0) must be from 0.1 to 100",
                "release.canaryBakeMinutes (2.5) must be whole minutes from 0 to 1440",
                "release.bakeMinutes (2000) must be whole minutes from 0 to 1440",
                "port and metricsPort (9090) must differ: only the monitoring tier may reach the metrics port",
            ]);
            assert.deepEqual(argProblems({ ...BASE, hosts: { ...HOSTS, min: -1 } }), ["hosts min/desired/max (-1/4/10) must be whole numbers >= 0"]);
            assert.deepEqual(argProblems(BASE), []);
            assert.deepEqual(argProblems({ ...BASE, ...FARGATE }), []);
            await assert.rejects(planApi(args), (err: Error) => {
                assert.ok(err.message.includes(`ApiCluster api has invalid arguments:\n  - capacity "ec2" needs the hosts argument`), err.message);
                return true;
            });
            assert.equal(registeredCount(), 0, "nothing registered");
        });
    });

    describe("origin secret", () => {
        /** Where the masked graph shows `[secret]`, as `<name> <inputs|outputs>.<path>`. */
        const secretPaths = (g: Graph): string[] => {
            const found: string[] = [];
            const walk = (v: unknown, at: string): void => {
                if (v === MASK) found.push(at);
                else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}.${i}`));
                else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
            };
            for (const r of g.resources) {
                walk(mask(r.inputs), `${r.name} inputs`);
                walk(mask(r.outputs), `${r.name} outputs`);
            }
            return found.sort();
        };

        it("stays a secret wherever it flows, and is never shown, in plan and plan --preview", async () => {
            for (const preview of [false, true]) {
                const { g, api } = await planApi({ image: IMAGE }, { preview });
                const password = one(g, A.password, "api-origin-secret");
                assert.equal(await pulumi.isSecret((api.originHeader as { value: pulumi.Output<string> }).value), true);
                // Only the rule's condition takes the password; it is wrapped there and in everything reported back.
                const dependents = g.resources.flatMap((r) => Object.entries(r.propertyDependencies).filter(([, urns]) => urns.includes(password.urn)).map(([prop]) => `${r.name} ${prop}`));
                assert.deepEqual(dependents, ["api-production conditions"]);
                // The password's `result` and `bcryptHash` are its additionalSecretOutputs: secrets as the engine returns them.
                assert.deepEqual(secretPaths(g), [
                    "api-origin-secret outputs.bcryptHash",
                    "api-origin-secret outputs.result",
                    "api-production inputs.conditions.0.httpHeader.values.0",
                    "api-production outputs.conditions",
                ]);
                const printable = JSON.stringify([g.outputs, ...g.resources.map((r) => mask([r.inputs, r.outputs]))]);
                assert.ok(printable.includes("X-Origin-Verify"), "the header name is shown");
                if (!preview) {
                    // The value itself (32 letters and digits, as generated) appears nowhere printable.
                    const value = (reveal(password.outputs) as { result: string }).result;
                    assert.match(value, /^[A-Za-z0-9]{32}$/);
                    assert.equal(printable.includes(value), false);
                    const [rule] = (reveal(one(g, A.rule, "api-production").inputs) as { conditions: { httpHeader: { values: string[] } }[] }).conditions;
                    assert.deepEqual(rule.httpHeader.values, [value], "the rule requires exactly the generated value");
                }
                assert.equal("originHeader" in one(g, A.component, "api").outputs, false, "not among the component's outputs");
            }
        });
    });
});
