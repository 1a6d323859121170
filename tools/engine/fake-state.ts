import { ACCOUNT_ID, PARTITION, hex, testNetIp, uuid } from "./fake-ids";

/** What the mock knows about a resource being registered. */
export interface FakeInput {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly region: string;
}

export interface FakeState {
    readonly id: string;
    readonly state: Record<string, unknown>;
}

/** EC2-style ids (`vpc-0a1b...`) and ARN resource kinds, per type. */
const EC2_STYLE: Readonly<Record<string, readonly [prefix: string, arnKind: string]>> = {
    "aws:ec2/vpc:Vpc": ["vpc", "vpc"],
    "aws:ec2/subnet:Subnet": ["subnet", "subnet"],
    "aws:ec2/internetGateway:InternetGateway": ["igw", "internet-gateway"],
    "aws:ec2/eip:Eip": ["eipalloc", "elastic-ip"],
    "aws:ec2/natGateway:NatGateway": ["nat", "natgateway"],
    "aws:ec2/routeTable:RouteTable": ["rtb", "route-table"],
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ["rtbassoc", "route-table-association"],
    "aws:ec2/route:Route": ["r-rtb", "route"],
    "aws:ec2/vpcEndpoint:VpcEndpoint": ["vpce", "vpc-endpoint"],
    "aws:ec2/securityGroup:SecurityGroup": ["sg", "security-group"],
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ["sg", "security-group"],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["sgr", "security-group-rule"],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ["sgr", "security-group-rule"],
    "aws:ec2/flowLog:FlowLog": ["fl", "vpc-flow-log"],
};

/** Types Pulumi auto-names, and the property that carries the physical name. */
const AUTONAMED: Readonly<Record<string, string>> = {
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:iam/role:Role": "name",
    "aws:iam/rolePolicy:RolePolicy": "name",
    "aws:iam/policy:Policy": "name",
    "aws:ec2/securityGroup:SecurityGroup": "name",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:cloudfront/originAccessControl:OriginAccessControl": "name",
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": "name",
    "aws:wafv2/webAcl:WebAcl": "name",
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": "name",
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": "name",
};

