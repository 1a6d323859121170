import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsContext } from "../shared/aws-context";
import { policyDocument, serviceTrustPolicy, toJson, type Statement } from "../shared/iam";
import type { Tags } from "../shared/tags";
import type { LoadBalancerParts } from "./load-balancer";
import type { ReleaseParts } from "./releases";

/** The container's name in the task definition (the target of the load balancer). */
export const CONTAINER = "app";
/** The image reference a stack runs before CI has pushed its first image: never pulled, the service runs no task. */
export const NOT_PUSHED = "not-pushed-yet";

/** A value the task reads from Secrets Manager at start (never in the task definition itself). */
export interface TaskSecret {
    /** The environment variable the container sees. */
    readonly name: string;
    readonly secretArn: pulumi.Input<string>;
    /** A key of a JSON secret; unset: the whole secret string. */
    readonly jsonKey?: string;
    /** The customer-managed KMS key encrypting the secret; unset: the AWS-managed key (nothing to grant). */
    readonly kmsKeyArn?: pulumi.Input<string>;
}

/** A policy of the application's task role (`${name}-task-${role}`). */
export interface TaskPolicy {
    readonly role: string;
    readonly statements: readonly Statement[];
}

/** A non-secret setting known only after deploy (an endpoint), handed to the task through an SSM parameter. */
export interface PublishedSetting {
    /** The environment variable the container sees. */
    readonly name: string;
    readonly value: pulumi.Input<string>;
}

/** A time-of-day change of the task range (Application Auto Scaling scheduled action). */
export interface ScheduledScaling {
    readonly name: string;
    /** `cron(<minutes> <hours> <day> <month> <weekday> <year>)` or `at(yyyy-mm-ddThh:mm:ss)`. */
    readonly cron: string;
    /** IANA time zone of the schedule. @default "UTC" */
    readonly timezone?: string;
    readonly minTasks: number;
    readonly maxTasks: number;
}

export interface ServiceSettings {
    readonly capacity: { readonly kind: "ec2"; readonly provider: aws.ecs.CapacityProvider } | { readonly kind: "fargate" };
    readonly minTasks: number;
    readonly desiredTasks: number;
    readonly maxTasks: number;
    readonly cpu: number;
    readonly memory: number;
    readonly port: number;
    readonly metricsPort: number;
    readonly image?: string;
    readonly healthCheckCommand: readonly string[];
    readonly user: string;
    readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
    readonly published: readonly PublishedSetting[];
    readonly secrets: readonly TaskSecret[];
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly securityGroupId: pulumi.Input<string>;
    readonly vpcId: pulumi.Input<string>;
    readonly discoveryDomain: string;
    readonly logRetentionDays: number;
    readonly cpuTargetPercent: number;
    readonly requestsPerTask: number;
    readonly schedule: readonly ScheduledScaling[];
    /** The application's own permissions (the task role); none gives it none. */
    readonly taskPolicies: readonly TaskPolicy[];
    readonly protect: boolean;
}

export interface ServiceParts {
    readonly service: aws.ecs.Service;
    readonly taskDefinition: aws.ecs.TaskDefinition;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly namespace: aws.servicediscovery.PrivateDnsNamespace;
    readonly discovery: aws.servicediscovery.Service;
    readonly executionRole: aws.iam.Role;
    readonly taskRole: aws.iam.Role;
}

