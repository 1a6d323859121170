// The Database's `stack` credential: a secret of the stack, written write-only, rotated by AWS's function.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AwsContext } from "../shared/aws-context";
import { policyDocument, toJson } from "../shared/iam";
import type { Tags } from "../shared/tags";
import { ROTATION_APPLICATION, ROTATION_EXCLUDED_CHARACTERS, DATABASE_PORT, type DatabaseArgs } from "./settings";

/** The master secret: its ARN, and what a grant names (the ARN, or a pattern of its name known before deploy). */
export interface MasterSecret {
    readonly arn: pulumi.Output<string>;
    readonly grant: pulumi.Output<string>;
}

/**
 * The `stack` credential: a secret under the component's key holding what the rotation function needs (engine,
 * host, port, username, password, dbname), written write-only, and rotated by AWS's function deployed from the
 * Serverless Application Repository (its template also lets Secrets Manager invoke it). Returns its ARN and the
 * ARN pattern a grant names it by (known before deploy).
 */
export function createStackSecret(
    parent: pulumi.ComponentResource,
    name: string,
    args: DatabaseArgs,
    instance: aws.rds.Instance,
    password: random.RandomPassword,
    key: aws.kms.Key,
    identifier: pulumi.Output<string>,
    ctx: AwsContext,
    protect: boolean,
    tags: (role: string) => Tags,
): MasterSecret {
    const secret = new aws.secretsmanager.Secret(
        `${name}-master`,
        {
            description: `${name}: PostgreSQL master credential (rotated every ${args.rotationDays ?? 30} days)`,
            kmsKeyId: key.arn,
            recoveryWindowInDays: protect ? 30 : 7,
            tags: tags("master"),
        },
        { parent, protect, retainOnDelete: protect },
    );
    // Only this account's principals, whatever identity policy is added later; and never a public policy.
    new aws.secretsmanager.SecretPolicy(
        `${name}-master`,
        {
            secretArn: secret.arn,
            blockPublicPolicy: true,
            policy: toJson(
                policyDocument({
                    Sid: "DenyOutsideAccount",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "secretsmanager:*",
                    Resource: "*",
                    Condition: { StringNotEquals: { "aws:PrincipalAccount": ctx.accountId } },
                }),
            ),
        },
        { parent },
    );
    const version = new aws.secretsmanager.SecretVersion(
        `${name}-master`,
        {
            secretId: secret.id,
            secretStringWo: pulumi.jsonStringify({
                engine: "postgres",
                host: instance.address,
                port: DATABASE_PORT,
                username: args.masterUsername,
                password: password.result,
                dbname: args.databaseName,
            }),
            secretStringWoVersion: 1,
        },
        { parent },
    );
    const rotator = new aws.serverlessrepository.CloudFormationStack(
        `${name}-rotation`,
        {
            applicationId: ROTATION_APPLICATION.id,
            semanticVersion: ROTATION_APPLICATION.semanticVersion,
            capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
            parameters: {
                functionName: pulumi.interpolate`${identifier}-rotation`,
                endpoint: pulumi.interpolate`https://secretsmanager.${ctx.region}.${ctx.dnsSuffix}`,
                vpcSubnetIds: pulumi.output(args.network.privateSubnetIds).apply((ids) => ids.join(",")),
                vpcSecurityGroupIds: args.network.rotationSecurityGroupId,
                kmsKeyArn: key.arn,
                excludeCharacters: ROTATION_EXCLUDED_CHARACTERS,
            },
            tags: tags("rotation"),
        },
        { parent },
    );
    new aws.secretsmanager.SecretRotation(
        `${name}-rotation`,
        {
            secretId: secret.id,
            rotationLambdaArn: rotator.outputs.apply((o) => o.RotationLambdaARN),
            rotationRules: { automaticallyAfterDays: args.rotationDays ?? 30 },
            // The password Pulumi generated (in state, encrypted) is replaced as soon as rotation is set up.
            rotateImmediately: true,
        },
        // The function needs the secret's value and a database to connect to.
        { parent, dependsOn: [version, instance] },
    );
    // Secrets Manager appends six random characters to the name: the grant names exactly those of this secret.
    return { arn: secret.arn, grant: ctx.arn("secretsmanager", pulumi.interpolate`secret:${secret.name}-??????`) };
}
