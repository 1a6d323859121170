import * as assert from "assert/strict";
import { COMPUTE_RULES, R31, R32, R36, R41, looksSecret } from "../../policy/rules/compute";
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
            const booleans = { ...mutate(launchTemplate, { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: true } }, { deviceName: "/dev/sdb", virtualName: "ephemeral0" }] }), name: "api-lt-2" };
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

        it("matches secret-looking names but not ARNs naming a secret", () => {
            assert.deepEqual(["APIKEY", "api_key", "Access_Key_Id", "PASSWD", "DB_SECRET_ARN", "PORT"].map(looksSecret), [true, true, true, true, false, false]);
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
