import type { NetworkSettings, SiteSettings, Tier } from "./schema";

/** What each tier gets unless its stack file says otherwise. Stack files hold only the differences. */
export interface TierDefaults {
    /** No `zones`: they default to the region's first `azCount` zone names (stacks/regions.ts). */
    readonly network: Omit<NetworkSettings, "zones">;
    readonly site: Omit<SiteSettings, "domain">;
}

export const TIER_DEFAULTS: Readonly<Record<Tier, TierDefaults>> = {
    // Small and cheap: one NAT gateway shared by both zones (~$33/month instead of ~$66).
    staging: {
        network: { cidr: "10.20.0.0/16", azCount: 2, natStrategy: "single", flowLogRetentionDays: 30 },
        // Edge locations in North America and Europe only; no WAF (~$10/month) in front of a test UI.
        site: { priceClass: "PriceClass_100", spa: false, waf: false, www: false, takeOverRecords: false, logRetentionDays: 30 },
    },
    // Highly available: a NAT gateway per zone, so losing a zone never cuts the others' egress.
    production: {
        network: { cidr: "10.10.0.0/16", azCount: 2, natStrategy: "onePerAz", flowLogRetentionDays: 365 },
        // Every edge location, WAF in front, www. served too, a year of access logs.
        site: { priceClass: "PriceClass_All", spa: false, waf: true, www: true, takeOverRecords: false, logRetentionDays: 365 },
    },
};
