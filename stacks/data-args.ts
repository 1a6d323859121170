import type { CacheArgs } from "../components/cache";
import type { DatabaseArgs } from "../components/database";
import type { DisasterRecoveryArgs, VaultLock } from "../components/disaster-recovery";
import type { ProviderSettings } from "../components/shared/providers";
import type { Vpc } from "../components/vpc";
import type { StackConfig } from "./schema";

/**
 * The tag AWS Backup selects by: one value per stack, so another stack's plan in the same account never
 * selects (or skips) this stack's data.
 */
export function backupTag(config: StackConfig): { key: string; value: string } {
    return { key: "Backup", value: `${config.project}-${config.stack}` };
}

/** `webstack:database` onto the Database's args: the isolated subnets, the proxy in the private ones, the Vpc's groups. */
export function databaseArgs(config: StackConfig, network: Vpc): DatabaseArgs {
    const db = config.database;
    return {
        network: {
            isolatedSubnetIds: network.isolatedSubnetIds,
            privateSubnetIds: network.privateSubnetIds,
            databaseSecurityGroupId: network.securityGroupIds.database,
            proxySecurityGroupId: network.securityGroupIds.proxy,
            rotationSecurityGroupId: network.securityGroupIds.rotation,
        },
        engineVersion: db.engineVersion,
        instanceClass: db.instanceClass,
        multiAz: db.multiAz,
        allocatedStorage: db.allocatedStorage,
        maxAllocatedStorage: db.maxAllocatedStorage,
        databaseName: db.databaseName,
        masterUsername: db.masterUsername,
        credentials: db.credentials,
        rotationDays: db.rotationDays,
        backupRetentionDays: db.backupRetentionDays,
        logRetentionDays: db.logRetentionDays,
        proxy: { maxConnectionsPercent: db.proxyMaxConnectionsPercent },
        backupTag: backupTag(config),
        protect: config.protectData,
        tags: config.tags,
    };
}

/** `webstack:cache` onto the Cache's args: the isolated subnets of every zone, the Vpc's cache group. */
export function cacheArgs(config: StackConfig, network: Vpc): CacheArgs {
    const cache = config.cache;
    return {
        network: { isolatedSubnetIds: network.isolatedSubnetIds, cacheSecurityGroupId: network.securityGroupIds.cache },
        engine: cache.engine,
        engineVersion: cache.engineVersion,
        nodeType: cache.nodeType,
        nodes: cache.nodes,
        zones: config.network.zones,
        snapshotRetentionDays: cache.snapshotRetentionDays,
        logRetentionDays: cache.logRetentionDays,
        // RBAC user ids and the final snapshot are named per account and region: one set per stack.
        uniqueName: `${config.stack}-cache`,
        protect: config.protectData,
        tags: config.tags,
    };
}

/** A lock that never refuses the plan's own retentions (the shortest is at least 7 days) and caps them at a year. */
function vaultLock(config: StackConfig): VaultLock | undefined {
    const mode = config.dr.vaultLock;
    if (mode === "none") return undefined;
    return { mode, minRetentionDays: 7, maxRetentionDays: 365, ...(mode === "compliance" ? { changeableForDays: 3 } : {}) };
}

/** `webstack:dr` onto the DisasterRecovery's args (its first layer: backups of what carries the backup tag). */
export function disasterRecoveryArgs(
    config: StackConfig & { readonly providerSettings: ProviderSettings },
    restoreTesting: DisasterRecoveryArgs["restoreTesting"],
): DisasterRecoveryArgs {
    const dr = config.dr;
    return {
        drRegion: dr.region,
        providerSettings: config.providerSettings,
        backupTag: backupTag(config),
        retentionDays: dr.backupRetentionDays,
        continuousDays: dr.continuousBackupDays,
        copyToDr: dr.copyToDr,
        vaultLock: vaultLock(config),
        restoreTesting,
        protect: config.protectData,
        tags: config.tags,
    };
}
