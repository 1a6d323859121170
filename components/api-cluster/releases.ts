import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsContext } from "../shared/aws-context";
import { serviceTrustPolicy, toJson } from "../shared/iam";
import type { Tags } from "../shared/tags";

/** The AWS-managed policy ECS needs to shift traffic between the target groups (AWS ECS guide, infrastructure IAM role for load balancers). */
export const ECS_LOAD_BALANCER_POLICY = "AmazonECSInfrastructureRolePolicyForLoadBalancers";

export interface ReleaseSettings {
    /** Share of production traffic the new revision gets first, 0.1-100. */
    readonly canaryPercent: number;
    /** Minutes the canary share runs before everything shifts. */
    readonly canaryBakeMinutes: number;
    /** Minutes both revisions stay up after the shift, so a rollback is instant. */
    readonly bakeMinutes: number;
    /** The 5xx share of requests (percent) that rolls a release back. */
    readonly errorRatePercent: number;
    /** The p99 latency (seconds) that rolls a release back. */
    readonly p99LatencySeconds: number;
}

export interface ReleaseParts {
    /** The role ECS assumes to rewrite the production rule's weights. */
    readonly role: aws.iam.Role;
    readonly attachment: aws.iam.RolePolicyAttachment;
    /** Alarms that roll a release back (target 5xx rate, p99 latency). */
    readonly alarms: readonly aws.cloudwatch.MetricAlarm[];
    readonly deploymentConfiguration: aws.types.input.ecs.ServiceDeploymentConfiguration;
}

/**
 * What a canary release needs besides the target groups and the rule: the infrastructure role, and the
 * alarms AWS documents as the rollback trigger for canary deployments. The alarms watch the whole load
 * balancer, which serves only this service: a canary returning errors to its share of traffic raises the
 * overall rate, and the alarms do not depend on which target group is production after a release.
 */
export function createReleases(
    parent: pulumi.ComponentResource,
    name: string,
    s: ReleaseSettings,
    loadBalancerArnSuffix: pulumi.Input<string>,
    ctx: AwsContext,
    tags: (role: string) => Tags,
): ReleaseParts {
    const opts = { parent };
    const role = new aws.iam.Role(
        `${name}-releases`,
        {
            description: `${name}: ECS shifts traffic between the target groups during releases`,
            assumeRolePolicy: toJson(serviceTrustPolicy("ecs.amazonaws.com", ctx.accountId)),
            tags: tags("releases"),
        },
        opts,
    );
    const attachment = new aws.iam.RolePolicyAttachment(
        `${name}-releases`,
        { role: role.name, policyArn: pulumi.interpolate`arn:${ctx.partition}:iam::aws:policy/${ECS_LOAD_BALANCER_POLICY}` },
        opts,
    );

    const dimensions = { LoadBalancer: loadBalancerArnSuffix };
    // Two of three one-minute periods: fast enough to fire inside a 5-minute canary bake, not on one bad minute.
    const window = { evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: "notBreaching", actionsEnabled: true };
    const errors = new aws.cloudwatch.MetricAlarm(
        `${name}-5xx-rate`,
        {
            alarmDescription: `${name}: more than ${s.errorRatePercent}% of requests fail with a target 5xx (rolls a release back)`,
            comparisonOperator: "GreaterThanThreshold",
            threshold: s.errorRatePercent,
            metricQueries: [
                {
                    id: "errors",
                    metric: { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions, period: 60, stat: "Sum" },
                },
                { id: "requests", metric: { namespace: "AWS/ApplicationELB", metricName: "RequestCount", dimensions, period: 60, stat: "Sum" } },
                { id: "rate", expression: "100 * FILL(errors, 0) / requests", label: "Target 5xx rate (%)", returnData: true },
            ],
            ...window,
            tags: tags("5xx-rate"),
        },
        opts,
    );
    const latency = new aws.cloudwatch.MetricAlarm(
        `${name}-p99-latency`,
        {
            alarmDescription: `${name}: p99 target response time above ${s.p99LatencySeconds} s (rolls a release back)`,
            comparisonOperator: "GreaterThanThreshold",
            threshold: s.p99LatencySeconds,
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            dimensions,
            period: 60,
            extendedStatistic: "p99",
            ...window,
            tags: tags("p99-latency"),
        },
        opts,
    );

    return {
        role,
        attachment,
        alarms: [errors, latency],
        deploymentConfiguration: {
            strategy: "CANARY",
            // Strings in this provider, whole minutes 0-1440.
            bakeTimeInMinutes: String(s.bakeMinutes),
            canaryConfiguration: { canaryPercent: s.canaryPercent, canaryBakeTimeInMinutes: String(s.canaryBakeMinutes) },
        },
    };
}
