import type { NetworkConfig, Tier } from "./schema";

/** What each tier gets unless its stack file says otherwise. Stack files hold only the differences. */
export interface TierDefaults {
    readonly network: NetworkConfig;
}

export const TIER_DEFAULTS: Readonly<Record<Tier, TierDefaults>> = {
    // Small and cheap: one NAT gateway shared by both zones (~$33/month instead of ~$66).
    staging: {
        network: { cidr: "10.20.0.0/16", azCount: 2, natStrategy: "single", flowLogRetentionDays: 30 },
    },
    // Highly available: a NAT gateway per zone, so losing a zone never cuts the others' egress.
    production: {
        network: { cidr: "10.10.0.0/16", azCount: 2, natStrategy: "onePerAz", flowLogRetentionDays: 365 },
    },
};
