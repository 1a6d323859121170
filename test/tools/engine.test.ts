import * as assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
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
            runProgram({ dir: ROOT, stack: "staging", program: () => aws.ec2.getAmi({ owners: ["amazon"], mostRecent: true }) }),
            { message: "offline engine: no mock for provider function aws:ec2/getAmi:getAmi; add a realistic answer to tools/engine/functions.ts" },
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
