import * as assert from "assert/strict";
import { clearExemptions, exemptionsPolicy } from "../../policy/lib/exemptions";
import { R20, R65, S08, SECRET_RULES } from "../../policy/rules/secrets";
import { findings, mutate, verdictOf, type Fixture, UNKNOWN, ACCOUNT } from "../helpers/policy";

const KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0d1e2f3a-1111-2222-3333-444455556666`;
const MASTER_SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:rds!db-6f1e2d3c-AbCdEf`;
const APP_SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:webstack/db/app-XyZ123`;

// The managed-credential design: PostgreSQL with an RDS-managed master secret under the data key, an
// app-user secret rotated by Secrets Manager, and an RDS Proxy authenticating with both.
const db: Fixture = {
    type: "aws:rds/instance:Instance",
    name: "db-postgres",
    props: {
        id: "db-abc",
        identifier: "db-abc",
        arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:db-abc`,
        engine: "postgres",
        username: "webstack",
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: KEY_ARN,
        masterUserSecrets: [{ secretArn: MASTER_SECRET_ARN, kmsKeyId: KEY_ARN, secretStatus: "active" }],
    },
};
const replica: Fixture = {
    type: "aws:rds/instance:Instance",
    name: "db-replica",
    props: { id: "db-replica", identifier: "db-replica", arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:db-replica`, replicateSourceDb: "db-abc" },
};
const appSecret: Fixture = {
    type: "aws:secretsmanager/secret:Secret",
    name: "db-app-credentials",
    props: { id: APP_SECRET_ARN, arn: APP_SECRET_ARN, name: "webstack/db/app", kmsKeyId: KEY_ARN },
};
const rotation: Fixture = {
    type: "aws:secretsmanager/secretRotation:SecretRotation",
    name: "db-app-credentials-rotation",
    props: { secretId: APP_SECRET_ARN, rotationLambdaArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:rotate-pg`, rotationRules: { automaticallyAfterDays: 30 }, rotationEnabled: true },
};
const proxy: Fixture = {
    type: "aws:rds/proxy:Proxy",
    name: "db-proxy",
    props: {
        name: "db-proxy",
        engineFamily: "POSTGRESQL",
        requireTls: true,
        auths: [
            { authScheme: "SECRETS", iamAuth: "REQUIRED", secretArn: MASTER_SECRET_ARN },
            { authScheme: "SECRETS", iamAuth: "REQUIRED", secretArn: APP_SECRET_ARN },
        ],
    },
};
const cluster: Fixture = {
    type: "aws:rds/cluster:Cluster",
    name: "aurora",
    props: { id: "aurora-abc", clusterIdentifier: "aurora-abc", engine: "aurora-postgresql", masterUsername: "webstack", manageMasterUserPassword: true, masterUserSecretKmsKeyId: KEY_ARN },
};
const COMPLIANT = [db, replica, appSecret, rotation, proxy, cluster];

