import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsContext } from "../shared/aws-context";
import { policyDocument, toJson } from "../shared/iam";
import type { Tags } from "../shared/tags";
import { ECS_RESERVED_MEMORY_MIB } from "./capacity";

/** Amazon Linux 2023 ECS-optimized AMI, resolved by EC2 at every launch: new hosts get the current AMI, no lookup at preview. */
export const ECS_AMI = "resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id";
/** Root volume of the ECS-optimized AMI (its snapshot's size): images and container layers. */
const ROOT_VOLUME_GIB = 30;
/** Seconds a new host needs to boot, join the cluster and pass checks before it counts (ASG warm-up, ECS managed scaling). */
const HOST_WARMUP_SECONDS = 300;

export interface HostSettings {
    readonly instanceType: string;
    readonly min: number;
    readonly desired: number;
    readonly max: number;
    /** The account has awsvpcTrunking enabled: hosts then turn off resource-name DNS A records, which trunking requires. */
    readonly trunking: boolean;
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly securityGroupId: pulumi.Input<string>;
    /** Share of the hosts' capacity ECS keeps in use (managed scaling target): 100 packs hosts full, lower keeps spare room. */
    readonly targetCapacityPercent: number;
}

export interface HostParts {
    readonly group: aws.autoscaling.Group;
    readonly capacityProvider: aws.ecs.CapacityProvider;
    readonly launchTemplate: aws.ec2.LaunchTemplate;
}

/**
 * The ECS agent's settings: this cluster; tasks in awsvpc mode cannot reach the instance metadata (and so the
 * host role's credentials); memory kept back for the OS and the agent, which capacity validation counts on.
 */
export function ecsConfig(clusterName: string): string {
    return [
        "#!/bin/bash",
        "cat >> /etc/ecs/ecs.config <<'EOF'",
        `ECS_CLUSTER=${clusterName}`,
        "ECS_AWSVPC_BLOCK_IMDS=true",
        `ECS_RESERVED_MEMORY=${ECS_RESERVED_MEMORY_MIB}`,
        "ECS_ENABLE_TASK_IAM_ROLE=true",
        "EOF",
        "",
    ].join("\n");
}

/**
 * EC2 hosts for the cluster: a launch template (current ECS AMI, IMDSv2 with hop limit 1, encrypted gp3 root,
 * no public IP, the agent-only role), an auto scaling group over every zone's private subnet, and the ECS
 * capacity provider that sizes the group from task demand (managed scaling), never terminates a host with
 * tasks (managed termination protection) and drains one before it goes (managed draining).
 */
