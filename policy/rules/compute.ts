import { resourceRule } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, asArray, cannotDecide, isPresent, isTrue, known, knownItems } from "../lib/values";
import { dependenciesOf, ofTypes, setByProgram } from "../lib/graph";
import { isAwsManagedKey } from "../lib/patterns";
import { containerName, containersOf } from "../lib/data-helpers";

type Obj = Record<string, unknown>;
const objectOf = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const shown = (v: unknown, dflt: string) => (v === undefined ? `unset, default ${dflt}` : JSON.stringify(v));

/** Where a volume's encryption comes from: launch template and instance settings carry booleans, launch templates as strings. */
interface Volume {
    readonly device: string;
    readonly encrypted: unknown;
    /** undefined: the resource shape has no key setting (launch configurations always use the default EBS key). */
    readonly kmsKeyId?: unknown;
    /** The property path for messages, e.g. `ebs.encrypted`, `rootBlockDevice.encrypted`. */
    readonly path: string;
}

/** The EBS volumes a launch template, launch configuration, instance or volume declares. */
function volumesOf(props: Obj, type: string): Volume[] {
    if (type === T.ebsVolume[0]) return [{ device: "volume", encrypted: props.encrypted, kmsKeyId: known(props, "kmsKeyId") ?? "", path: "encrypted" }];
    const named = (b: Obj, i: number, prefix: string) => (typeof b.deviceName === "string" && b.deviceName !== "" ? b.deviceName : `${prefix}-${i + 1}`);
    if (isOneOf(type, T.launchTemplate)) {
        return asArray(props.blockDeviceMappings as Obj[] | undefined).flatMap((m, i) => {
            const mapping = objectOf(m);
            // Mappings without ebs are instance-store or noDevice entries: nothing to encrypt.
            if (typeof mapping.ebs !== "object" || mapping.ebs === null) return [];
            const ebs = objectOf(mapping.ebs);
            return [{ device: named(mapping, i, "mapping"), encrypted: ebs.encrypted, kmsKeyId: known(ebs, "kmsKeyId") ?? "", path: "ebs.encrypted" }];
        });
    }
    const cmk = isOneOf(type, T.instance);
    const root = objectOf(props.rootBlockDevice);
    const volumes: Volume[] = [{ device: "root", encrypted: root.encrypted, ...(cmk ? { kmsKeyId: known(root, "kmsKeyId") ?? "" } : {}), path: "rootBlockDevice.encrypted" }];
    asArray(props.ebsBlockDevices as Obj[] | undefined).forEach((d, i) => {
        const device = objectOf(d);
        if (isTrue(device.noDevice)) return;
        volumes.push({ device: named(device, i, "ebs"), encrypted: device.encrypted, ...(cmk ? { kmsKeyId: known(device, "kmsKeyId") ?? "" } : {}), path: "encrypted" });
    });
    return volumes;
}

const LAUNCHED = [...T.launchTemplate, ...T.launchConfiguration, ...T.instance, ...T.ebsVolume];

