import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsContext, type AwsContext } from "./shared/aws-context";
import { logsMayEncrypt, policyDocument, serviceTrustPolicy, toJson } from "./shared/iam";
import { customerManagedKey } from "./shared/key";
import { SUBNET_TIERS, subnetLayout, type SubnetTier } from "./shared/subnet-layout";
import { resourceTags, type Tags } from "./shared/tags";

/** `single`: one NAT gateway shared by every zone; `onePerAz`: one per zone. */
export type NatStrategy = "single" | "onePerAz";

/** The security group tiers: one group each, owned here so every network path is in this file. */
export const SECURITY_TIERS = ["lb", "app", "hosts", "proxy", "database", "cache", "monitoring", "rotation"] as const;
export type SecurityTier = (typeof SECURITY_TIERS)[number];

/** Ports of the paths between tiers. */
export interface VpcPorts {
    /** The API containers' port, reached by the load balancer. */
    readonly app: number;
    /** The API's metrics port, scraped by monitoring. */
    readonly metrics: number;
    /** PostgreSQL, on RDS Proxy and on the database. */
    readonly database: number;
    /** Redis. */
    readonly cache: number;
}

export const DEFAULT_PORTS: VpcPorts = { app: 8080, metrics: 9090, database: 5432, cache: 6379 };

/**
 * Who may reach the load balancer: `internet` is 0.0.0.0/0 on 443 (and 80 to redirect); `cloudfront` is only
 * CloudFront's origin-facing servers (the AWS-managed prefix list), on 443.
 */
export type LoadBalancerIngress = "internet" | "cloudfront";

/** AWS's managed prefix list of CloudFront's origin-facing addresses (the same name in every region). */
export const CLOUDFRONT_ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing";

/**
 * One allowed path: `from` may open TCP connections to `to` on `port`. "internet" is 0.0.0.0/0;
 * "cloudfront" is CLOUDFRONT_ORIGIN_FACING.
 */
export interface TrafficPath {
    /** Stable id, part of the rule resources' names. */
    readonly id: string;
    readonly from: SecurityTier | "internet" | "cloudfront";
    readonly to: SecurityTier | "internet";
    readonly port: number;
    readonly description: string;
}

/**
 * Every network path of the platform; nothing else is allowed. Paths between two tiers become an
 * egress rule on the source group and an ingress rule on the target group, each naming the other
 * group (never a CIDR); paths to or from the internet become one rule with 0.0.0.0/0.
 */
export function trafficPaths(ports: VpcPorts, httpRedirect: boolean, lbIngress: LoadBalancerIngress = "internet"): TrafficPath[] {
    // The prefix list counts as its 55 maximum entries against the group's 60-rule quota, so CloudFront gets one
    // rule, on 443: its origin requests are HTTPS-only, and nothing else could follow a redirect from port 80.
    const ingress: TrafficPath[] =
        lbIngress === "cloudfront"
            ? [{ id: "cloudfront-https", from: "cloudfront", to: "lb", port: 443, description: "HTTPS from CloudFront's origin-facing servers" }]
            : [
                  { id: "internet-https", from: "internet", to: "lb", port: 443, description: "HTTPS from clients" },
                  ...(httpRedirect ? [{ id: "internet-http", from: "internet", to: "lb", port: 80, description: "HTTP, only redirected to HTTPS" } as const] : []),
              ];
    return [
        ...ingress,
        { id: "lb-app", from: "lb", to: "app", port: ports.app, description: "load balancer to the API tasks" },
        { id: "monitoring-app", from: "monitoring", to: "app", port: ports.metrics, description: "Prometheus scrapes API metrics" },
        { id: "app-proxy", from: "app", to: "proxy", port: ports.database, description: "API to RDS Proxy" },
        { id: "proxy-database", from: "proxy", to: "database", port: ports.database, description: "RDS Proxy to PostgreSQL" },
        { id: "rotation-database", from: "rotation", to: "database", port: ports.database, description: "Secrets Manager rotation function to PostgreSQL" },
        { id: "app-cache", from: "app", to: "cache", port: ports.cache, description: "API to Redis" },
        { id: "app-internet", from: "app", to: "internet", port: 443, description: "API to AWS APIs, ECR and Datadog via NAT" },
        { id: "hosts-internet", from: "hosts", to: "internet", port: 443, description: "ECS hosts' agent to ECS, ECR and CloudWatch Logs via NAT" },
        { id: "monitoring-internet", from: "monitoring", to: "internet", port: 443, description: "monitoring to AWS APIs and Datadog via NAT" },
        { id: "rotation-internet", from: "rotation", to: "internet", port: 443, description: "rotation function to the Secrets Manager API via NAT" },
    ];
}

