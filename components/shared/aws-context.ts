import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Where a component is deployed: account, partition and region, and the ARNs built from them. */
export interface AwsContext {
    readonly accountId: pulumi.Output<string>;
    readonly partition: pulumi.Output<string>;
    readonly region: pulumi.Output<string>;
    /** `com.amazonaws`: the prefix of VPC endpoint service names. */
    readonly reverseDnsPrefix: pulumi.Output<string>;
    /** `amazonaws.com`: the partition's DNS suffix of service endpoints. */
    readonly dnsSuffix: pulumi.Output<string>;
    /** `arn:<partition>:iam::<account>:root`: the account as a principal. */
    readonly accountRoot: pulumi.Output<string>;
    /** `arn:<partition>:<service>:<region>:<account>:<resource>`, in this region unless another is given. */
    arn(service: string, resource: pulumi.Input<string>, region?: pulumi.Input<string>): pulumi.Output<string>;
    /**
     * `arn:<partition>:s3:::<bucket>`: a bucket's ARN from its name. Built from the physical name
     * (known during `pulumi preview`, where the `arn` output is not), it is the ARN S3 assigns.
     */
    bucketArn(bucket: pulumi.Input<string>): pulumi.Output<string>;
}

/** The caller identity, partition and region of the component's provider (invokes parented to it). */
export function awsContext(parent: pulumi.Resource): AwsContext {
    const opts = { parent };
    const accountId = aws.getCallerIdentityOutput({}, opts).accountId;
    const partitionResult = aws.getPartitionOutput({}, opts);
    const partition = partitionResult.partition;
    const region = aws.getRegionOutput({}, opts).region;
    return {
        accountId,
        partition,
        region,
        reverseDnsPrefix: partitionResult.reverseDnsPrefix,
        dnsSuffix: partitionResult.dnsSuffix,
        accountRoot: pulumi.interpolate`arn:${partition}:iam::${accountId}:root`,
        arn: (service, resource, inRegion = region) => pulumi.interpolate`arn:${partition}:${service}:${inRegion}:${accountId}:${resource}`,
        bucketArn: (bucket) => pulumi.interpolate`arn:${partition}:s3:::${bucket}`,
    };
}
