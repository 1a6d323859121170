import * as assert from "assert/strict";
import { covers, wildcardResourceProblem } from "../../policy/lib/iam-actions";
import { IAM_RULES, R21, R22, R23, R24, R25, R77, R78, S10 } from "../../policy/rules/iam";
import { findings, mutate, verdictOf, type Fixture, UNKNOWN, ACCOUNT, doc } from "../helpers/policy";


const taskTrust = doc({
    Effect: "Allow",
    Principal: { Service: "ecs-tasks.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
});

// What the api component would create: a task policy (string document), an execution role policy
// (object document), a role with an inline policy and a managed service-role policy, an attachment.
const taskPolicy: Fixture = {
    type: "aws:iam/policy:Policy",
    name: "api-task",
    props: {
        policy: doc(
            { Sid: "ReadSite", Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::site-abc", "arn:aws:s3:::site-abc/*"] },
            { Sid: "Metrics", Effect: "Allow", Action: ["cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
            { Sid: "DenyPlainHttp", Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ),
    },
};
const executionPolicy: Fixture = {
    type: "aws:iam/rolePolicy:RolePolicy",
    name: "api-execution",
    props: {
        role: "api-execution",
        policy: {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
                { Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/api` },
                { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/webstack/api:*` },
            ],
        },
    },
};
const taskRole: Fixture = {
    type: "aws:iam/role:Role",
    name: "api-task",
    props: {
        name: "api-task-7f3a",
        arn: `arn:aws:iam::${ACCOUNT}:role/api-task-7f3a`,
        id: "api-task-7f3a",
        assumeRolePolicy: taskTrust,
        inlinePolicies: [
            {
                name: "read-db-secret",
                policy: doc({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-abc` }),
            },
        ],
        managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
    },
};
const executionRole: Fixture = {
    type: "aws:iam/role:Role",
    name: "api-execution",
    props: { name: "api-execution-1b2c", arn: `arn:aws:iam::${ACCOUNT}:role/api-execution-1b2c`, id: "api-execution-1b2c", assumeRolePolicy: taskTrust },
};
const attachment: Fixture = {
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    name: "api-task-cw-agent",
    // An AWS-managed policy of the service-role/ path: the only AWS-managed ones R78 allows.
    props: { role: "api-task-7f3a", policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
};
const taskDefinition: Fixture = {
    type: "aws:ecs/taskDefinition:TaskDefinition",
    name: "api",
    props: {
        family: "api",
        arn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:task-definition/api:1`,
        taskRoleArn: taskRole.props.arn,
        executionRoleArn: executionRole.props.arn,
    },
};
const COMPLIANT = [taskPolicy, executionPolicy, taskRole, executionRole, attachment, taskDefinition];

const withPolicy = (f: Fixture, ...statements: object[]) => mutate(f, { policy: doc(...statements) });
const withInline = (...statements: object[]) => mutate(taskRole, { inlinePolicies: [{ name: "read-db-secret", policy: doc(...statements) }] });

describe("R21 no * actions", () => {
    it("passes webstack's policies (a Deny of * is fine)", async () => {
        assert.deepEqual(await findings(R21, COMPLIANT), []);
    });

    it("reports * in a string document", async () => {
        assert.deepEqual(await findings(R21, [withPolicy(taskPolicy, { Effect: "Allow", Action: "*", Resource: "*" })]), [
            'api-task: statement 1 allows every action ("*") [finding statement-1/action-*]',
        ]);
    });

    it("reports *:* in an object document, naming the Sid", async () => {
        const policy = { Version: "2012-10-17", Statement: { Sid: "Everything", Effect: "Allow", Action: ["s3:GetObject", "*:*"], Resource: "*" } };
        assert.deepEqual(await findings(R21, [mutate(executionPolicy, { policy })]), [
            'api-execution: statement 1 (Everything) allows every action ("*:*") [finding Everything/action-*:*]',
        ]);
    });

    it("reports one finding per statement and action", async () => {
        const f = withPolicy(taskPolicy, { Effect: "Allow", Action: ["*", "*:*"], Resource: "*" }, { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::x" });
        assert.deepEqual(await findings(R21, [f]), [
            'api-task: statement 1 allows every action ("*") [finding statement-1/action-*]',
            'api-task: statement 1 allows every action ("*:*") [finding statement-1/action-*:*]',
            'api-task: statement 2 allows every action ("*") [finding statement-2/action-*]',
        ]);
    });

    it("reports * in a role's inline policy, naming the policy", async () => {
        assert.deepEqual(await findings(R21, [withInline({ Effect: "Allow", Action: "*", Resource: "*" })]), [
            'api-task: inline policy "read-db-secret" statement 1 allows every action ("*") [finding read-db-secret/statement-1/action-*]',
        ]);
    });

    it("checks user and group inline policies", async () => {
        const group: Fixture = { type: "aws:iam/groupPolicy:GroupPolicy", name: "ops", props: { group: "ops", policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) } };
        const user: Fixture = { type: "aws:iam/userPolicy:UserPolicy", name: "ci", props: { user: "ci", policy: doc({ Effect: "Allow", Action: "*:*", Resource: "*" }) } };
        assert.deepEqual(await findings(R21, [group, user]), [
            'ci: statement 1 allows every action ("*:*") [finding statement-1/action-*:*]',
            'ops: statement 1 allows every action ("*") [finding statement-1/action-*]',
        ]);
    });

    it("reports a document that is not JSON", async () => {
        assert.deepEqual(await findings(R21, [mutate(taskPolicy, { policy: "Statement: everything" })]), [
            "api-task: policy is not a JSON policy document, so it cannot be checked [finding invalid-document]",
        ]);
    });

    it("cannot run on a document unknown during preview", async () => {
        assert.deepEqual(await findings(R21, [mutate(taskPolicy, { policy: UNKNOWN })]), [
            "api-task: can't run policy 'R21-iam-no-star-actions' during preview: string value at .policy can't be known during preview",
        ]);
    });
});

describe("R22 no service-wide wildcards", () => {
    it("passes webstack's policies", async () => {
        assert.deepEqual(await findings(R22, COMPLIANT), []);
    });

    it("reports one finding per service-wide wildcard, whatever its case", async () => {
        const f = withPolicy(taskPolicy, { Sid: "Data", Effect: "Allow", Action: ["s3:*", "SQS:*", "s3:Get*"], Resource: "arn:aws:s3:::site-abc/*" });
        assert.deepEqual(await findings(R22, [f]), [
            'api-task: statement 1 (Data) allows action "SQS:*" (a service-wide wildcard) [finding Data/action-SQS:*]',
            'api-task: statement 1 (Data) allows action "s3:*" (a service-wide wildcard) [finding Data/action-s3:*]',
        ]);
    });

    it("reports Allow with NotAction", async () => {
        const f = withInline({ Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" });
        assert.deepEqual(await findings(R22, [f]), [
            'api-task: inline policy "read-db-secret" statement 1 uses NotAction with Allow, granting every action except "iam:*", "organizations:*" [finding read-db-secret/statement-1/not-action]',
        ]);
    });

    it("accepts wildcards and NotAction in Deny statements", async () => {
        const f = withPolicy(taskPolicy, { Effect: "Deny", Action: "s3:*", Resource: "*" }, { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" });
        assert.deepEqual(await findings(R22, [f]), []);
    });
});

describe("R23 Resource * only for unscopable actions", () => {
    it("passes webstack's policies (PutMetricData, X-Ray, GetAuthorizationToken on *)", async () => {
        assert.deepEqual(await findings(R23, COMPLIANT), []);
    });

    it("accepts allow-listed actions and narrower forms of allow-listed wildcards, in any case", async () => {
        const f = withPolicy(taskPolicy, { Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:Describe*", "ec2:DescribeNet*", "CloudWatch:putMetricData"], Resource: "*" });
        assert.deepEqual(await findings(R23, [f]), []);
    });

    it("reports each scopable action on *", async () => {
        const f = withPolicy(taskPolicy, { Sid: "Wide", Effect: "Allow", Action: ["s3:GetObject", "ec2:*", "cloudwatch:PutMetricData"], Resource: ["*"] });
        assert.deepEqual(await findings(R23, [f]), [
            'api-task: statement 1 (Wide) allows "ec2:*" on every resource ("*"), and it is not an action that cannot be scoped [finding Wide/wildcard-resource-ec2:*]',
            'api-task: statement 1 (Wide) allows "s3:GetObject" on every resource ("*"), and it is not an action that cannot be scoped [finding Wide/wildcard-resource-s3:GetObject]',
        ]);
    });

    it("reports PassRole, kms:Decrypt, GenerateDataKey* and GetSecretValue on * as never allowed", async () => {
        const f = withPolicy(taskPolicy, {
            Effect: "Allow",
            Action: ["iam:PassRole", "kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext", "secretsmanager:GetSecretValue", "kms:*"],
            Resource: "*",
        });
        const never = (a: string) => `api-task: statement 1 allows "${a}" on every resource ("*"); this action must always name specific resources [finding statement-1/wildcard-resource-${a}]`;
        assert.deepEqual(await findings(R23, [f]), [
            never("iam:PassRole"),
            never("kms:*"),
            never("kms:Decrypt"),
            never("kms:GenerateDataKeyWithoutPlaintext"),
            never("secretsmanager:GetSecretValue"),
        ]);
    });

    it("treats Allow with NotResource as every resource, and NotAction on * as a finding", async () => {
        const f = withInline(
            { Effect: "Allow", Action: "s3:PutObject", NotResource: "arn:aws:s3:::audit/*" },
            { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
        );
        assert.deepEqual(await findings(R23, [f]), [
            'api-task: inline policy "read-db-secret" statement 1 allows "s3:PutObject" on every resource except its NotResource, and it is not an action that cannot be scoped [finding read-db-secret/statement-1/wildcard-resource-s3:PutObject]',
            'api-task: inline policy "read-db-secret" statement 2 allows every action except its NotAction on every resource ("*") [finding read-db-secret/statement-2/wildcard-resource-not-action]',
        ]);
    });

    it("accepts anything on * in a Deny statement", async () => {
        assert.deepEqual(await findings(R23, [withPolicy(taskPolicy, { Effect: "Deny", Action: ["iam:PassRole", "s3:*"], Resource: "*" })]), []);
    });

    it("keeps never-scoped actions out even when an allow-list pattern covers them", () => {
        assert.equal(covers("ec2:Describe*", "ec2:DescribeInstances"), true);
        assert.equal(covers("ec2:Describe*", "ec2:*"), false);
        assert.equal(wildcardResourceProblem("kms:GenerateDataKey"), "never");
        assert.equal(wildcardResourceProblem("*"), "never");
        assert.equal(wildcardResourceProblem("ecr:GetAuthorizationToken"), undefined);
    });
});

describe("R24 no AWS-managed admin or full-access policies", () => {
    it("passes service-role and agent policies", async () => {
        assert.deepEqual(await findings(R24, COMPLIANT), []);
    });

    it("reports AdministratorAccess on a role policy attachment", async () => {
        assert.deepEqual(await findings(R24, [mutate(attachment, { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })]), [
            "api-task-cw-agent: attaches the AWS-managed policy AdministratorAccess (arn:aws:iam::aws:policy/AdministratorAccess) [finding managed-AdministratorAccess]",
        ]);
    });

    it("reports user, group and legacy attachments in any partition", async () => {
        const fixtures: Fixture[] = [
            { type: "aws:iam/userPolicyAttachment:UserPolicyAttachment", name: "ci-s3", props: { user: "ci", policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" } },
            { type: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment", name: "ops-power", props: { group: "ops", policyArn: "arn:aws-us-gov:iam::aws:policy/PowerUserAccess" } },
            { type: "aws:iam/policyAttachment:PolicyAttachment", name: "legacy", props: { roles: ["api-task-7f3a"], policyArn: "arn:aws-cn:iam::aws:policy/IAMFullAccess" } },
        ];
        assert.deepEqual(await findings(R24, fixtures), [
            "ci-s3: attaches the AWS-managed policy AmazonS3FullAccess (arn:aws:iam::aws:policy/AmazonS3FullAccess) [finding managed-AmazonS3FullAccess]",
            "legacy: attaches the AWS-managed policy IAMFullAccess (arn:aws-cn:iam::aws:policy/IAMFullAccess) [finding managed-IAMFullAccess]",
            "ops-power: attaches the AWS-managed policy PowerUserAccess (arn:aws-us-gov:iam::aws:policy/PowerUserAccess) [finding managed-PowerUserAccess]",
        ]);
    });

    it("reports each broad policy in Role.managedPolicyArns and exclusive attachments", async () => {
        const role = mutate(taskRole, {
            managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", "arn:aws:iam::aws:policy/AWSLambda_FullAccess", "arn:aws:iam::aws:policy/AdministratorAccess-Amplify"],
        });
        const exclusive: Fixture = {
            type: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            name: "api-task-exclusive",
            props: { roleName: "api-task-7f3a", policyArns: ["arn:aws:iam::aws:policy/CloudWatchFullAccessV2"] },
        };
        assert.deepEqual(await findings(R24, [role, exclusive]), [
            "api-task-exclusive: attaches the AWS-managed policy CloudWatchFullAccessV2 (arn:aws:iam::aws:policy/CloudWatchFullAccessV2) [finding managed-CloudWatchFullAccessV2]",
            "api-task: attaches the AWS-managed policy AWSLambda_FullAccess (arn:aws:iam::aws:policy/AWSLambda_FullAccess) [finding managed-AWSLambda_FullAccess]",
            "api-task: attaches the AWS-managed policy AdministratorAccess-Amplify (arn:aws:iam::aws:policy/AdministratorAccess-Amplify) [finding managed-AdministratorAccess-Amplify]",
        ]);
    });

    it("accepts a customer-managed policy that happens to be called AdministratorAccess", async () => {
        assert.deepEqual(await findings(R24, [mutate(attachment, { policyArn: `arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess` })]), []);
    });
});

describe("R25 trust policies name principals", () => {
    it("passes service trust policies", async () => {
        assert.deepEqual(await findings(R25, COMPLIANT), []);
    });

    it('reports Principal "*" and AWS "*", even with a condition', async () => {
        const role = mutate(taskRole, {
            assumeRolePolicy: doc(
                { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" },
                { Sid: "AnyAccount", Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "x" } } },
            ),
        });
        assert.deepEqual(await findings(R25, [role]), [
            'api-task: trust policy statement 1 lets any principal ("*") assume the role [finding statement-1/principal-*]',
            'api-task: trust policy statement 2 (AnyAccount) lets any principal ("*") assume the role [finding AnyAccount/principal-*]',
        ]);
    });

    it("reports Allow with NotPrincipal in an object document, and accepts a Deny of *", async () => {
        const assumeRolePolicy = {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" },
                { Effect: "Deny", Principal: "*", Action: "sts:AssumeRole", Condition: { Bool: { "aws:SecureTransport": "false" } } },
            ],
        };
        assert.deepEqual(await findings(R25, [mutate(taskRole, { assumeRolePolicy })]), [
            "api-task: trust policy statement 1 lets everyone except its NotPrincipal assume the role [finding statement-1/principal-*]",
        ]);
    });
});

describe("S10 IAM hygiene", () => {
    it("passes roles with a task role separate from the execution role", async () => {
        assert.deepEqual(await findings(S10, COMPLIANT), []);
    });

    it("passes a task definition without a task role", async () => {
        assert.deepEqual(await findings(S10, [...COMPLIANT.filter((f) => f !== taskDefinition), mutate(taskDefinition, { taskRoleArn: undefined })]), []);
    });

    it("reports IAM users, access keys and login profiles", async () => {
        const fixtures: Fixture[] = [
            ...COMPLIANT,
            { type: "aws:iam/user:User", name: "ci", props: { name: "ci-deployer", arn: `arn:aws:iam::${ACCOUNT}:user/ci-deployer` } },
            { type: "aws:iam/accessKey:AccessKey", name: "ci-key", props: { user: "ci-deployer", id: "AKIAEXAMPLE" } },
            { type: "aws:iam/userLoginProfile:UserLoginProfile", name: "ci-console", props: { user: "ci-deployer" } },
        ];
        assert.deepEqual(await findings(S10, fixtures), [
            'ci-console: UserLoginProfile gives IAM user "ci-deployer" a long-lived credential [finding user-credential]',
            'ci-key: access key for IAM user "ci-deployer" is a long-lived credential [finding access-key]',
            'ci: IAM user "ci-deployer" is a long-lived identity; people use SSO and workloads use roles [finding iam-user]',
        ]);
    });

    it("reports a task role equal to the execution role", async () => {
        const fixtures = [...COMPLIANT.filter((f) => f !== taskDefinition), mutate(taskDefinition, { taskRoleArn: executionRole.props.arn })];
        assert.deepEqual(await findings(S10, fixtures), [
            `api: task role ${String(executionRole.props.arn)} is also the execution role, so the application holds the permissions ECS uses to start it [finding task-role-is-execution-role]`,
        ]);
    });

    it("reports the same role referred to once by name and once by ARN", async () => {
        const fixtures = [...COMPLIANT.filter((f) => f !== taskDefinition), mutate(taskDefinition, { taskRoleArn: "api-execution-1b2c" })];
        assert.deepEqual(await findings(S10, fixtures), [
            "api: task role api-execution-1b2c is also the execution role, so the application holds the permissions ECS uses to start it [finding task-role-is-execution-role]",
        ]);
    });
});

describe("R77 bounded IAM wildcards", () => {
    it("passes the component policies: named resources, /* below them, log-group:name:*, Describe*/List* and data-key families, and list calls on every group", async () => {
        const bounded = withPolicy(
            { ...taskPolicy, name: "bounded" },
            { Effect: "Allow", Action: ["ec2:Describe*", "s3:List*", "kms:GenerateDataKey*", "kms:ReEncrypt*"], Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234` },
            { Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:*` },
            { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::site-*/*" },
        );
        assert.deepEqual(await findings(R77, [...COMPLIANT, bounded]), []);
    });

    it("reports action prefixes and partial-ARN wildcards over every region, account or resource of a type", async () => {
        const wide = withPolicy(
            { ...taskPolicy, name: "wide" },
            { Sid: "Writes", Effect: "Allow", Action: ["s3:Put*", "iam:*Policy"], Resource: "arn:aws:s3:::*" },
            { Sid: "Keys", Effect: "Allow", Action: "kms:Encrypt", Resource: [`arn:aws:kms:*:${ACCOUNT}:key/1234`, "arn:aws:kms:eu-west-1:*:key/1234", `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`] },
            { Sid: "Groups", Effect: "Allow", Action: ["logs:DescribeLogGroups", "logs:PutLogEvents"], Resource: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:*` },
        );
        assert.deepEqual(await findings(R77, [wide]), [
            `wide: statement 1 (Writes) allows its actions on "arn:aws:s3:::*", which reaches every resource of its type [finding Writes/resource-arn:aws:s3:::*]`,
            'wide: statement 1 (Writes) allows the action wildcard "iam:*Policy"; list the actions it needs [finding Writes/action-iam:*Policy]',
            'wide: statement 1 (Writes) allows the action wildcard "s3:Put*"; list the actions it needs [finding Writes/action-s3:Put*]',
            `wide: statement 2 (Keys) allows its actions on "arn:aws:kms:*:${ACCOUNT}:key/1234", which reaches every region [finding Keys/resource-arn:aws:kms:*:${ACCOUNT}:key/1234]`,
            'wide: statement 2 (Keys) allows its actions on "arn:aws:kms:eu-west-1:*:key/1234", which reaches every account [finding Keys/resource-arn:aws:kms:eu-west-1:*:key/1234]',
            `wide: statement 2 (Keys) allows its actions on "arn:aws:kms:eu-west-1:${ACCOUNT}:key/*", which reaches every resource of its type [finding Keys/resource-arn:aws:kms:eu-west-1:${ACCOUNT}:key/*]`,
            `wide: statement 3 (Groups) allows its actions on "arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:*", which reaches every resource of its type [finding Groups/resource-arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:*]`,
        ]);
    });
});

describe("R78 no AWS-managed policies but service-role ones", () => {
    it("passes service-role/ policies and customer-managed ones, and leaves the broad ones to R24", async () => {
        const own = { ...mutate(attachment, { policyArn: `arn:aws:iam::${ACCOUNT}:policy/api-task` }), name: "own" };
        const admin = { ...mutate(attachment, { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }), name: "admin" };
        assert.deepEqual(await findings(R78, [...COMPLIANT, own, admin]), []);
    });

    it("passes the ECS infrastructure role's policies, published outside service-role/", async () => {
        const releases = { ...mutate(attachment, { policyArn: "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers" }), name: "releases" };
        const volumes = { ...mutate(attachment, { policyArn: "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForVolumes" }), name: "volumes" };
        assert.deepEqual(await findings(R78, [releases, volumes]), []);
        // Only those names: a look-alike is still reported.
        const lookalike = { ...mutate(attachment, { policyArn: "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForEverything" }), name: "lookalike" };
        assert.deepEqual(await findings(R78, [lookalike]), [
            "lookalike: attaches the AWS-managed policy AmazonECSInfrastructureRolePolicyForEverything (arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForEverything); only service-role/ policies may be attached [finding managed-AmazonECSInfrastructureRolePolicyForEverything]",
        ]);
    });

    it("reports other AWS-managed policies on attachments, roles and exclusive attachments", async () => {
        const agent = mutate(attachment, { policyArn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" });
        const role = mutate(taskRole, { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"] });
        const exclusive: Fixture = { type: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", name: "exclusive", props: { roleName: "api-task-7f3a", policyArns: ["arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore"] } };
        assert.deepEqual(await findings(R78, [agent, role, exclusive]), [
            "api-task-cw-agent: attaches the AWS-managed policy CloudWatchAgentServerPolicy (arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy); only service-role/ policies may be attached [finding managed-CloudWatchAgentServerPolicy]",
            "api-task: attaches the AWS-managed policy ReadOnlyAccess (arn:aws:iam::aws:policy/ReadOnlyAccess); only service-role/ policies may be attached [finding managed-ReadOnlyAccess]",
            "exclusive: attaches the AWS-managed policy AmazonSSMManagedInstanceCore (arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore); only service-role/ policies may be attached [finding managed-AmazonSSMManagedInstanceCore]",
        ]);
    });
});

describe("S10 policies attached to users", () => {
    it("reports user policy attachments and legacy attachments naming users, also for users created elsewhere", async () => {
        const direct: Fixture = { type: "aws:iam/userPolicyAttachment:UserPolicyAttachment", name: "direct", props: { user: "alice", policyArn: `arn:aws:iam::${ACCOUNT}:policy/ops` } };
        const inline: Fixture = { type: "aws:iam/userPolicy:UserPolicy", name: "inline", props: { user: "bob", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::site-abc/*" }) } };
        const legacy: Fixture = { type: "aws:iam/policyAttachment:PolicyAttachment", name: "legacy", props: { policyArn: `arn:aws:iam::${ACCOUNT}:policy/ops`, users: ["carol"], roles: ["api-task-7f3a"] } };
        const rolesOnly: Fixture = { type: "aws:iam/policyAttachment:PolicyAttachment", name: "roles-only", props: { policyArn: `arn:aws:iam::${ACCOUNT}:policy/ops`, roles: ["api-task-7f3a"] } };
        assert.deepEqual(await findings(S10, [...COMPLIANT, direct, inline, legacy, rolesOnly]), [
            'direct: UserPolicyAttachment attaches a policy directly to IAM user "alice" [finding user-policy]',
            'inline: UserPolicy attaches a policy directly to IAM user "bob" [finding user-policy]',
            "legacy: PolicyAttachment attaches a policy directly to 1 IAM user(s) [finding user-policy]",
        ]);
    });
});

describe("IAM rules over a mixed graph", () => {
    it("fails exactly the non-compliant resources, per rule", async () => {
        const fixtures: Fixture[] = [
            ...COMPLIANT,
            withPolicy({ ...taskPolicy, name: "admin" }, { Effect: "Allow", Action: "*", Resource: "*" }),
            withPolicy({ ...taskPolicy, name: "s3-all" }, { Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::site-abc/*" }),
            mutate({ ...executionPolicy, name: "pass-any" }, { policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }) }),
            mutate({ ...attachment, name: "admin-attach" }, { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
            mutate({ ...executionRole, name: "open-trust" }, { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) }),
            { type: "aws:iam/user:User", name: "human", props: { name: "alice" } },
        ];
        const verdict = await verdictOf(IAM_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R21-iam-no-star-actions admin",
            "R22-iam-no-service-wildcards s3-all",
            "R23-iam-star-resource-allow-list admin",
            "R23-iam-star-resource-allow-list pass-any",
            "R24-iam-no-admin-managed-policies admin-attach",
            "R25-trust-policy-named-principals open-trust",
            "S10-iam-hygiene human",
        ]);
    });
});
