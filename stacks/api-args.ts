import type { ApiClusterArgs } from "../components/api-cluster";
import type { Cache } from "../components/cache";
import type { Database } from "../components/database";
import type { Vpc } from "../components/vpc";
import type { StackConfig } from "./schema";

/**
 * `webstack:api` onto the ApiCluster's args: the API at `api.<domain>`, in the Vpc's private subnets and tier
 * groups, connected to the database through its proxy and to the cache, both by IAM.
 */
export function apiClusterArgs(config: StackConfig, network: Vpc, db: Database, cache: Cache): ApiClusterArgs {
    const api = config.api;
    return {
        network: {
            vpcId: network.vpcId,
            publicSubnetIds: network.publicSubnetIds,
            privateSubnetIds: network.privateSubnetIds,
            loadBalancerSecurityGroupId: network.securityGroupIds.lb,
            appSecurityGroupId: network.securityGroupIds.app,
            hostsSecurityGroupId: network.securityGroupIds.hosts,
            cloudFrontOnly: network.loadBalancerIngress === "cloudfront",
        },
        domain: `api.${config.domain}`,
        hostedZone: config.hostedZone,
        capacity: api.capacity,
        hosts:
            api.capacity === "ec2"
                ? { instanceType: api.instanceType, min: api.minHosts, desired: api.desiredHosts, max: api.maxHosts, trunking: api.trunking }
                : undefined,
        tasks: { min: api.minTasks, desired: api.desiredTasks, max: api.maxTasks, cpu: api.cpu, memory: api.memory },
        image: api.image,
        port: api.port,
        metricsPort: api.metricsPort,
        healthCheckPath: api.healthCheckPath,
        routingAlgorithm: api.routingAlgorithm,
        release: { canaryPercent: api.canaryPercent, canaryBakeMinutes: api.canaryBakeMinutes, bakeMinutes: api.bakeMinutes },
        scaling: { cpuTargetPercent: api.cpuTargetPercent, requestsPerTask: api.requestsPerTarget, schedule: api.schedule },
        environment: { ENVIRONMENT: config.environment },
        database: {
            host: db.proxyEndpoint,
            port: db.port,
            name: db.databaseName,
            username: db.username,
            connectResourceArn: db.connectResourceArn,
            // The pool size the connection budget (stacks/rules.ts) was checked with.
            poolSize: config.database.poolSizePerTask,
        },
        cache: { host: cache.primaryEndpoint, port: cache.port, username: cache.username, connectResourceArns: cache.connectPolicyResources },
        logRetentionDays: api.logRetentionDays,
        waf: api.waf,
        protect: config.protectData,
        tags: config.tags,
    };
}
