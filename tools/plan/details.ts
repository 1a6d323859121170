import type { RecordedResource } from "../engine/graph";

/** Finds recorded resources by their (mock) id, to name what an input points at. */
export type ById = ReadonlyMap<string, RecordedResource>;

export function indexById(resources: readonly RecordedResource[]): ById {
    return new Map(resources.filter((r) => r.id).map((r) => [r.id as string, r]));
}

/** A short note after a resource in the tree: the facts a reviewer checks first (CIDRs, zones, ports, peers, names). */
export function details(r: RecordedResource, byId: ById): string {
    const i = r.inputs;
    const named = (id: unknown) => (typeof id === "string" ? (byId.get(id)?.name ?? id) : undefined);
    const parts: string[] = [];
    const providerRegion = r.provider ? byId.get(r.provider.split("::").pop() ?? "")?.inputs.region : undefined;
    if (typeof providerRegion === "string") parts.push(`in ${providerRegion}`);
    if (r.type.startsWith("pulumi:providers:") && typeof i.region === "string") parts.push(`region ${i.region}`);
    if (r.type === "aws:route53/record:Record" && typeof i.name === "string") parts.push(`${i.type} ${i.name}`);
    if (Array.isArray(i.aliases) && i.aliases.every((a) => typeof a === "string")) parts.push(`${i.aliases.join(", ")}  ${i.priceClass ?? ""}`.trim());
    if (r.type === "aws:acm/certificate:Certificate") parts.push([i.domainName, ...((i.subjectAlternativeNames as string[]) ?? [])].join(", "));
    if (typeof i.contentType === "string") parts.push(`${i.contentType}; ${i.cacheControl ?? ""}`);
    if (typeof i.cidrBlock === "string") parts.push(i.cidrBlock);
    if (typeof i.availabilityZone === "string") parts.push(i.availabilityZone);
    if (typeof i.subnetId === "string" && typeof i.routeTableId === "string") {
        parts.push(`${named(i.subnetId)} -> ${named(i.routeTableId)}`);
    } else if (typeof i.subnetId === "string") {
        const subnet = byId.get(i.subnetId);
        parts.push(`in ${named(i.subnetId)}${subnet?.inputs.availabilityZone ? ` (${subnet.inputs.availabilityZone})` : ""}`);
    }
    if (typeof i.destinationCidrBlock === "string") parts.push(`${i.destinationCidrBlock} -> ${named(i.gatewayId ?? i.natGatewayId)}`);
    if (typeof i.ipProtocol === "string") {
        const peer = i.cidrIpv4 ?? i.cidrIpv6 ?? named(i.referencedSecurityGroupId) ?? i.prefixListId;
        const arrow = r.type.endsWith("IngressRule") ? "from" : "to";
        parts.push(`${i.ipProtocol}/${i.fromPort === i.toPort ? i.fromPort : `${i.fromPort}-${i.toPort}`} ${arrow} ${peer}`);
    }
    if (typeof i.retentionInDays === "number") parts.push(`retention ${i.retentionInDays}d`);
    if (typeof i.trafficType === "string") parts.push(`traffic ${i.trafficType}`);
    if (typeof i.serviceName === "string") parts.push(i.serviceName);
    const compute = COMPUTE[r.type]?.(i, byId);
    if (compute) parts.push(compute);
    return parts.join("  ");
}

type Inputs = Record<string, unknown>;
const obj = (v: unknown): Inputs => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Inputs) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const names = (ids: unknown, byId: ById) => list(ids).map((id) => (typeof id === "string" ? (byId.get(id)?.name ?? id) : "?"));
/** The zones of subnets given by id (known in `plan`; `?` before deploy). */
const zonesOf = (ids: unknown, byId: ById) =>
    [...new Set(list(ids).map((id) => (typeof id === "string" ? byId.get(id)?.inputs.availabilityZone : undefined) ?? "?"))].join(", ");

