import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext } from "../shared/aws-context";
import { resourceTags, type Tags } from "../shared/tags";
import { createWebAcl } from "../shared/waf";
import { createHosts } from "./hosts";
import type { RoutingAlgorithm } from "./capacity";
import { createLoadBalancer, ORIGIN_HEADER } from "./load-balancer";
import { createReleases } from "./releases";
import { createKey, createRepository } from "./repository";
import { createService, type PublishedSetting, type ScheduledScaling, type TaskPolicy, type TaskSecret } from "./service";

export { ORIGIN_HEADER, API_TLS_POLICY } from "./load-balancer";
export type { RoutingAlgorithm } from "./capacity";
export { ECS_AMI, ecsConfig } from "./hosts";
export { ECS_LOAD_BALANCER_POLICY } from "./releases";
export { CONTAINER, NOT_PUSHED, type ScheduledScaling, type TaskSecret } from "./service";

/** The network the cluster runs in: the Vpc's subnets and its tier security groups. */
export interface ApiNetwork {
    readonly vpcId: pulumi.Input<string>;
    /** The load balancer's subnets, one per zone. */
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Hosts and tasks, one subnet per zone; egress through NAT. */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly loadBalancerSecurityGroupId: pulumi.Input<string>;
    /** The tasks' group: reached by the load balancer on the app port and by monitoring on the metrics port. */
    readonly appSecurityGroupId: pulumi.Input<string>;
    /** The hosts' group: no inbound path; outbound to AWS APIs only. */
    readonly hostsSecurityGroupId: pulumi.Input<string>;
    /**
     * The load balancer's group admits only CloudFront (the Vpc's `loadBalancerIngress: "cloudfront"`): the
     * cluster then answers only requests carrying the origin header, and opens no HTTP listener.
     */
    readonly cloudFrontOnly: boolean;
}

/** EC2 hosts in an auto scaling group, sized by ECS managed scaling between min and max. */
export interface ApiHosts {
    /** An instance type with awsvpc task slots (see capacity.ts HOST_TYPES). */
    readonly instanceType: string;
    readonly min: number;
    readonly desired: number;
    readonly max: number;
    /**
     * The account has `awsvpcTrunking` enabled (an account-wide ECS setting this component does not own): more
     * tasks per host; the hosts then disable resource-name DNS records, as trunking requires.
     * @default false
     */
    readonly trunking?: boolean;
    /**
     * The share of host capacity ECS managed scaling keeps in use: 100 packs hosts full (cheapest), lower keeps
     * room so new tasks start without waiting for a host (about 5 minutes).
     * @default 100
     */
    readonly targetCapacityPercent?: number;
}

/**
 * The database the API reads and writes (wired by the Database component), reached through RDS Proxy with
 * IAM authentication: the task holds no password, its role may connect as `username` through this proxy only.
 */
export interface ApiDatabase {
    /** RDS Proxy's endpoint (DATABASE_HOST). */
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    readonly name: pulumi.Input<string>;
    /** The database user the task connects as (DATABASE_USER). */
    readonly username: pulumi.Input<string>;
    /** `arn:<partition>:rds-db:<region>:<account>:dbuser:<proxy resource id>/<username>`: what `rds-db:connect` names. */
    readonly connectResourceArn: pulumi.Input<string>;
    /**
     * Connections each task's pool may open (DATABASE_POOL_MAX): what the database's connection budget was
     * planned with; more would exceed the proxy's share of the database's connections when every task is busy.
     * @default unset: the application's own default
     */
    readonly poolSize?: number;
}

/** The Valkey/Redis cache (wired by the Cache component), reached over TLS with IAM authentication. */
export interface ApiCache {
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    /** The cache user the task connects as (REDIS_USER). */
    readonly username: pulumi.Input<string>;
    /** The replication group's and the user's ARNs: what `elasticache:Connect` names. */
    readonly connectResourceArns: pulumi.Input<pulumi.Input<string>[]>;
}

