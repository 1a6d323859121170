// Real-world program shapes planned with `--dir` (fixtures in test/fixtures/programs): each plans
// completely or fails with exit 2 and a one-line cause; none reports a partial graph as success.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ProgramError } from "../../tools/engine/errors";
import { UNKNOWN, assetsIn, type Graph } from "../../tools/engine/graph";
import { requiredOutputs } from "../../tools/engine/outputs/schema";
import { runProgram } from "../../tools/engine/run";
import { evaluatePolicies } from "../../tools/policy/evaluate";
import { ROOT } from "../helpers/engine";
import { runPlan } from "../helpers/cli";

const FIXTURES = path.join(ROOT, "test", "fixtures", "programs");
const dir = (name: string) => path.join(FIXTURES, name);
const plan = (name: string, extra: Partial<Parameters<typeof runProgram>[0]> = {}) => runProgram({ dir: dir(name), stack: "dev", ...extra });

async function failure(run: Promise<Graph>): Promise<ProgramError> {
    const err = await run.then(
        () => undefined,
        (e: unknown) => e,
    );
    assert.ok(err instanceof ProgramError, `expected a ProgramError, got ${String(err)}`);
    return err;
}

describe("planning real-world programs (--dir)", () => {
    it("fails a resource whose input rejects after the top level returned, naming it and the cause", async () => {
        const err = await failure(plan("late-rejection"));
        assert.equal(err.message, 'resource "late" [aws:sqs/queue:Queue] (input name): error serializing property "name": the queue name could not be computed');
        assert.deepEqual(
            err.sourceFrames(dir("late-rejection")).map((f) => f.replace(FIXTURES, "<fixtures>")),
            ["at Timeout._onTimeout (<fixtures>/late-rejection/index.ts:4:73)"],
        );
    });

    it("fails on a provider function it cannot answer even when nobody uses the result", async () => {
        const err = await failure(plan("unused-function"));
        assert.equal(err.message, "offline engine: no mock for provider function aws:ec2/getInstanceType:getInstanceType; add a realistic answer to tools/engine/functions.ts");
    });

    it("fails when a callback Lambda's code archive cannot be built", async () => {
        const err = await failure(plan("broken-closure"));
        assert.match(err.message, /^resource "next-id" \[aws:lambda\/function:Function\] \(input code\): error serializing property "code": Error serializing 'async \(\) => ids\.next\(\)\.value'/);
    });

    it("fails on a file asset that does not exist, as the engine would when hashing it", async () => {
        const err = await failure(plan("missing-asset"));
        assert.equal(
            err.message,
            `resource "index" [aws:s3/bucketObjectv2:BucketObjectv2]: FileAsset ./www/missing.html does not exist (paths are relative to the project folder ${dir("missing-asset")})`,
        );
    });

    it("records callback Lambda code as an asset, the bucket notification the SDK registers on beforeExit, and a schedule", async () => {
        const graph = await plan("callback-lambda");
        const fn = graph.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "on-upload");
        const [code] = assetsIn(fn?.inputs.code);
        assert.equal(code.kind, "AssetArchive");
        const index = code.assets?.["__index.js"];
        assert.equal(index?.kind, "StringAsset");
        assert.match(String(index?.text), /console\.log\(greeting, event\.Records\?\.length\)/);
        assert.match(String(index?.text), /"object created"/, "the captured variable is serialized with the code");
        const notification = graph.resources.find((r) => r.type === "aws:s3/bucketNotification:BucketNotification");
        assert.equal(notification?.name, "on-upload");
        assert.equal(notification?.parent, graph.resources.find((r) => r.type === "aws:s3/bucket:Bucket")?.urn);
        assert.equal((notification?.inputs.lambdaFunctions as unknown[]).length, 1);
        // onSchedule: the rule, its target and the invoke permission for EventBridge, with the callback's code.
        const nightly = graph.resources.filter((r) => r.name === "nightly").map((r) => r.type);
        assert.deepEqual(nightly.sort(), [
            "aws:cloudwatch/eventRule:EventRule",
            "aws:cloudwatch/eventTarget:EventTarget",
            "aws:cloudwatch:EventRuleEventSubscription",
            "aws:iam/role:Role",
            "aws:lambda/function:Function",
            "aws:lambda/permission:Permission",
        ]);
        const scheduled = graph.resources.find((r) => r.name === "nightly" && r.type === "aws:lambda/function:Function");
        assert.match(String(assetsIn(scheduled?.inputs.code)[0].assets?.["__index.js"]?.text), /nightly run/);
        const permission = graph.resources.find((r) => r.name === "nightly" && r.type === "aws:lambda/permission:Permission");
        assert.equal(permission?.inputs.principal, "events.amazonaws.com");
    });

    it("runs an ES-module project (.js specifiers for .ts files, top-level await) afresh on every run", async () => {
        for (const _ of [1, 2]) {
            const graph = await plan("esm-project");
            assert.deepEqual(
                graph.resources.map((r) => `${r.type} ${r.name}`),
                ["aws:sqs/queue:Queue jobs"],
            );
            assert.equal(graph.region, "eu-west-1");
            assert.deepEqual(graph.outputs, { queue: "jobs-123456789012" });
        }
    });

    it("gives a multi-language component (awsx) a value for every output it declares, unknown at preview", async () => {
        const graph = await plan("awsx-component");
        const [vpc] = graph.resources;
        assert.deepEqual([graph.resources.length, vpc.type, vpc.custom], [1, "awsx:ec2:Vpc", false]);
        assert.deepEqual(requiredOutputs("awsx:ec2:Vpc").filter((o) => vpc.outputs[o] === undefined), []);
        assert.match(String(graph.outputs.vpcId), /^vpc-[0-9a-f]{17}$/);
        assert.ok(Array.isArray(graph.outputs.privateSubnetIds));
        const previewed = await plan("awsx-component", { preview: true });
        assert.deepEqual(previewed.outputs, { vpcId: UNKNOWN, privateSubnetIds: UNKNOWN });
    });

    it("runs the program inside the root stack, as the CLI does: pulumi:pulumi:Stack <project>-<stack>, parent of the top level, not part of child URNs", async () => {
        const graph = await plan("transforms");
        const { root } = graph;
        assert.deepEqual(
            [root.urn, root.type, root.name, root.custom, root.parent],
            ["urn:pulumi:dev::transforms::pulumi:pulumi:Stack::transforms-dev", "pulumi:pulumi:Stack", "transforms-dev", false, undefined],
        );
        assert.ok(!graph.resources.includes(root), "the program's resources (tree, counts, inventories) do not include the stack");
        assert.deepEqual(
            graph.resources.map((r) => [r.urn, r.parent === root.urn]),
            [
                ["urn:pulumi:dev::transforms::fixture:index:Team::payments", true],
                ["urn:pulumi:dev::transforms::aws:sqs/queue:Queue::jobs", true],
                ["urn:pulumi:dev::transforms::fixture:index:Team$aws:sqs/queue:Queue::payments-inbox", false],
            ],
        );
        // The program's exports are the stack's outputs; graph.outputs stays resolved.
        assert.deepEqual(root.outputs.jobs, graph.outputs.jobs);
        // Policies get it as under `pulumi preview`: stack policies see it as the top level's parent.
        const seen: string[] = [];
        await evaluatePolicies(graph, [
            {
                name: "probe",
                description: "records what a stack policy sees",
                validateStack: ({ resources }) => {
                    for (const r of resources) seen.push(`${r.type} ${r.name} parent=${r.parent?.name ?? "-"}`);
                },
            },
        ]);
        assert.deepEqual(seen, [
            "pulumi:pulumi:Stack transforms-dev parent=-",
            "fixture:index:Team payments parent=transforms-dev",
            "aws:sqs/queue:Queue jobs parent=transforms-dev",
            "aws:sqs/queue:Queue payments-inbox parent=payments",
        ]);
    });

    it("applies transforms as the engine does: legacy stack transformation (SDK), then the resource's own, its parents', the stack's; recorded and in the state", async () => {
        const graph = await plan("transforms");
        const tags = (name: string) => graph.resources.find((r) => r.name === name)?.inputs.tags;
        const jobs = {
            team: "core",
            owner: "platform",
            order: "stack-transformation>own>stack",
            tier: "batch",
            managedBy: "pulumi",
        };
        assert.deepEqual(tags("jobs"), jobs);
        assert.deepEqual(tags("payments-inbox"), {
            team: "payments",
            owner: "platform",
            order: "stack-transformation>parent>stack",
            costCenter: "cc-42",
            managedBy: "pulumi",
        });
        assert.deepEqual(graph.resources.find((r) => r.name === "jobs")?.outputs.tagsAll, jobs, "the mock computed the state from the transformed inputs");
        assert.deepEqual(graph.outputs, { jobs });
    });

    it("runs a component test's program in the root stack too; applies protect and retainOnDelete from a transform, and invoke transforms", async () => {
        let region: pulumi.Output<string> | undefined;
        const graph = await plan("transforms", {
            program: () => {
                pulumi.runtime.registerStackTransformation((args) => ({ props: { ...args.props, tags: { legacy: "yes" } }, opts: args.opts }));
                pulumi.runtime.registerResourceTransform((args) => ({ props: args.props, opts: { ...args.opts, protect: true, retainOnDelete: true, ignoreChanges: ["tags"] } }));
                pulumi.runtime.registerInvokeTransform((args) => ({ args: { ...args.args, region: "us-west-2" }, opts: args.opts }));
                new aws.sqs.Queue("kept");
                region = aws.getRegionOutput({}).name;
            },
        });
        const kept = graph.resources.find((r) => r.name === "kept");
        assert.deepEqual([kept?.protect, kept?.retainOnDelete, kept?.inputs.tags], [true, true, { legacy: "yes" }]);
        assert.equal(await new Promise((resolve) => (region as pulumi.Output<string>).apply(resolve)), "us-west-2");
    });

    it("fails a transform that changes an option the offline engine cannot apply, naming the resource and the option", async () => {
        const err = await failure(
            plan("transforms", {
                program: () => {
                    const west = new aws.Provider("west", { region: "us-west-2" });
                    new aws.sqs.Queue("jobs", {}, { transforms: [(args) => ({ props: args.props, opts: { ...args.opts, provider: west } })] });
                },
            }),
        );
        assert.equal(err.message, "failed to register new resource jobs [aws:sqs/queue:Queue]: a transform changes the provider option, which the offline engine cannot apply");
    });

    it("reads stack references from --stack-outputs, keeping secret outputs secret", async () => {
        const graph = await plan("stack-reference", { stackOutputs: path.join(dir("stack-reference"), "outputs.json") });
        assert.equal(graph.resources.find((r) => r.name === "app")?.inputs.vpcId, "vpc-0123456789abcdef0");
        assert.deepEqual(graph.outputs, { token: "[secret]" });
    });

    it("fails a stack reference without outputs with the flag to pass", async () => {
        const err = await failure(plan("stack-reference"));
        assert.match(
            err.message,
            /stack reference acme\/network\/prod: the offline engine needs that stack's outputs; pass --stack-outputs <file> with \{"acme\/network\/prod": <pulumi stack output --json>\}$/,
        );
    });

    it("runs the program in its project folder and restores the caller's", async () => {
        const before = process.cwd();
        const graph = await plan("relative-paths");
        assert.equal(process.cwd(), before);
        assert.equal(graph.resources.find((r) => r.type === "aws:s3/bucket:Bucket")?.inputs.bucket, "relative-paths-site");
        const sources = graph.resources.filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2").map((r) => assetsIn(r.inputs.source)[0]);
        assert.deepEqual(sources, [
            { kind: "FileAsset", path: "./www/index.html" },
            { kind: "FileArchive", path: "./www" },
        ]);
    });

    describe("the plan command", () => {
        it("exits 2 with the one-line cause for a late failure, and prints no graph", async () => {
            const { code, stdout, stderr } = await runPlan("--dir", dir("late-rejection"), "--stack", "dev");
            assert.equal(code, 2);
            assert.equal(stdout, "");
            assert.match(stderr, /^plan failed: resource "late" \[aws:sqs\/queue:Queue\] \(input name\): error serializing property "name": the queue name could not be computed\n {4}at /);
        });

        it("completes for a program that logs to stdout and stderr while they are pipes (the host's streams are not the program's work)", async () => {
            const project = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-logs-"));
            fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: logs\nruntime: nodejs\n");
            fs.writeFileSync(path.join(project, "Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n");
            fs.writeFileSync(
                path.join(project, "index.ts"),
                'console.log("to stdout");\nconsole.error("to stderr");\nexport {};\n',
            );
            const { code, stdout, stderr } = await runPlan("--dir", project, "--stack", "dev");
            assert.equal(code, 0, stderr);
            assert.match(stdout, /^to stdout\n/);
            assert.equal(stderr, "to stderr\n");
        });

        it("exits 1 for a stack file that is not YAML, with file, line, column and the parser's reason", async () => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "webstack-yaml-")), "Pulumi.staging.yaml");
            fs.writeFileSync(file, "config:\n  aws:region: us-east-1\n  webstack:site:\n    domain: [oops\n");
            const { code, stdout, stderr } = await runPlan("--config-file", file);
            assert.equal(code, 1);
            assert.equal(stdout, "");
            assert.equal(stderr, `${file}:5:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n`);
        });

        it("exits 2 with one line for a project of another runtime, a broken Pulumi.yaml or a missing stack file", async () => {
            const project = fs.mkdtempSync(path.join(os.tmpdir(), "webstack-dir-"));
            const pulumiYaml = path.join(project, "Pulumi.yaml");
            const cases: [string, string][] = [
                ["name: py\nruntime: python\n", `${pulumiYaml}: runtime is "python"; the offline engine runs Node.js programs (runtime: nodejs)\n`],
                ["name: [py\n", `${pulumiYaml}:2:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]\n`],
                ["name: js\nruntime:\n  name: nodejs\n", `stack file Pulumi.dev.yaml does not exist; stacks in ${project}: none\n`],
            ];
            fs.writeFileSync(path.join(project, "index.ts"), "export {};\n");
            for (const [body, expected] of cases) {
                fs.writeFileSync(pulumiYaml, body);
                const { code, stderr } = await runPlan("--dir", project, "--stack", "dev");
                assert.equal(code, 2, stderr);
                assert.equal(stderr, expected);
            }
        });
    });
});
