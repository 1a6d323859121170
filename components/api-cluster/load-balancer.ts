import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AwsContext } from "../shared/aws-context";
import { dnsValidatedCertificate } from "../shared/certificate";
import { denyInsecureTransport, policyDocument, toJson } from "../shared/iam";
import type { Tags } from "../shared/tags";
import type { RoutingAlgorithm } from "./capacity";

/** TLS 1.3 with 1.2 for older clients (CloudFront's origin connections among them); no TLS 1.0/1.1, no CBC. */
export const API_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";
/** The header CloudFront adds to every origin request and the production rule requires (origin cloaking). */
export const ORIGIN_HEADER = "X-Origin-Verify";
/** Ramp-up of a new target's share under round robin (ALB slow start, 30-900 s). */
const SLOW_START_SECONDS = 60;
/** Enough for an API request in flight to finish; the default 300 s only slows every release. */
const DEREGISTRATION_DELAY_SECONDS = 30;


export interface LoadBalancerSettings {
    readonly domain: string;
    readonly zoneId: pulumi.Input<string>;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly securityGroupId: pulumi.Input<string>;
    /** Only CloudFront reaches the load balancer: no HTTP listener, 403 by default, forward only with the origin header. */
    readonly cloudFrontOnly: boolean;
    readonly port: number;
    readonly healthCheckPath: string;
    readonly routingAlgorithm: RoutingAlgorithm;
    readonly logRetentionDays: number;
    readonly protect: boolean;
}

/** What the service and the releases attach to. */
export interface LoadBalancerParts {
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly https: aws.lb.Listener;
    /** The group ECS serves production traffic from first, and the alternate it shifts canary traffic to. */
    readonly targetGroups: readonly [aws.lb.TargetGroup, aws.lb.TargetGroup];
    /** The forward-only rule whose weights ECS rewrites during a release (its `productionListenerRule`). */
    readonly productionRule: aws.lb.ListenerRule;
    /** The origin header's value (a secret), for the distribution; undefined when the load balancer is public. */
    readonly originSecret?: pulumi.Output<string>;
    readonly logBucket: aws.s3.Bucket;
}

/**
 * The internet-facing ALB in the public subnets: HTTPS with TLS 1.3 and a DNS-validated certificate for the
 * API's name, invalid headers dropped, strictest desync mitigation, access logs to an SSE-S3 bucket (ALB
 * logs accept no KMS key), two identical `ip` target groups for ECS's traffic shifting, and the
 * production rule. Cloaked behind CloudFront by default: the origin header's secret is generated here.
 */