export const R31 = resourceRule(
    {
        id: "R31",
        slug: "launch-template-hardened",
        requirement:
            "Launch templates, launch configurations and EC2 instances require IMDSv2 with a hop limit of 1, launch templates and launch configurations assign no public IP, and every EBS volume (their block devices, an instance's or launch configuration's root volume, standalone volumes) is encrypted, with a customer-managed key where the shape takes one.",
        why: "IMDSv1 and a hop limit above 1 let SSRF bugs and containers steal the instance role's credentials; public IPs bypass the load balancer; unencrypted volumes leak data in snapshots, and the AWS-managed aws/ebs key cannot be restricted by key policy or shared for cross-account restores.",
        anchors: [
            "FSBP EC2.8",
            "FSBP EC2.170",
            "FSBP EC2.25",
            "FSBP EC2.181",
            "FSBP EC2.3",
            "FSBP AutoScaling.3",
            "FSBP AutoScaling.4",
            "FSBP AutoScaling.5",
            "cdk-nag EC26",
            "Pulumi aws-ec2-launchtemplate-disallow-unencrypted-block-device",
            "Pulumi aws-ec2-launchtemplate-disallow-public-ip",
            "Pulumi aws-ec2-launchtemplate-configure-customer-managed-key",
            "Pulumi aws-ec2-launchconfiguration-disallow-public-ip",
            "Pulumi aws-ec2-launchconfiguration-disallow-unencrypted-block-device",
            "Pulumi aws-ec2-launchconfiguration-disallow-unencrypted-root-block-device",
            "CKV_AWS_79",
            "CKV_AWS_88",
        ],
        level: "M",
        severity: "high",
        remediation:
            'Set metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 }, associatePublicIpAddress: "false" on network interfaces (launch configurations: associatePublicIpAddress: false), and ebs.encrypted: "true" with kmsKeyId on every block device mapping (instances: rootBlockDevice and ebsBlockDevices with encrypted: true and kmsKeyId; volumes: encrypted: true and kmsKeyId; launch configurations: encrypted: true on rootBlockDevice and every ebsBlockDevices entry, better a launch template).',
    },
    LAUNCHED,
    (props, subject, report) => {
        if (!isOneOf(subject.type, T.ebsVolume)) {
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
        }
        asArray(props.networkInterfaces as Obj[] | undefined).forEach((ni, i) => {
            if (!isOneOf(subject.type, T.launchTemplate)) return;
            // The provider carries this flag as the string "true"/"false".
            if (isTrue(objectOf(ni).associatePublicIpAddress)) {
                const index = typeof objectOf(ni).deviceIndex === "number" ? (objectOf(ni).deviceIndex as number) : i;
                report(`public-ip-${index}`, `network interface ${index} associates a public IP address`);
            }
        });
        // Instances' public IPs are S05's (the internet-facing surface).
        if (isOneOf(subject.type, T.launchConfiguration) && isTrue(props.associatePublicIpAddress)) {
            report("public-ip", "launch configuration associates a public IP address with every instance (associatePublicIpAddress is true)");
        }
        for (const v of volumesOf(props, subject.type)) {
            if (!isTrue(v.encrypted)) {
                const what = v.device === "volume" ? "EBS volume" : v.device === "root" ? "root volume" : `EBS volume ${v.device}`;
                // Unset, a root volume follows the AMI's snapshot (and the account's encryption-by-default setting).
                const dflt = v.device === "root" ? "the AMI's snapshot decides" : "false";
                report(v.device === "volume" ? "encrypted" : `ebs-${v.device}`, `${what} is not encrypted (${v.path} is ${shown(v.encrypted, dflt)})`);
            } else if (v.kmsKeyId !== undefined && !isPresent(v.kmsKeyId)) {
                const what = v.device === "volume" ? "EBS volume" : v.device === "root" ? "root volume" : `EBS volume ${v.device}`;
                report(v.device === "volume" ? "kms-key" : `kms-key-${v.device}`, `${what} is encrypted with the AWS-managed aws/ebs key (no kmsKeyId), not a customer-managed key`);
            } else if (typeof v.kmsKeyId === "string" && isAwsManagedKey(v.kmsKeyId)) {
                const what = v.device === "volume" ? "EBS volume" : v.device === "root" ? "root volume" : `EBS volume ${v.device}`;
                report(v.device === "volume" ? "kms-key" : `kms-key-${v.device}`, `${what} kmsKeyId ${JSON.stringify(v.kmsKeyId)} is the AWS-managed key, not a customer-managed key`);
            }
        }
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
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH_?DATA/i;

/** A secret-looking name that only names a secret by ARN (DB_SECRET_ARN) holds no secret itself. */
export function looksSecret(name: string): boolean {
    return SECRET_NAME.test(name) && !/_ARN$/i.test(name);
}

/** Variables FSBP ECS.8 names: AWS credentials and the ECS agent's registry authentication. */
const CREDENTIAL_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "ECS_ENGINE_AUTH_DATA", "ECS_ENGINE_AUTH_TYPE"];

/** An AWS access key id (long-term AKIA, temporary ASIA) anywhere in a value. */
const ACCESS_KEY_ID = /(?<![A-Z0-9])(AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/;

/** True for a JSON value holding Docker registry credentials (a config's `auths`, a dockercfg's per-registry `auth`, a username with a password). */
function isDockerAuth(value: string): boolean {
    const doc = ((): unknown => {
        try {
            return JSON.parse(value);
        } catch {
            return undefined;
        }
    })();
    if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return false;
    const o = doc as Obj;
    if ("auths" in o || typeof o.auth === "string" || (typeof o.username === "string" && typeof o.password === "string")) return true;
    return Object.values(o).some((v) => typeof objectOf(v).auth === "string");
}

/** What a plain environment value holds that is a credential, whatever the variable's name; undefined when nothing. */
export function credentialIn(value: unknown): string | undefined {
    if (typeof value !== "string") return undefined;
    if (ACCESS_KEY_ID.test(value)) return "an AWS access key id";
    const v = value.trim();
    // An AWS secret access key: 40 base64 characters, mixed case (a hex digest is not).
    if (/^[A-Za-z0-9/+]{40}$/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v)) return "a value shaped like an AWS secret access key";
    if (isDockerAuth(v)) return "registry credentials (Docker auth JSON)";
    return undefined;
}

export const R36 = resourceRule(
    {
        id: "R36",
        slug: "ecs-task-definition-hardened",
        requirement:
            "ECS task definitions run no privileged container, share neither the host network nor its PID namespace, pass no secret as a plain environment variable (by name, ECS_ENGINE_AUTH_DATA and ECS_ENGINE_AUTH_TYPE included, or by value: AWS access key ids, secret-key-shaped values, Docker auth JSON), configure logging for every container, and mount every container's root filesystem read-only.",
        why: "Privileged and host-namespace containers can take over the host; plain environment variables show secrets to anyone who can describe the task; containers without logs cannot be investigated; a writable root filesystem lets an intruder plant binaries and tamper with the image.",
        anchors: ["FSBP ECS.1", "FSBP ECS.3", "FSBP ECS.4", "FSBP ECS.5", "FSBP ECS.8", "FSBP ECS.9", "SH ECS.17", "cdk-nag ECS2", "cdk-nag ECS7"],
        level: "M",
        severity: "high",
        remediation: 'Drop privileged, use networkMode "awsvpc" and no pidMode "host", move secret values to the container\'s secrets (valueFrom a Secrets Manager or SSM ARN), and give every container a logConfiguration (awslogs driver) and readonlyRootFilesystem: true (write to a tmpfs or a volume mount where the process needs scratch space).',
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
            if (!isTrue(c.readonlyRootFilesystem)) {
                report(`readonly-root-${name}`, `container "${name}" can write to its root filesystem (readonlyRootFilesystem is ${shown(c.readonlyRootFilesystem, "false")})`);
            }
            // environmentFiles name S3 objects: their contents are not in the task definition (decision: not checked here).
            for (const env of asArray(c.environment as Obj[] | undefined)) {
                const variable = objectOf(env).name;
                if (typeof variable !== "string") continue;
                if (looksSecret(variable) || CREDENTIAL_VARIABLES.includes(variable.toUpperCase())) {
                    report(`env-${variable}`, `container "${name}" passes secret-looking environment variable ${variable} in plain text (use secrets)`);
                    continue;
                }
                const credential = credentialIn(objectOf(env).value);
                if (credential) report(`env-value-${variable}`, `container "${name}" passes ${credential} in environment variable ${variable} (use secrets, or the task role for AWS access)`);
            }
        });
    },
);