export function createHosts(
    parent: pulumi.ComponentResource,
    name: string,
    s: HostSettings,
    cluster: aws.ecs.Cluster,
    key: aws.kms.Key,
    ctx: AwsContext,
    tags: (role: string) => Tags,
): HostParts {
    const opts = { parent };

    // EC2 does not pass aws:SourceAccount when an instance assumes its role, so the trust names only the service.
    const role = new aws.iam.Role(
        `${name}-hosts`,
        {
            description: `${name}: the ECS agent on the cluster's hosts`,
            assumeRolePolicy: toJson(policyDocument({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" })),
            tags: tags("hosts"),
        },
        opts,
    );
    // What the agent itself calls (AmazonEC2ContainerServiceforEC2Role, scoped to this cluster). Image pulls and
    // log writes of awsvpc tasks use the task execution role, so the hosts get no ECR or Logs access.
    // ARNs from the cluster's name, known before deploy (unlike its `arn`), so the pack reads this policy on every preview.
    const clusterArn = ctx.arn("ecs", pulumi.interpolate`cluster/${cluster.name}`);
    const containerInstances = ctx.arn("ecs", pulumi.interpolate`container-instance/${cluster.name}/*`);
    const rolePolicy = new aws.iam.RolePolicy(
        `${name}-hosts`,
        {
            role: role.id,
            policy: toJson(
                policyDocument(
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
                        Resource: clusterArn,
                    },
                    {
                        Sid: "ServeTasks",
                        Effect: "Allow",
                        Action: ["ecs:Poll", "ecs:StartTelemetrySession", "ecs:UpdateContainerInstancesState"],
                        Resource: containerInstances,
                    },
                    // The agent asks where to poll before it has a container instance: no resource to name.
                    { Sid: "FindEndpoint", Effect: "Allow", Action: ["ecs:DiscoverPollEndpoint"], Resource: "*" },
                ),
            ),
        },
        opts,
    );
    const profile = new aws.iam.InstanceProfile(`${name}-hosts`, { role: role.name, tags: tags("hosts") }, opts);

    const launchTemplate = new aws.ec2.LaunchTemplate(
        `${name}-hosts`,
        {
            description: `${name}: ECS container hosts`,
            imageId: ECS_AMI,
            instanceType: s.instanceType,
            iamInstanceProfile: { arn: profile.arn },
            userData: cluster.name.apply((n) => Buffer.from(ecsConfig(n)).toString("base64")),
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
            networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [s.securityGroupId] }],
            blockDeviceMappings: [
                { deviceName: "/dev/xvda", ebs: { volumeSize: ROOT_VOLUME_GIB, volumeType: "gp3", encrypted: "true", kmsKeyId: key.arn, deleteOnTermination: "true" } },
            ],
            // ENI trunking requires hosts without resource-name DNS A records (AWS ECS guide, ENI trunking).
            privateDnsNameOptions: s.trunking ? { hostnameType: "ip-name", enableResourceNameDnsARecord: false, enableResourceNameDnsAaaaRecord: false } : undefined,
            monitoring: { enabled: true },
            updateDefaultVersion: true,
            tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: tags("host") })),
            tags: tags("hosts"),
        },
        opts,
    );

    const group = new aws.autoscaling.Group(
        `${name}-hosts`,
        {
            vpcZoneIdentifiers: s.subnetIds,
            minSize: s.min,
            maxSize: s.max,
            desiredCapacity: s.desired,
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            // Managed termination protection requires it: ECS lifts it from hosts it has emptied.
            protectFromScaleIn: true,
            healthCheckType: "EC2",
            defaultInstanceWarmup: HOST_WARMUP_SECONDS,
            // A new launch template version (instance type, settings) rolls the hosts: a new host first, then the
            // old one drains (managed draining) and goes, so capacity never drops.
            instanceRefresh: {
                strategy: "Rolling",
                preferences: {
                    minHealthyPercentage: 100,
                    maxHealthyPercentage: 200,
                    instanceWarmup: String(HOST_WARMUP_SECONDS),
                    scaleInProtectedInstances: "Refresh",
                    skipMatching: true,
                },
            },
            tags: [
                ...Object.entries(tags("host")).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
                // ECS adds this tag to groups it manages; declaring it keeps it from showing as drift.
                { key: "AmazonECSManaged", value: "true", propagateAtLaunch: true },
            ],
        },
        // ECS sets the desired capacity from task demand. The first hosts join the cluster only once their role may.
        { parent, ignoreChanges: ["desiredCapacity"], dependsOn: [rolePolicy] },
    );

    const capacityProvider = new aws.ecs.CapacityProvider(
        `${name}-hosts`,
        {
            autoScalingGroupProvider: {
                autoScalingGroupArn: group.arn,
                managedScaling: {
                    status: "ENABLED",
                    targetCapacity: s.targetCapacityPercent,
                    minimumScalingStepSize: 1,
                    maximumScalingStepSize: s.max,
                    instanceWarmupPeriod: HOST_WARMUP_SECONDS,
                },
                managedTerminationProtection: "ENABLED",
                managedDraining: "ENABLED",
            },
            tags: tags("hosts"),
        },
        opts,
    );
    return { group, capacityProvider, launchTemplate };
}