// The stack-credential design (the Database component's `credentials: "stack"`): a generated password written
// write-only to the instance and, in the same JSON as the rotation function needs, to a stack secret that a
// SecretRotation rotates; the proxy authenticates with that secret. Property dependencies carry the link.
const STACK_SECRET_ARN = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-master-49e549c-yz6vsC`;
const password: Fixture = { type: "random:index/randomPassword:RandomPassword", name: "db-master-password", props: { length: 40, special: false } };
const stackDb: Fixture = {
    type: "aws:rds/instance:Instance",
    name: "db-stack",
    props: { id: "db-stack", identifier: "db-stack", arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:db-stack`, engine: "postgres", username: "webstack_admin", passwordWo: "generated-40-chars", passwordWoVersion: 1 },
    propertyDependencies: { passwordWo: ["db-master-password"] },
};
const stackSecret: Fixture = { type: "aws:secretsmanager/secret:Secret", name: "db-master", props: { id: STACK_SECRET_ARN, arn: STACK_SECRET_ARN, name: "db-master-49e549c", kmsKeyId: KEY_ARN } };
const stackVersion: Fixture = {
    type: "aws:secretsmanager/secretVersion:SecretVersion",
    name: "db-master-version",
    props: { secretId: STACK_SECRET_ARN, secretStringWo: '{"password":"generated-40-chars"}', secretStringWoVersion: 1 },
    propertyDependencies: { secretId: ["db-master"], secretStringWo: ["db-stack", "db-master-password"] },
};
const stackRotation: Fixture = {
    type: "aws:secretsmanager/secretRotation:SecretRotation",
    name: "db-rotation",
    props: { secretId: STACK_SECRET_ARN, rotationLambdaArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:db-stack-rotation`, rotationRules: { automaticallyAfterDays: 30 }, rotationEnabled: true },
    propertyDependencies: { secretId: ["db-master"] },
};
const stackProxy: Fixture = {
    type: "aws:rds/proxy:Proxy",
    name: "db-stack-proxy",
    props: { name: "db-stack-proxy", engineFamily: "POSTGRESQL", requireTls: true, auths: [{ authScheme: "SECRETS", iamAuth: "REQUIRED", secretArn: STACK_SECRET_ARN }] },
    propertyDependencies: { auths: ["db-master"] },
};
const STACK_DESIGN = [password, stackDb, stackSecret, stackVersion, stackRotation, stackProxy];
const stackWithout = (f: Fixture) => STACK_DESIGN.filter((c) => c !== f);
/** As `pulumi preview` delivers a new stack: every ARN and id unknown, the links only in property dependencies. */
const atPreview = (fixtures: Fixture[]): Fixture[] =>
    fixtures.map((f) => {
        const unknown: Record<string, unknown> = {};
        for (const k of ["id", "arn", "secretId", "passwordWo", "secretStringWo", "rotationEnabled"]) if (k in f.props) unknown[k] = UNKNOWN;
        if (f.type === "aws:rds/proxy:Proxy") unknown.auths = [{ authScheme: "SECRETS", iamAuth: "REQUIRED", secretArn: UNKNOWN }];
        return mutate(f, unknown);
    });
const without = (f: Fixture) => COMPLIANT.filter((c) => c !== f);

describe("R20 secrets use a customer-managed key, RDS manages master passwords", () => {
    it("passes the Database component's resources (a replica takes no password)", async () => {
        assert.deepEqual(await findings(R20, COMPLIANT), []);
    });

    it("reports a secret under the AWS-managed key, by default or by alias ARN", async () => {
        const fixtures = [
            mutate(appSecret, { kmsKeyId: undefined }),
            mutate({ ...appSecret, name: "api-token" }, { kmsKeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:alias/aws/secretsmanager` }),
        ];
        assert.deepEqual(await findings(R20, fixtures), [
            `api-token: secret is encrypted with the AWS-managed key arn:aws:kms:eu-west-1:${ACCOUNT}:alias/aws/secretsmanager, not a customer-managed key [finding kms]`,
            "db-app-credentials: secret is encrypted with the AWS-managed key aws/secretsmanager (kmsKeyId is not set) [finding kms]",
        ]);
    });

    it("reports master passwords passed in plain, on instances and clusters, and leaves write-only ones to S08", async () => {
        const fixtures = [
            mutate(db, { manageMasterUserPassword: undefined, masterUserSecrets: undefined, password: "hunter2-but-longer" }),
            mutate({ ...db, name: "db-wo" }, { manageMasterUserPassword: false, passwordWo: "write-only-secret", passwordWoVersion: 1 }),
            mutate(cluster, { manageMasterUserPassword: undefined, masterPassword: "hunter2-but-longer" }),
            mutate({ ...cluster, name: "aurora-wo" }, { manageMasterUserPassword: undefined, masterPasswordWo: "write-only-secret", masterPasswordWoVersion: 1 }),
        ];
        assert.deepEqual(await findings(R20, fixtures), [
            'aurora: master password is passed in plain "masterPassword"; set manageMasterUserPassword: true, or pass it write-only in "masterPasswordWo" from a stack secret that a SecretRotation rotates [finding password]',
            'db-postgres: master password is passed in plain "password"; set manageMasterUserPassword: true, or pass it write-only in "passwordWo" from a stack secret that a SecretRotation rotates [finding password]',
        ]);
    });

    it("passes the stack-credential design (write-only password, stack secret under the key)", async () => {
        assert.deepEqual(await findings(R20, STACK_DESIGN), []);
    });

    it("reports an RDS-managed master secret under the AWS-managed key", async () => {
        assert.deepEqual(await findings(R20, [mutate(db, { masterUserSecretKmsKeyId: undefined }), mutate(cluster, { masterUserSecretKmsKeyId: "alias/aws/secretsmanager" })]), [
            "aurora: the RDS-managed master secret uses the AWS-managed key aws/secretsmanager (masterUserSecretKmsKeyId is not a customer-managed key) [finding master-secret-kms]",
            "db-postgres: the RDS-managed master secret uses the AWS-managed key aws/secretsmanager (masterUserSecretKmsKeyId is not a customer-managed key) [finding master-secret-kms]",
        ]);
    });

    it("decides during preview with a key known only after deploy (a stack key's ARN), and a generated password is still passed in", async () => {
        assert.deepEqual(await findings(R20, [mutate(appSecret, { kmsKeyId: UNKNOWN })]), []);
        const passed = await findings(R20, [mutate(db, { manageMasterUserPassword: undefined, password: UNKNOWN })]);
        assert.deepEqual(passed, [
            'db-postgres: master password is passed in plain "password"; set manageMasterUserPassword: true, or pass it write-only in "passwordWo" from a stack secret that a SecretRotation rotates [finding password]',
        ]);
    });
});

