import * as assert from "assert/strict";
import { COMPUTE_RULES, R31, R32, R36, R41, R66, R67, R68, looksSecret } from "../../policy/rules/compute";
import { findings, mutate, verdictOf, type Fixture, UNKNOWN, PROD_TAGS } from "../helpers/policy";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const launchTemplate: Fixture = {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    name: "api-lt",
    props: {
        namePrefix: "api-",
        imageId: "ami-0abcdef1234567890",
        instanceType: "t3.small",
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "enabled" },
        networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: ["sg-app"] }],
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true", kmsKeyId: KEY_ARN, deleteOnTermination: "true" } }],
        tags: PROD_TAGS,
    },
};

const service: Fixture = {
    type: "aws:ecs/service:Service",
    name: "app-service",
    props: {
        cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/webstack",
        taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/app:3",
        launchType: "FARGATE",
        desiredCount: 2,
        networkConfiguration: { subnets: ["subnet-app-a", "subnet-app-b"], securityGroups: ["sg-app"], assignPublicIp: false },
        tags: PROD_TAGS,
    },
};

const appContainer = {
    name: "app",
    image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.4.2",
    essential: true,
    portMappings: [{ containerPort: 8080, protocol: "tcp" }],
    environment: [
        { name: "PORT", value: "8080" },
        { name: "DB_SECRET_ARN", value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf" },
    ],
    secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf:password::" }],
    readonlyRootFilesystem: true,
    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/webstack/production/app", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "app" } },
};

const taskDefinition = (containers: unknown[], extra: Record<string, unknown> = {}): Fixture => ({
    type: "aws:ecs/taskDefinition:TaskDefinition",
    name: "app-task",
    props: {
        family: "app",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "512",
        memory: "1024",
        executionRoleArn: "arn:aws:iam::123456789012:role/app-execution",
        taskRoleArn: "arn:aws:iam::123456789012:role/app-task",
        containerDefinitions: JSON.stringify(containers),
        tags: PROD_TAGS,
        ...extra,
    },
});

const repository: Fixture = {
    type: "aws:ecr/repository:Repository",
    name: "app-repo",
    props: { name: "webstack/app", imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE", encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY_ARN }], tags: PROD_TAGS },
};

describe("compute rules", () => {
    describe("R31 hardened launch templates", () => {
        it("passes IMDSv2 with hop limit 1, no public IP and encrypted EBS (also with boolean true)", async () => {
            const booleans = { ...mutate(launchTemplate, { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true, kmsKeyId: KEY_ARN } }, { deviceName: "/dev/sdb", virtualName: "ephemeral0" }] }), name: "api-lt-2" };
            assert.deepEqual(await findings(R31, [launchTemplate, booleans]), []);
        });

        it("reports IMDSv1 and an unset hop limit when metadataOptions is missing", async () => {
            assert.deepEqual(await findings(R31, [mutate(launchTemplate, { metadataOptions: undefined })]), [
                "api-lt: instance metadata accepts IMDSv1 requests (metadataOptions.httpTokens is unset, default optional) [finding imdsv2]",
                "api-lt: instance metadata hop limit is unset, so it depends on the AMI (2 for ImdsSupport v2.0 AMIs) instead of 1, so containers on the instance can reach its credentials [finding hop-limit]",
            ]);
        });

        it("reports httpTokens optional and a hop limit of 2", async () => {
            assert.deepEqual(await findings(R31, [mutate(launchTemplate, { metadataOptions: { httpEndpoint: "enabled", httpTokens: "optional", httpPutResponseHopLimit: 2 } })]), [
                'api-lt: instance metadata accepts IMDSv1 requests (metadataOptions.httpTokens is "optional") [finding imdsv2]',
                "api-lt: instance metadata hop limit is 2 instead of 1, so containers on the instance can reach its credentials [finding hop-limit]",
            ]);
        });

        it("accepts a disabled metadata endpoint", async () => {
            assert.deepEqual(await findings(R31, [mutate(launchTemplate, { metadataOptions: { httpEndpoint: "disabled" } })]), []);
        });

        it("reports each network interface with a public IP (string and boolean forms)", async () => {
            const nics = [
                { deviceIndex: 0, associatePublicIpAddress: "true" },
                { deviceIndex: 1, associatePublicIpAddress: true },
                { deviceIndex: 2, associatePublicIpAddress: "false" },
            ];
            assert.deepEqual(await findings(R31, [mutate(launchTemplate, { networkInterfaces: nics })]), [
                "api-lt: network interface 0 associates a public IP address [finding public-ip-0]",
                "api-lt: network interface 1 associates a public IP address [finding public-ip-1]",
            ]);
        });

        it("reports each unencrypted EBS volume", async () => {
            const mappings = [
                { deviceName: "/dev/xvda", ebs: { volumeSize: 30, encrypted: "false" } },
                { deviceName: "/dev/sdf", ebs: { volumeSize: 100 } },
                { ebs: { volumeSize: 10, encrypted: "true" } },
            ];
            assert.deepEqual(await findings(R31, [mutate(launchTemplate, { blockDeviceMappings: mappings })]), [
                'api-lt: EBS volume /dev/sdf is not encrypted (ebs.encrypted is unset, default false) [finding ebs-/dev/sdf]',
                'api-lt: EBS volume /dev/xvda is not encrypted (ebs.encrypted is "false") [finding ebs-/dev/xvda]',
                "api-lt: EBS volume mapping-3 is encrypted with the AWS-managed aws/ebs key (no kmsKeyId), not a customer-managed key [finding kms-key-mapping-3]",
            ]);
        });

        it("requires a customer-managed key on launch template volumes (unknown key ARNs at preview count as set)", async () => {
            const mappings = [
                { deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: "alias/aws/ebs" } },
                { deviceName: "/dev/sdf", ebs: { encrypted: "true", kmsKeyId: UNKNOWN } },
            ];
            assert.deepEqual(await findings(R31, [mutate(launchTemplate, { blockDeviceMappings: mappings })]), [
                'api-lt: EBS volume /dev/xvda kmsKeyId "alias/aws/ebs" is the AWS-managed key, not a customer-managed key [finding kms-key-/dev/xvda]',
            ]);
        });

        const launchConfiguration: Fixture = {
            type: "aws:ec2/launchConfiguration:LaunchConfiguration",
            name: "api-lc",
            props: {
                imageId: "ami-0abcdef1234567890",
                instanceType: "t3.small",
                associatePublicIpAddress: false,
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                rootBlockDevice: { encrypted: true, volumeSize: 30 },
                ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true, volumeSize: 100 }, { deviceName: "/dev/sdg", noDevice: true }],
            },
        };

        it("passes a hardened launch configuration (no key setting exists on that shape)", async () => {
            assert.deepEqual(await findings(R31, [launchConfiguration]), []);
        });

        it("reports a launch configuration with IMDSv1, a public IP and unencrypted root and EBS volumes", async () => {
            const lc = mutate(launchConfiguration, {
                associatePublicIpAddress: true,
                metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 },
                rootBlockDevice: undefined,
                ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }],
            });
            assert.deepEqual(await findings(R31, [lc]), [
                'api-lc: EBS volume /dev/sdf is not encrypted (encrypted is false) [finding ebs-/dev/sdf]',
                'api-lc: instance metadata accepts IMDSv1 requests (metadataOptions.httpTokens is "optional") [finding imdsv2]',
                "api-lc: instance metadata hop limit is 2 instead of 1, so containers on the instance can reach its credentials [finding hop-limit]",
                "api-lc: launch configuration associates a public IP address with every instance (associatePublicIpAddress is true) [finding public-ip]",
                "api-lc: root volume is not encrypted (rootBlockDevice.encrypted is unset, default the AMI's snapshot decides) [finding ebs-root]",
            ]);
        });

        const instance: Fixture = {
            type: "aws:ec2/instance:Instance",
            name: "bastion",
            props: {
                ami: "ami-0abcdef1234567890",
                instanceType: "t3.micro",
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                rootBlockDevice: { encrypted: true, kmsKeyId: KEY_ARN },
                ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true, kmsKeyId: UNKNOWN }],
            },
        };

        it("passes an instance with IMDSv2 and CMK-encrypted volumes", async () => {
            assert.deepEqual(await findings(R31, [instance]), []);
        });

        it("reports an instance with IMDSv1, an unencrypted root and an EBS volume on the AWS-managed key", async () => {
            const bad = mutate(instance, { metadataOptions: undefined, rootBlockDevice: { volumeSize: 20 }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] });
            assert.deepEqual(await findings(R31, [bad]), [
                "bastion: EBS volume /dev/sdf is encrypted with the AWS-managed aws/ebs key (no kmsKeyId), not a customer-managed key [finding kms-key-/dev/sdf]",
                "bastion: instance metadata accepts IMDSv1 requests (metadataOptions.httpTokens is unset, default optional) [finding imdsv2]",
                "bastion: instance metadata hop limit is unset, so it depends on the AMI (2 for ImdsSupport v2.0 AMIs) instead of 1, so containers on the instance can reach its credentials [finding hop-limit]",
                "bastion: root volume is not encrypted (rootBlockDevice.encrypted is unset, default the AMI's snapshot decides) [finding ebs-root]",
            ]);
        });

        it("checks standalone EBS volumes: encrypted, with a customer-managed key", async () => {
            const volume: Fixture = { type: "aws:ebs/volume:Volume", name: "data", props: { availabilityZone: "eu-west-1a", size: 100, encrypted: true, kmsKeyId: KEY_ARN } };
            const plain = { ...mutate(volume, { encrypted: undefined, kmsKeyId: undefined }), name: "plain" };
            const awsKey = { ...mutate(volume, { kmsKeyId: undefined }), name: "aws-key" };
            assert.deepEqual(await findings(R31, [volume, plain, awsKey]), [
                "aws-key: EBS volume is encrypted with the AWS-managed aws/ebs key (no kmsKeyId), not a customer-managed key [finding kms-key]",
                "plain: EBS volume is not encrypted (encrypted is unset, default false) [finding encrypted]",
            ]);
        });
    });

    describe("R32 ECS services assign no public IP", () => {
        it("passes a service in private subnets, and one without networkConfiguration (default false)", async () => {
            assert.deepEqual(await findings(R32, [service, { ...mutate(service, { networkConfiguration: undefined }), name: "ec2-service" }]), []);
        });

        it("reports assignPublicIp true", async () => {
            assert.deepEqual(await findings(R32, [mutate(service, { networkConfiguration: { subnets: ["subnet-pub-a"], assignPublicIp: true } })]), [
                "app-service: service assigns public IP addresses to its tasks (networkConfiguration.assignPublicIp is true) [finding public-ip]",
            ]);
        });
    });

    describe("R36 hardened task definitions", () => {
        it("passes a Fargate task whose secrets come from Secrets Manager and whose containers log", async () => {
            assert.deepEqual(await findings(R36, [taskDefinition([appContainer])]), []);
        });

        it("reports a privileged container without logging", async () => {
            const { logConfiguration: _l, ...noLogs } = appContainer;
            assert.deepEqual(await findings(R36, [taskDefinition([{ ...noLogs, privileged: true }])]), [
                'app-task: container "app" has no logConfiguration, so its output is not collected [finding logging-app]',
                'app-task: container "app" runs privileged [finding privileged-app]',
            ]);
        });

        it("reports each secret-looking environment variable once, in any case, naming the variable but not its value", async () => {
            const env = [
                { name: "DB_PASSWORD", value: "hunter2" },
                { name: "stripeApiKey", value: "sk_live_x" },
                { name: "GITHUB_TOKEN", value: "ghp_x" },
                { name: "AWS_SECRET_ACCESS_KEY", value: "x" },
                { name: "TLS_PRIVATE_KEY", value: "x" },
                { name: "GOOGLE_CREDENTIALS", value: "{}" },
                { name: "LOG_LEVEL", value: "info" },
            ];
            const found = await findings(R36, [taskDefinition([{ ...appContainer, environment: env }])]);
            assert.deepEqual(found, [
                'app-task: container "app" passes secret-looking environment variable AWS_SECRET_ACCESS_KEY in plain text (use secrets) [finding env-AWS_SECRET_ACCESS_KEY]',
                'app-task: container "app" passes secret-looking environment variable DB_PASSWORD in plain text (use secrets) [finding env-DB_PASSWORD]',
                'app-task: container "app" passes secret-looking environment variable GITHUB_TOKEN in plain text (use secrets) [finding env-GITHUB_TOKEN]',
                'app-task: container "app" passes secret-looking environment variable GOOGLE_CREDENTIALS in plain text (use secrets) [finding env-GOOGLE_CREDENTIALS]',
                'app-task: container "app" passes secret-looking environment variable TLS_PRIVATE_KEY in plain text (use secrets) [finding env-TLS_PRIVATE_KEY]',
                'app-task: container "app" passes secret-looking environment variable stripeApiKey in plain text (use secrets) [finding env-stripeApiKey]',
            ]);
            assert.ok(found.every((f) => !f.includes("hunter2")));
        });

        it("reports FSBP ECS.8's credential variables by name, in every container", async () => {
            const sidecar = { ...appContainer, name: "agent", environment: [{ name: "ECS_ENGINE_AUTH_TYPE", value: "dockercfg" }, { name: "ECS_ENGINE_AUTH_DATA", value: "{}" }] };
            const env = [
                { name: "AWS_ACCESS_KEY_ID", value: "x" },
                { name: "aws_session_token", value: "x" },
                { name: "AWS_REGION", value: "eu-west-1" },
            ];
            assert.deepEqual(await findings(R36, [taskDefinition([{ ...appContainer, environment: env }, sidecar])]), [
                'app-task: container "agent" passes secret-looking environment variable ECS_ENGINE_AUTH_DATA in plain text (use secrets) [finding env-ECS_ENGINE_AUTH_DATA]',
                'app-task: container "agent" passes secret-looking environment variable ECS_ENGINE_AUTH_TYPE in plain text (use secrets) [finding env-ECS_ENGINE_AUTH_TYPE]',
                'app-task: container "app" passes secret-looking environment variable AWS_ACCESS_KEY_ID in plain text (use secrets) [finding env-AWS_ACCESS_KEY_ID]',
                'app-task: container "app" passes secret-looking environment variable aws_session_token in plain text (use secrets) [finding env-aws_session_token]',
            ]);
        });

        it("reports credentials by value under any name, never showing the value", async () => {
            const env = [
                { name: "UPLOADER", value: "AKIAIOSFODNN7EXAMPLE" },
                { name: "BOOT_ARGS", value: "--id ASIAY34FZKBOKMUTVV7A --region eu-west-1" },
                { name: "S3_SIGNER", value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
                { name: "REGISTRY", value: '{"auths":{"ghcr.io":{"auth":"dXNlcjpwYXNz"}}}' },
                { name: "DOCKERCFG", value: '{"https://index.docker.io/v1/":{"auth":"dXNlcjpwYXNz","email":"ops@example.com"}}' },
            ];
            const found = await findings(R36, [taskDefinition([{ ...appContainer, environment: env }])]);
            assert.deepEqual(found, [
                'app-task: container "app" passes a value shaped like an AWS secret access key in environment variable S3_SIGNER (use secrets, or the task role for AWS access) [finding env-value-S3_SIGNER]',
                'app-task: container "app" passes an AWS access key id in environment variable BOOT_ARGS (use secrets, or the task role for AWS access) [finding env-value-BOOT_ARGS]',
                'app-task: container "app" passes an AWS access key id in environment variable UPLOADER (use secrets, or the task role for AWS access) [finding env-value-UPLOADER]',
                'app-task: container "app" passes registry credentials (Docker auth JSON) in environment variable DOCKERCFG (use secrets, or the task role for AWS access) [finding env-value-DOCKERCFG]',
                'app-task: container "app" passes registry credentials (Docker auth JSON) in environment variable REGISTRY (use secrets, or the task role for AWS access) [finding env-value-REGISTRY]',
            ]);
            assert.ok(found.every((f) => !f.includes("AKIA") && !f.includes("dXNl")));
        });

        it("passes ordinary values (a hex digest, a region, plain JSON) and environmentFiles, whose contents live in S3", async () => {
            const env = [
                { name: "GIT_SHA", value: "3f786850e387550fdab836ed7e6dc881de23001b" },
                { name: "MARKET", value: "ASIA-PACIFIC" },
                { name: "FEATURES", value: '{"search":true,"beta":{"enabled":false}}' },
                { name: "PORT", value: "8080" },
            ];
            const withFiles = { ...appContainer, environment: env, environmentFiles: [{ type: "s3", value: "arn:aws:s3:::webstack-config/api.env" }] };
            assert.deepEqual(await findings(R36, [taskDefinition([withFiles])]), []);
        });

        it("matches secret-looking names (FSBP ECS.8's ECS_ENGINE_AUTH_DATA too) but not ARNs naming a secret", () => {
            assert.deepEqual(["APIKEY", "api_key", "Access_Key_Id", "PASSWD", "ECS_ENGINE_AUTH_DATA", "DB_SECRET_ARN", "PORT"].map(looksSecret), [true, true, true, true, true, false, false]);
        });

        it("reports each container whose root filesystem is writable", async () => {
            const { readonlyRootFilesystem: _r, ...writable } = appContainer;
            const sidecar = { ...appContainer, name: "xray", readonlyRootFilesystem: false };
            assert.deepEqual(await findings(R36, [taskDefinition([writable, sidecar])]), [
                'app-task: container "app" can write to its root filesystem (readonlyRootFilesystem is unset, default false) [finding readonly-root-app]',
                'app-task: container "xray" can write to its root filesystem (readonlyRootFilesystem is false) [finding readonly-root-xray]',
            ]);
        });

        it("reports host network and PID modes", async () => {
            assert.deepEqual(await findings(R36, [taskDefinition([appContainer], { networkMode: "host", pidMode: "host", requiresCompatibilities: ["EC2"] })]), [
                "app-task: task shares the host's process namespace (pidMode is host) [finding pid-mode-host]",
                "app-task: task uses the host network mode (containers share the instance's network stack) [finding network-mode-host]",
            ]);
        });

        it("checks every container, naming unnamed ones by position", async () => {
            const { logConfiguration: _l, name: _n, ...anonymous } = appContainer;
            const sidecar = { ...appContainer, name: "xray", privileged: "true" };
            assert.deepEqual(await findings(R36, [taskDefinition([appContainer, anonymous, sidecar])]), [
                'app-task: container "container-2" has no logConfiguration, so its output is not collected [finding logging-container-2]',
                'app-task: container "xray" runs privileged [finding privileged-xray]',
            ]);
        });

        it("reports container definitions that are not JSON or not a list", async () => {
            const broken = mutate(taskDefinition([]), { containerDefinitions: "[{name:" });
            const object = { ...mutate(taskDefinition([]), { containerDefinitions: JSON.stringify({ name: "app" }) }), name: "object-task" };
            assert.deepEqual(await findings(R36, [broken, object]), [
                "app-task: containerDefinitions is not valid JSON, so its containers cannot be checked [finding container-definitions]",
                "object-task: containerDefinitions is not a JSON array of containers, so its containers cannot be checked [finding container-definitions]",
            ]);
        });

        it("cannot run during preview when the container definitions are unknown", async () => {
            const verdict = await verdictOf([R36], [mutate(taskDefinition([]), { containerDefinitions: UNKNOWN })]);
            assert.deepEqual(verdict.mandatory, []);
            assert.equal(verdict.advisory.length, 1);
            assert.match(verdict.advisory[0].message, /can't run policy 'R36-ecs-task-definition-hardened' during preview: string value at \.containerDefinitions/);
        });
    });

    describe("R66 ECS cluster Container Insights", () => {
        const cluster: Fixture = { type: "aws:ecs/cluster:Cluster", name: "app-cluster", props: { name: "webstack", settings: [{ name: "containerInsights", value: "enhanced" }], tags: PROD_TAGS } };

        it("passes enhanced and enabled", async () => {
            const enabled = { ...mutate(cluster, { settings: [{ name: "containerInsights", value: "enabled" }] }), name: "other-cluster" };
            assert.deepEqual(await findings(R66, [cluster, enabled]), []);
        });

        it("reports a cluster without the setting and one with it disabled", async () => {
            const unset = mutate(cluster, { settings: undefined });
            const disabled = { ...mutate(cluster, { settings: [{ name: "containerInsights", value: "disabled" }] }), name: "other-cluster" };
            assert.deepEqual(await findings(R66, [unset, disabled]), [
                "app-cluster: cluster does not collect Container Insights (settings containerInsights is unset, the account default applies (disabled unless changed)) [finding container-insights]",
                'other-cluster: cluster does not collect Container Insights (settings containerInsights is "disabled") [finding container-insights]',
            ]);
        });
    });

    describe("R67 Fargate services on the LATEST platform version", () => {
        it("passes unset and LATEST, and ignores EC2 services", async () => {
            const latest = { ...mutate(service, { platformVersion: "LATEST" }), name: "latest-service" };
            const ec2 = { ...mutate(service, { launchType: "EC2", platformVersion: "1.3.0" }), name: "ec2-service" };
            assert.deepEqual(await findings(R67, [service, latest, ec2]), []);
        });

        it("reports a pinned version, by launch type or Fargate capacity provider", async () => {
            const pinned = mutate(service, { platformVersion: "1.3.0" });
            const spot = { ...mutate(service, { launchType: undefined, capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }], platformVersion: "1.4.0" }), name: "spot-service" };
            assert.deepEqual(await findings(R67, [pinned, spot]), [
                'app-service: Fargate service is pinned to platform version "1.3.0" instead of LATEST [finding platform-version]',
                'spot-service: Fargate service is pinned to platform version "1.4.0" instead of LATEST [finding platform-version]',
            ]);
        });
    });

    describe("R68 hardened Auto Scaling groups", () => {
        const group: Fixture = {
            type: "aws:autoscaling/group:Group",
            name: "api-asg",
            props: {
                minSize: 2,
                maxSize: 4,
                launchTemplate: { id: "lt-0123456789abcdef0", version: "$Latest" },
                vpcZoneIdentifiers: ["subnet-app-a", "subnet-app-b"],
                targetGroupArns: [UNKNOWN],
                healthCheckType: "ELB",
            },
        };

        it("passes a launch template (direct or mixed instances), two subnets and ELB health checks", async () => {
            const mixed = {
                ...mutate(group, {
                    launchTemplate: undefined,
                    mixedInstancesPolicy: { launchTemplate: { launchTemplateSpecification: { launchTemplateId: UNKNOWN }, overrides: [{ instanceType: "t3.small" }, { instanceType: "t3a.small" }] } },
                }),
                name: "mixed-asg",
            };
            const unbalanced = { ...mutate(group, { targetGroupArns: undefined, healthCheckType: undefined, vpcZoneIdentifiers: [UNKNOWN, UNKNOWN] }), name: "worker-asg" };
            assert.deepEqual(await findings(R68, [group, mixed, unbalanced]), []);
        });

        it("reports a launch configuration, a single subnet and EC2 health checks behind a load balancer", async () => {
            const bad = mutate(group, { launchTemplate: undefined, launchConfiguration: "api-lc", vpcZoneIdentifiers: ["subnet-app-a"], healthCheckType: undefined });
            const none = { ...mutate(group, { launchTemplate: undefined, vpcZoneIdentifiers: undefined, availabilityZones: undefined }), name: "bare-asg" };
            assert.deepEqual(await findings(R68, [bad, none]), [
                "api-asg: group launches instances from a launch configuration instead of a launch template [finding launch-configuration]",
                "api-asg: group serves a load balancer but replaces instances on EC2 status checks only (healthCheckType is unset, default EC2) [finding health-check]",
                "api-asg: group spans a single subnet or Availability Zone (vpcZoneIdentifiers or availabilityZones need two or more in different zones) [finding multi-az]",
                "bare-asg: group names no launch template (launchTemplate or mixedInstancesPolicy.launchTemplate) [finding launch-configuration]",
                "bare-asg: group spans no explicit subnet or Availability Zone (vpcZoneIdentifiers or availabilityZones need two or more in different zones) [finding multi-az]",
            ]);
        });
    });

    describe("R41 ECR scan on push and immutable tags", () => {
        it("passes IMMUTABLE and IMMUTABLE_WITH_EXCLUSION", async () => {
            const withExclusion = { ...mutate(repository, { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "latest*", filterType: "WILDCARD" }] }), name: "cache-repo" };
            assert.deepEqual(await findings(R41, [repository, withExclusion]), []);
        });

        it("reports a repository left at the defaults", async () => {
            assert.deepEqual(await findings(R41, [mutate(repository, { imageScanningConfiguration: undefined, imageTagMutability: undefined })]), [
                "app-repo: image tags can be overwritten (imageTagMutability is unset, default MUTABLE) [finding tag-mutability]",
                "app-repo: images are not scanned on push (imageScanningConfiguration.scanOnPush is unset, default false) [finding scan-on-push]",
            ]);
        });

        it("reports scanOnPush false and MUTABLE_WITH_EXCLUSION", async () => {
            assert.deepEqual(await findings(R41, [mutate(repository, { imageScanningConfiguration: { scanOnPush: false }, imageTagMutability: "MUTABLE_WITH_EXCLUSION" })]), [
                'app-repo: image tags can be overwritten (imageTagMutability is "MUTABLE_WITH_EXCLUSION") [finding tag-mutability]',
                "app-repo: images are not scanned on push (imageScanningConfiguration.scanOnPush is false) [finding scan-on-push]",
            ]);
        });
    });

    it("mixed graph: exactly the non-compliant resources fail", async () => {
        const fixtures: Fixture[] = [
            launchTemplate,
            { ...mutate(launchTemplate, { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 1 } }), name: "bastion-lt" },
            service,
            { ...mutate(service, { networkConfiguration: { subnets: ["subnet-pub-a"], assignPublicIp: true } }), name: "worker-service" },
            taskDefinition([appContainer]),
            { ...taskDefinition([{ ...appContainer, environment: [{ name: "API_TOKEN", value: "x" }] }]), name: "worker-task" },
            repository,
            { ...mutate(repository, { imageTagMutability: "MUTABLE" }), name: "worker-repo" },
        ];
        const verdict = await verdictOf(COMPUTE_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R31-launch-template-hardened bastion-lt",
            "R32-ecs-service-no-public-ip worker-service",
            "R36-ecs-task-definition-hardened worker-task",
            "R41-ecr-scan-immutable-tags worker-repo",
        ]);
    });
});
