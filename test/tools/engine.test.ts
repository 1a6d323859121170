import * as assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../tools/engine/graph";
import { runProgram } from "../../tools/engine/run";
import { SECRET_PLACEHOLDER } from "../../tools/engine/stack-files";
import { planJson, renderText } from "../../tools/plan/render";
import { ROOT } from "../helpers/engine";

function tempStackFile(body: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "webstack-engine-")), "Pulumi.dev.yaml");
    fs.writeFileSync(file, body);
    return file;
}

describe("offline engine", () => {
    it("replaces secure values by a placeholder, keeps them secret and never prints them", async () => {
        const file = tempStackFile("config:\n  aws:region: eu-west-1\n  webstack:token:\n    secure: AAABAKc1pHerCiphertext\n");
        const graph = await runProgram({
            dir: ROOT,
            stack: "dev",
            configFile: file,
            program: () => {
                const token = new pulumi.Config("webstack").requireSecret("token");
                new aws.ssm.Parameter("token", { type: "SecureString", value: token });
                return { token };
            },
        });
        const [param] = graph.resources.filter((r) => r.type === "aws:ssm/parameter:Parameter");
        assert.equal(graph.region, "eu-west-1");
        assert.equal(graph.outputs.token, "[secret]");
        for (const text of [renderText(graph, 1), JSON.stringify(planJson(graph, 1))]) {
            assert.ok(!text.includes("AAABAKc1pHerCiphertext"), "no ciphertext");
            assert.ok(!text.includes(SECRET_PLACEHOLDER), "no placeholder value");
        }
        assert.deepEqual((planJson(graph, 1) as { resources: { inputs: unknown }[] }).resources[0].inputs, {
            type: "SecureString",
            value: "[secret]",
        });
        assert.ok(param.inputs.value !== SECRET_PLACEHOLDER, "recorded in wire form, still wrapped as a secret");
    });

    it("answers provider functions in the region of an explicit provider", async () => {
        let zones: pulumi.Output<string[]> | undefined;
        await runProgram({
            dir: ROOT,
            stack: "staging",
            program: () => {
                const west = new aws.Provider("west", { region: "us-west-2" });
                zones = aws.getAvailabilityZonesOutput({}, { provider: west }).names;
            },
        });
        assert.deepEqual(await new Promise((resolve) => (zones as pulumi.Output<string[]>).apply(resolve)), [
            "us-west-2a",
            "us-west-2b",
            "us-west-2c",
            "us-west-2d",
        ]);
    });

    it("fails loudly, naming the token, on a provider function it has no answer for", async () => {
        await assert.rejects(
            runProgram({ dir: ROOT, stack: "staging", program: () => aws.ec2.getInstance({ instanceId: "i-0123456789abcdef0" }) }),
            { message: "offline engine: no mock for provider function aws:ec2/getInstance:getInstance; add a realistic answer to tools/engine/functions.ts" },
        );
    });

    it("rejects duplicate URNs, which the real engine would refuse", async () => {
        await assert.rejects(
            runProgram({
                dir: ROOT,
                stack: "staging",
                program: () => {
                    new aws.sqs.Queue("twice");
                    new aws.sqs.Queue("twice");
                },
            }),
            { message: "duplicate resource URN urn:pulumi:staging::webstack::aws:sqs/queue:Queue::twice: the Pulumi engine would reject this program" },
        );
    });

    it("records parents, dependencies and deterministic ids", async () => {
        const run = () =>
            runProgram({
                dir: ROOT,
                stack: "staging",
                program: () => {
                    const vpc = new aws.ec2.Vpc("v", { cidrBlock: "10.0.0.0/16" });
                    new aws.ec2.Subnet("s", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24" });
                },
            });
        const [a, b] = [await run(), await run()];
        const subnet = a.resources.find((r) => r.name === "s");
        const vpc = a.resources.find((r) => r.name === "v");
        assert.equal(subnet?.inputs.vpcId, vpc?.id);
        assert.match(String(vpc?.id), /^vpc-[0-9a-f]{17}$/);
        assert.deepEqual(subnet?.propertyDependencies.vpcId, [vpc?.urn]);
        assert.deepEqual(
            a.resources.map((r) => r.id),
            b.resources.map((r) => r.id),
        );
    });
});

describe("offline engine: preview mode and SDK internals", () => {
    it("records a preview as pulumi preview of a new stack sees it: no ids, computed outputs unknown, inputs and auto-names known", async () => {
        const graph = await runProgram({
            dir: ROOT,
            stack: "staging",
            preview: true,
            program: () => {
                const group = new aws.cloudwatch.LogGroup("logs", { retentionInDays: 30 });
                new aws.iam.RolePolicy("p", { role: "r", policy: pulumi.jsonStringify({ Statement: [{ Effect: "Allow", Action: "logs:PutLogEvents", Resource: group.arn }] }) });
                return { arn: group.arn, name: group.name };
            },
        });
        const group = graph.resources.find((r) => r.name === "logs");
        const policy = graph.resources.find((r) => r.name === "p");
        assert.equal(graph.preview, true);
        assert.equal(group?.id, undefined);
        assert.equal(group?.inputs.retentionInDays, 30);
        assert.match(String(group?.outputs.name), /^logs-[0-9a-f]{7}$/, "auto-names are known at preview");
        assert.equal(group?.outputs.arn, UNKNOWN);
        assert.equal(policy?.inputs.policy, UNKNOWN, "a document embedding an unknown ARN is unknown as a whole");
        assert.deepEqual(policy?.propertyDependencies.policy, [group?.urn]);
        assert.deepEqual(graph.outputs, { arn: UNKNOWN, name: group?.outputs.name });
        assert.match(renderText(graph, 1), /^ {2}arn: "\[unknown\]"$/m);
    });

    it("still finds the SDK internals it relies on (a release that moves them fails here, not silently)", () => {
        /* eslint-disable @typescript-eslint/no-require-imports */
        const settings = require("@pulumi/pulumi/runtime/settings") as Record<string, unknown>;
        const state = require("@pulumi/pulumi/runtime/state") as Record<string, unknown>;
        const stack = require("@pulumi/pulumi/runtime/stack") as Record<string, unknown>;
        /* eslint-enable @typescript-eslint/no-require-imports */
        // the root stack the CLI's Node.js host runs every program in
        assert.equal(typeof stack.runInPulumiStack, "function");
        assert.equal(stack.rootPulumiStackTypeName, "pulumi:pulumi:Stack");
        assert.equal(typeof (state.getStore as () => Record<string, unknown>)(), "object");
        // the mock monitor computes URNs in newUrn, keeps transforms by callback token and hands stack transforms to the mocks
        const mocksJs = fs.readFileSync(require.resolve("@pulumi/pulumi/runtime/mocks"), "utf8");
        assert.match(mocksJs, /newUrn\(parent, type, name\) \{/);
        assert.match(mocksJs, /this\.transformCallbacks\.set\(token, transform\)/);
        assert.match(mocksJs, /this\.mocks\.registerTransform\?\.\(transform\)/);
        assert.match(mocksJs, /this\.mocks\.registerInvokeTransform\?\.\(transform\)/);
        assert.match(mocksJs, /this\.newUrn\(req\.getParent\(\), req\.getType\(\), req\.getName\(\)\)/);
        assert.equal(typeof settings.waitForRPCs, "function");
        assert.equal(typeof state.getPendingResourceRegistrations, "function");
        assert.equal(typeof state.failPendingRegistration, "function");
        // resource.js must still fail registrations through the exported hook, so late failures name their resource
        const resourceJs = fs.readFileSync(require.resolve("@pulumi/pulumi/runtime/resource"), "utf8");
        assert.match(resourceJs, /state_1\.failPendingRegistration\(res, err\)/);
        assert.match(resourceJs, /pending\.phase = "inputs"/);
    });
});
