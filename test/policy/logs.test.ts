import * as assert from "assert/strict";
import { LOG_RULES, R17 } from "../../policy/rules/logs";
import { findings, mutate, verdictOf, type Fixture } from "../helpers/policy";

const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/0d1e2f3a-1111-2222-3333-444455556666";

// The Vpc component's flow-log group: a retention from stack config and the flow-log key.
const logGroup: Fixture = { type: "aws:cloudwatch/logGroup:LogGroup", name: "network-flow-logs", props: { retentionInDays: 90, kmsKeyId: KEY_ARN } };

describe("R17 log group retention and KMS", () => {
    it("passes a log group with retention and a key", async () => {
        assert.deepEqual(await findings(R17, [logGroup]), []);
    });

    it("reports a log group with neither retention nor key", async () => {
        assert.deepEqual(await findings(R17, [mutate(logGroup, { retentionInDays: undefined, kmsKeyId: undefined })]), [
            "network-flow-logs: kmsKeyId is not set, so the log group is not encrypted with a customer-managed KMS key [finding kms]",
            "network-flow-logs: retentionInDays is not set, so the logs never expire [finding retention]",
        ]);
    });

    it("reports retention 0 (never expire)", async () => {
        assert.deepEqual(await findings(R17, [mutate(logGroup, { retentionInDays: 0 })]), [
            "network-flow-logs: retentionInDays 0 means the logs never expire; set a positive number of days [finding retention]",
        ]);
    });

    it("reports as advisory when the stack config lowers the MP rule (staging)", async () => {
        const verdict = await verdictOf(LOG_RULES, [mutate(logGroup, { kmsKeyId: undefined })], { [R17.name]: "advisory" });
        assert.deepEqual(verdict.mandatory, []);
        assert.equal(verdict.advisory.length, 1);
    });

    it("cannot run when retention is unknown during preview", async () => {
        assert.deepEqual(await findings(R17, [mutate(logGroup, { retentionInDays: UNKNOWN_NUMBER })]), [
            "network-flow-logs: can't run policy 'R17-log-group-retention-and-kms' during preview: number value at .retentionInDays can't be known during preview",
        ]);
    });
});

describe("log rules over a mixed graph", () => {
    it("fails exactly the non-compliant log groups", async () => {
        const fixtures: Fixture[] = [
            logGroup,
            { ...logGroup, name: "api-logs" },
            mutate({ ...logGroup, name: "forever" }, { retentionInDays: undefined }),
            mutate({ ...logGroup, name: "plain" }, { kmsKeyId: "" }),
        ];
        const verdict = await verdictOf(LOG_RULES, fixtures);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), [
            "R17-log-group-retention-and-kms forever",
            "R17-log-group-retention-and-kms plain",
        ]);
    });
});