export interface ApiClusterArgs {
    readonly network: ApiNetwork;
    /** The API's DNS name (`api.<domain>`), in `hostedZone`: the certificate's and the alias record's name. */
    readonly domain: string;
    /** The existing public Route 53 zone. */
    readonly hostedZone: string;
    /** `ec2`: tasks on the cluster's own hosts (`hosts` required); `fargate`: no hosts to run or pay for when idle. */
    readonly capacity: "ec2" | "fargate";
    /** Required with `capacity: "ec2"`. */
    readonly hosts?: ApiHosts;
    readonly tasks: {
        readonly min: number;
        readonly desired: number;
        readonly max: number;
        /** CPU units (1024 = one vCPU). */
        readonly cpu: number;
        /** MiB. */
        readonly memory: number;
    };
    /**
     * The image to run, `<this repository's URL>@sha256:<digest>` (pushed by CI). Unset: the stack has no image
     * yet, so the service runs no task (the first `pulumi up` creates the repository to push to).
     * @default undefined
     */
    readonly image?: string;
    /** Base tags of the stack (Project, Stack, Environment, Owner, CostCenter). */
    readonly tags: Tags;
    /**
     * The container port the load balancer forwards to (the Vpc's app port).
     * @default 8080
     */
    readonly port?: number;
    /**
     * The container's Prometheus metrics port (the Vpc's metrics port; only the monitoring tier reaches it).
     * @default 9090
     */
    readonly metricsPort?: number;
    /**
     * The load balancer's health check path (must answer 200).
     * @default "/api/health"
     */
    readonly healthCheckPath?: string;
    /**
     * The container health check command (ECS replaces a task that fails it).
     * @default a Node.js fetch of http://127.0.0.1:<port><healthCheckPath>
     */
    readonly healthCheckCommand?: readonly string[];
    /**
     * The user the container runs as: never root, so a compromised process cannot own the container.
     * @default "1000:1000"
     */
    readonly user?: string;
    /**
     * `round_robin` for steady traffic, `least_outstanding_requests` when request cost is uneven (seed 000).
     * Slow start (a new task's share ramps up over 60 s) works only with round robin.
     * @default "round_robin"
     */
    readonly routingAlgorithm?: RoutingAlgorithm;
    /** Canary releases. @default 10% for 5 minutes, then 15 minutes with both revisions up; roll back above 5% 5xx or 1 s p99 */
    readonly release?: {
        readonly canaryPercent?: number;
        readonly canaryBakeMinutes?: number;
        readonly bakeMinutes?: number;
        readonly errorRatePercent?: number;
        readonly p99LatencySeconds?: number;
    };
    /** Service auto scaling. @default CPU target 70%, 1,000 requests per task per minute, no schedule */
    readonly scaling?: {
        readonly cpuTargetPercent?: number;
        readonly requestsPerTask?: number;
        readonly schedule?: readonly ScheduledScaling[];
    };
    /**
     * Non-secret settings for the container. Never put secrets here: the task definition is readable by anyone
     * with ecs:DescribeTaskDefinition; use `secrets`.
     * @default {}
     */
    readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * Secrets Manager values injected at task start; the execution role may read exactly these and decrypt with their keys.
     * @default []
     */
    readonly secrets?: readonly TaskSecret[];
    /** @default none: no DATABASE_* settings and no database permission for the task role */
    readonly database?: ApiDatabase;
    /** @default none: no REDIS_* settings and no cache permission for the task role */
    readonly cache?: ApiCache;
    /**
     * Days to keep the tasks' logs (a CloudWatch Logs retention value) and the load balancer's access logs.
     * @default 30
     */
    readonly logRetentionDays?: number;
    /**
     * The Cloud Map private DNS namespace the tasks register in (`app.<discoveryDomain>`, one A record per task).
     * @default "<name>.webstack.internal"
     */
    readonly discoveryDomain?: string;
    /**
     * A regional WAF web ACL on the load balancer (AWS managed rule groups, 2,000 requests per 5 minutes per IP,
     * logs to an `aws-waf-logs-*` group with its own key): about $5/month + $1 per rule + $0.60 per million
     * requests. With a CloudFront-only load balancer every request already passed the distribution's WAF, so
     * it is for a public load balancer, which the policy pack (R51) refuses without it.
     * @default false
     */
    readonly waf?: boolean;
    /**
     * Protect stateful children (repository, key, log group, access-log bucket) and turn on the load balancer's
     * deletion protection. Without it, `pulumi destroy` deletes the images and logs.
     * @default false
     */
    readonly protect?: boolean;
}

