import * as assert from "assert/strict";
import { ECR_RULES, R57, R58 } from "../../policy/rules/ecr";
import { ACCOUNT, UNKNOWN, doc, findings, mutate, verdictOf, type Fixture } from "../helpers/policy";

const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0d1e2f3a-1111-2222-3333-444455556666`;
const pull = (principal: unknown, condition?: object) => ({
    Sid: "Pull",
    Effect: "Allow",
    Principal: principal,
    Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    ...(condition ? { Condition: condition } : {}),
});
const LIFECYCLE = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 }, action: { type: "expire" } }] });

const repo: Fixture = {
    type: "aws:ecr/repository:Repository",
    name: "app",
    props: { name: "app-1a2b3c", imageTagMutability: "IMMUTABLE", encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY_ARN }] },
};
const repoPolicy: Fixture = { type: "aws:ecr/repositoryPolicy:RepositoryPolicy", name: "app-policy", props: { repository: "app-1a2b3c", policy: doc(pull({ AWS: `arn:aws:iam::${ACCOUNT}:role/deployer` })) } };
const registryPolicy: Fixture = {
    type: "aws:ecr/registryPolicy:RegistryPolicy",
    name: "registry",
    props: { policy: doc({ Sid: "Replicate", Effect: "Allow", Principal: { AWS: "arn:aws:iam::210987654321:root" }, Action: ["ecr:ReplicateImage"], Resource: "*" }) },
};
const lifecycle: Fixture = { type: "aws:ecr/lifecyclePolicy:LifecyclePolicy", name: "app-lifecycle", props: { repository: "app-1a2b3c", policy: LIFECYCLE } };
const template: Fixture = {
    type: "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
    name: "cache-template",
    props: { prefix: "dockerhub", appliedFors: ["PULL_THROUGH_CACHE"], encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEY_ARN }], lifecyclePolicy: LIFECYCLE },
};
const COMPLIANT = [repo, repoPolicy, registryPolicy, lifecycle, template];

describe("R57 ECR policies not public, customer-managed keys", () => {
    it("passes named principals and KMS encryption with a stack key", async () => {
        assert.deepEqual(await findings(R57, COMPLIANT), []);
    });

    it("reports public statements in repository, registry and template policies", async () => {
        const fixtures = [
            mutate(repoPolicy, { policy: doc(pull("*")) }),
            mutate(registryPolicy, { policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "ecr:ReplicateImage", Resource: "*" }] } }),
            mutate(template, { repositoryPolicy: doc(pull("*")) }),
            mutate({ ...repoPolicy, name: "org-only" }, { policy: doc(pull("*", { StringEquals: { "aws:PrincipalOrgID": "o-abc" } })) }),
        ];
        assert.deepEqual(await findings(R57, fixtures), [
            'app-policy: repository policy statement 1 (Pull) allows any principal ("*") without a Condition [finding Pull/public-principal]',
            'cache-template: template repository policy statement 1 (Pull) allows any principal ("*") without a Condition [finding Pull/public-principal]',
            'registry: registry policy statement 1 allows any principal ("*") without a Condition [finding statement-1/public-principal]',
        ]);
    });

    it("reports default AES256, KMS on the AWS-managed key, and a template without encryption", async () => {
        const fixtures = [
            mutate(repo, { encryptionConfigurations: undefined }),
            mutate({ ...repo, name: "aes" }, { encryptionConfigurations: [{ encryptionType: "AES256" }] }),
            mutate({ ...repo, name: "aws-key" }, { encryptionConfigurations: [{ encryptionType: "KMS" }] }),
            mutate({ ...repo, name: "alias" }, { encryptionConfigurations: [{ encryptionType: "KMS_DSSE", kmsKey: "alias/aws/ecr" }] }),
            mutate(template, { encryptionConfigurations: undefined }),
        ];
        assert.deepEqual(await findings(R57, fixtures), [
            'aes: repository encryptionType is "AES256", not KMS with a customer-managed key [finding kms]',
            "alias: repository uses the AWS-managed key alias/aws/ecr, not a customer-managed key [finding kms]",
            "app: repository sets no encryptionConfigurations, so images are encrypted with AES256 under an AWS-owned key, not a customer-managed KMS key [finding kms]",
            "aws-key: repository uses the AWS-managed key aws/ecr (encryptionType KMS without kmsKey) [finding kms]",
            "cache-template: template sets no encryptionConfigurations, so images are encrypted with AES256 under an AWS-owned key, not a customer-managed KMS key [finding kms]",
        ]);
    });

    it("at preview, a key known only after deploy is a customer-managed key", async () => {
        assert.deepEqual(await findings(R57, [mutate(repo, { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: UNKNOWN }] })]), []);
    });

    it("cannot run when the encryption type is known only after deploy", async () => {
        assert.deepEqual(await findings(R57, [mutate(repo, { encryptionConfigurations: [{ encryptionType: UNKNOWN, kmsKey: KEY_ARN }] })]), [
            "app: can't run policy 'R57-ecr-private-cmk' during preview: string value at .encryptionConfigurations can't be known during preview",
        ]);
    });
});

describe("R58 ECR lifecycle policies", () => {
    it("passes a repository with a lifecycle policy and a template carrying one", async () => {
        assert.deepEqual(await findings(R58, COMPLIANT), []);
    });

    it("reports a repository without a lifecycle policy, an empty policy, and a template without one", async () => {
        const fixtures = [
            repo,
            mutate({ ...repo, name: "empty" }, { name: "empty-9z" }),
            mutate({ ...lifecycle, name: "empty-lifecycle" }, { repository: "empty-9z", policy: JSON.stringify({ rules: [] }) }),
            mutate(template, { lifecyclePolicy: undefined }),
        ];
        assert.deepEqual(await findings(R58, fixtures), [
            "app: repository has no lifecycle policy (no aws.ecr.LifecyclePolicy names it) [finding lifecycle-policy]",
            "cache-template: repository creation template has no lifecyclePolicy with rules, so the repositories it creates keep every image [finding lifecycle-policy]",
            "empty: lifecycle policy empty-lifecycle has no rules [finding lifecycle-policy]",
        ]);
    });

    it("at preview, pairs a policy through repository's dependencies", async () => {
        const r = mutate(repo, { name: UNKNOWN });
        const other = mutate({ ...repo, name: "other" }, { name: UNKNOWN });
        const lp = { ...mutate(lifecycle, { repository: UNKNOWN, policy: UNKNOWN }), propertyDependencies: { repository: ["app"] } };
        assert.deepEqual(await findings(R58, [r, other, lp]), ["other: repository has no lifecycle policy (no aws.ecr.LifecyclePolicy names it) [finding lifecycle-policy]"]);
    });
});

describe("ECR rules over a mixed graph", () => {
    it("fails exactly the non-compliant resources", async () => {
        const fixtures = [...COMPLIANT, mutate({ ...repo, name: "bare" }, { name: "bare", encryptionConfigurations: undefined })];
        const verdict = await verdictOf(ECR_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), ["R57-ecr-private-cmk bare", "R58-ecr-lifecycle-policy bare"]);
    });
});
