export { ConfigError, formatIssue, type ConfigIssue } from "./errors";
export { DR_REGIONS, TIER_DEFAULTS } from "./defaults";
export { loadStackConfig } from "./load";
export { parseStackConfig, type ConfigSource } from "./parse";
export { REGION_ZONES, zoneNames } from "./regions";
export {
    TIERS,
    NAT_STRATEGIES,
    LOG_RETENTION_DAYS,
    PRICE_CLASSES,
    CREDENTIALS,
    CACHE_ENGINES,
    CACHE_ENGINE_VERSIONS,
    VAULT_LOCK_MODES,
    type ApiConfig,
    type CacheConfig,
    type CacheEngine,
    type Credentials,
    type DatabaseConfig,
    type DrConfig,
    type VaultLockMode,
    type ScheduleEntry,
    type NetworkConfig,
    type NatStrategy,
    type SiteConfig,
    type StackConfig,
    type Tier,
} from "./schema";
