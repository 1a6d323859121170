import { T, isOneOf } from "./types";
import { asArray } from "./values";

export const WORLD: readonly string[] = ["0.0.0.0/0", "::/0"];

/** One security group rule, normalised from the three forms the provider allows. */
export interface SgRule {
    readonly direction: "ingress" | "egress";
    /** Lower-case protocol; `-1` means every protocol and port. */
    readonly protocol: string;
    readonly fromPort: number;
    readonly toPort: number;
    readonly cidrs: string[];
    readonly groupIds: string[];
    readonly prefixLists: string[];
    readonly self: boolean;
    /** The group the rule belongs to, for the separate-resource forms. */
    readonly groupId?: string;
}

interface InlineRule {
    protocol?: string;
    fromPort?: number;
    toPort?: number;
    cidrBlocks?: string[];
    ipv6CidrBlocks?: string[];
    securityGroups?: string[];
    prefixListIds?: string[];
    self?: boolean;
}

function normalProtocol(p: unknown): string {
    const s = String(p ?? "-1").toLowerCase();
    return s === "all" || s === "-1" ? "-1" : s;
}

function inline(direction: "ingress" | "egress", r: InlineRule): SgRule {
    return {
        direction,
        protocol: normalProtocol(r.protocol),
        fromPort: Number(r.fromPort ?? 0),
        toPort: Number(r.toPort ?? 65535),
        cidrs: [...asArray(r.cidrBlocks), ...asArray(r.ipv6CidrBlocks)],
        groupIds: asArray(r.securityGroups),
        prefixLists: asArray(r.prefixListIds),
        self: r.self === true,
    };
}

/** Every rule a resource declares: inline on a (default) security group, or as a rule resource of either kind. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function rulesOf(type: string, p: Record<string, any>): SgRule[] {
    if (isOneOf(type, T.securityGroup) || isOneOf(type, T.defaultSecurityGroup)) {
        return [
            ...asArray<InlineRule>(p.ingress).map((r) => inline("ingress", r)),
            ...asArray<InlineRule>(p.egress).map((r) => inline("egress", r)),
        ];
    }
    if (isOneOf(type, T.ingressRule) || isOneOf(type, T.egressRule)) {
        const protocol = normalProtocol(p.ipProtocol);
        return [
            {
                direction: isOneOf(type, T.ingressRule) ? "ingress" : "egress",
                protocol,
                fromPort: protocol === "-1" ? 0 : Number(p.fromPort ?? 0),
                toPort: protocol === "-1" ? 65535 : Number(p.toPort ?? 65535),
                cidrs: [p.cidrIpv4, p.cidrIpv6].filter((c): c is string => typeof c === "string"),
                groupIds: typeof p.referencedSecurityGroupId === "string" ? [p.referencedSecurityGroupId] : [],
                prefixLists: typeof p.prefixListId === "string" ? [p.prefixListId] : [],
                self: false,
                groupId: p.securityGroupId,
            },
        ];
    }
    if (isOneOf(type, T.sgRule)) {
        const rule = inline(p.type === "egress" ? "egress" : "ingress", p as InlineRule);
        const source = typeof p.sourceSecurityGroupId === "string" ? [p.sourceSecurityGroupId] : [];
        return [{ ...rule, groupIds: [...rule.groupIds, ...source], groupId: p.securityGroupId }];
    }
    return [];
}

/** `tcp/443`, `tcp/1024-2048` or `all traffic`. */
export function portLabel(r: SgRule): string {
    if (r.protocol === "-1") return "all traffic";
    return `${r.protocol}/${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`}`;
}

/** The port range as a finding key: `tcp-443`, `tcp-1024-2048` or `all`. */
export function portKey(r: SgRule): string {
    if (r.protocol === "-1") return "all";
    return `${r.protocol}-${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`}`;
}

/** True when the rule opens exactly one TCP port and it is `port`. */
export function isExactlyTcp(r: SgRule, port: number): boolean {
    return r.protocol === "tcp" && r.fromPort === port && r.toPort === port;
}