/** Container Insights values that collect metrics (`enhanced` adds per-container detail). */
const INSIGHTS_ON = ["enabled", "enhanced"];

export const R66 = resourceRule(
    {
        id: "R66",
        slug: "ecs-cluster-container-insights",
        requirement: "ECS clusters turn Container Insights on (settings containerInsights enabled or enhanced).",
        why: "Without Container Insights there are no per-task CPU, memory, network and restart metrics: a crash loop, a cryptominer or a resource-exhaustion attack goes unseen.",
        anchors: ["FSBP ECS.12", "cdk-nag ECS4"],
        level: "M",
        severity: "medium",
        remediation: 'Add settings: [{ name: "containerInsights", value: "enhanced" }] (or "enabled") to the aws.ecs.Cluster.',
    },
    T.ecsCluster,
    (props, _subject, report) => {
        // Unset, the account's default (accountSettingDefault containerInsights) applies, usually disabled: be explicit.
        const setting = asArray(props.settings as Obj[] | undefined)
            .map(objectOf)
            .find((x) => x.name === "containerInsights");
        const value = setting?.value;
        if (typeof value !== "string" || !INSIGHTS_ON.includes(value)) {
            report("container-insights", `cluster does not collect Container Insights (settings containerInsights is ${setting ? JSON.stringify(value) : "unset, the account default applies (disabled unless changed)"})`);
        }
    },
);

/** Capacity providers that run tasks on Fargate. */
const FARGATE = ["FARGATE", "FARGATE_SPOT"];

