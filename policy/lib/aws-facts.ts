/** Facts about AWS the rules need (and the offline engine answers with). */

/** `com.amazonaws.global.cloudfront.origin-facing` managed prefix list ids per region (`aws ec2 describe-managed-prefix-lists`). */
export const CLOUDFRONT_ORIGIN_FACING: Readonly<Record<string, string>> = {
    "us-east-1": "pl-3b927c52",
    "us-east-2": "pl-b6a144df",
    "us-west-1": "pl-4ea04527",
    "us-west-2": "pl-82a045eb",
    "eu-west-1": "pl-4fa04526",
    "eu-west-2": "pl-93a247fa",
    "eu-central-1": "pl-a3a144ca",
    "ap-southeast-1": "pl-31a34658",
    "ap-southeast-2": "pl-b8a742d1",
    "ap-northeast-1": "pl-58a04531",
};
