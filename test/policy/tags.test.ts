import * as assert from "assert/strict";
import * as fs from "fs";
import { R19 } from "../../policy/rules/tags";
import { TAGGABLE_FILE, taggableTypes } from "../../tools/gen-taggable";
import { findings, mutate, type Fixture, PROD_TAGS, UNKNOWN } from "../helpers/policy";

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

    it("takes provider default tags (tagsAll) under the resource's own, and reads an unknown tagsAll at preview as no default tags", async () => {
        assert.deepEqual(await findings(R19, [mutate(bucket, { tags: { Name: "data" }, tagsAll: PROD_TAGS })]), []);
        assert.deepEqual(await findings(R19, [mutate(bucket, { tagsAll: UNKNOWN })]), []);
        assert.deepEqual(await findings(R19, [mutate(bucket, { tags: { ...PROD_TAGS, Owner: "" }, tagsAll: { ...PROD_TAGS, Stack: "" } })]), [
            "data: tag Owner is missing or empty [finding tag-Owner]",
        ]);
    });

    describe("auto scaling groups: the tag list, propagated at launch", () => {
        const list = (propagate: unknown, tags: Record<string, string> = PROD_TAGS) => Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: propagate }));
        const asg: Fixture = { type: "aws:autoscaling/group:Group", name: "api-hosts", props: { maxSize: 2, minSize: 1, tags: list(true) } };

        it("passes every required tag in the tags list or the deprecated tagsCollection, propagated", async () => {
            const collection = mutate(asg, { tags: undefined, tagsCollection: Object.entries(PROD_TAGS).map(([key, value]) => ({ key, value, propagate_at_launch: "true" })) });
            assert.deepEqual(await findings(R19, [asg, { ...collection, name: "legacy" }]), []);
        });

        it("reports missing tags and required tags not propagated to instances", async () => {
            const { Owner: _o, ...rest } = PROD_TAGS;
            assert.deepEqual(await findings(R19, [mutate(asg, { tags: [...list(true, { ...rest, Stack: "production" }).filter((t) => t.key !== "Stack"), { key: "Stack", value: "production", propagateAtLaunch: false }] })]), [
                "api-hosts: tag Owner is missing or empty [finding tag-Owner]",
                "api-hosts: tag Stack is not propagated to the instances the group launches (propagateAtLaunch is false) [finding propagate-Stack]",
            ]);
            assert.equal((await findings(R19, [mutate(asg, { tags: undefined })])).length, 5);
        });
    });

    describe("launch templates: the instances and volumes they launch", () => {
        const spec = (resourceType: string, tags: Record<string, string> = PROD_TAGS) => ({ resourceType, tags });
        const template: Fixture = { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "api-hosts", props: { tags: PROD_TAGS, tagSpecifications: [spec("instance"), spec("volume"), spec("network-interface", {})] } };

        it("passes tag specifications for instances and volumes carrying the required tags", async () => {
            assert.deepEqual(await findings(R19, [template]), []);
        });

        it("reports a kind launched untagged and a tag missing from a specification", async () => {
            const { CostCenter: _c, ...rest } = PROD_TAGS;
            assert.deepEqual(await findings(R19, [mutate(template, { tagSpecifications: [spec("instance", rest)] })]), [
                "api-hosts: instance tag CostCenter is missing or empty in tagSpecifications [finding instance-tag-CostCenter]",
                'api-hosts: launch template does not tag the volumes it launches (no tagSpecifications entry for resourceType "volume") [finding tag-specifications-volume]',
            ]);
        });
    });

    describe("ECS services: tags propagated to their tasks", () => {
        const service: Fixture = { type: "aws:ecs/service:Service", name: "api", props: { tags: PROD_TAGS, propagateTags: "SERVICE", enableEcsManagedTags: true } };

        it("passes propagateTags SERVICE or TASK_DEFINITION (ECS managed tags are not required)", async () => {
            assert.deepEqual(await findings(R19, [service, mutate({ ...service, name: "worker" }, { propagateTags: "TASK_DEFINITION", enableEcsManagedTags: undefined })]), []);
        });

        it("reports a service whose tasks get no tags", async () => {
            assert.deepEqual(await findings(R19, [mutate(service, { propagateTags: undefined }), mutate({ ...service, name: "worker" }, { propagateTags: "NONE" })]), [
                'api: service does not propagate tags to its tasks (propagateTags is null; use "SERVICE" or "TASK_DEFINITION") [finding propagate-tags]',
                'worker: service does not propagate tags to its tasks (propagateTags is "NONE"; use "SERVICE" or "TASK_DEFINITION") [finding propagate-tags]',
            ]);
        });
    });

    it("checks exactly the installed @pulumi/aws types that take tags (regenerate with tools/gen-taggable.ts)", () => {
        const committed = JSON.parse(fs.readFileSync(TAGGABLE_FILE, "utf8")) as string[];
        assert.deepEqual(committed, taggableTypes());
        assert.ok(committed.includes("aws:s3/bucketObjectv2:BucketObjectv2") && !committed.includes("aws:iam/rolePolicy:RolePolicy"));
    });
});