/** The task definition, its two roles and log group, the service with canary releases, Cloud Map registration and auto scaling. */
export function createService(
    parent: pulumi.ComponentResource,
    name: string,
    s: ServiceSettings,
    cluster: aws.ecs.Cluster,
    lb: LoadBalancerParts,
    releases: ReleaseParts,
    images: { readonly repository: aws.ecr.Repository; readonly key: aws.kms.Key },
    ctx: AwsContext,
    tags: (role: string) => Tags,
    dependsOn: pulumi.Resource[],
): ServiceParts {
    const opts = { parent };
    const stateful = { parent, protect: s.protect, retainOnDelete: s.protect };

    const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-tasks`,
        { retentionInDays: s.logRetentionDays, kmsKeyId: images.key.arn, tags: tags("tasks") },
        stateful,
    );
    // ARNs and the registry URL from names, known before deploy (unlike the `arn` and `repositoryUrl` outputs): the
    // role policy and the task definition are then readable by the pack on every preview.
    const logGroupArn = ctx.arn("logs", pulumi.interpolate`log-group:${logGroup.name}`);
    const repositoryArn = ctx.arn("ecr", pulumi.interpolate`repository/${images.repository.name}`);
    const repositoryUrl = pulumi.interpolate`${ctx.accountId}.dkr.ecr.${ctx.region}.${ctx.dnsSuffix}/${images.repository.name}`;

    // Both roles only for ECS tasks of this account (the confused-deputy guard AWS recommends).
    const trust = toJson(serviceTrustPolicy("ecs-tasks.amazonaws.com", ctx.accountId, ctx.arn("ecs", "*")));
    const executionRole = new aws.iam.Role(
        `${name}-execution`,
        { description: `${name}: ECS pulls the image, writes logs and reads the secrets of the API tasks`, assumeRolePolicy: trust, tags: tags("execution") },
        opts,
    );
    // Settings AWS assigns at create (endpoints) as parameters: their ARNs come from names known before deploy.
    const parameters = s.published.map((setting) => {
        const parameter = new aws.ssm.Parameter(
            `${name}-${setting.name.toLowerCase().replace(/_/g, "-")}`,
            { type: "String", value: setting.value, description: `${name}: ${setting.name} of the API tasks`, tags: tags(setting.name.toLowerCase().replace(/_/g, "-")) },
            opts,
        );
        return { name: setting.name, arn: ctx.arn("ssm", pulumi.interpolate`parameter/${parameter.name}`) };
    });
    const secretArns = [...new Set(s.secrets.map((x) => x.secretArn))];
    const secretKeys = [...new Set(s.secrets.flatMap((x) => (x.kmsKeyArn ? [x.kmsKeyArn] : [])))];
    const statements: Statement[] = [
        // The registry token is account-wide: no resource to name.
        { Sid: "RegistryLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        {
            Sid: "PullImage",
            Effect: "Allow",
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            Resource: repositoryArn,
        },
        { Sid: "WriteLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroupArn}:*` },
        ...(parameters.length > 0 ? [{ Sid: "ReadSettings", Effect: "Allow" as const, Action: ["ssm:GetParameters"], Resource: parameters.map((p) => p.arn) }] : []),
        ...(secretArns.length > 0 ? [{ Sid: "ReadSecrets", Effect: "Allow" as const, Action: ["secretsmanager:GetSecretValue"], Resource: secretArns }] : []),
        ...(secretKeys.length > 0
            ? [
                  {
                      Sid: "DecryptSecrets",
                      Effect: "Allow" as const,
                      Action: ["kms:Decrypt"],
                      Resource: secretKeys,
                      Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${ctx.region}.amazonaws.com` } },
                  },
              ]
            : []),
    ];
    const executionPolicy = new aws.iam.RolePolicy(`${name}-execution`, { role: executionRole.id, policy: toJson(policyDocument(...statements)) }, opts);
    // What the application itself may call: nothing but connecting to the data stores it was given.
    const taskRole = new aws.iam.Role(
        `${name}-task`,
        { description: `${name}: the API application's own permissions (none by default)`, assumeRolePolicy: trust, tags: tags("task") },
        opts,
    );
    const taskPolicies = s.taskPolicies.map(
        (p) => new aws.iam.RolePolicy(`${name}-task-${p.role}`, { role: taskRole.id, policy: toJson(policyDocument(...p.statements)) }, opts),
    );

    const image = repositoryUrl.apply((url) => {
        if (s.image === undefined) return `${url}:${NOT_PUSHED}`;
        // The execution role may pull only from this repository: anything else would fail at task start.
        if (!s.image.startsWith(`${url}@sha256:`) || !/@sha256:[0-9a-f]{64}$/.test(s.image)) {
            throw new pulumi.RunError(`the ApiCluster's image ${s.image} is not an image of its repository by digest: push to ${url} and set the image as ${url}@sha256:<64 hex digits>`);
        }
        return s.image;
    });
    const environment = Object.entries({ ...s.environment, PORT: String(s.port), METRICS_PORT: String(s.metricsPort) })
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([envName, value]) => ({ name: envName, value }));
    const container = {
        name: CONTAINER,
        image,
        essential: true,
        user: s.user,
        readonlyRootFilesystem: true,
        privileged: false,
        portMappings: [
            { name: "http", containerPort: s.port, protocol: "tcp" },
            { name: "metrics", containerPort: s.metricsPort, protocol: "tcp" },
        ],
        environment,
        secrets: [
            ...parameters.map((p) => ({ name: p.name, valueFrom: p.arn })),
            ...s.secrets.map((x) => ({ name: x.name, valueFrom: x.jsonKey ? pulumi.interpolate`${x.secretArn}:${x.jsonKey}::` : x.secretArn })),
        ],
        // /tmp as a task volume: writable on EC2 and Fargate alike (tmpfs mounts are EC2-only).
        mountPoints: [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }],
        // An init process reaps zombies and forwards SIGTERM, so the app drains within the stop timeout.
        linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
        healthCheck: { command: s.healthCheckCommand, interval: 15, timeout: 5, retries: 3, startPeriod: 30 },
        stopTimeout: 30,
        // 10k connections per host need more than the default 1024 descriptors.
        ulimits: [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }],
        logConfiguration: {
            logDriver: "awslogs",
            options: {
                "awslogs-group": logGroup.name,
                "awslogs-region": ctx.region,
                "awslogs-stream-prefix": CONTAINER,
                // A slow CloudWatch Logs never blocks the app; the buffer absorbs bursts.
                mode: "non-blocking",
                "max-buffer-size": "25m",
            },
        },
    };
    const fargate = s.capacity.kind === "fargate";
    const taskDefinition = new aws.ecs.TaskDefinition(
        `${name}-app`,
        {
            family: pulumi.interpolate`${cluster.name}-app`,
            networkMode: "awsvpc",
            requiresCompatibilities: [fargate ? "FARGATE" : "EC2"],
            cpu: String(s.cpu),
            memory: String(s.memory),
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
            executionRoleArn: executionRole.arn,
            taskRoleArn: taskRole.arn,
            volumes: [{ name: "tmp" }],
            containerDefinitions: pulumi.jsonStringify([container]),
            tags: tags("app"),
        },
        opts,
    );

    // Cloud Map: one A record per running task, for the monitoring tier to find every task.
    const namespace = new aws.servicediscovery.PrivateDnsNamespace(
        `${name}-discovery`,
        { name: s.discoveryDomain, vpc: s.vpcId, description: `${name}: API tasks for monitoring`, tags: tags("discovery") },
        opts,
    );
    const discovery = new aws.servicediscovery.Service(
        `${name}-discovery`,
        {
            name: CONTAINER,
            dnsConfig: { namespaceId: namespace.id, routingPolicy: "MULTIVALUE", dnsRecords: [{ type: "A", ttl: 10 }] },
            forceDestroy: true,
            tags: tags("discovery"),
        },
        opts,
    );

    // Before the first image, the service exists but runs nothing (there is nothing to run).
    const pushed = s.image !== undefined;
    const service = new aws.ecs.Service(
        `${name}-service`,
        {
            cluster: cluster.arn,
            taskDefinition: taskDefinition.arn,
            desiredCount: pushed ? s.desiredTasks : 0,
            capacityProviderStrategies: [{ capacityProvider: s.capacity.kind === "ec2" ? s.capacity.provider.name : "FARGATE", weight: 1, base: 0 }],
            platformVersion: fargate ? "LATEST" : undefined,
            networkConfiguration: { subnets: s.subnetIds, securityGroups: [s.securityGroupId], assignPublicIp: false },
            orderedPlacementStrategies: fargate
                ? undefined
                : [
                      { type: "spread", field: "attribute:ecs.availability-zone" },
                      { type: "spread", field: "instanceId" },
                  ],
            loadBalancers: [
                {
                    targetGroupArn: lb.targetGroups[0].arn,
                    containerName: CONTAINER,
                    containerPort: s.port,
                    advancedConfiguration: {
                        alternateTargetGroupArn: lb.targetGroups[1].arn,
                        productionListenerRule: lb.productionRule.arn,
                        roleArn: releases.role.arn,
                    },
                },
            ],
            healthCheckGracePeriodSeconds: 60,
            deploymentController: { type: "ECS" },
            deploymentConfiguration: releases.deploymentConfiguration,
            deploymentMaximumPercent: 200,
            deploymentMinimumHealthyPercent: 100,
            deploymentCircuitBreaker: { enable: true, rollback: true },
            alarms: { alarmNames: releases.alarms.map((a) => a.name), enable: true, rollback: true },
            serviceRegistries: { registryArn: discovery.arn },
            enableEcsManagedTags: true,
            propagateTags: "SERVICE",
            enableExecuteCommand: false,
            tags: tags("service"),
        },
        // Auto scaling owns the task count after creation. ECS needs the release role's policy to shift traffic, and
        // the first tasks the execution role's to pull and log, and the task role's to connect.
        { parent, ignoreChanges: ["desiredCount"], dependsOn: [releases.attachment, executionPolicy, ...taskPolicies, lb.https, ...dependsOn] },
    );

    createScaling(parent, name, s, pushed, cluster, service, lb, tags);
    return { service, taskDefinition, logGroup, namespace, discovery, executionRole, taskRole };
}

