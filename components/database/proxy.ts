// RDS Proxy in front of the Database: TLS and IAM authentication required.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, toJson } from "../shared/iam";
import type { Tags } from "../shared/tags";
import type { MasterSecret } from "./credentials";
import type { DatabaseArgs, DatabaseProxySettings } from "./settings";

/**
 * RDS Proxy: TLS required, IAM authentication required (clients sign tokens; none holds a password), its role
 * reading only the master secret (and decrypting it by the key policy's grant to the role), through Secrets Manager.
 */
export function createProxy(
    parent: pulumi.ComponentResource,
    name: string,
    args: DatabaseArgs,
    settings: DatabaseProxySettings,
    instance: aws.rds.Instance,
    master: MasterSecret,
    role: aws.iam.Role,
    tags: (role: string) => Tags,
): aws.rds.Proxy {
    const rolePolicy = new aws.iam.RolePolicy(
        `${name}-proxy`,
        { role: role.id, policy: toJson(policyDocument({ Sid: "ReadMasterSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [master.grant] })) },
        { parent },
    );
    const proxy = new aws.rds.Proxy(
        `${name}-proxy`,
        {
            engineFamily: "POSTGRESQL",
            requireTls: true,
            debugLogging: false,
            idleClientTimeout: settings.idleClientTimeoutSeconds,
            roleArn: role.arn,
            vpcSubnetIds: args.network.privateSubnetIds,
            vpcSecurityGroupIds: [args.network.proxySecurityGroupId],
            auths: [
                {
                    authScheme: "SECRETS",
                    description: `${args.masterUsername}, by IAM authentication only`,
                    secretArn: master.arn,
                    iamAuth: "REQUIRED",
                    clientPasswordAuthType: "POSTGRES_SCRAM_SHA_256",
                },
            ],
            tags: tags("proxy"),
        },
        // The proxy checks its secret when it starts.
        { parent, dependsOn: [rolePolicy] },
    );
    const targetGroup = new aws.rds.ProxyDefaultTargetGroup(
        `${name}-proxy`,
        {
            dbProxyName: proxy.name,
            connectionPoolConfig: {
                maxConnectionsPercent: settings.maxConnectionsPercent,
                maxIdleConnectionsPercent: settings.maxIdleConnectionsPercent,
                connectionBorrowTimeout: settings.connectionBorrowTimeoutSeconds,
            },
        },
        { parent },
    );
    new aws.rds.ProxyTarget(
        `${name}-proxy`,
        { dbProxyName: proxy.name, targetGroupName: targetGroup.name, dbInstanceIdentifier: instance.identifier },
        { parent },
    );
    return proxy;
}
