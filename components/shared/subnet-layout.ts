import { IPv4CidrRange, IPv4Prefix } from "ip-num";

/** The three subnet tiers, in the order their blocks sit inside the VPC CIDR. */
export const SUBNET_TIERS = ["public", "private", "isolated"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/**
 * The VPC CIDR is cut into 4 equal tier blocks (public, private, isolated, one spare) and each
 * block into 8 equal zone slots. Slots are fixed by zone index, so adding a zone or changing the
 * NAT strategy never moves an existing subnet (a moved CIDR would replace the subnet).
 */
export const TIER_BLOCKS = 4;
export const ZONE_SLOTS = 8;
/** Bits the layout adds to the VPC prefix: log2(4 blocks) + log2(8 slots). */
export const LAYOUT_BITS = Math.log2(TIER_BLOCKS) + Math.log2(ZONE_SLOTS);
/** AWS's largest VPC. */
export const MIN_VPC_PREFIX = 16;
/** A load balancer needs a /27 per subnet, so the VPC can be no smaller than /27 minus the layout. */
export const MAX_VPC_PREFIX = 27 - LAYOUT_BITS;

export type SubnetLayout = Readonly<Record<SubnetTier, readonly string[]>>;

/** The subnet CIDRs for `azCount` zones: `layout.private[i]` is the private subnet of zone i. */
export function subnetLayout(vpcCidr: string, azCount: number): SubnetLayout {
    const vpc = IPv4CidrRange.fromCidr(vpcCidr);
    const vpcPrefix = Number(vpc.getPrefix().getValue());
    const blocks = vpc.splitInto(new IPv4Prefix(BigInt(vpcPrefix + Math.log2(TIER_BLOCKS))));
    const slotsOf = (block: IPv4CidrRange) =>
        block.splitInto(new IPv4Prefix(BigInt(vpcPrefix + LAYOUT_BITS))).slice(0, azCount).map((s) => s.toCidrString());
    return {
        public: slotsOf(blocks[0]),
        private: slotsOf(blocks[1]),
        isolated: slotsOf(blocks[2]),
    };
}
