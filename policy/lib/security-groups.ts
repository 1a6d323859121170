import { programValue, setByProgram, type Node } from "./graph";
import { T, isOneOf } from "./types";
import { UNKNOWN_VALUE, asArray, known, knownItems, type Known } from "./values";

export const WORLD: readonly string[] = ["0.0.0.0/0", "::/0"];

/** One security group rule, normalised from the three forms the provider allows. */
export interface SgRule {
    readonly direction: "ingress" | "egress";
    /** Lower-case protocol; `-1` means every protocol and port. */
    readonly protocol: string;
    readonly fromPort: number;
    readonly toPort: number;
    readonly cidrs: string[];
    /** Peer groups: their ids, or UNKNOWN_VALUE for ids known only after deploy (resolved through `peerProp`'s dependencies). */
    readonly groupIds: Known<string>[];
    readonly prefixLists: Known<string>[];
    readonly self: boolean;
    /** The group the rule belongs to, for the separate-resource forms (its property is `securityGroupId`). */
    readonly groupId?: Known<string>;
    /** The top-level property holding the peer groups, whose dependencies name them before deploy. */
    readonly peerProp: string;
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

/** Ids in a list, each a string or UNKNOWN_VALUE (other values dropped). */
const ids = (value: unknown): Known<string>[] => knownItems(value).filter((v): v is Known<string> => typeof v === "string" || v === UNKNOWN_VALUE);

/** A string property's value (read with `known()`) as a one-item list: the string, or UNKNOWN_VALUE (none when absent). */
function one(v: unknown): Known<string>[] {
    return typeof v === "string" || v === UNKNOWN_VALUE ? [v] : [];
}

function inline(direction: "ingress" | "egress", r: InlineRule, peerProp: string): SgRule {
    return {
        direction,
        protocol: normalProtocol(r.protocol),
        fromPort: Number(r.fromPort ?? 0),
        toPort: Number(r.toPort ?? 65535),
        cidrs: [...asArray(r.cidrBlocks), ...asArray(r.ipv6CidrBlocks)],
        groupIds: ids(known(r, "securityGroups")),
        prefixLists: ids(known(r, "prefixListIds")),
        self: r.self === true,
        peerProp,
    };
}

/** How a resource's top-level properties are read: as the proxy gives them, or with `known()`. */
interface Reader {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    value(prop: string): any;
    known(prop: string): unknown;
}

/**
 * Every rule a resource declares (its inputs, in a resource rule): inline on a (default) security
 * group, or as a rule resource of either kind. Group and prefix-list ids are read without touching
 * unknown values (they may be ids of groups created in the same preview); CIDRs, protocol and
 * ports are read as they are.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function rulesOf(type: string, p: Record<string, any>): SgRule[] {
    return rulesWith(type, p, { value: (prop) => p[prop], known: (prop) => known(p, prop) });
}

/**
 * Every rule a resource of the stack phase declares (its outputs), read as the program set them
 * (`setByProgram`): before deploy, the inline `ingress` / `egress` AWS reports for a group whose
 * rules are separate resources (their union, checked on their own) and a rule's source group the
 * program did not set are unknown, and are left out as after an unset input.
 */
export function rulesOfResource(r: Node): SgRule[] {
    return rulesWith(r.type, r.props, { value: (prop) => programValue(r, prop), known: (prop) => setByProgram(r, prop) });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function rulesWith(type: string, p: Record<string, any>, read: Reader): SgRule[] {
    if (isOneOf(type, T.securityGroup) || isOneOf(type, T.defaultSecurityGroup)) {
        return [
            ...asArray<InlineRule>(read.value("ingress")).map((r) => inline("ingress", r, "ingress")),
            ...asArray<InlineRule>(read.value("egress")).map((r) => inline("egress", r, "egress")),
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
                groupIds: one(known(p, "referencedSecurityGroupId")),
                prefixLists: one(known(p, "prefixListId")),
                self: false,
                groupId: known(p, "securityGroupId") as Known<string> | undefined,
                peerProp: "referencedSecurityGroupId",
            },
        ];
    }
    if (isOneOf(type, T.sgRule)) {
        const rule = inline(p.type === "egress" ? "egress" : "ingress", p as InlineRule, "sourceSecurityGroupId");
        return [{ ...rule, groupIds: [...rule.groupIds, ...one(read.known("sourceSecurityGroupId"))], groupId: known(p, "securityGroupId") as Known<string> | undefined }];
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
