import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as datadog from "@pulumi/datadog";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { MASK, UNKNOWN, mask, reveal, type Graph, type RecordedResource } from "../../tools/engine/graph";
import { runProgram } from "../../tools/engine/run";
import { requiredOutputs, resourceDecl } from "../../tools/engine/outputs/schema";
import { nameProp } from "../../tools/engine/outputs/autoname";
import { runNode, runPlan } from "../helpers/cli";
import { ROOT, named, planProgram, planStack } from "../helpers/engine";
import { POLICIES } from "../../policy/rules";
import { evaluatePolicies } from "../../tools/policy/evaluate";

const ACCOUNT = "123456789012";

/** One of each resource type the coming components use, wired as they would be. */
function components(): void {
    const vpc = new aws.ec2.Vpc("app", { cidrBlock: "10.0.0.0/16" });
    const subnets = ["a", "b"].map((az, i) => new aws.ec2.Subnet(`app-${az}`, { vpcId: vpc.id, cidrBlock: `10.0.${i}.0/24`, availabilityZone: `us-east-1${az}` }));
    const subnetIds = subnets.map((s) => s.id);
    const sg = new aws.ec2.SecurityGroup("app", { vpcId: vpc.id });

    const alb = new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets: subnetIds, securityGroups: [sg.id] });
    const tg = new aws.lb.TargetGroup("api", { port: 8080, protocol: "HTTP", targetType: "ip", vpcId: vpc.id });
    new aws.lb.Listener("https", {
        loadBalancerArn: alb.arn,
        port: 443,
        protocol: "HTTPS",
        certificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000`,
        defaultActions: [{ type: "forward", targetGroupArn: tg.arn }],
    });
    // Exactly 32 characters with its suffix: the longest name a target group allows.
    new aws.lb.TargetGroup("target-group-at-limit-ok", { port: 80, protocol: "HTTP", vpcId: vpc.id });

    const role = new aws.iam.Role("task", { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) });
    const cluster = new aws.ecs.Cluster("app");
    const lt = new aws.ec2.LaunchTemplate("ecs-hosts", { imageId: "ami-0123456789abcdef0", instanceType: "t3.small" });
    const asg = new aws.autoscaling.Group("ecs-hosts", { minSize: 1, maxSize: 2, vpcZoneIdentifiers: subnetIds, launchTemplate: { id: lt.id, version: "$Latest" } });
    new aws.ecs.CapacityProvider("ec2", { autoScalingGroupProvider: { autoScalingGroupArn: asg.arn } });
    const task = new aws.ecs.TaskDefinition("api", {
        family: "api",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        cpu: "256",
        memory: "512",
        executionRoleArn: role.arn,
        containerDefinitions: JSON.stringify([{ name: "api", image: "nginx", essential: true }]),
    });
    new aws.ecs.Service("api", { cluster: cluster.arn, taskDefinition: task.arn, desiredCount: 1, launchType: "FARGATE", networkConfiguration: { subnets: subnetIds } });

    const dbSubnets = new aws.rds.SubnetGroup("db", { subnetIds });
    const params = new aws.rds.ParameterGroup("db", { family: "postgres16" });
    const db = new aws.rds.Instance("db", {
        engine: "postgres",
        engineVersion: "16",
        instanceClass: "db.t4g.micro",
        allocatedStorage: 20,
        username: "app",
        manageMasterUserPassword: true,
        storageEncrypted: true,
        dbSubnetGroupName: dbSubnets.name,
        parameterGroupName: params.name,
    });
    new aws.rds.Cluster("aurora", { engine: "aurora-postgresql", masterUsername: "app", manageMasterUserPassword: true });
    const proxy = new aws.rds.Proxy("db", {
        engineFamily: "POSTGRESQL",
        roleArn: role.arn,
        vpcSubnetIds: subnetIds,
        auths: [{ authScheme: "SECRETS", secretArn: db.masterUserSecrets[0].secretArn }],
    });
    const group = new aws.rds.ProxyDefaultTargetGroup("db", { dbProxyName: proxy.name });
    new aws.rds.ProxyTarget("db", { dbProxyName: proxy.name, targetGroupName: group.name, dbInstanceIdentifier: db.identifier });

    const cacheSubnets = new aws.elasticache.SubnetGroup("cache", { subnetIds });
    new aws.elasticache.ReplicationGroup("cache", { description: "sessions", nodeType: "cache.t4g.micro", numCacheClusters: 2, subnetGroupName: cacheSubnets.name });

    new aws.secretsmanager.Secret("api-key");
    new aws.backup.Vault("backups");
    new aws.backup.Plan("daily", { rules: [{ ruleName: "daily", targetVaultName: "backups", schedule: "cron(0 5 * * ? *)" }] });
    new aws.iam.User("deployer");
    new aws.sqs.Queue("jobs");
    new aws.sqs.Queue("orders", { fifoQueue: true });
    new aws.sqs.Queue("prefixed", { namePrefix: "jobs-" });
    new aws.sns.Topic("alarms");
    new aws.lambda.Function("worker", { role: role.arn, runtime: "nodejs20.x", handler: "index.handler", code: new pulumi.asset.AssetArchive({}) });
    new aws.dynamodb.Table("sessions", { billingMode: "PAY_PER_REQUEST", hashKey: "id", attributes: [{ name: "id", type: "S" }] });
    new aws.ecr.Repository("api");
    new aws.s3.Bucket("Assets");
    const api = new aws.apigatewayv2.Api("http", { protocolType: "HTTP" });
    new aws.apigatewayv2.Stage("default", { apiId: api.id, name: "$default", autoDeploy: true });
    new aws.cloudwatch.MetricAlarm("cpu", { comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 1, metricName: "CPUUtilization", namespace: "AWS/ECS", period: 60, statistic: "Average", threshold: 80 });
    new aws.route53.HealthCheck("site", { type: "HTTPS", fqdn: "example.com", port: 443, resourcePath: "/", failureThreshold: 3, requestInterval: 30 });
    new aws.wafv2.WebAcl("api", {
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "api", sampledRequestsEnabled: true },
    });
    const key = new aws.kms.Key("data");
    new aws.kms.Alias("data", { targetKeyId: key.keyId });
    // Another provider: generic values of the declared types.
    new datadog.Monitor("cpu-high", { name: "CPU high", type: "metric alert", query: "avg(last_5m):avg:aws.ecs.cpuutilization{*} > 80", message: "CPU is high" });
}

/** Every output the SDK declares as always present, checked on every resource: none may be left undefined. */
function undefinedOutputs(graph: Graph): string[] {
    return graph.resources.filter((r) => r.custom).flatMap((r) => requiredOutputs(r.type).filter((name) => r.outputs[name] === undefined).map((name) => `${r.type} ${r.name}: ${name}`));
}

const outputsOf = (graph: Graph, type: string, name: string): RecordedResource["outputs"] => named(graph, type, name).outputs;

const containsUnknown = (value: unknown): boolean => JSON.stringify(value)?.includes(UNKNOWN) ?? false;

/**
 * What a preview graph must be, per custom resource (problems as lines, none when it holds): every
 * output the SDK declares always present is there, unknown unless the program set it or the check
 * step plans it (the auto-name, tagsAll); an unknown output the program did not set has no property
 * dependencies; outputs declared `| undefined` that the program left out are absent; inputs, which
 * resource rules read, hold unknowns only in properties set from another resource (with dependencies).
 */
function previewContract(graph: Graph): string[] {
    const problems: string[] = [];
    for (const r of graph.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"))) {
        const at = `${r.type} ${r.name}`;
        const decl = resourceDecl(r.type);
        const planned = new Set(["tagsAll", ...(nameProp(r.type) ? [nameProp(r.type)!] : [])]);
        for (const name of requiredOutputs(r.type)) if (!(name in r.outputs)) problems.push(`${at}: ${name} missing`);
        for (const [name, value] of Object.entries(r.outputs)) {
            if (name in r.inputs || planned.has(name)) continue;
            // A secret output (additionalSecretOutputs) is unknown inside its secret wrapper.
            if (reveal(value) !== UNKNOWN) problems.push(`${at}: ${name} known though the program did not set it`);
            if ((r.propertyDependencies[name] ?? []).length > 0) problems.push(`${at}: ${name} has dependencies though the program did not set it`);
            if (decl?.outputs.find((m) => m.name === name)?.optional) problems.push(`${at}: ${name} (declared | undefined) present though the program did not set it`);
        }
        for (const [name, value] of Object.entries(r.inputs)) {
            if (containsUnknown(value) && (r.propertyDependencies[name] ?? []).length === 0) problems.push(`${at}: input ${name} unknown without dependencies`);
        }
    }
    return problems;
}

describe("engine outputs", () => {
    let graph: Graph;
    before(async () => {
        graph = await planProgram(components);
    });

    for (const stack of ["staging", "production"]) {
        it(`leaves no declared output undefined in the ${stack} stack`, async () => {
            assert.deepEqual(undefinedOutputs(await planStack(stack)), []);
        });
    }

    it("leaves no declared output undefined on the coming components' resource types", () => {
        const types = new Set(graph.resources.filter((r) => r.custom).map((r) => r.type));
        assert.ok(types.size >= 35, `${types.size} types`);
        for (const type of types) assert.ok(resourceDecl(type), `declarations found for ${type}`);
        assert.deepEqual(undefinedOutputs(graph), []);
    });

    it("auto-names as Pulumi does: <name>-<7 hex>, lower case where the service needs it, prefixes at create time", () => {
        assert.match(String(outputsOf(graph, "aws:rds/subnetGroup:SubnetGroup", "db").name), /^db-[0-9a-f]{7}$/);
        assert.match(String(outputsOf(graph, "aws:iam/user:User", "deployer").name), /^deployer-[0-9a-f]{7}$/);
        assert.match(String(outputsOf(graph, "aws:sqs/queue:Queue", "orders").name), /^orders-[0-9a-f]{7}\.fifo$/);
        assert.equal(outputsOf(graph, "aws:sqs/queue:Queue", "prefixed").name, "jobs-20250101008557933600000002");
        assert.equal(outputsOf(graph, "aws:lb/targetGroup:TargetGroup", "target-group-at-limit-ok").name, "target-group-at-limit-ok-dde95c0");
        assert.match(String(outputsOf(graph, "aws:rds/cluster:Cluster", "aurora").clusterIdentifier), /^tf-2025\d{22}$/);
        assert.match(String(outputsOf(graph, "aws:kms/alias:Alias", "data").name), /^alias\/data-[0-9a-f]{7}$/);
        assert.match(String(outputsOf(graph, "aws:s3/bucket:Bucket", "Assets").bucket), /^assets-[0-9a-f]{7}$/, "the provider lower-cases bucket names");
    });

    it("fails, as the provider does, on an auto-name longer than the service allows", async () => {
        await assert.rejects(
            runProgram({ dir: ROOT, stack: "staging", program: () => new aws.lb.TargetGroup("a-target-group-name-far-too-long", { port: 80, protocol: "HTTP" }) }),
            /a-target-group-name-far-too-long \[aws:lb\/targetGroup:TargetGroup\]: the auto-name "a-target-group-name-far-too-long-[0-9a-f]{7}" is longer than 32 characters/,
        );
    });

    it("fails, as AWS does, on an auto-name in upper case where the service allows only lower case", async () => {
        await assert.rejects(runProgram({ dir: ROOT, stack: "staging", program: () => new aws.ecr.Repository("Api") }), /the auto-name "Api-[0-9a-f]{7}" has upper-case letters/);
    });

    it("gives load balancers ARNs, DNS names and zones in AWS's formats", () => {
        const lb = outputsOf(graph, "aws:lb/loadBalancer:LoadBalancer", "web");
        assert.equal(lb.arn, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-0bd46d2/b8f2222afef403b5");
        assert.equal(lb.arnSuffix, "app/web-0bd46d2/b8f2222afef403b5");
        assert.equal(lb.id, lb.arn);
        assert.match(String(lb.dnsName), /^web-0bd46d2-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
        assert.equal(lb.zoneId, "Z35SXDOTRQ7X7K");
        assert.equal(lb.vpcId, named(graph, "aws:ec2/vpc:Vpc", "app").id, "the VPC of its subnets");
        const tg = outputsOf(graph, "aws:lb/targetGroup:TargetGroup", "api");
        assert.match(String(tg.arn), /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/api-[0-9a-f]{7}\/[0-9a-f]{16}$/);
        const listener = outputsOf(graph, "aws:lb/listener:Listener", "https");
        assert.ok(String(listener.arn).startsWith(`${String(lb.arn).replace(":loadbalancer/", ":listener/")}/`));
    });

    it("gives RDS the endpoint, identifiers and managed master secret AWS reports", () => {
        const db = outputsOf(graph, "aws:rds/instance:Instance", "db");
        assert.equal(db.address, "db-531d433.25osws6axr43.us-east-1.rds.amazonaws.com");
        assert.equal(db.endpoint, `${db.address}:5432`);
        assert.equal(db.arn, "arn:aws:rds:us-east-1:123456789012:db:db-531d433");
        assert.match(String(db.id), /^db-[A-Z2-7]{26}$/);
        assert.equal(db.engineVersionActual, "16.4");
        const [secret] = db.masterUserSecrets as { secretArn: string; secretStatus: string; kmsKeyId: string }[];
        assert.match(secret.secretArn, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-[0-9a-f-]{36}-[A-Za-z0-9]{6}$/);
        assert.equal(secret.secretStatus, "active");
        assert.match(String(db.kmsKeyId), /^arn:aws:kms:us-east-1:123456789012:key\//, "storage encrypted with the aws/rds key");
        const proxy = named(graph, "aws:rds/proxy:Proxy", "db");
        assert.deepEqual((proxy.inputs.auths as { secretArn: string }[])[0].secretArn, secret.secretArn, "the proxy joins on the instance's secret");
        const target = outputsOf(graph, "aws:rds/proxyTarget:ProxyTarget", "db");
        assert.equal(target.endpoint, db.address);
        assert.equal(target.targetArn, db.arn);
    });

    it("identifies ElastiCache RBAC users and user groups by the ids the program gives, with ElastiCache's ARNs", async () => {
        const g = await planProgram(() => {
            const user = new aws.elasticache.User("app", { userId: "web-app", userName: "web-app", engine: "redis", accessString: "on ~* +@all", authenticationMode: { type: "iam" } });
            new aws.elasticache.UserGroup("users", { userGroupId: "web-users", engine: "redis", userIds: [user.userId] });
        });
        const user = outputsOf(g, "aws:elasticache/user:User", "app");
        assert.equal(user.id, "web-app");
        assert.equal(user.arn, `arn:aws:elasticache:us-east-1:${ACCOUNT}:user:web-app`);
        const group = outputsOf(g, "aws:elasticache/userGroup:UserGroup", "users");
        assert.equal(group.id, "web-users");
        assert.equal(group.arn, `arn:aws:elasticache:us-east-1:${ACCOUNT}:usergroup:web-users`);
        assert.deepEqual(group.userIds, ["web-app"]);
    });

    it("gives AWS's rotation applications their RotationLambdaARN output, and reports a configured SecretRotation as enabled", async () => {
        const g = await planProgram(() => {
            const app = "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser";
            const rotator = new aws.serverlessrepository.CloudFormationStack("rotator", { applicationId: app, semanticVersion: "1.1.671", parameters: { functionName: "pg-rotation" } });
            new aws.serverlessrepository.CloudFormationStack("other", { applicationId: "arn:aws:serverlessrepo:us-east-1:111122223333:applications/hello", parameters: { functionName: "x" } });
            const secret = new aws.secretsmanager.Secret("db");
            new aws.secretsmanager.SecretRotation("db", { secretId: secret.id, rotationLambdaArn: rotator.outputs.apply((o) => o.RotationLambdaARN), rotationRules: { automaticallyAfterDays: 30 } });
        });
        const rotator = outputsOf(g, "aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "rotator");
        assert.deepEqual(rotator.outputs, { RotationLambdaARN: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:pg-rotation` });
        assert.match(String(rotator.id), /^arn:aws:cloudformation:us-east-1:123456789012:stack\/serverlessrepo-rotator-[0-9a-f]{7}\/[0-9a-f-]{36}$/);
        assert.deepEqual(outputsOf(g, "aws:serverlessrepository/cloudFormationStack:CloudFormationStack", "other").outputs, {});
        const rotation = outputsOf(g, "aws:secretsmanager/secretRotation:SecretRotation", "db");
        assert.deepEqual([rotation.id, rotation.rotationEnabled, rotation.rotationLambdaArn], [outputsOf(g, "aws:secretsmanager/secret:Secret", "db").arn, true, rotator.outputs.RotationLambdaARN]);
    });

    it("identifies an SNS topic policy by its topic, as the provider does: id and arn are the topic's ARN", async () => {
        const g = await planProgram(() => {
            const topic = new aws.sns.Topic("events");
            new aws.sns.TopicPolicy("events", { arn: topic.arn, policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) });
        });
        const topicArn = outputsOf(g, "aws:sns/topic:Topic", "events").arn;
        assert.match(String(topicArn), /^arn:aws:sns:us-east-1:123456789012:events-[0-9a-f]{7}$/);
        const policy = outputsOf(g, "aws:sns/topicPolicy:TopicPolicy", "events");
        assert.deepEqual([policy.id, policy.arn, policy.owner], [topicArn, topicArn, ACCOUNT]);
    });

    it("gives queues, functions, registries and APIs their URLs and qualified ARNs", () => {
        const queue = outputsOf(graph, "aws:sqs/queue:Queue", "jobs");
        assert.equal(queue.url, `https://sqs.us-east-1.amazonaws.com/123456789012/${queue.name}`);
        assert.equal(queue.arn, `arn:aws:sqs:us-east-1:123456789012:${queue.name}`);
        const fn = outputsOf(graph, "aws:lambda/function:Function", "worker");
        assert.equal(fn.arn, `arn:aws:lambda:us-east-1:123456789012:function:${fn.name}`);
        assert.equal(fn.qualifiedArn, `${fn.arn}:$LATEST`);
        assert.equal(fn.invokeArn, `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn.arn}/invocations`);
        const repo = outputsOf(graph, "aws:ecr/repository:Repository", "api");
        assert.equal(repo.repositoryUrl, `123456789012.dkr.ecr.us-east-1.amazonaws.com/${repo.name}`);
        const api = outputsOf(graph, "aws:apigatewayv2/api:Api", "http");
        assert.equal(api.apiEndpoint, `https://${api.id}.execute-api.us-east-1.amazonaws.com`);
        assert.match(String(outputsOf(graph, "aws:elasticache/replicationGroup:ReplicationGroup", "cache").primaryEndpointAddress), /^master\.cache-[0-9a-f]{7}\.[a-z0-9]{6}\.use1\.cache\.amazonaws\.com$/);
        assert.match(String(outputsOf(graph, "aws:secretsmanager/secret:Secret", "api-key").arn), /^arn:aws:secretsmanager:us-east-1:123456789012:secret:api-key-[0-9a-f]{7}-[A-Za-z0-9]{6}$/);
        assert.match(String(outputsOf(graph, "aws:wafv2/webAcl:WebAcl", "api").arn), /^arn:aws:wafv2:us-east-1:123456789012:regional\/webacl\/api-[0-9a-f]{7}\/[0-9a-f-]{36}$/);
    });

    it("previews a new resource as the provider plans it: inputs, auto-name and tagsAll known; every other output the SDK declares always present unknown, Optional+Computed inputs left out included", async () => {
        const preview = await runProgram({
            dir: ROOT,
            stack: "staging",
            preview: true,
            program: () => {
                new aws.rds.SubnetGroup("db", { subnetIds: ["subnet-1"] });
                new aws.sqs.Queue("prefixed", { namePrefix: "jobs-" });
                const vpc = new aws.ec2.Vpc("app", { cidrBlock: "10.0.0.0/16" });
                const sg = new aws.ec2.SecurityGroup("app", { vpcId: vpc.id, description: "app tier" });
                new aws.vpc.SecurityGroupIngressRule("app-https", { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" });
                new aws.ec2.VpcEndpoint("s3", { vpcId: vpc.id, serviceName: "com.amazonaws.us-east-1.s3" });
                new aws.s3.Bucket("assets", { tags: { Owner: "web" } });
            },
        });
        const unknownOf = (r: RecordedResource) => Object.keys(r.outputs).filter((k) => r.outputs[k] === UNKNOWN).sort();
        const knownOf = (r: RecordedResource) => Object.fromEntries(Object.entries(r.outputs).filter(([, v]) => v !== UNKNOWN));

        const group = named(preview, "aws:rds/subnetGroup:SubnetGroup", "db");
        assert.match(String(group.outputs.name), /^db-[0-9a-f]{7}$/);
        assert.deepEqual(knownOf(group), { description: "Managed by Pulumi", name: group.outputs.name, subnetIds: ["subnet-1"], tagsAll: {} });
        // Computed by the provider (arn, vpcId, supportedNetworkTypes) and Optional+Computed inputs not set (namePrefix, region).
        assert.deepEqual(unknownOf(group), ["arn", "namePrefix", "region", "supportedNetworkTypes", "vpcId"]);
        assert.equal(named(preview, "aws:sqs/queue:Queue", "prefixed").outputs.name, UNKNOWN, "a prefix is filled at create time");

        // "(known after apply)" in a Terraform plan: the inline rules AWS will report, the default ACL and logging, the endpoint's default groups.
        const sg = named(preview, "aws:ec2/securityGroup:SecurityGroup", "app");
        assert.equal(sg.outputs.description, "app tier");
        for (const prop of ["ingress", "egress", "namePrefix", "arn", "vpcId"]) assert.equal(sg.outputs[prop], UNKNOWN, `security group ${prop}`);
        assert.ok(!("revokeRulesOnDelete" in sg.outputs), "an output declared | undefined stays absent when the program leaves it out");
        assert.deepEqual(sg.propertyDependencies.ingress ?? [], [], "the inline rules were not set by the program");
        const bucket = named(preview, "aws:s3/bucket:Bucket", "assets");
        assert.match(String(bucket.outputs.bucket), /^assets-[0-9a-f]{7}$/);
        assert.deepEqual(bucket.outputs.tagsAll, { Owner: "web" });
        for (const prop of ["acl", "logging", "versioning", "policy", "serverSideEncryptionConfiguration", "website", "lifecycleRules", "arn", "bucketRegionalDomainName"]) {
            assert.equal(bucket.outputs[prop], UNKNOWN, `bucket ${prop}`);
        }
        const endpoint = named(preview, "aws:ec2/vpcEndpoint:VpcEndpoint", "s3");
        for (const prop of ["securityGroupIds", "policy", "subnetIds", "routeTableIds", "prefixListId"]) assert.equal(endpoint.outputs[prop], UNKNOWN, `endpoint ${prop}`);
        assert.equal(endpoint.outputs.serviceName, "com.amazonaws.us-east-1.s3");
        assert.deepEqual(unknownOf(named(preview, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "app-https")), ["arn", "region", "securityGroupId", "securityGroupRuleId"]);
        assert.deepEqual(previewContract(preview), []);
    });

    it("previews the coming components' resources so that the policy pack decides them as after deploy: the same mandatory findings, no advisory", async () => {
        const verdictOf = async (g: Graph) => {
            const verdict = await evaluatePolicies(g, POLICIES, { all: "mandatory" });
            return { mandatory: verdict.mandatory.map((f) => `${f.policy} ${f.resource ?? "(stack)"}: ${f.message}`).sort(), advisory: verdict.advisory.map((f) => f.message) };
        };
        const deployed = await verdictOf(graph);
        const previewed = await verdictOf(await planProgram(components, "staging", { preview: true }));
        assert.ok(deployed.mandatory.length > 100, `${deployed.mandatory.length} findings: the bare resources break many rules`);
        assert.deepEqual(previewed, { mandatory: deployed.mandatory, advisory: [] });
    });

    for (const stack of ["staging", "production"]) {
        it(`previews the ${stack} stack by the same contract, and its inputs (what resource rules read) hold unknowns only where the program set them from another resource`, async () => {
            assert.deepEqual(previewContract(await planStack(stack, {}, { preview: true })), []);
        });
    }

    it("generates random passwords as the random provider does, and returns every additionalSecretOutputs output as a secret", async () => {
        let password: random.RandomPassword | undefined;
        let bucket: aws.s3.Bucket | undefined;
        const g = await planProgram(() => {
            password = new random.RandomPassword("db", { length: 24, special: true, overrideSpecial: "#-_", minSpecial: 2, minNumeric: 3 });
            new random.RandomPassword("plain", { length: 20, special: false, upper: false });
            bucket = new aws.s3.Bucket("logs", {}, { additionalSecretOutputs: ["bucketDomainName"] });
        });
        const wire = named(g, "random:index/randomPassword:RandomPassword", "db").outputs;
        // Recorded as secrets (the provider's additionalSecretOutputs), and so the SDK's outputs are secret too.
        assert.deepEqual(Object.keys(mask(wire) as object).filter((k) => (mask(wire) as Record<string, unknown>)[k] === MASK).sort(), ["bcryptHash", "result"]);
        assert.equal(await pulumi.isSecret(password!.result), true);
        const { result, bcryptHash } = reveal(wire) as { result: string; bcryptHash: string };
        assert.equal(result.length, 24);
        assert.ok((result.match(/[#\-_]/g) ?? []).length >= 2, result);
        assert.ok((result.match(/[0-9]/g) ?? []).length >= 3, result);
        assert.match(result, /^[A-Za-z0-9#\-_]+$/);
        assert.match(bcryptHash, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
        assert.match((reveal(named(g, "random:index/randomPassword:RandomPassword", "plain").outputs) as { result: string }).result, /^[a-z0-9]{20}$/);
        // A program's own additionalSecretOutputs.
        assert.equal(await pulumi.isSecret(bucket!.bucketDomainName), true);
        assert.equal(await pulumi.isSecret(bucket!.arn), false);
        assert.equal((mask(named(g, "aws:s3/bucket:Bucket", "logs").outputs) as Record<string, unknown>).bucketDomainName, MASK);
    });

    it("keeps the declarations it read on disk per package version, exactly as a fresh read gives them", async () => {
        const version = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "@pulumi", "aws", "package.json"), "utf8")) as { version: string }).version;
        const file = path.join(ROOT, "node_modules", ".cache", "webstack-schema", `aws@${version}.json`);
        fs.rmSync(file, { force: true });
        const plan = await runPlan("--stack", "production", "--json");
        assert.equal(plan.code, 0, plan.stderr);
        const cached = JSON.parse(fs.readFileSync(file, "utf8")) as { resources: Record<string, unknown> };
        const tokens = ["aws:lb/loadBalancer:LoadBalancer", "aws:ecs/service:Service", "aws:s3/bucket:Bucket"];
        // A process that reads every declaration from the SDK files (caches off) finds the same.
        const fresh = await runNode(
            ["-r", "./tools/register.js", "-e", `const s = require("./tools/engine/outputs/schema"); console.log(JSON.stringify(${JSON.stringify(tokens)}.map((t) => { const d = s.resourceDecl(t); return { outputs: d.outputs, computed: [...d.computed], args: [...d.args] }; })))`],
            { WEBSTACK_TRANSPILE_CACHE: "off" },
        );
        assert.equal(fresh.code, 0, fresh.stderr);
        assert.deepEqual(tokens.map((t) => cached.resources[t]), JSON.parse(fresh.stdout));
    });

    it("answers the same values in every run", async () => {
        const again = await planProgram(components);
        assert.deepEqual(
            again.resources.map((r) => [r.urn, r.id, r.outputs]),
            graph.resources.map((r) => [r.urn, r.id, r.outputs]),
        );
    });
});
