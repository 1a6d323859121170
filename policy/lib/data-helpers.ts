/** Readers shared by the load balancer, compute, data-store and logging rules. */
import { T, isOneOf } from "./types";
import { allTagsOf, isPresent, known } from "./values";

/** Aurora member instances: a separate token, their storage, backups and placement belong to the cluster. */
export const RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";


/** Tagged `Environment=production` (the tag components/shared/tags.ts sets). */
export function isProduction(props: Record<string, unknown>): boolean {
    const env = allTagsOf(props).Environment;
    return typeof env === "string" && env.trim().toLowerCase() === "production";
}

/**
 * An RDS resource whose storage belongs to a cluster: an Aurora member (`aws.rds.ClusterInstance`),
 * or, defensively, an instance carrying a `clusterIdentifier`.
 */
export function isClusterMember(type: string, props: Record<string, unknown>): boolean {
    if (type === RDS_CLUSTER_INSTANCE) return true;
    return isOneOf(type, T.rdsInstance) && isPresent(known(props, "clusterIdentifier"));
}

/** An RDS read replica (its data and encryption come from the source; the source may be known only after deploy). */
export function isReadReplica(props: Record<string, unknown>): boolean {
    return isPresent(known(props, "replicateSourceDb"));
}

/** The region field of an ARN (`arn:partition:service:region:account:resource`), or undefined. */
export function arnRegion(arn: unknown): string | undefined {
    if (typeof arn !== "string") return undefined;
    const parts = arn.split(":");
    return parts.length >= 6 && parts[0] === "arn" && parts[3] !== "" ? parts[3] : undefined;
}

/** An ARN of the given service in any partition (aws, aws-cn, aws-us-gov, ...). */
export function isArnOf(service: string, value: unknown): boolean {
    return typeof value === "string" && new RegExp(`^arn:aws[a-z-]*:${service}:`).test(value);
}


// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Container = Record<string, any>;

/** ECS container definitions: a JSON string (as the provider takes them) or, defensively, an array. */
export function containersOf(value: unknown): { containers: Container[] } | { error: string } {
    let parsed: unknown = value;
    if (typeof value === "string") {
        try {
            parsed = JSON.parse(value);
        } catch {
            return { error: "containerDefinitions is not valid JSON" };
        }
    }
    if (!Array.isArray(parsed)) return { error: value === undefined ? "containerDefinitions is missing" : "containerDefinitions is not a JSON array of containers" };
    return { containers: parsed.filter((c): c is Container => typeof c === "object" && c !== null) };
}

/** A container's name for messages and finding keys (its index when unnamed). */
export function containerName(c: Container, i: number): string {
    return typeof c.name === "string" && c.name !== "" ? c.name : `container-${i + 1}`;
}
