/**
 * AWS commercial regions that need no opt-in, with the zone letters AWS offers in each.
 * Config validation checks `webstack:network.azCount` against this table before anything is
 * registered; at deploy time the Vpc takes the real zone names from `aws.getAvailabilityZones`.
 * Source: AWS "Regions and Zones" documentation (zones open to new accounts), checked 2026-11.
 */
export const REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
    "us-east-1": ["a", "b", "c", "d", "e", "f"],
    "us-east-2": ["a", "b", "c"],
    "us-west-1": ["a", "c"],
    "us-west-2": ["a", "b", "c", "d"],
    "ca-central-1": ["a", "b", "d"],
    "sa-east-1": ["a", "b", "c"],
    "eu-west-1": ["a", "b", "c"],
    "eu-west-2": ["a", "b", "c"],
    "eu-west-3": ["a", "b", "c"],
    "eu-central-1": ["a", "b", "c"],
    "eu-north-1": ["a", "b", "c"],
    "ap-south-1": ["a", "b", "c"],
    "ap-southeast-1": ["a", "b", "c"],
    "ap-southeast-2": ["a", "b", "c"],
    "ap-northeast-1": ["a", "c", "d"],
    "ap-northeast-2": ["a", "b", "c", "d"],
    "ap-northeast-3": ["a", "b", "c"],
};

/** The availability zone names of a region from the table, e.g. `us-east-2a`. */
export function zoneNames(region: string): string[] {
    return (REGION_ZONES[region] ?? []).map((letter) => `${region}${letter}`);
}
