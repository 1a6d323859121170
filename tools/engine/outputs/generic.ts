import { ACCOUNT_ID, DEPLOYED_AT, PARTITION, hex } from "../fake-ids";
import type { Member, Shape } from "./schema";

/** What a generic value may depend on. */
export interface GenericContext {
    readonly type: string;
    readonly key: string;
    readonly region: string;
    /** The physical name (or the logical one when the type has none). */
    readonly physical: string;
    /** The ARN service namespace of the type (`elasticloadbalancing` for `aws:lb/...`). */
    readonly service: string;
}

/** EC2-style id prefixes by the stem of an `...Id` output. */
const ID_PREFIXES: Readonly<Record<string, string>> = {
    dhcpOptions: "dopt",
    networkInterface: "eni",
    securityGroupRule: "sgr",
    securityGroup: "sg",
    routeTable: "rtb",
    networkAcl: "acl",
    defaultNetworkAcl: "acl",
    subnet: "subnet",
    vpc: "vpc",
    allocation: "eipalloc",
    association: "eipassoc",
    internetGateway: "igw",
    natGateway: "nat",
    prefixList: "pl",
    instance: "i",
    image: "ami",
    volume: "vol",
    snapshot: "snap",
    launchTemplate: "lt",
    transitGateway: "tgw",
    vpcEndpoint: "vpce",
};

/**
 * A deterministic value of the declared type for an output nothing more specific filled. Provider-
 * computed outputs get a realistic value by name (ids, ARNs, endpoints, dates); optional inputs the
 * provider reports back get what AWS reports when they are not set: empty strings, zero, false, no
 * list entries, and no block (`null`) — a fake "enabled" block would make policy rules see settings
 * the program never made.
 */
export function genericValue(m: Member, computed: boolean, c: GenericContext): unknown {
    const known = anyOutput(m, c);
    if (known !== undefined) return known;
    return computed ? byName(m, c) : zero(m.shape);
}

/** Names that mean the same whatever the type. */
function anyOutput(m: Member, c: GenericContext): unknown {
    if (m.shape.kind !== "string") return m.name === "tagsAll" ? {} : undefined;
    if (m.name === "region") return c.region;
    if (/^(owner|ownerId|accountId|registryId|instanceOwnerId)$/.test(m.name)) return ACCOUNT_ID;
    if (/ipv6/i.test(m.name)) return ""; // no IPv6 unless the inputs ask for it
    return undefined;
}

function byName(m: Member, c: GenericContext): unknown {
    const { name, shape } = m;
    const seed = `${c.key}:${name}`;
    switch (shape.kind) {
        case "number":
            return /([vV]ersion|^revision)$/.test(name) ? 1 : /[pP]ort$/.test(name) ? 443 : 0;
        case "boolean":
            return false;
        case "array":
        case "map":
        case "unknown":
            return zero(shape);
        case "object":
            return {};
    }
    if (/Arn$/.test(name)) return `arn:${PARTITION}:${c.service}:${c.region}:${ACCOUNT_ID}:${kebab(name.slice(0, -3))}/${c.physical}`;
    if (name === "hostedZoneId" || name === "zoneId") return `Z${hex(seed, 13).toUpperCase()}`;
    if (/(^id|Id)$/.test(name)) {
        const stem = name.slice(0, -2);
        return `${ID_PREFIXES[stem] ?? kebab(stem || "id")}-${hex(seed, 17)}`;
    }
    if (/([eE]ndpoint|[aA]ddress|[dD]nsName|[dD]omainName|^fqdn)$/.test(name)) return host(c, seed);
    if (/([uU]rl|[uU]ri)$/.test(name)) return `https://${host(c, seed)}`;
    if (/(Date|Time|At|^lastModified|ValidTill|^notBefore)$/.test(name)) return DEPLOYED_AT;
    if (name === "notAfter") return "2026-02-01T23:59:59Z";
    if (/^(status|state)$/.test(name)) return "available";
    if (/[eE]tag$/.test(name)) return hex(seed, 32);
    if (/[vV]ersion$/.test(name)) return "1";
    if (/Name$/.test(name)) return c.physical;
    return "";
}

function host(c: GenericContext, seed: string): string {
    return `${c.physical.toLowerCase()}.${hex(seed, 6)}.${c.region}.${c.service}.amazonaws.com`;
}

/** What AWS reports for a setting nobody made. */
export function zero(shape: Shape): unknown {
    switch (shape.kind) {
        case "string":
            return "";
        case "number":
            return 0;
        case "boolean":
            return false;
        case "array":
            return [];
        case "map":
            return {};
        default:
            return null;
    }
}

export function kebab(s: string): string {
    return s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}