const TIER_DESCRIPTIONS: Record<SecurityTier, string> = {
    lb: "webstack public load balancer",
    app: "webstack API tasks",
    hosts: "webstack ECS container hosts (no inbound)",
    proxy: "webstack RDS Proxy",
    database: "webstack PostgreSQL",
    cache: "webstack Redis",
    monitoring: "webstack monitoring",
    rotation: "webstack database credential rotation",
};

export interface VpcArgs {
    /** The VPC CIDR, /16 to /22, validated by stacks/. */
    readonly cidr: string;
    /**
     * The availability zones to span, 2 to 6, as zone names (`us-east-1a`) or zone ids (`use1-az1`, the
     * same physical zone in every account): subnet i of every tier is in zones[i]. A fixed list, never
     * positions in AWS's live list, so a zone that turns impaired or leaves the list moves nothing.
     */
    readonly zones: readonly string[];
    /** `single`: one NAT gateway for all zones; `onePerAz`: one per zone, so a zone failure cuts no other zone's egress. */
    readonly natStrategy: NatStrategy;
    /** Retention of the VPC flow log group, in days (a CloudWatch Logs retention value). */
    readonly flowLogRetentionDays: number;
    /** Base tags of the stack (Project, Stack, Environment, Owner, CostCenter). */
    readonly tags: Tags;
    /**
     * Ports of the paths between tiers.
     * @default DEFAULT_PORTS: app 8080, metrics 9090, database 5432, cache 6379
     */
    readonly ports?: Partial<VpcPorts>;
    /**
     * Who reaches the load balancer group. `cloudfront` (origin cloaking): only CloudFront's origin-facing
     * servers, on 443, so nothing skips the distribution's WAF, TLS policy and headers; `internet`: the world on
     * 443 (and 80 to redirect), which then needs a regional WAF on the load balancer (policy R51).
     * @default "cloudfront"
     */
    readonly loadBalancerIngress?: LoadBalancerIngress;
    /**
     * With `loadBalancerIngress: "internet"`, open port 80 on the load balancer group so its listener can
     * redirect to HTTPS. With false, plain-HTTP clients get a connection timeout instead of a redirect.
     * @default true
     */
    readonly httpRedirect?: boolean;
    /**
     * Encrypt the flow log group with a dedicated customer-managed KMS key (about $1/month). Off
     * leaves the logs under CloudWatch's own encryption, which the production policy rejects.
     * @default true
     */
    readonly encryptFlowLogs?: boolean;
    /**
     * Protect stateful children (the flow log group and its key) from deletion: `protect` blocks
     * `pulumi destroy` and replacement, `retainOnDelete` keeps them in AWS if they are ever removed
     * from the program. Production sets it; without it, a replacement loses the audit trail, and
     * deleting the key makes the retained flow logs unreadable.
     * @default false
     */
    readonly protect?: boolean;
}

/** A zone id such as `use1-az1` (a zone name ends in a letter instead). */
const ZONE_ID = /^[a-z]+[0-9]+-az[0-9]+$/;

/**
 * The configured zones, once every one is a zone of the account (in any state: a zone that is
 * impaired during an incident must not stop a deployment). Otherwise AWS would reject the subnet with
 * a less helpful message, or the zone list would silently mean other zones.
 */
