// The capacity facts the ApiCluster and the stack config validation share: pure data and pure functions.

/** Where the API's tasks run: EC2 hosts of an auto scaling group, or Fargate (no hosts to manage or pay for while idle). */
export const CAPACITIES = ["ec2", "fargate"] as const;
export type Capacity = (typeof CAPACITIES)[number];

/** How the load balancer picks a target: in turn, or the one with the fewest requests in flight (uneven load, seed 000). */
export const ROUTING_ALGORITHMS = ["round_robin", "least_outstanding_requests"] as const;
export type RoutingAlgorithm = (typeof ROUTING_ALGORITHMS)[number];

/** One EC2 host type as ECS sees it. */
export interface HostType {
    readonly vcpus: number;
    /** Nominal memory in MiB (the instance type's GiB x 1024); the agent registers less, see `hostCapacity`. */
    readonly memoryMiB: number;
    /** awsvpc tasks per host without ENI trunking: the instance's ENIs minus the primary one. */
    readonly taskSlots: number;
    /** awsvpc tasks per host with ENI trunking; undefined where no source gives the figure (trunking is then refused). */
    readonly trunkedTaskSlots?: number;
}

/*
 * Sources:
 * - m5 / m6i, both columns: AWS ECS developer guide, "Elastic network interface trunking", table
 *   "Supported Amazon EC2 instance types" (awsdocs/amazon-ecs-developer-guide text, and a 2026 transcription of the
 *   live page: the same numbers). Without trunking = max ENIs - 1 ("the primary network interface counts").
 * - m7i without trunking: derived from the ENI counts in aws/amazon-vpc-cni-k8s misc/eni-max-pods.txt
 *   (m7i.large 29 pods = 3 ENIs x (10 - 1) + 2; xlarge and 2xlarge 58 = 4 ENIs; 4xlarge 234 = 8 ENIs), the same as m5/m6i.
 * - m7i with trunking: in no source we could read (that file's EKS branch-ENI column is a different limit: m5.large
 *   shows 9 there against ECS's 10), so it is undefined and validation refuses trunking on m7i.
 * The T family is left out on purpose: ECS does not support ENI trunking on it and its CPU is burstable.
 */
const SIZES = {
    large: { vcpus: 2, memoryMiB: 8 * 1024, taskSlots: 2, trunkedTaskSlots: 10 },
    xlarge: { vcpus: 4, memoryMiB: 16 * 1024, taskSlots: 3, trunkedTaskSlots: 20 },
    "2xlarge": { vcpus: 8, memoryMiB: 32 * 1024, taskSlots: 3, trunkedTaskSlots: 40 },
    "4xlarge": { vcpus: 16, memoryMiB: 64 * 1024, taskSlots: 7, trunkedTaskSlots: 60 },
} as const;

function family(name: string, trunked: boolean): Record<string, HostType> {
    return Object.fromEntries(
        Object.entries(SIZES).map(([size, { trunkedTaskSlots, ...rest }]) => [
            `${name}.${size}`,
            trunked ? { ...rest, trunkedTaskSlots } : rest,
        ]),
    );
}

/** The host types the ApiCluster supports, by EC2 instance type name. */
export const HOST_TYPES: Readonly<Record<string, HostType>> = {
    ...family("m5", true),
    ...family("m6i", true),
    ...family("m7i", false),
};

/** ECS CPU units per vCPU. */
export const CPU_UNITS_PER_VCPU = 1024;

/** Memory the ECS agent keeps back from tasks (`ECS_RESERVED_MEMORY`, written to /etc/ecs/ecs.config by the component). */
export const ECS_RESERVED_MEMORY_MIB = 256;

/**
 * Planning rule for the memory the ECS agent registers: 90% of the nominal memory (decision: the kernel and the OS
 * keep some of it, so the agent never registers the full nominal figure), minus ECS_RESERVED_MEMORY_MIB.
 */
export const REGISTERED_MEMORY_SHARE = 0.9;

/** What one host offers tasks: CPU units and memory MiB usable by tasks. */
export interface HostCapacity {
    readonly cpu: number;
    readonly memory: number;
}

/** The CPU units and memory (MiB) one host of `instanceType` offers tasks; undefined for a type not in HOST_TYPES. */
export function hostCapacity(instanceType: string): HostCapacity | undefined {
    const host = HOST_TYPES[instanceType];
    if (host === undefined) return undefined;
    return {
        cpu: host.vcpus * CPU_UNITS_PER_VCPU,
        memory: Math.floor(host.memoryMiB * REGISTERED_MEMORY_SHARE) - ECS_RESERVED_MEMORY_MIB,
    };
}

/** awsvpc tasks one host holds; undefined for a type not in HOST_TYPES, or with trunking where no figure is known. */
export function taskSlots(instanceType: string, trunking: boolean): number | undefined {
    const host = HOST_TYPES[instanceType];
    return trunking ? host?.trunkedTaskSlots : host?.taskSlots;
}

/** The host types with a known trunked task limit. */
export function trunkingHostTypes(): string[] {
    return Object.entries(HOST_TYPES)
        .filter(([, host]) => host.trunkedTaskSlots !== undefined)
        .map(([name]) => name);
}

function steps(from: number, to: number, step: number): number[] {
    return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/**
 * The task sizes Fargate accepts: task CPU units -> the memory values (MiB) allowed with it.
 * Source: AWS ECS developer guide, "Task CPU and memory" (Fargate), Linux.
 */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: steps(1024, 4096, 1024),
    1024: steps(2048, 8192, 1024),
    2048: steps(4096, 16384, 1024),
    4096: steps(8192, 30720, 1024),
    8192: steps(16384, 61440, 4096),
    16384: steps(32768, 122880, 8192),
};

/** AWS keeps the first four addresses and the last one of every subnet (network, router, DNS, future use, broadcast). */
export const AWS_RESERVED_ADDRESSES_PER_SUBNET = 5;

/** Free addresses an Application Load Balancer needs in each of its subnets (ELB: "at least 8 free IP addresses"). */
export const LOAD_BALANCER_FREE_ADDRESSES = 8;

/** Addresses a subnet of `/prefixLength` leaves for ENIs. */
export function usableAddresses(prefixLength: number): number {
    return Math.max(0, 2 ** (32 - prefixLength) - AWS_RESERVED_ADDRESSES_PER_SUBNET);
}
