import type { ApiConfig, NetworkSettings, SiteSettings, Tier } from "./schema";

/** What each tier gets unless its stack file says otherwise. Stack files hold only the differences. */
export interface TierDefaults {
    /** No `zones`: they default to the region's first `azCount` zone names (stacks/regions.ts). */
    readonly network: Omit<NetworkSettings, "zones">;
    readonly site: Omit<SiteSettings, "domain">;
    /** No `image`: CI pushes one and sets it by digest. */
    readonly api: Omit<ApiConfig, "image">;
}

/** What both tiers share: the API's own ports and path, canary steps, scaling targets, seed 004's 10k connections per host. */
const API_COMMON = {
    instanceType: "m6i.large",
    // Trunking is an account-wide setting the stack does not own: assume it off until the account enables it.
    trunking: false,
    port: 8080,
    metricsPort: 9090,
    healthCheckPath: "/api/health",
    routingAlgorithm: "round_robin", // seed 000: steady traffic
    canaryPercent: 10,
    canaryBakeMinutes: 5,
    cpuTargetPercent: 70, // seed 000: CPU held at 90% means add capacity, so scale out well before
    requestsPerTarget: 1000,
    schedule: [],
    connectionsPerHost: 10000,
    // The load balancer's WAF costs about $5/month + $1/rule + $0.60 per million requests; the site's WAF fronts the UI.
    waf: false,
} satisfies Partial<ApiConfig>;

export const TIER_DEFAULTS: Readonly<Record<Tier, TierDefaults>> = {
    // Small and cheap: one NAT gateway shared by both zones (~$33/month instead of ~$66).
    staging: {
        network: { cidr: "10.20.0.0/16", azCount: 2, natStrategy: "single", flowLogRetentionDays: 30 },
        // Edge locations in North America and Europe only; no WAF (~$10/month) in front of a test UI.
        site: { priceClass: "PriceClass_100", spa: false, waf: false, www: false, takeOverRecords: false, logRetentionDays: 30 },
        // Fargate: no hosts to pay for while idle; the smallest task, one of it, a shorter bake. Host fields apply if
        // the stack switches to ec2. One task is allowed here: staging need not survive losing a zone.
        api: {
            ...API_COMMON,
            capacity: "fargate",
            minHosts: 1,
            desiredHosts: 1,
            maxHosts: 2,
            minTasks: 1,
            desiredTasks: 1,
            maxTasks: 2,
            cpu: 256,
            memory: 512,
            bakeMinutes: 10,
            peakConnections: 10000,
            logRetentionDays: 30,
        },
    },
    // Highly available: a NAT gateway per zone, so losing a zone never cuts the others' egress.
    production: {
        network: { cidr: "10.10.0.0/16", azCount: 2, natStrategy: "onePerAz", flowLogRetentionDays: 365 },
        // Every edge location, WAF in front, www. served too, a year of access logs.
        site: { priceClass: "PriceClass_All", spa: false, waf: true, www: true, takeOverRecords: false, logRetentionDays: 365 },
        // Seed 001: an auto scaling group of 4 hosts over 2 zones; seed 004: room toward 100k connections (10 hosts x 10k).
        // A release runs both revisions: 2 x 10 tasks = 20 awsvpc slots = 10 m6i.large hosts x 2 slots without trunking.
        api: {
            ...API_COMMON,
            capacity: "ec2",
            minHosts: 4,
            desiredHosts: 4,
            maxHosts: 10,
            minTasks: 4,
            desiredTasks: 4,
            maxTasks: 10,
            cpu: 512,
            memory: 1024,
            bakeMinutes: 15,
            peakConnections: 100000,
            logRetentionDays: 365,
        },
    },
};