function accountZones(zones: readonly string[], opts: pulumi.InvokeOutputOptions): pulumi.Output<string[]> {
    return aws.getAvailabilityZonesOutput({ allAvailabilityZones: true }, opts).apply((all) => {
        const missing = zones.filter((z) => !all.names.includes(z) && !all.zoneIds.includes(z));
        if (missing.length > 0) {
            throw new pulumi.RunError(
                `the Vpc's zones ${missing.join(", ")} are not availability zones of this account in ${all.id}; it has ` +
                    `${all.names.map((n, i) => `${n} (${all.zoneIds[i]})`).join(", ")}`,
            );
        }
        return [...zones];
    });
}

/** A VPC across availability zones with public, private and isolated subnets, NAT, endpoints, flow logs and the tier security groups. */
export class Vpc extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly cidr: string;
    /** The zones as configured (names or ids), index i being the zone of each tier's subnet i; checked against the account's zones at deploy. */
    readonly availabilityZones: pulumi.Output<string[]>;
    /** Load balancer and NAT gateways; routes to the internet gateway. */
    readonly publicSubnetIds: pulumi.Output<string[]>;
    /** App hosts and tasks; egress through NAT only. */
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Database and cache; no route out of the VPC. */
    readonly isolatedSubnetIds: pulumi.Output<string[]>;
    readonly natPublicIps: pulumi.Output<string[]>;
    readonly securityGroupIds: Readonly<Record<SecurityTier, pulumi.Output<string>>>;
    /** The allowed network paths, as plain data (see `trafficPaths`). */
    readonly trafficPaths: readonly TrafficPath[];
    readonly loadBalancerIngress: LoadBalancerIngress;
    /** The ports of the paths between tiers. */
    readonly ports: VpcPorts;

    constructor(name: string, args: VpcArgs, opts: pulumi.ComponentResourceOptions = {}) {
        super("webstack:network:Vpc", name, {}, opts);
        const parent = { parent: this };
        const tags = (role: string) => resourceTags(args.tags, name, `${name}-${role}`);
        const ports = { ...DEFAULT_PORTS, ...args.ports };
        const azCount = args.zones.length;
        const layout = subnetLayout(args.cidr, azCount);
        const ctx = awsContext(this);
        // Zone ids pin the physical zone; names are letters the account maps to zones.
        const zoneInput = (zone: string) => (ZONE_ID.test(zone) ? { availabilityZoneId: zone } : { availabilityZone: zone });

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: args.cidr, enableDnsSupport: true, enableDnsHostnames: true, tags: tags("vpc") },
            parent,
        );
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags("igw") }, parent);

        // Subnets: slot i of each tier block is in zone i; none hands out public IPs.
        const subnets = {} as Record<SubnetTier, aws.ec2.Subnet[]>;
        for (const tier of SUBNET_TIERS) {
            subnets[tier] = layout[tier].map(
                (cidrBlock, i) =>
                    new aws.ec2.Subnet(
                        `${name}-${tier}-${i}`,
                        {
                            vpcId: vpc.id,
                            cidrBlock,
                            ...zoneInput(args.zones[i]),
                            mapPublicIpOnLaunch: false,
                            tags: { ...tags(`${tier}-${i}`), Tier: tier },
                        },
                        parent,
                    ),
            );
        }

        // Public: one route table, default route to the internet gateway.
        const publicTable = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, tags: tags("public") }, parent);
        new aws.ec2.Route(
            `${name}-public-internet`,
            { routeTableId: publicTable.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
            parent,
        );
        this.associate(name, "public", subnets.public, () => publicTable);

        // NAT: one in the first public subnet, or one per zone.
        const natCount = args.natStrategy === "onePerAz" ? azCount : 1;
        const nats = Array.from({ length: natCount }, (_, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: tags(`nat-${i}`) }, parent);
            const nat = new aws.ec2.NatGateway(
                `${name}-nat-${i}`,
                { allocationId: eip.allocationId, subnetId: subnets.public[i].id, connectivityType: "public", tags: tags(`nat-${i}`) },
                { parent: this, dependsOn: [igw] },
            );
            return { eip, nat };
        });

        // Private: a route table per zone (so switching NAT strategy renames nothing), default route to its NAT.
        const privateTables = subnets.private.map((_, i) => {
            const table = new aws.ec2.RouteTable(`${name}-private-${i}`, { vpcId: vpc.id, tags: tags(`private-${i}`) }, parent);
            new aws.ec2.Route(
                `${name}-private-${i}-nat`,
                { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[i % natCount].nat.id },
                parent,
            );
            return table;
        });
        this.associate(name, "private", subnets.private, (i) => privateTables[i]);

        // Isolated: one route table with the local route only.
        const isolatedTable = new aws.ec2.RouteTable(`${name}-isolated`, { vpcId: vpc.id, tags: tags("isolated") }, parent);
        this.associate(name, "isolated", subnets.isolated, () => isolatedTable);

        // Gateway endpoints keep S3 and DynamoDB traffic off NAT (billed per GB) and off the internet.
        const endpointTables = [...privateTables, isolatedTable].map((t) => t.id);
        for (const service of ["s3", "dynamodb"]) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service}`,
                {
                    vpcId: vpc.id,
                    serviceName: pulumi.interpolate`${ctx.reverseDnsPrefix}.${ctx.region}.${service}`,
                    vpcEndpointType: "Gateway",
                    routeTableIds: endpointTables,
                    tags: tags(service),
                },
                parent,
            );
        }

        // The default security group, taken under management with every rule removed.
        new aws.ec2.DefaultSecurityGroup(`${name}-default`, { vpcId: vpc.id, tags: tags("default") }, parent);

        this.createFlowLogs(name, args, vpc, ctx, tags);

        const groups = {} as Record<SecurityTier, aws.ec2.SecurityGroup>;
        for (const tier of SECURITY_TIERS) {
            groups[tier] = new aws.ec2.SecurityGroup(
                `${name}-${tier}`,
                { vpcId: vpc.id, description: TIER_DESCRIPTIONS[tier], revokeRulesOnDelete: true, tags: tags(tier) },
                parent,
            );
        }
        this.loadBalancerIngress = args.loadBalancerIngress ?? "cloudfront";
        this.trafficPaths = trafficPaths(ports, args.httpRedirect ?? true, this.loadBalancerIngress);
        const cloudFront = this.trafficPaths.some((p) => p.from === "cloudfront")
            ? aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING }, parent).id
            : undefined;
        for (const path of this.trafficPaths) this.allow(name, path, groups, tags, cloudFront);

        this.vpcId = vpc.id;
        this.cidr = args.cidr;
        this.ports = ports;
        this.availabilityZones = accountZones(args.zones, parent);
        this.publicSubnetIds = pulumi.all(subnets.public.map((s) => s.id));
        this.privateSubnetIds = pulumi.all(subnets.private.map((s) => s.id));
        this.isolatedSubnetIds = pulumi.all(subnets.isolated.map((s) => s.id));
        this.natPublicIps = pulumi.all(nats.map((n) => n.eip.publicIp));
        this.securityGroupIds = Object.fromEntries(SECURITY_TIERS.map((t) => [t, groups[t].id])) as Record<SecurityTier, pulumi.Output<string>>;
        this.registerOutputs({
            vpcId: this.vpcId,
            availabilityZones: this.availabilityZones,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
            natPublicIps: this.natPublicIps,
            securityGroupIds: this.securityGroupIds,
        });
    }

    private associate(name: string, tier: SubnetTier, subnets: aws.ec2.Subnet[], table: (i: number) => aws.ec2.RouteTable): void {
        subnets.forEach((subnet, i) => {
            new aws.ec2.RouteTableAssociation(`${name}-${tier}-${i}`, { subnetId: subnet.id, routeTableId: table(i).id }, { parent: this });
        });
    }

    /** Flow logs of ALL traffic into a retained (and by default KMS-encrypted) log group, written by a role that can touch only that group. */
    private createFlowLogs(name: string, args: VpcArgs, vpc: aws.ec2.Vpc, ctx: AwsContext, tags: (role: string) => Tags): void {
        const parent = { parent: this };

        const key =
            args.encryptFlowLogs === false
                ? undefined
                : customerManagedKey(`${name}-flow-logs`, `${name} VPC flow logs`, ctx.accountRoot, [logsMayEncrypt(ctx.arn, ctx.region)], tags("flow-logs"), {
                      parent: this,
                      protect: args.protect ?? false,
                      retainOnDelete: args.protect ?? false,
                  });

        // An audit trail: in production it survives `pulumi destroy`, a replacement and its removal from the program.
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { retentionInDays: args.flowLogRetentionDays, kmsKeyId: key?.arn, tags: tags("flow-logs") },
            { parent: this, protect: args.protect ?? false, retainOnDelete: args.protect ?? false },
        );
        // The group's ARN built from its name, as CloudWatch Logs assigns it (the provider's `arn` output drops
        // the API's `:*` suffix): known during `pulumi preview`, so the role policy below is too.
        const logGroupArn = ctx.arn("logs", pulumi.interpolate`log-group:${logGroup.name}`);
        const role = new aws.iam.Role(
            `${name}-flow-logs`,
            {
                description: `Lets VPC Flow Logs write ${name}'s flow log group`,
                assumeRolePolicy: toJson(serviceTrustPolicy("vpc-flow-logs.amazonaws.com", ctx.accountId, ctx.arn("ec2", "vpc-flow-log/*"))),
                tags: tags("flow-logs"),
            },
            parent,
        );
        // What AWS's flow-log role example grants, scoped: the describe calls the service makes before
        // writing, and writes to this group only (DescribeLogGroups lists, so it names the account's groups).
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: role.id,
                policy: toJson(
                    policyDocument(
                        {
                            Sid: "WriteFlowLogGroup",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: [logGroupArn, pulumi.interpolate`${logGroupArn}:*`],
                        },
                        {
                            Sid: "FindFlowLogGroup",
                            Effect: "Allow",
                            Action: ["logs:DescribeLogGroups"],
                            Resource: [ctx.arn("logs", "log-group:*")],
                        },
                    ),
                ),
            },
            parent,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: tags("flow-log"),
            },
            // The role may write only once its policy exists: otherwise the first deliveries fail.
            { parent: this, dependsOn: [rolePolicy] },
        );
    }

    /** The rules of one path: egress on the source group and ingress on the target group. */
    private allow(
        name: string,
        path: TrafficPath,
        groups: Record<SecurityTier, aws.ec2.SecurityGroup>,
        tags: (role: string) => Tags,
        cloudFront: pulumi.Output<string> | undefined,
    ): void {
        const rule = { ipProtocol: "tcp", fromPort: path.port, toPort: path.port, description: path.description };
        const peer = (tier: TrafficPath["from"]) =>
            tier === "internet" ? { cidrIpv4: "0.0.0.0/0" } : tier === "cloudfront" ? { prefixListId: cloudFront } : { referencedSecurityGroupId: groups[tier].id };
        if (path.to !== "internet") {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-in-${path.id}`,
                { ...rule, securityGroupId: groups[path.to].id, ...peer(path.from), tags: tags(`in-${path.id}`) },
                { parent: this },
            );
        }
        if (path.from !== "internet" && path.from !== "cloudfront") {
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-out-${path.id}`,
                { ...rule, securityGroupId: groups[path.from].id, ...peer(path.to), tags: tags(`out-${path.id}`) },
                { parent: this },
            );
        }
    }
}
