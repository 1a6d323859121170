import type { RecordedResource } from "../engine/graph";

/** Finds recorded resources by their (mock) id, to name what an input points at. */
export type ById = ReadonlyMap<string, RecordedResource>;

export function indexById(resources: readonly RecordedResource[]): ById {
    return new Map(resources.filter((r) => r.id).map((r) => [r.id as string, r]));
}

/** A short note after a resource in the tree: the facts a reviewer checks first (CIDRs, zones, ports, peers, names). */
export function details(r: RecordedResource, byId: ById): string {
    const i = r.inputs;
    const named = (id: unknown) => (typeof id === "string" ? (byId.get(id)?.name ?? id) : undefined);
    const parts: string[] = [];
    const providerRegion = r.provider ? byId.get(r.provider.split("::").pop() ?? "")?.inputs.region : undefined;
    if (typeof providerRegion === "string") parts.push(`in ${providerRegion}`);
    if (r.type.startsWith("pulumi:providers:") && typeof i.region === "string") parts.push(`region ${i.region}`);
    if (r.type === "aws:route53/record:Record" && typeof i.name === "string") parts.push(`${i.type} ${i.name}`);
    if (Array.isArray(i.aliases) && i.aliases.every((a) => typeof a === "string")) parts.push(`${i.aliases.join(", ")}  ${i.priceClass ?? ""}`.trim());
    if (r.type === "aws:acm/certificate:Certificate") parts.push([i.domainName, ...((i.subjectAlternativeNames as string[]) ?? [])].join(", "));
    if (typeof i.contentType === "string") parts.push(`${i.contentType}; ${i.cacheControl ?? ""}`);
    if (typeof i.cidrBlock === "string") parts.push(i.cidrBlock);
    if (typeof i.availabilityZone === "string") parts.push(i.availabilityZone);
    if (typeof i.subnetId === "string" && typeof i.routeTableId === "string") {
        parts.push(`${named(i.subnetId)} -> ${named(i.routeTableId)}`);
    } else if (typeof i.subnetId === "string") {
        const subnet = byId.get(i.subnetId);
        parts.push(`in ${named(i.subnetId)}${subnet?.inputs.availabilityZone ? ` (${subnet.inputs.availabilityZone})` : ""}`);
    }
    if (typeof i.destinationCidrBlock === "string") parts.push(`${i.destinationCidrBlock} -> ${named(i.gatewayId ?? i.natGatewayId)}`);
    if (typeof i.ipProtocol === "string") {
        const peer = i.cidrIpv4 ?? i.cidrIpv6 ?? named(i.referencedSecurityGroupId) ?? i.prefixListId;
        const arrow = r.type.endsWith("IngressRule") ? "from" : "to";
        parts.push(`${i.ipProtocol}/${i.fromPort === i.toPort ? i.fromPort : `${i.fromPort}-${i.toPort}`} ${arrow} ${peer}`);
    }
    if (typeof i.retentionInDays === "number") parts.push(`retention ${i.retentionInDays}d`);
    if (typeof i.trafficType === "string") parts.push(`traffic ${i.trafficType}`);
    if (typeof i.serviceName === "string") parts.push(i.serviceName);
    return parts.join("  ");
}