const DEFAULT_HEALTH_CHECK = (port: number, path: string) => [
    "CMD",
    "node",
    "-e",
    `fetch('http://127.0.0.1:${port}${path}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
];

/** The API tier: an HTTPS load balancer, ECS on EC2 hosts or Fargate, canary releases with alarm rollback, auto scaling, the image repository. */
export class ApiCluster extends pulumi.ComponentResource {
    /** `https://<domain>`. */
    readonly url: string;
    readonly domain: string;
    readonly loadBalancerArn: pulumi.Output<string>;
    readonly loadBalancerDnsName: pulumi.Output<string>;
    /** `app/<name>/<id>`: the CloudWatch `LoadBalancer` dimension. */
    readonly loadBalancerArnSuffix: pulumi.Output<string>;
    /** The two target groups' `targetgroup/<name>/<id>` (CloudWatch `TargetGroup` dimension), blue then green. */
    readonly targetGroupArnSuffixes: pulumi.Output<string[]>;
    readonly clusterName: pulumi.Output<string>;
    readonly serviceName: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    /** The hosts' group; undefined on Fargate. */
    readonly autoScalingGroupName?: pulumi.Output<string>;
    readonly repositoryUrl: pulumi.Output<string>;
    /** The Cloud Map name resolving to every task: `app.<discoveryDomain>`. */
    readonly discoveryName: string;
    readonly discoveryNamespaceId: pulumi.Output<string>;
    /** The header CloudFront must send (a secret value); undefined when the load balancer is public. */
    readonly originHeader?: { readonly name: string; readonly value: pulumi.Output<string> };

    constructor(name: string, args: ApiClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
        // Before anything is registered: every problem at once.
        const problems = argProblems(args);
        if (problems.length > 0) throw new pulumi.RunError(`ApiCluster ${name} has invalid arguments:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        super("webstack:compute:ApiCluster", name, {}, opts);
        const tags = (role: string) => resourceTags(args.tags, name, `${name}-${role}`);
        const ctx = awsContext(this);
        const protect = args.protect ?? false;
        const port = args.port ?? 8080;
        const healthCheckPath = args.healthCheckPath ?? "/api/health";
        const zone = aws.route53.getZoneOutput({ name: args.hostedZone, privateZone: false }, { parent: this });

        const lb = createLoadBalancer(
            this,
            name,
            {
                domain: args.domain,
                zoneId: zone.zoneId,
                vpcId: args.network.vpcId,
                subnetIds: args.network.publicSubnetIds,
                securityGroupId: args.network.loadBalancerSecurityGroupId,
                cloudFrontOnly: args.network.cloudFrontOnly,
                port,
                healthCheckPath,
                routingAlgorithm: args.routingAlgorithm ?? "round_robin",
                logRetentionDays: args.logRetentionDays ?? 30,
                protect,
            },
            ctx,
            tags,
        );

        const key = createKey(this, name, args.capacity === "ec2", protect, ctx, tags);
        if (args.waf) {
            const retention = args.logRetentionDays ?? 30;
            const webAcl = createWebAcl(name, { scope: "REGIONAL", region: ctx.region, logRetentionDays: retention }, ctx, tags, { parent: this }, {
                parent: this,
                protect,
                retainOnDelete: protect,
            });
            new aws.wafv2.WebAclAssociation(`${name}-waf`, { resourceArn: lb.loadBalancer.arn, webAclArn: webAcl.arn }, { parent: this });
        }

        const cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            { settings: [{ name: "containerInsights", value: "enhanced" }], tags: tags("cluster") },
            { parent: this },
        );
        const hosts =
            args.capacity === "ec2" && args.hosts
                ? createHosts(
                      this,
                      name,
                      {
                          instanceType: args.hosts.instanceType,
                          min: args.hosts.min,
                          desired: args.hosts.desired,
                          max: args.hosts.max,
                          trunking: args.hosts.trunking ?? false,
                          subnetIds: args.network.privateSubnetIds,
                          securityGroupId: args.network.hostsSecurityGroupId,
                          targetCapacityPercent: args.hosts.targetCapacityPercent ?? 100,
                      },
                      cluster,
                      key,
                      ctx,
                      tags,
                  )
                : undefined;
        const capacityProviders = new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity`,
            {
                clusterName: cluster.name,
                capacityProviders: [hosts ? hosts.capacityProvider.name : "FARGATE"],
                defaultCapacityProviderStrategies: [{ capacityProvider: hosts ? hosts.capacityProvider.name : "FARGATE", weight: 1, base: 0 }],
            },
            { parent: this },
        );

        const release = args.release ?? {};
        const releases = createReleases(
            this,
            name,
            {
                canaryPercent: release.canaryPercent ?? 10,
                canaryBakeMinutes: release.canaryBakeMinutes ?? 5,
                bakeMinutes: release.bakeMinutes ?? 15,
                errorRatePercent: release.errorRatePercent ?? 5,
                p99LatencySeconds: release.p99LatencySeconds ?? 1,
            },
            lb.loadBalancer.arnSuffix,
            ctx,
            tags,
        );
        const repository = createRepository(this, name, key, protect, tags);

        const { environment, published } = dataSettings(args);
        const metricsPort = args.metricsPort ?? 9090;
        const discoveryDomain = args.discoveryDomain ?? `${name}.webstack.internal`;
        const parts = createService(
            this,
            name,
            {
                capacity: hosts ? { kind: "ec2", provider: hosts.capacityProvider } : { kind: "fargate" },
                minTasks: args.tasks.min,
                desiredTasks: args.tasks.desired,
                maxTasks: args.tasks.max,
                cpu: args.tasks.cpu,
                memory: args.tasks.memory,
                port,
                metricsPort,
                image: args.image,
                healthCheckCommand: args.healthCheckCommand ?? DEFAULT_HEALTH_CHECK(port, healthCheckPath),
                user: args.user ?? "1000:1000",
                environment,
                published,
                secrets: args.secrets ?? [],
                subnetIds: args.network.privateSubnetIds,
                securityGroupId: args.network.appSecurityGroupId,
                vpcId: args.network.vpcId,
                discoveryDomain,
                logRetentionDays: args.logRetentionDays ?? 30,
                cpuTargetPercent: args.scaling?.cpuTargetPercent ?? 70,
                requestsPerTask: args.scaling?.requestsPerTask ?? 1000,
                schedule: args.scaling?.schedule ?? [],
                taskPolicies: taskPolicies(args),
                protect,
            },
            cluster,
            lb,
            releases,
            { repository, key },
            ctx,
            tags,
            [capacityProviders],
        );

        this.domain = args.domain;
        this.url = `https://${args.domain}`;
        this.loadBalancerArn = lb.loadBalancer.arn;
        this.loadBalancerDnsName = lb.loadBalancer.dnsName;
        this.loadBalancerArnSuffix = lb.loadBalancer.arnSuffix;
        this.targetGroupArnSuffixes = pulumi.all(lb.targetGroups.map((g) => g.arnSuffix));
        this.clusterName = cluster.name;
        this.serviceName = parts.service.name;
        this.logGroupName = parts.logGroup.name;
        this.autoScalingGroupName = hosts?.group.name;
        this.repositoryUrl = repository.repositoryUrl;
        this.discoveryName = `app.${discoveryDomain}`;
        this.discoveryNamespaceId = parts.namespace.id;
        this.originHeader = lb.originSecret ? { name: ORIGIN_HEADER, value: lb.originSecret } : undefined;
        this.registerOutputs({
            url: this.url,
            loadBalancerArn: this.loadBalancerArn,
            loadBalancerDnsName: this.loadBalancerDnsName,
            loadBalancerArnSuffix: this.loadBalancerArnSuffix,
            targetGroupArnSuffixes: this.targetGroupArnSuffixes,
            clusterName: this.clusterName,
            serviceName: this.serviceName,
            logGroupName: this.logGroupName,
            autoScalingGroupName: this.autoScalingGroupName,
            repositoryUrl: this.repositoryUrl,
            discoveryName: this.discoveryName,
        });
    }
}