export function createLoadBalancer(
    parent: pulumi.ComponentResource,
    name: string,
    s: LoadBalancerSettings,
    ctx: AwsContext,
    tags: (role: string) => Tags,
): LoadBalancerParts {
    const opts = { parent };
    const stateful = { parent, protect: s.protect, retainOnDelete: s.protect };

    const logBucket = new aws.s3.Bucket(`${name}-lb-logs`, { forceDestroy: !s.protect, tags: tags("lb-logs") }, stateful);
    const logsArn = ctx.bucketArn(logBucket.bucket);
    new aws.s3.BucketPublicAccessBlock(
        `${name}-lb-logs`,
        { bucket: logBucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketOwnershipControls(`${name}-lb-logs`, { bucket: logBucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-lb-logs`,
        { bucket: logBucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        opts,
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-lb-logs`,
        { bucket: logBucket.id, rules: [{ id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: s.logRetentionDays } }] },
        opts,
    );
    // Regions opened before August 2022 (every region the stacks accept) deliver ALB logs as their regional
    // Elastic Load Balancing account (ELB guide, "Enable access logs"); later ones would use the
    // logdelivery.elasticloadbalancing.amazonaws.com service principal instead.
    const elbAccount = aws.elb.getServiceAccountOutput({}, opts);
    const logsPolicy = new aws.s3.BucketPolicy(
        `${name}-lb-logs`,
        {
            bucket: logBucket.bucket,
            policy: toJson(
                policyDocument(denyInsecureTransport(logsArn), {
                    Sid: "ElbDeliversAccessLogs",
                    Effect: "Allow",
                    Principal: { AWS: elbAccount.arn },
                    Action: "s3:PutObject",
                    Resource: pulumi.interpolate`${logsArn}/alb/AWSLogs/${ctx.accountId}/*`,
                }),
            ),
        },
        opts,
    );

    const loadBalancer = new aws.lb.LoadBalancer(
        `${name}-alb`,
        {
            loadBalancerType: "application",
            internal: false,
            ipAddressType: "ipv4",
            subnets: s.subnetIds,
            securityGroups: [s.securityGroupId],
            dropInvalidHeaderFields: true,
            desyncMitigationMode: "strictest",
            enableDeletionProtection: s.protect,
            enableHttp2: true,
            idleTimeout: 60,
            accessLogs: { bucket: logBucket.bucket, prefix: "alb", enabled: true },
            tags: tags("alb"),
        },
        // ELB writes a test object when access logs are enabled: the grant must exist first.
        { parent, dependsOn: [logsPolicy] },
    );

    // Identical groups: ECS moves production traffic from one to the other on every release.
    const targetGroups = (["blue", "green"] as const).map(
        (color) =>
            new aws.lb.TargetGroup(
                `${name}-${color}`,
                {
                    vpcId: s.vpcId,
                    // awsvpc tasks have their own addresses; ECS's traffic shifting also needs ip targets.
                    targetType: "ip",
                    protocol: "HTTP",
                    protocolVersion: "HTTP1",
                    port: s.port,
                    loadBalancingAlgorithmType: s.routingAlgorithm,
                    // ALB supports slow start only with round robin.
                    slowStart: s.routingAlgorithm === "round_robin" ? SLOW_START_SECONDS : 0,
                    deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
                    healthCheck: {
                        enabled: true,
                        protocol: "HTTP",
                        port: "traffic-port",
                        path: s.healthCheckPath,
                        matcher: "200",
                        interval: 15,
                        timeout: 5,
                        healthyThreshold: 2,
                        unhealthyThreshold: 3,
                    },
                    tags: tags(color),
                },
                opts,
            ),
    ) as unknown as [aws.lb.TargetGroup, aws.lb.TargetGroup];

    const certificateArn = dnsValidatedCertificate(parent, name, [s.domain], s.zoneId, tags("certificate"));
    const https = new aws.lb.Listener(
        `${name}-https`,
        {
            loadBalancerArn: loadBalancer.arn,
            port: 443,
            protocol: "HTTPS",
            sslPolicy: API_TLS_POLICY,
            certificateArn,
            // Only the production rule forwards: anything else (another account's distribution, a scanner
            // that found the name) gets 403.
            defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" } }],
            tags: tags("https"),
        },
        opts,
    );
    if (!s.cloudFrontOnly) {
        new aws.lb.Listener(
            `${name}-http`,
            {
                loadBalancerArn: loadBalancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
                tags: tags("http"),
            },
            opts,
        );
    }

    // 32 letters and digits: a header value every proxy passes unchanged, 190 bits of entropy.
    const originSecret = s.cloudFrontOnly
        ? pulumi.secret(new random.RandomPassword(`${name}-origin-secret`, { length: 32, special: false }, opts).result)
        : undefined;
    const productionRule = new aws.lb.ListenerRule(
        `${name}-production`,
        {
            listenerArn: https.arn,
            priority: 100,
            conditions: originSecret
                ? [{ httpHeader: { httpHeaderName: ORIGIN_HEADER, values: [originSecret] } }]
                : [{ pathPattern: { values: ["/*"] } }],
            // Forward only (ECS refuses rules mixing forward with other actions), all traffic to blue at first.
            actions: [
                {
                    type: "forward",
                    forward: {
                        targetGroups: [
                            { arn: targetGroups[0].arn, weight: 100 },
                            { arn: targetGroups[1].arn, weight: 0 },
                        ],
                    },
                },
            ],
            tags: tags("production"),
        },
        // ECS rewrites the weights on every release: a diff there is ECS's doing, not drift.
        { parent, ignoreChanges: ["actions"] },
    );

    new aws.route53.Record(
        `${name}-record`,
        {
            zoneId: s.zoneId,
            name: s.domain,
            type: "A",
            aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }],
        },
        opts,
    );

    return { loadBalancer, https, targetGroups, productionRule, originSecret, logBucket };
}