/** The API tier: what a reviewer checks on a load balancer, the hosts and a release. */
const COMPUTE: Readonly<Record<string, (i: Inputs, byId: ById) => string | undefined>> = {
    "aws:lb/loadBalancer:LoadBalancer": (i, byId) => `${i.internal === true ? "internal" : "internet-facing"} in ${zonesOf(i.subnets, byId)}`,
    "aws:lb/listener:Listener": (i) => `${i.protocol ?? "HTTP"}:${i.port}${typeof i.sslPolicy === "string" ? ` ${i.sslPolicy}` : ""}  default ${list(i.defaultActions).map((a) => obj(a).type).join(", ")}`,
    "aws:lb/targetGroup:TargetGroup": (i) => `${i.targetType} :${i.port} ${i.loadBalancingAlgorithmType ?? "round_robin"}`,
    "aws:lb/listenerRule:ListenerRule": (i) => {
        const groups = list(obj(obj(list(i.actions)[0]).forward).targetGroups).map((g) => `${obj(g).weight}`);
        const headers = list(i.conditions).flatMap((c) => (obj(c).httpHeader ? [`header ${obj(obj(c).httpHeader).httpHeaderName}`] : []));
        return `forward weights ${groups.join("/")}${headers.length ? ` on ${headers.join(", ")}` : ""}`;
    },
    "aws:autoscaling/group:Group": (i, byId) => `${i.desiredCapacity} hosts (${i.minSize}-${i.maxSize}) over ${zonesOf(i.vpcZoneIdentifiers, byId)}`,
    "aws:ec2/launchTemplate:LaunchTemplate": (i) => `${i.instanceType} IMDSv2 ${obj(i.metadataOptions).httpTokens === "required" ? "required" : "optional"}`,
    "aws:ecs/service:Service": (i) => {
        const deployment = obj(i.deploymentConfiguration);
        const canary = obj(deployment.canaryConfiguration);
        const strategy = deployment.strategy === "CANARY" ? `CANARY ${canary.canaryPercent}% for ${canary.canaryBakeTimeInMinutes} min, bake ${deployment.bakeTimeInMinutes} min` : String(deployment.strategy ?? "ROLLING");
        const alarms = obj(i.alarms);
        const rollback = alarms.rollback === true ? `, rollback on ${list(alarms.alarmNames).length} alarms` : "";
        return `${i.desiredCount} tasks on ${list(i.capacityProviderStrategies).map((c) => obj(c).capacityProvider).join(", ")}  ${strategy}${rollback}`;
    },
    "aws:ecs/taskDefinition:TaskDefinition": (i) => `${list(i.requiresCompatibilities).join(", ")} ${i.cpu} CPU ${i.memory} MiB`,
    "aws:appautoscaling/target:Target": (i) => `${i.minCapacity}-${i.maxCapacity} tasks`,
    "aws:appautoscaling/scheduledAction:ScheduledAction": (i) => `${i.schedule} ${i.timezone ?? "UTC"} -> ${obj(i.scalableTargetAction).minCapacity}-${obj(i.scalableTargetAction).maxCapacity}`,
    "aws:ecr/repository:Repository": (i) => `${i.imageTagMutability ?? "MUTABLE"}${obj(i.imageScanningConfiguration).scanOnPush === true ? ", scan on push" : ""}`,
    "aws:ecs/capacityProvider:CapacityProvider": (i) => `managed scaling to ${obj(obj(i.autoScalingGroupProvider).managedScaling).targetCapacity}%`,
    "aws:cloudwatch/metricAlarm:MetricAlarm": (i) => `> ${i.threshold}`,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (i) => (typeof i.policyArn === "string" ? i.policyArn.split("/").pop() : undefined),
    "aws:ec2/securityGroup:SecurityGroup": () => undefined,
    "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": (i, byId) => names(i.capacityProviders, byId).join(", "),
    // The data tier: what a reviewer checks on the database, the proxy, the cache and the backups.
    "aws:rds/instance:Instance": (i) =>
        `${i.engine} ${i.engineVersion} ${i.instanceClass} ${i.multiAz === true ? "Multi-AZ" : "single-AZ"}${i.storageEncrypted === true ? ", encrypted" : ""}${i.publiclyAccessible === true ? ", PUBLIC" : ""}, backups ${i.backupRetentionPeriod} d${typeof i.monitoringRoleArn === "string" ? ", enhanced monitoring" : ""}`,
    "aws:rds/proxy:Proxy": (i) => `${i.requireTls === true ? "TLS required" : "TLS optional"}, ${list(i.auths).map((a) => `IAM auth ${obj(a).iamAuth}`).join(", ")}`,
    "aws:rds/parameterGroup:ParameterGroup": (i) =>
        `${i.family}${list(i.parameters).some((p) => obj(p).name === "rds.force_ssl" && String(obj(p).value) === "1") ? ", rds.force_ssl 1" : ""}`,
    "aws:secretsmanager/secretRotation:SecretRotation": (i) => `every ${obj(i.rotationRules).automaticallyAfterDays} days`,
    "aws:elasticache/replicationGroup:ReplicationGroup": (i) =>
        `${i.engine} ${i.engineVersion} ${i.numCacheClusters} x ${i.nodeType}${list(i.preferredCacheClusterAzs).length ? ` in ${list(i.preferredCacheClusterAzs).join(", ")}` : ""}${i.transitEncryptionMode === "required" ? ", TLS required" : ""}${typeof i.kmsKeyId === "string" ? ", KMS" : ""}${i.multiAzEnabled === true ? ", Multi-AZ failover" : ""}`,
    "aws:elasticache/user:User": (i) => `${i.userName} ${obj(i.authenticationMode).type ?? ""} ${i.accessString}`.trim(),
    "aws:backup/plan:Plan": (i) =>
        list(i.rules)
            .map((r) => `${obj(r).ruleName} ${obj(obj(r).lifecycle).deleteAfter ?? ""} d${obj(r).enableContinuousBackup === true ? " point-in-time" : ""}${list(obj(r).copyActions).length ? " + copy" : ""}`)
            .join("; "),
    "aws:backup/selection:Selection": (i) => list(i.selectionTags).map((t) => `tag ${obj(t).key}=${obj(t).value}`).join(", "),
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": (i) => `${i.changeableForDays === undefined ? "governance" : "compliance"} ${i.minRetentionDays}-${i.maxRetentionDays} d`,
    "aws:backup/restoreTestingPlan:RestoreTestingPlan": (i) => String(i.scheduleExpression ?? ""),
};