/** What makes the args unusable, for one error naming them all (stacks/ validates config more closely, with its keys). */
export function argProblems(args: ApiClusterArgs): string[] {
    const problems: string[] = [];
    const range = (what: string, r: { min: number; desired: number; max: number }) => {
        const counts = [r.min, r.desired, r.max];
        if (!counts.every((n) => Number.isInteger(n) && n >= 0)) problems.push(`${what} min/desired/max (${counts.join("/")}) must be whole numbers >= 0`);
        else if (!(r.min <= r.desired && r.desired <= r.max)) problems.push(`${what} must have min <= desired <= max, not ${counts.join(" / ")}`);
    };
    if (args.capacity === "ec2") {
        if (args.hosts) range("hosts", args.hosts);
        else problems.push(`capacity "ec2" needs the hosts argument (instance type and min/desired/max)`);
    }
    range("tasks", args.tasks);
    const release = args.release ?? {};
    if (release.canaryPercent !== undefined && !(release.canaryPercent >= 0.1 && release.canaryPercent <= 100)) {
        problems.push(`release.canaryPercent (${release.canaryPercent}) must be from 0.1 to 100`);
    }
    for (const key of ["canaryBakeMinutes", "bakeMinutes"] as const) {
        const minutes = release[key];
        if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440)) problems.push(`release.${key} (${minutes}) must be whole minutes from 0 to 1440`);
    }
    const port = args.port ?? 8080;
    if (port === (args.metricsPort ?? 9090)) problems.push(`port and metricsPort (${port}) must differ: only the monitoring tier may reach the metrics port`);
    return problems;
}