describe("S08 database credentials rotate", () => {
    it("passes RDS-managed masters and a proxy using the master secret and a rotated stack secret", async () => {
        assert.deepEqual(await findings(S08, COMPLIANT), []);
    });

    it("reports instances and clusters with a plain password, or one RDS does not manage, but not replicas", async () => {
        const fixtures = [
            ...without(db).filter((f) => f !== proxy && f !== cluster),
            mutate(db, { manageMasterUserPassword: undefined, masterUserSecrets: undefined, password: "static" }),
            mutate(cluster, { manageMasterUserPassword: false, masterPassword: "static" }),
            mutate({ ...db, name: "restored" }, { manageMasterUserPassword: undefined, masterUserSecrets: undefined, snapshotIdentifier: "snap-1" }),
            mutate({ ...cluster, name: "aurora-secondary" }, { manageMasterUserPassword: undefined, replicationSourceIdentifier: "arn:aws:rds:us-east-1:1:cluster:primary" }),
        ];
        assert.deepEqual(await findings(S08, fixtures), [
            'aurora: master password is passed in plain "masterPassword", which every update sets back after a rotation, so nothing rotates it [finding plain-password]',
            'db-postgres: master password is passed in plain "password", which every update sets back after a rotation, so nothing rotates it [finding plain-password]',
            "restored: master password is not managed by RDS (manageMasterUserPassword is not true), so nothing rotates it [finding unmanaged-credential]",
        ]);
    });

    it("reports a proxy secret that is not in the stack", async () => {
        const outside = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:hand-made-Q1w2E3`;
        const fixtures = [...without(proxy), mutate(proxy, { auths: [{ authScheme: "SECRETS", secretArn: outside }] })];
        assert.deepEqual(await findings(S08, fixtures), [
            `db-proxy: auth 1 uses secret ${outside}, which is neither a secret of this stack nor an RDS-managed master secret [finding auth-1]`,
        ]);
    });

    it("reports a proxy secret of the stack that nothing rotates (no rotation, or rotation disabled)", async () => {
        const expected = ['db-proxy: auth 2 uses secret "db-app-credentials", which no SecretRotation rotates [finding auth-2-rotation]'];
        assert.deepEqual(await findings(S08, without(rotation)), expected);
        assert.deepEqual(await findings(S08, [...without(rotation), mutate(rotation, { rotationEnabled: false })]), expected);
    });

    it("matches a rotation that names the secret by name", async () => {
        assert.deepEqual(await findings(S08, [...without(rotation), mutate(rotation, { secretId: "webstack/db/app" })]), []);
    });

    it("reports a proxy auth without a secret unless the proxy uses end-to-end IAM auth", async () => {
        const noSecret = mutate(proxy, { auths: [{ authScheme: "SECRETS", iamAuth: "REQUIRED" }] });
        assert.deepEqual(await findings(S08, [...without(proxy), noSecret]), ["db-proxy: auth 1 names no secret (secretArn is not set) [finding auth-1]"]);
        assert.deepEqual(await findings(S08, [...without(proxy), mutate(noSecret, { defaultAuthScheme: "IAM_AUTH" })]), []);
    });
});

describe("S08 with the stack-credential design", () => {
    it("passes a write-only password held by a rotated stack secret, and a proxy using that secret, in plan and preview", async () => {
        assert.deepEqual(await findings(S08, STACK_DESIGN), []);
        assert.deepEqual(await findings(S08, atPreview(STACK_DESIGN)), []);
    });

    it("passes when the password's deploy-time value is not reported back (write-only), by its dependencies and version", async () => {
        assert.deepEqual(await findings(S08, [...stackWithout(stackDb), mutate(stackDb, { passwordWo: undefined })]), []);
    });

    it("reports a write-only password no rotated secret holds: no rotation, rotation disabled, no secret version, a version of another value", async () => {
        const message = 'db-stack: master password is passed write-only in "passwordWo", but no rotated secret of this stack holds it (no SecretVersion of a Secret with a SecretRotation is computed from the same value) [finding unrotated-password]';
        const proxyMessage = 'db-stack-proxy: auth 1 uses secret "db-master", which no SecretRotation rotates [finding auth-1-rotation]';
        assert.deepEqual(await findings(S08, stackWithout(stackRotation)), [proxyMessage, message]);
        assert.deepEqual(await findings(S08, [...stackWithout(stackRotation), mutate(stackRotation, { rotationEnabled: false })]), [proxyMessage, message]);
        assert.deepEqual(await findings(S08, stackWithout(stackVersion)), [message]);
        const otherValue = { ...stackVersion, propertyDependencies: { secretId: ["db-master"], secretStringWo: ["db-stack"] } };
        assert.deepEqual(await findings(S08, [...stackWithout(stackVersion), otherValue]), [message]);
        assert.deepEqual(await findings(S08, atPreview(stackWithout(stackRotation))), [proxyMessage, message]);
    });

    it("reports a write-only password given as a literal (computed from nothing), and a plain password even beside a rotated secret", async () => {
        const literal = { ...stackDb, propertyDependencies: {} };
        assert.deepEqual(await findings(S08, [...stackWithout(stackDb), literal]), [
            'db-stack: master password is passed write-only in "passwordWo", but no rotated secret of this stack holds it (no SecretVersion of a Secret with a SecretRotation is computed from the same value) [finding unrotated-password]',
        ]);
        const plain = { ...mutate(stackDb, { passwordWo: undefined, passwordWoVersion: undefined, password: "generated-40-chars" }), propertyDependencies: { password: ["db-master-password"] } };
        assert.deepEqual(await findings(S08, [...stackWithout(stackDb), plain]), [
            'db-stack: master password is passed in plain "password", which every update sets back after a rotation, so nothing rotates it [finding plain-password]',
        ]);
    });

    it("reports a cluster's write-only password the same way", async () => {
        const wo = mutate(cluster, { manageMasterUserPassword: undefined, masterPasswordWo: "x", masterPasswordWoVersion: 1 });
        assert.deepEqual(await findings(S08, [wo]), [
            'aurora: master password is passed write-only in "masterPasswordWo", but no rotated secret of this stack holds it (no SecretVersion of a Secret with a SecretRotation is computed from the same value) [finding unrotated-password]',
        ]);
    });
});

describe("secret rules over a mixed graph", () => {
    it("fails exactly the non-compliant resources, per rule", async () => {
        const legacy = mutate({ ...db, name: "legacy-db" }, { id: "legacy", arn: "arn:aws:rds:eu-west-1:1:db:legacy", manageMasterUserPassword: undefined, masterUserSecrets: undefined, password: "static" });
        const plainSecret = mutate({ ...appSecret, name: "plain-secret" }, { id: "plain", arn: "plain", name: "plain", kmsKeyId: undefined });
        const badProxy = mutate({ ...proxy, name: "legacy-proxy" }, { name: "legacy-proxy", auths: [{ secretArn: "plain" }] });
        const verdict = await verdictOf(SECRET_RULES, [...COMPLIANT, legacy, plainSecret, badProxy]);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R20-secrets-cmk-and-managed-passwords legacy-db",
            "R20-secrets-cmk-and-managed-passwords plain-secret",
            "R65-secrets-rotate plain-secret",
            "S08-database-credentials-rotate legacy-db",
            "S08-database-credentials-rotate legacy-proxy",
        ]);
    });
});

describe("R65 every secret rotates within 90 days", () => {
    const apiKey: Fixture = mutate({ ...appSecret, name: "vendor-api-key" }, { id: "arn:vendor", arn: "arn:vendor", name: "webstack/vendor" });
    const rotationOf = (name: string, secretId: unknown, rules: object | undefined, extra: object = {}): Fixture =>
        mutate({ ...rotation, name }, { secretId, rotationRules: rules, ...extra });

    it("passes secrets rotated by days, by rate and by a monthly cron", async () => {
        const fixtures = [
            appSecret,
            rotation,
            apiKey,
            rotationOf("vendor-rotation", "arn:vendor", { scheduleExpression: "rate(12 hours)" }),
            mutate({ ...appSecret, name: "monthly" }, { id: "arn:monthly", arn: "arn:monthly" }),
            rotationOf("monthly-rotation", "arn:monthly", { scheduleExpression: "cron(0 4 1 * ? *)", duration: "3h" }),
        ];
        assert.deepEqual(await findings(R65, fixtures), []);
    });

    it("reports a secret never rotated, rotation disabled, and intervals longer than 90 days", async () => {
        const secretOf = (name: string) => mutate({ ...appSecret, name }, { id: `arn:${name}`, arn: `arn:${name}` });
        const fixtures = [
            apiKey,
            secretOf("disabled"),
            rotationOf("disabled-rotation", "arn:disabled", { automaticallyAfterDays: 30 }, { rotationEnabled: false }),
            secretOf("yearly"),
            rotationOf("yearly-rotation", "arn:yearly", { automaticallyAfterDays: 365 }),
            secretOf("rate"),
            rotationOf("rate-rotation", "arn:rate", { scheduleExpression: "rate(120 days)" }),
            secretOf("quarterly"),
            rotationOf("quarterly-rotation", "arn:quarterly", { scheduleExpression: "cron(0 4 1 */3 ? *)" }),
            secretOf("unset"),
            rotationOf("unset-rotation", "arn:unset", undefined),
        ];
        assert.deepEqual(await findings(R65, fixtures), [
            "disabled: disabled-rotation has rotation disabled (rotationEnabled is false) [finding rotation]",
            "quarterly: quarterly-rotation: schedule cron(0 4 1 */3 ? *) does not run every month, so rotation at least every 90 days cannot be confirmed [finding rotation-interval]",
            "rate: rate-rotation: schedule rate(120 days) rotates every 120 days, more than 90 [finding rotation-interval]",
            "unset: unset-rotation sets no rotation interval (neither rotationRules.automaticallyAfterDays nor scheduleExpression) [finding rotation-interval]",
            "vendor-api-key: secret is never rotated (no aws.secretsmanager.SecretRotation names it) [finding rotation]",
            "yearly: yearly-rotation rotates every 365 days (rotationRules.automaticallyAfterDays), more than 90 [finding rotation-interval]",
        ]);
    });

    it("takes an exemption for a secret that cannot rotate as advisory", async () => {
        const config = {
            "webstack-exemptions": {
                exemptions: [{ policy: "R65-secrets-rotate", finding: "rotation", target: "vendor-api-key", reason: "the vendor rotates this key by hand each quarter", expires: "2027-06-30" }],
            },
        };
        const pack = [exemptionsPolicy(() => SECRET_RULES.map((r) => r.name), () => new Date("2026-12-01")), ...SECRET_RULES];
        const verdict = await verdictOf(pack, [apiKey], config);
        clearExemptions(); // later analyses without the exemptions policy must not inherit this list
        assert.deepEqual(verdict.mandatory, []);
        assert.deepEqual(
            verdict.findings.filter((f) => f.policy === "R65-secrets-rotate").map((f) => f.message),
            ["exempted until 2027-06-30 (the vendor rotates this key by hand each quarter): secret is never rotated (no aws.secretsmanager.SecretRotation names it) [finding rotation]"],
        );
    });

    it("at preview, pairs rotations through secretId's dependencies and reads unset rotationEnabled as enabled", async () => {
        const s1 = mutate(appSecret, { id: UNKNOWN, arn: UNKNOWN });
        const s2 = mutate(apiKey, { id: UNKNOWN, arn: UNKNOWN });
        const r = { ...mutate(rotation, { secretId: UNKNOWN, rotationEnabled: UNKNOWN }), propertyDependencies: { secretId: ["db-app-credentials"] } };
        assert.deepEqual(await findings(R65, [s1, s2, r]), ["vendor-api-key: secret is never rotated (no aws.secretsmanager.SecretRotation names it) [finding rotation]"]);
    });
});