/**
 * Service auto scaling: target tracking on CPU and on requests per running task, and scheduled ranges for the
 * time of day. With managed scaling the hosts follow the tasks. Requests per task come from the whole load
 * balancer (which serves only this service) over Container Insights' running tasks, so they do not depend on
 * which target group is production after a release.
 */
function createScaling(
    parent: pulumi.ComponentResource,
    name: string,
    s: ServiceSettings,
    pushed: boolean,
    cluster: aws.ecs.Cluster,
    service: aws.ecs.Service,
    lb: LoadBalancerParts,
    tags: (role: string) => Tags,
): void {
    const opts = { parent };
    const target = new aws.appautoscaling.Target(
        `${name}-tasks`,
        {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: pulumi.interpolate`service/${cluster.name}/${service.name}`,
            minCapacity: pushed ? s.minTasks : 0,
            maxCapacity: pushed ? s.maxTasks : 0,
            tags: tags("tasks"),
        },
        opts,
    );
    const scaled = { serviceNamespace: target.serviceNamespace, scalableDimension: target.scalableDimension, resourceId: target.resourceId };
    new aws.appautoscaling.Policy(
        `${name}-cpu`,
        {
            ...scaled,
            policyType: "TargetTrackingScaling",
            targetTrackingScalingPolicyConfiguration: {
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                targetValue: s.cpuTargetPercent,
                scaleOutCooldown: 60,
                scaleInCooldown: 300,
            },
        },
        opts,
    );
    const lbDimension = [{ name: "LoadBalancer", value: lb.loadBalancer.arnSuffix }];
    const serviceDimensions = [
        { name: "ClusterName", value: cluster.name },
        { name: "ServiceName", value: service.name },
    ];
    new aws.appautoscaling.Policy(
        `${name}-requests`,
        {
            ...scaled,
            policyType: "TargetTrackingScaling",
            targetTrackingScalingPolicyConfiguration: {
                customizedMetricSpecification: {
                    metrics: [
                        { id: "requests", metricStat: { metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions: lbDimension }, stat: "Sum" }, returnData: false },
                        { id: "tasks", metricStat: { metric: { namespace: "ECS/ContainerInsights", metricName: "RunningTaskCount", dimensions: serviceDimensions }, stat: "Average" }, returnData: false },
                        { id: "perTask", expression: "requests / tasks", label: "Requests per task per minute", returnData: true },
                    ],
                },
                targetValue: s.requestsPerTask,
                scaleOutCooldown: 60,
                scaleInCooldown: 300,
            },
        },
        opts,
    );
    for (const entry of s.schedule) {
        new aws.appautoscaling.ScheduledAction(
            `${name}-schedule-${entry.name}`,
            {
                ...scaled,
                name: entry.name,
                schedule: entry.cron,
                timezone: entry.timezone ?? "UTC",
                scalableTargetAction: { minCapacity: pushed ? entry.minTasks : 0, maxCapacity: pushed ? entry.maxTasks : 0 },
            },
            opts,
        );
    }
}
