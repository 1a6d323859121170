export { ConfigError, formatIssue, type ConfigIssue } from "./errors";
export { TIER_DEFAULTS } from "./defaults";
export { loadStackConfig } from "./load";
export { parseStackConfig, type ConfigSource } from "./parse";
export { REGION_ZONES, zoneNames } from "./regions";
export {
    TIERS,
    NAT_STRATEGIES,
    LOG_RETENTION_DAYS,
    PRICE_CLASSES,
    type ApiConfig,
    type ScheduleEntry,
    type NetworkConfig,
    type NatStrategy,
    type SiteConfig,
    type StackConfig,
    type Tier,
} from "./schema";