export const R67 = resourceRule(
    {
        id: "R67",
        slug: "ecs-fargate-platform-latest",
        requirement: "ECS services on Fargate run on the LATEST platform version (platformVersion unset or LATEST).",
        why: "A pinned platform version stops receiving the kernel, runtime and agent fixes AWS ships in newer versions, so tasks keep running on a patched-over base.",
        anchors: ["FSBP ECS.10"],
        level: "M",
        severity: "medium",
        remediation: 'Remove platformVersion (or set it to "LATEST") on the aws.ecs.Service.',
    },
    T.ecsService,
    (props, _subject, report) => {
        const strategies = asArray(props.capacityProviderStrategies as Obj[] | undefined).map(objectOf);
        const fargate = props.launchType === "FARGATE" || strategies.some((x) => typeof x.capacityProvider === "string" && FARGATE.includes(x.capacityProvider));
        if (!fargate) return;
        const version = props.platformVersion;
        if (version !== undefined && version !== null && version !== "" && version !== "LATEST") {
            report("platform-version", `Fargate service is pinned to platform version ${JSON.stringify(version)} instead of LATEST`);
        }
    },
);

/** An ASG's launch template, given directly or through a mixed instances policy. */
function launchTemplateOf(props: Obj): boolean {
    if (Object.keys(objectOf(props.launchTemplate)).length > 0) return true;
    const mixed = objectOf(objectOf(props.mixedInstancesPolicy).launchTemplate);
    return Object.keys(objectOf(mixed.launchTemplateSpecification)).length > 0;
}

export const R68 = resourceRule(
    {
        id: "R68",
        slug: "autoscaling-group-hardened",
        requirement:
            "Auto Scaling groups launch from a launch template (not a launch configuration), span at least two Availability Zones, and replace instances on load balancer health checks when they serve a load balancer.",
        why: "Launch configurations are deprecated and cannot carry every launch-template hardening (IMDSv2 defaults, customer-managed EBS keys, newer instance types); a group in one zone goes down with it; EC2 status checks alone keep serving instances whose application is dead.",
        anchors: ["FSBP AutoScaling.9", "FSBP AutoScaling.2", "FSBP AutoScaling.1", "cdk-nag AS2"],
        level: "M",
        severity: "medium",
        remediation:
            'Set launchTemplate: { id, version } (or mixedInstancesPolicy.launchTemplate) instead of launchConfiguration, vpcZoneIdentifier with subnets in two or more zones, and healthCheckType: "ELB" when targetGroupArns or loadBalancers are set.',
    },
    T.autoScalingGroup,
    (props, _subject, report) => {
        if (isPresent(known(props, "launchConfiguration"))) {
            report("launch-configuration", "group launches instances from a launch configuration instead of a launch template");
        } else if (!launchTemplateOf(props)) {
            report("launch-configuration", "group names no launch template (launchTemplate or mixedInstancesPolicy.launchTemplate)");
        }
        // Single subnets known only after deploy are the stack's own: counted as given. A whole list unknown
        // before deploy is the stack phase's to count from the subnets it was computed from.
        const listed = known(props, "vpcZoneIdentifiers");
        const subnets = knownItems(listed).filter(isPresent);
        const zones = knownItems(known(props, "availabilityZones")).filter(isPresent);
        const spread = Math.max(subnets.length, zones.length);
        if (listed !== UNKNOWN_VALUE && spread < 2) report("multi-az", singleZone(spread));
        const balanced = knownItems(known(props, "targetGroupArns")).some(isPresent) || knownItems(known(props, "loadBalancers")).some(isPresent);
        if (balanced && props.healthCheckType !== "ELB") {
            report("health-check", `group serves a load balancer but replaces instances on EC2 status checks only (healthCheckType is ${shown(props.healthCheckType, "EC2")})`);
        }
    },
    // A subnet list computed from other outputs is unknown before deploy: count the subnets it was computed from.
    (resources, report) => {
        for (const group of ofTypes(resources, T.autoScalingGroup)) {
            if (setByProgram(group, "vpcZoneIdentifiers") !== UNKNOWN_VALUE) continue;
            const zones = knownItems(known(group.props, "availabilityZones")).filter(isPresent).length;
            const from = dependenciesOf(group, "vpcZoneIdentifiers", T.subnet);
            if (from.length >= 2 || zones >= 2) continue;
            if (from.length === 1 && dependenciesOf(group, "vpcZoneIdentifiers").length === 1) report("multi-az", singleZone(1), group.urn);
            else if (group.propertyDependencies) cannotDecide([group.name, "vpcZoneIdentifiers"]);
        }
    },
);

function singleZone(spread: number): string {
    return `group spans ${spread === 0 ? "no explicit" : "a single"} subnet or Availability Zone (vpcZoneIdentifiers or availabilityZones need two or more in different zones)`;
}

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

export const COMPUTE_RULES = [R31, R32, R36, R41, R66, R67, R68];
