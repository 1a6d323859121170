import * as assert from "assert/strict";
import * as fs from "fs";
import { R19 } from "../../policy/rules/tags";
import { TAGGABLE_FILE, taggableTypes } from "../../tools/gen-taggable";
import { findings, mutate, type Fixture, PROD_TAGS } from "../helpers/policy";

const bucket: Fixture = { type: "aws:s3/bucket:Bucket", name: "data", props: { bucket: "data-1", tags: PROD_TAGS } };

describe("R19 required tags", () => {
    it("passes a resource with every required tag", async () => {
        assert.deepEqual(await findings(R19, [bucket]), []);
    });

    it("reports one finding per missing or empty tag", async () => {
        const { Owner: _o, CostCenter: _c, ...rest } = PROD_TAGS;
        assert.deepEqual(await findings(R19, [mutate(bucket, { tags: { ...rest, Project: " " } })]), [
            "data: tag CostCenter is missing or empty [finding tag-CostCenter]",
            "data: tag Owner is missing or empty [finding tag-Owner]",
            "data: tag Project is missing or empty [finding tag-Project]",
        ]);
    });

    it("reports every tag of a taggable resource without tags", async () => {
        assert.equal((await findings(R19, [mutate(bucket, { tags: undefined })])).length, 5);
    });

    it("ignores types that take no tags", async () => {
        assert.deepEqual(await findings(R19, [{ type: "aws:iam/rolePolicy:RolePolicy", name: "p", props: {} }]), []);
    });

    it("checks exactly the installed @pulumi/aws types that take tags (regenerate with tools/gen-taggable.ts)", () => {
        const committed = JSON.parse(fs.readFileSync(TAGGABLE_FILE, "utf8")) as string[];
        assert.deepEqual(committed, taggableTypes());
        assert.ok(committed.includes("aws:s3/bucketObjectv2:BucketObjectv2") && !committed.includes("aws:iam/rolePolicy:RolePolicy"));
    });
});
