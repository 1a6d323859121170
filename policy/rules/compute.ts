import { resourceRule } from "../lib/rule";
import { T } from "../lib/types";
import { asArray, isTrue } from "../lib/values";
import { containerName, containersOf } from "../lib/data-helpers";

type Obj = Record<string, unknown>;
const objectOf = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const shown = (v: unknown, dflt: string) => (v === undefined ? `unset, default ${dflt}` : JSON.stringify(v));

export const R31 = resourceRule(
    {
        id: "R31",
        slug: "launch-template-hardened",
        requirement: "Launch templates require IMDSv2 with a hop limit of 1, assign no public IP and encrypt every EBS volume.",
        why: "IMDSv1 and a hop limit above 1 let SSRF bugs and containers steal the instance role's credentials; public IPs bypass the load balancer; unencrypted volumes leak data in snapshots.",
        anchors: ["FSBP EC2.8", "FSBP AutoScaling.3", "CKV_AWS_79", "CKV_AWS_88"],
        level: "M",
        severity: "high",
        remediation: 'Set metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 }, associatePublicIpAddress: "false" on network interfaces, and ebs.encrypted: "true" (with kmsKeyId) on every block device mapping.',
    },
    T.launchTemplate,
    (props, _subject, report) => {
        const md = objectOf(props.metadataOptions);
        // With the metadata endpoint disabled there is nothing to steal: tokens and hop limit do not matter.
        if (md.httpEndpoint !== "disabled") {
            if (md.httpTokens !== "required") {
                report("imdsv2", `instance metadata accepts IMDSv1 requests (metadataOptions.httpTokens is ${shown(md.httpTokens, "optional")})`);
            }
            const hops = md.httpPutResponseHopLimit;
            if (hops !== 1 && hops !== "1") {
                // Unset, AWS uses 1, or 2 for AMIs marked ImdsSupport v2.0: the value must be explicit.
                const value = hops === undefined ? "unset, so it depends on the AMI (2 for ImdsSupport v2.0 AMIs)" : JSON.stringify(hops);
                report("hop-limit", `instance metadata hop limit is ${value} instead of 1, so containers on the instance can reach its credentials`);
            }
        }
        asArray(props.networkInterfaces as Obj[] | undefined).forEach((ni, i) => {
            // The provider carries this flag as the string "true"/"false".
            if (isTrue(objectOf(ni).associatePublicIpAddress)) {
                const index = typeof objectOf(ni).deviceIndex === "number" ? (objectOf(ni).deviceIndex as number) : i;
                report(`public-ip-${index}`, `network interface ${index} associates a public IP address`);
            }
        });
        asArray(props.blockDeviceMappings as Obj[] | undefined).forEach((m, i) => {
            const mapping = objectOf(m);
            // Mappings without ebs are instance-store or noDevice entries: nothing to encrypt.
            if (typeof mapping.ebs !== "object" || mapping.ebs === null) return;
            const ebs = objectOf(mapping.ebs);
            if (!isTrue(ebs.encrypted)) {
                const device = typeof mapping.deviceName === "string" && mapping.deviceName !== "" ? mapping.deviceName : `mapping-${i + 1}`;
                report(`ebs-${device}`, `EBS volume ${device} is not encrypted (ebs.encrypted is ${shown(ebs.encrypted, "false")})`);
            }
        });
    },
);

export const R32 = resourceRule(
    {
        id: "R32",
        slug: "ecs-service-no-public-ip",
        requirement: "ECS services do not assign public IP addresses to their tasks.",
        why: "A task with a public IP is reachable around the load balancer and its security group is the only thing left in the way.",
        anchors: ["FSBP ECS.2"],
        level: "M",
        severity: "high",
        remediation: "Set networkConfiguration.assignPublicIp: false (the default) and run tasks in private subnets with a NAT gateway or VPC endpoints.",
    },
    T.ecsService,
    (props, _subject, report) => {
        // assignPublicIp defaults to false.
        if (isTrue(objectOf(props.networkConfiguration).assignPublicIp)) {
            report("public-ip", "service assigns public IP addresses to its tasks (networkConfiguration.assignPublicIp is true)");
        }
    },
);