/**
 * The database and cache settings (IAM authentication: no secret to inject). Their endpoints are names AWS
 * assigns at create, so they reach the task through parameters (`published`): the task definition stays the
 * same document before and after deploy, and the pack reads it on every preview.
 */
function dataSettings(args: ApiClusterArgs): { environment: Record<string, pulumi.Input<string>>; published: PublishedSetting[] } {
    const environment: Record<string, pulumi.Input<string>> = { ...args.environment };
    const published: PublishedSetting[] = [];
    const db = args.database;
    if (db) {
        Object.assign(environment, {
            DATABASE_PORT: pulumi.output(db.port).apply(String),
            DATABASE_NAME: db.name,
            DATABASE_USER: db.username,
            // The client signs an IAM token per connection; RDS Proxy requires TLS.
            DATABASE_AUTH: "iam",
            ...(db.poolSize !== undefined ? { DATABASE_POOL_MAX: String(db.poolSize) } : {}),
        });
        published.push({ name: "DATABASE_HOST", value: db.host });
    }
    const cache = args.cache;
    if (cache) {
        Object.assign(environment, {
            REDIS_PORT: pulumi.output(cache.port).apply(String),
            REDIS_USER: cache.username,
            REDIS_TLS: "true",
            REDIS_AUTH: "iam",
        });
        published.push({ name: "REDIS_HOST", value: cache.host });
    }
    return { environment, published };
}

/**
 * What the application's task role may do: connect to the database and the cache as their users, nothing else.
 * One policy each: the database's names the proxy's resource id, which AWS assigns at create, so only that
 * document waits for the deploy; the cache's is known before.
 */
function taskPolicies(args: ApiClusterArgs): TaskPolicy[] {
    return [
        ...(args.database ? [{ role: "database", statements: [{ Sid: "ConnectDatabase", Effect: "Allow" as const, Action: ["rds-db:connect"], Resource: [args.database.connectResourceArn] }] }] : []),
        ...(args.cache
            ? [{ role: "cache", statements: [{ Sid: "ConnectCache", Effect: "Allow" as const, Action: ["elasticache:Connect"], Resource: args.cache.connectResourceArns as pulumi.Input<string>[] }] }]
            : []),
    ];
}
