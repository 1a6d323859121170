// Test helpers on the same offline engine as `npm run plan`.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { Graph, RecordedResource } from "../../tools/engine/graph";
import { runProgram } from "../../tools/engine/run";
import { readProject, readStackConfig } from "../../tools/engine/stack-files";

export const ROOT = path.resolve(__dirname, "../..");

/** Runs index.ts for a stack, with config values overridden as they would be written in the stack file (`preview`: as `plan --preview`). */
export function planStack(stack: string, overrides: Record<string, unknown> = {}, { preview = false } = {}): Promise<Graph> {
    return runProgram({ dir: ROOT, stack, overrides, preview });
}

/** Runs `program` (e.g. one component) on the engine with a stack's config, instead of index.ts (`preview`: as `plan --preview`). */
export function planProgram(program: () => unknown, stack = "staging", { preview = false } = {}): Promise<Graph> {
    return runProgram({ dir: ROOT, stack, program, preview });
}

/** A stack file's config in the CLI's form (what parseStackConfig reads). */
export function stackConfig(stack: string): Record<string, string> {
    return { ...readStackConfig(readProject(ROOT), path.join(ROOT, `Pulumi.${stack}.yaml`), `Pulumi.${stack}.yaml`).config };
}

/**
 * How many resources the last run's program registered on the mock monitor (0 after a config error); the
 * root stack, which the engine registers around the program as the CLI does, is not counted.
 */
export function registeredCount(): number {
    const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
    return [...monitor.getRegisteredResources().keys()].filter((urn) => urn.split("::")[2] !== "pulumi:pulumi:Stack").length;
}

export function ofType(graph: Graph, type: string): RecordedResource[] {
    return graph.resources.filter((r) => r.type === type);
}

export function named(graph: Graph, type: string, name: string): RecordedResource {
    const found = graph.resources.find((r) => r.type === type && r.name === name);
    if (!found) throw new Error(`no ${type} named ${name} in the graph`);
    return found;
}

/** The value of an output, awaited (an assertion inside `.apply` could pass without running). */
export function valueOf<T>(output: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
    return new Promise((resolve) => pulumi.output(output).apply(resolve));
}

/** Sorted `type name` lines: the inventory of a graph. */
export function inventory(graph: Graph): string[] {
    return graph.resources.map((r) => `${r.type} ${r.name}`).sort();
}

export const T = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    igw: "aws:ec2/internetGateway:InternetGateway",
    eip: "aws:ec2/eip:Eip",
    nat: "aws:ec2/natGateway:NatGateway",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    flowLog: "aws:ec2/flowLog:FlowLog",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    kmsKey: "aws:kms/key:Key",
    bucket: "aws:s3/bucket:Bucket",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    cdn: "aws:cloudfront/distribution:Distribution",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
    headers: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    cert: "aws:acm/certificate:Certificate",
    validation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
    waf: "aws:wafv2/webAcl:WebAcl",
    provider: "pulumi:providers:aws",
    logSource: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    logDestination: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    logDelivery: "aws:cloudwatch/logDelivery:LogDelivery",
} as const;