/** Environment variable names that look like they hold a secret. */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL/i;

/** A secret-looking name that only names a secret by ARN (DB_SECRET_ARN) holds no secret itself. */
export function looksSecret(name: string): boolean {
    return SECRET_NAME.test(name) && !/_ARN$/i.test(name);
}

export const R36 = resourceRule(
    {
        id: "R36",
        slug: "ecs-task-definition-hardened",
        requirement: "ECS task definitions run no privileged container, share neither the host network nor its PID namespace, pass no secret as a plain environment variable, and configure logging for every container.",
        why: "Privileged and host-namespace containers can take over the host; plain environment variables show secrets to anyone who can describe the task; containers without logs cannot be investigated.",
        anchors: ["FSBP ECS.4", "FSBP ECS.8", "FSBP ECS.9", "FSBP ECS.17", "cdk-nag ECS2", "cdk-nag ECS7"],
        level: "M",
        severity: "high",
        remediation: 'Drop privileged, use networkMode "awsvpc" and no pidMode "host", move secret values to the container\'s secrets (valueFrom a Secrets Manager or SSM ARN), and give every container a logConfiguration (awslogs driver).',
    },
    T.ecsTaskDefinition,
    (props, _subject, report) => {
        if (props.networkMode === "host") report("network-mode-host", "task uses the host network mode (containers share the instance's network stack)");
        if (props.pidMode === "host") report("pid-mode-host", "task shares the host's process namespace (pidMode is host)");
        const parsed = containersOf(props.containerDefinitions);
        if ("error" in parsed) {
            report("container-definitions", `${parsed.error}, so its containers cannot be checked`);
            return;
        }
        parsed.containers.forEach((c, i) => {
            const name = containerName(c, i);
            if (isTrue(c.privileged)) report(`privileged-${name}`, `container "${name}" runs privileged`);
            const log = objectOf(c.logConfiguration);
            if (typeof log.logDriver !== "string" || log.logDriver === "") report(`logging-${name}`, `container "${name}" has no logConfiguration, so its output is not collected`);
            for (const env of asArray(c.environment as Obj[] | undefined)) {
                const variable = objectOf(env).name;
                if (typeof variable === "string" && looksSecret(variable)) {
                    report(`env-${variable}`, `container "${name}" passes secret-looking environment variable ${variable} in plain text (use secrets)`);
                }
            }
        });
    },
);

/** Tag settings that keep pushed tags from being overwritten (the provider accepts both). */
const IMMUTABLE = ["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"];

export const R41 = resourceRule(
    {
        id: "R41",
        slug: "ecr-scan-immutable-tags",
        requirement: "ECR repositories scan images on push and keep image tags immutable.",
        why: "Unscanned images ship known vulnerabilities, and a mutable tag lets a pushed image silently replace the one that was reviewed and deployed.",
        anchors: ["FSBP ECR.1", "FSBP ECR.2", "CKV_AWS_163", "CKV_AWS_51"],
        level: "MP",
        severity: "high",
        remediation: 'Set imageScanningConfiguration: { scanOnPush: true } and imageTagMutability: "IMMUTABLE".',
    },
    T.ecrRepository,
    (props, _subject, report) => {
        const scan = objectOf(props.imageScanningConfiguration).scanOnPush;
        if (scan !== true) report("scan-on-push", `images are not scanned on push (imageScanningConfiguration.scanOnPush is ${shown(scan, "false")})`);
        const mutability = props.imageTagMutability;
        if (typeof mutability !== "string" || !IMMUTABLE.includes(mutability)) {
            report("tag-mutability", `image tags can be overwritten (imageTagMutability is ${shown(mutability, "MUTABLE")})`);
        }
    },
);

export const COMPUTE_RULES = [R31, R32, R36, R41];
