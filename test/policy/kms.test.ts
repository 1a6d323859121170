import * as assert from "assert/strict";
import { KMS_RULES, R15, R16, R76 } from "../../policy/rules/kms";
import { findings, mutate, verdictOf, type Fixture, ACCOUNT, UNKNOWN, doc } from "../helpers/policy";

const UNKNOWN_BOOLEAN = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";

// The key policy the Vpc component gives its flow-log key: account administers, the Logs service uses it under a condition.
const keyPolicy = doc(
    { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ["kms:Create*", "kms:Describe*", "kms:Put*"], Resource: "*" },
    {
        Sid: "CloudWatchLogsEncrypts",
        Effect: "Allow",
        Principal: { Service: "logs.eu-west-1.amazonaws.com" },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:*` } },
    },
);
const key: Fixture = {
    type: "aws:kms/key:Key",
    name: "network-flow-logs",
    props: { description: "network VPC flow logs", enableKeyRotation: true, deletionWindowInDays: 30, policy: keyPolicy },
};
const replica: Fixture = {
    type: "aws:kms/replicaKey:ReplicaKey",
    name: "dr-key",
    props: { primaryKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1`, description: "network VPC flow logs (DR replica)", deletionWindowInDays: 30, policy: keyPolicy },
};
const separatePolicy: Fixture = { type: "aws:kms/keyPolicy:KeyPolicy", name: "data-key-policy", props: { keyId: "key-1", policy: keyPolicy } };

describe("R15 KMS key lifecycle", () => {
    it("passes a rotating key with an explicit window, a replica and a key policy", async () => {
        assert.deepEqual(await findings(R15, [key, replica, separatePolicy]), []);
    });

    it("reports rotation off, a missing window and a bypassed lockout check", async () => {
        const f = mutate(key, { enableKeyRotation: undefined, deletionWindowInDays: undefined, bypassPolicyLockoutSafetyCheck: true });
        assert.deepEqual(await findings(R15, [f]), [
            "network-flow-logs: automatic key rotation is off (enableKeyRotation is not set) [finding rotation]",
            "network-flow-logs: bypassPolicyLockoutSafetyCheck is true, so a key policy that locks every principal out is accepted [finding lockout-check]",
            "network-flow-logs: deletionWindowInDays is not set (AWS silently uses 30 days); set it explicitly [finding deletion-window]",
        ]);
    });

    it("reports rotation explicitly disabled on a SYMMETRIC_DEFAULT key", async () => {
        assert.deepEqual(await findings(R15, [mutate(key, { enableKeyRotation: false, customerMasterKeySpec: "SYMMETRIC_DEFAULT" })]), [
            "network-flow-logs: automatic key rotation is off (enableKeyRotation is false) [finding rotation]",
        ]);
    });

    it("does not ask asymmetric, HMAC, custom key store or replica keys to rotate", async () => {
        const fixtures = [
            mutate({ ...key, name: "signing" }, { enableKeyRotation: undefined, customerMasterKeySpec: "ECC_NIST_P256", keyUsage: "SIGN_VERIFY" }),
            mutate({ ...key, name: "hmac" }, { enableKeyRotation: undefined, customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" }),
            mutate({ ...key, name: "hsm" }, { enableKeyRotation: undefined, customKeyStoreId: "cks-1" }),
            replica,
        ];
        assert.deepEqual(await findings(R15, fixtures), []);
    });

    it("reports a deletion window outside 7-30 days", async () => {
        assert.deepEqual(await findings(R15, [mutate(key, { deletionWindowInDays: 3 }), mutate({ ...replica }, { deletionWindowInDays: "30" })]), [
            'dr-key: deletionWindowInDays "30" is not a whole number of days from 7 to 30 [finding deletion-window]',
            "network-flow-logs: deletionWindowInDays 3 is not a whole number of days from 7 to 30 [finding deletion-window]",
        ]);
    });

    it("reports a bypassed lockout check on a separate KeyPolicy", async () => {
        assert.deepEqual(await findings(R15, [mutate(separatePolicy, { bypassPolicyLockoutSafetyCheck: true })]), [
            "data-key-policy: bypassPolicyLockoutSafetyCheck is true, so a key policy that locks every principal out is accepted [finding lockout-check]",
        ]);
    });

    it("cannot run when rotation is unknown during preview", async () => {
        assert.deepEqual(await findings(R15, [mutate(key, { enableKeyRotation: UNKNOWN_BOOLEAN })]), [
            "network-flow-logs: can't run policy 'R15-kms-key-lifecycle' during preview: boolean value at .enableKeyRotation can't be known during preview",
        ]);
    });
});

describe("R16 KMS key policy has no unconditioned public principal", () => {
    it("passes named and conditioned principals, and keys without a policy (the default key policy)", async () => {
        assert.deepEqual(await findings(R16, [key, replica, separatePolicy, mutate({ ...key, name: "default" }, { policy: undefined })]), []);
    });

    it('reports Principal "*" and AWS "*" without a Condition', async () => {
        const policy = doc(
            { Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" },
            { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Encrypt", Resource: "*" },
            { Sid: "SameAccountViaS3", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT } } },
        );
        assert.deepEqual(await findings(R16, [mutate(key, { policy })]), [
            'network-flow-logs: key policy statement 1 (Anyone) allows any principal ("*") without a Condition [finding Anyone/public-principal]',
            'network-flow-logs: key policy statement 2 allows any principal ("*") without a Condition [finding statement-2/public-principal]',
        ]);
    });

    it("reports Allow with NotPrincipal on a KeyPolicy given as an object, and accepts a Deny of *", async () => {
        const policy = {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/breakglass` }, Action: "kms:*", Resource: "*" },
                { Effect: "Deny", Principal: "*", Action: "kms:ScheduleKeyDeletion", Resource: "*" },
            ],
        };
        assert.deepEqual(await findings(R16, [mutate(separatePolicy, { policy })]), [
            "data-key-policy: key policy statement 1 allows everyone except its NotPrincipal without a Condition [finding statement-1/public-principal]",
        ]);
    });
});

describe("R76 KMS keys are described", () => {
    it("passes described keys and replicas, and a description known only after deploy", async () => {
        assert.deepEqual(await findings(R76, [key, replica, { ...mutate(key, { description: UNKNOWN }), name: "computed" }, separatePolicy]), []);
    });

    it("reports keys and replicas without a description or with a blank one", async () => {
        assert.deepEqual(await findings(R76, [mutate(key, { description: undefined }), mutate(replica, { description: "  " })]), [
            "dr-key: key has no description [finding description]",
            "network-flow-logs: key has no description [finding description]",
        ]);
    });
});

describe("KMS rules over a mixed graph", () => {
    it("fails exactly the non-compliant keys, per rule", async () => {
        const fixtures: Fixture[] = [
            key,
            replica,
            separatePolicy,
            mutate({ ...key, name: "no-rotation" }, { enableKeyRotation: false }),
            mutate({ ...key, name: "public" }, { policy: doc({ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }) }),
            mutate({ ...separatePolicy, name: "bypass" }, { bypassPolicyLockoutSafetyCheck: true }),
            mutate({ ...key, name: "signing" }, { enableKeyRotation: undefined, customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }),
        ];
        const verdict = await verdictOf(KMS_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R15-kms-key-lifecycle bypass",
            "R15-kms-key-lifecycle no-rotation",
            "R16-kms-policy-no-public-principal public",
        ]);
    });
});
