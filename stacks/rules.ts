import { IPv4CidrRange, Validator } from "ip-num";
import { MAX_VPC_PREFIX, MIN_VPC_PREFIX, LAYOUT_BITS, TIER_BLOCKS, ZONE_SLOTS } from "../components/shared/subnet-layout";
import type { ConfigIssue } from "./errors";
import { zoneNames } from "./regions";
import type { NetworkSettings, Tier } from "./schema";

/** RFC 1918 private ranges: the only VPC CIDRs we accept. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => IPv4CidrRange.fromCidr(c));

/** What the cross-field rules see: each field present only if it passed its own schema check. */
export interface RuleInput {
    readonly ns: string;
    readonly tier?: Tier;
    readonly region?: string;
    readonly network: Partial<NetworkSettings>;
    readonly domain?: string;
    /** `webstack:site.domain` when the stack file sets it. */
    readonly siteDomain?: string;
    readonly hostedZone?: string;
}

/** Rules that involve more than one field or knowledge beyond the schema (CIDR math, regions, tiers). */
export function crossFieldIssues(input: RuleInput): ConfigIssue[] {
    return [...cidrIssues(input), ...zoneIssues(input), ...tierIssues(input), ...domainIssues(input)];
}

function cidrIssues({ ns, network }: RuleInput): ConfigIssue[] {
    const cidr = network.cidr;
    if (cidr === undefined) return [];
    const invalid = (problem: string): ConfigIssue[] => [{ key: `${ns}network.cidr`, kind: "invalid", value: cidr, problem }];
    const [isNotation] = Validator.isValidIPv4CidrNotation(cidr);
    if (!isNotation) return invalid("must be an IPv4 CIDR block such as 10.0.0.0/16 (four octets 0-255, prefix /0 to /32)");
    const range = IPv4CidrRange.fromCidr(cidr);
    const prefix = Number(range.getPrefix().getValue());
    const [isAligned] = Validator.isValidIPv4CidrRange(cidr);
    if (!isAligned) {
        return invalid(`must start on its network boundary: did you mean ${range.getFirst().toString()}/${prefix}?`);
    }
    if (prefix < MIN_VPC_PREFIX || prefix > MAX_VPC_PREFIX) {
        return invalid(
            `must have a prefix from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}: AWS allows /${MIN_VPC_PREFIX} at most, and the ` +
                `subnet layout (${TIER_BLOCKS} tier blocks x ${ZONE_SLOTS} zone slots = /prefix+${LAYOUT_BITS}) needs a /27 per subnet`,
        );
    }
    if (!PRIVATE_RANGES.some((r) => range.inside(r))) {
        return invalid("must lie inside a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
    }
    return [];
}

function zoneIssues({ ns, region, network }: RuleInput): ConfigIssue[] {
    if (region === undefined) return [];
    const available = zoneNames(region);
    if (network.zones === undefined) {
        if (network.azCount === undefined || network.azCount <= available.length) return [];
        return [
            {
                key: `${ns}network.azCount`,
                kind: "invalid",
                value: network.azCount,
                problem: `must be at most ${available.length}: aws:region ${region} has ${available.length} availability zones`,
            },
        ];
    }
    const zones = network.zones;
    const invalid = (problem: string): ConfigIssue[] => [{ key: `${ns}network.zones`, kind: "invalid", value: zones, problem }];
    if (zones.length < 2) return invalid("must list at least 2 availability zones: load balancers, RDS and high availability need two");
    if (zones.length > 6) return invalid("must list at most 6 availability zones");
    const idPrefix = zoneIdPrefix(region);
    const isId = (z: string) => new RegExp(`^${idPrefix}-az[0-9]+$`).test(z);
    const foreign = zones.filter((z) => !available.includes(z) && !isId(z));
    if (foreign.length > 0) {
        return invalid(
            `must be availability zones of aws:region ${region}: ${foreign.join(", ")} ${foreign.length === 1 ? "is" : "are"} not; ` +
                `use zone names (${available.join(", ")}) or zone ids (${idPrefix}-az1, ${idPrefix}-az2, ...)`,
        );
    }
    if (zones.some(isId) && !zones.every(isId)) return invalid("must be all zone names or all zone ids, not a mix");
    const repeated = zones.filter((z, i) => zones.indexOf(z) !== i);
    if (repeated.length > 0) return invalid(`must name each zone once: ${[...new Set(repeated)].join(", ")} repeated`);
    if (network.azCount !== undefined && network.azCount !== zones.length) {
        return invalid(`must list exactly ${ns}network.azCount (${network.azCount}) zones, or leave azCount unset to take the zones' count`);
    }
    return [];
}

/** The prefix of a region's zone ids: `use1` for us-east-1, `apse2` for ap-southeast-2, `euc1` for eu-central-1. */
export function zoneIdPrefix(region: string): string {
    const [geo, direction, number] = region.split("-");
    const short = direction.replace(/(north|south)?(east|west|central)?/, (_, ns: string | undefined, ew: string | undefined) => `${ns?.[0] ?? ""}${ew?.[0] ?? ""}`);
    return `${geo}${short}${number}`;
}

function tierIssues({ ns, tier, network }: RuleInput): ConfigIssue[] {
    if (tier !== "production" || network.natStrategy !== "single") return [];
    return [
        {
            key: `${ns}network.natStrategy`,
            kind: "invalid",
            value: network.natStrategy,
            problem: `must be "onePerAz" in production: with a single NAT gateway, losing its zone cuts egress for every private subnet`,
        },
    ];
}

function domainIssues({ ns, domain, siteDomain, hostedZone }: RuleInput): ConfigIssue[] {
    if (hostedZone === undefined) return [];
    const names: [string, string | undefined][] = [
        [`${ns}domain`, domain],
        [`${ns}site.domain`, siteDomain],
    ];
    return names
        .filter(([, name]) => name !== undefined && name !== hostedZone && !name.endsWith(`.${hostedZone}`))
        .map(([key, name]) => ({
            key,
            kind: "invalid" as const,
            value: name,
            problem: `must be ${ns}hostedZone (${hostedZone}) or a name below it, so its records can live in that zone`,
        }));
}