/** Outputs computed by AWS that programs and policies join on (ARNs, physical names, addresses). */
const COMPUTED: Readonly<Record<string, (f: FakeInput & { id: string; arn: string }) => Record<string, unknown>>> = {
    "aws:ec2/vpc:Vpc": ({ name }) => ({
        defaultSecurityGroupId: `sg-${hex(`default-sg:${name}`, 17)}`,
        mainRouteTableId: `rtb-${hex(`main-rtb:${name}`, 17)}`,
        defaultNetworkAclId: `acl-${hex(`acl:${name}`, 17)}`,
        ownerId: ACCOUNT_ID,
    }),
    "aws:ec2/eip:Eip": ({ id, name }) => ({ allocationId: id, publicIp: testNetIp(`eip:${name}`), domain: "vpc" }),
    "aws:ec2/securityGroup:SecurityGroup": () => ({ ownerId: ACCOUNT_ID }),
    "aws:kms/key:Key": ({ id }) => ({ keyId: id }),
    "aws:iam/role:Role": ({ name }) => ({ uniqueId: `AROA${hex(`role:${name}`, 17).toUpperCase()}` }),
    "aws:s3/bucket:Bucket": bucketDomains,
    "aws:s3/bucketV2:BucketV2": bucketDomains,
    "aws:acm/certificate:Certificate": ({ inputs }) => ({
        domainValidationOptions: [inputs.domainName, ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])].map((domainName) => ({
            domainName,
            resourceRecordName: `_${hex(`acm-name:${domainName}`, 32)}.${domainName}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: `_${hex(`acm-value:${domainName}`, 32)}.acm-validations.aws.`,
        })),
        status: "ISSUED",
    }),
    "aws:route53/record:Record": ({ inputs }) => ({ fqdn: String(inputs.name).replace(/\.$/, "") }),
    "aws:s3/bucketObjectv2:BucketObjectv2": ({ inputs, name }) => ({ etag: hex(`etag:${name}`, 32), versionId: hex(`version:${name}`, 32), key: inputs.key }),
    "aws:cloudfront/distribution:Distribution": ({ id }) => ({
        domainName: `${id.toLowerCase()}.cloudfront.net`,
        hostedZoneId: "Z2FDTNDATAQYW2", // CloudFront's fixed alias zone
        status: "Deployed",
    }),
};

function bucketDomains({ inputs, region }: FakeInput): Record<string, unknown> {
    return {
        bucketDomainName: `${inputs.bucket}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${inputs.bucket}.s3.${region}.amazonaws.com`,
        region,
    };
}

/**
 * What `pulumi preview` knows of a new resource before it exists: its inputs, the physical name the
 * provider's check step auto-names, and `tagsAll` (planned from the tags). Everything else is unknown.
 */
export function previewState(f: FakeInput): Record<string, unknown> {
    const inputs = { ...f.inputs };
    const nameProp = AUTONAMED[f.type];
    if (nameProp && inputs[nameProp] === undefined) inputs[nameProp] = `${f.name}-${hex(`autoname:${f.type}:${f.name}`, 7)}`;
    return inputs.tags === undefined ? inputs : { ...inputs, tagsAll: inputs.tags };
}

/** The id and full state the mock returns for one resource: inputs, auto-name, id, ARN, computed outputs. */
export function fakeState(f: FakeInput): FakeState {
    const inputs = previewState(f);
    const { id, arn } = identify(f, inputs);
    const computed = COMPUTED[f.type]?.({ ...f, inputs, id, arn }) ?? {};
    return { id, state: { ...inputs, ...computed, id, arn } };
}

function identify(f: FakeInput, inputs: Record<string, unknown>): { id: string; arn: string } {
    const key = `${f.type}:${f.name}`;
    const service = f.type.split(":")[1].split("/")[0];
    const ec2 = EC2_STYLE[f.type];
    if (ec2) {
        const id = `${ec2[0]}-${hex(key, 17)}`;
        return { id, arn: `arn:${PARTITION}:ec2:${f.region}:${ACCOUNT_ID}:${ec2[1]}/${id}` };
    }
    switch (f.type) {
        case "aws:kms/key:Key": {
            const id = uuid(key);
            return { id, arn: `arn:${PARTITION}:kms:${f.region}:${ACCOUNT_ID}:key/${id}` };
        }
        case "aws:cloudwatch/logGroup:LogGroup":
            return { id: String(inputs.name), arn: `arn:${PARTITION}:logs:${f.region}:${ACCOUNT_ID}:log-group:${inputs.name}` };
        case "aws:iam/role:Role":
            return { id: String(inputs.name), arn: `arn:${PARTITION}:iam::${ACCOUNT_ID}:role/${inputs.name}` };
        case "aws:iam/rolePolicy:RolePolicy":
            return { id: `${inputs.role}:${inputs.name}`, arn: "" };
        case "aws:acm/certificate:Certificate": {
            const id = uuid(key);
            return { id, arn: `arn:${PARTITION}:acm:${f.region}:${ACCOUNT_ID}:certificate/${id}` };
        }
        case "aws:wafv2/webAcl:WebAcl": {
            const id = uuid(key);
            return { id, arn: `arn:${PARTITION}:wafv2:${f.region}:${ACCOUNT_ID}:global/webacl/${inputs.name}/${id}` };
        }
        case "aws:cloudwatch/logDeliverySource:LogDeliverySource":
            return { id: String(inputs.name), arn: `arn:${PARTITION}:logs:${f.region}:${ACCOUNT_ID}:delivery-source:${inputs.name}` };
        case "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination":
            return { id: String(inputs.name), arn: `arn:${PARTITION}:logs:${f.region}:${ACCOUNT_ID}:delivery-destination:${inputs.name}` };
        case "aws:acm/certificateValidation:CertificateValidation":
            return { id: String(inputs.certificateArn), arn: String(inputs.certificateArn) };
        case "aws:s3/bucketObjectv2:BucketObjectv2":
            return { id: String(inputs.key), arn: `arn:${PARTITION}:s3:::${inputs.bucket}/${inputs.key}` };
        case "aws:cloudfront/distribution:Distribution": {
            const id = `E${hex(key, 13).toUpperCase()}`;
            return { id, arn: `arn:${PARTITION}:cloudfront::${ACCOUNT_ID}:distribution/${id}` };
        }
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            return { id: String(inputs.bucket), arn: `arn:${PARTITION}:s3:::${inputs.bucket}` };
        default: {
            const id = `${f.name}-${hex(key, 8)}`;
            return { id, arn: `arn:${PARTITION}:${service}:${f.region}:${ACCOUNT_ID}:${f.name}/${id}` };
        }
    }
}
