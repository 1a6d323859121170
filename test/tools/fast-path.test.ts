// The fast path (tools/register.js, tools/transpile-cache.js, tools/engine/fast-path.ts): what it
// relies on in the SDK is still there, it really avoids what it defers, deferred modules still work
// when used, and the transpile cache is never stale and never needed. No timings here: bench/plan.sh
// measures the speed.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFERRED_SDK_MODULES, SDK_ROOT, plainStructs, quietStacks, quietStats } from "../../tools/engine/fast-path";
import { runProgram } from "../../tools/engine/run";
import { planCommand, runNode } from "../helpers/cli";
import { ROOT } from "../helpers/engine";

const HOOKS = ["-r", "./tools/node-check.js", "-r", "./tools/register.js"];

function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Runs `node <hooks> <file>` with the transpile cache in `cache`; stderr ends with the cache's counters,
 * which count tools/engine/fast-path.ts (tools/register.js loads it) besides the program's files.
 */
async function runTs(file: string, cache: string, env: Record<string, string> = {}) {
    const result = await runNode([...HOOKS, file], { WEBSTACK_TRANSPILE_CACHE: cache, WEBSTACK_TRANSPILE_DEBUG: "1", ...env });
    const line = /transpile cache .*: (\{.*\})\n$/.exec(result.stderr);
    assert.ok(line, `no cache counters in: ${result.stderr}`);
    return { ...result, stats: JSON.parse(line[1]) as { hits: number; misses: number; writes: number; uncached: number; compilerLoaded: boolean } };
}

describe("fast path", () => {
    describe("one path for every run", () => {
        it("npm run plan and mocha load node-check first, then the fast path; the CLI tests spawn the plan script itself", () => {
            assert.deepEqual(planCommand(), [...HOOKS, "tools/plan.ts"]);
            const mocharc = JSON.parse(fs.readFileSync(path.join(ROOT, ".mocharc.json"), "utf8")) as { require: string[] };
            assert.deepEqual(mocharc.require, ["./tools/node-check.js", "./tools/register.js"]);
        });
    });

    describe("deferred SDK modules", () => {
        it("are still required at load time by the SDK files the hook intercepts (else the hook is dead code)", () => {
            for (const { importer, request } of DEFERRED_SDK_MODULES) {
                const source = fs.readFileSync(path.join(SDK_ROOT, importer), "utf8");
                const top = new RegExp(`^const (\\w+) = (?:__import(?:Star|Default)\\()?require\\("${request.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}"\\)\\)?;$`, "m").exec(source);
                assert.ok(top, `${importer} no longer requires ${request} at its top level: update DEFERRED_SDK_MODULES in tools/engine/fast-path.ts`);
                // The stand-in answers __esModule itself, so __importStar / __importDefault keep it: members (`.default` too), never the module called or constructed.
                const uses = source.match(new RegExp(`\\b${top[1]}\\b(?!\\s*=)[^\\w]?`, "g")) ?? [];
                assert.ok(uses.length >= 1, `${importer} does not use ${top[1]}`);
                assert.ok(!new RegExp(`(new\\s+${top[1]}\\s*\\(|\\b${top[1]}\\s*\\()`).test(source), `${importer} calls ${top[1]} itself`);
            }
            assert.match(fs.readFileSync(path.join(SDK_ROOT, "typescript-shim.js"), "utf8"), /require\("typescript"\)/);
        });

        it("are not loaded by a production plan", async () => {
            const report = path.join(tempDir("webstack-loaded-"), "report.js");
            fs.writeFileSync(
                report,
                `process.on("exit", () => {
                    const loaded = Object.keys(require.cache);
                    const { deferredState } = require(${JSON.stringify(path.join(ROOT, "tools/engine/fast-path.ts"))});
                    process.stderr.write("LOADED " + JSON.stringify({
                        state: Object.fromEntries(deferredState),
                        shim: loaded.some((f) => f.endsWith("typescript-shim.js")),
                        arborist: loaded.some((f) => f.includes("/@npmcli/arborist/")),
                    }) + "\\n");
                });`,
            );
            const args = planCommand();
            args.splice(args.indexOf("tools/plan.ts"), 0, "-r", report);
            const { code, stderr, stdout } = await runNode([...args, "--stack", "production"]);
            assert.ok(code === 0 || code === 3, `the plan completes (the verdict is the program tests' business): ${stderr}`);
            assert.match(stdout, /^Verdict: /m);
            const loaded = JSON.parse(/LOADED (.*)/.exec(stderr)?.[1] ?? "null");
            assert.deepEqual(loaded, {
                state: Object.fromEntries(DEFERRED_SDK_MODULES.map((d) => [d.request, "deferred"])),
                shim: false,
                arborist: false,
            });
        });

        it("still work when used: a callback Lambda's code is serialized, loading both", async () => {
            const script = `
                const { deferredState } = require("./tools/engine/fast-path.ts");
                const { runProgram } = require("./tools/engine/run.ts");
                const aws = require("@pulumi/aws");
                const before = Object.fromEntries(deferredState);
                runProgram({
                    dir: ".",
                    stack: "staging",
                    program: () => {
                        const greeting = "hello from the fast path";
                        new aws.lambda.CallbackFunction("greeter", { role: "arn:aws:iam::123456789012:role/greeter", callback: async () => greeting });
                    },
                }).then((graph) => {
                    const fn = graph.resources.find((r) => r.type === "aws:lambda/function:Function");
                    console.log(JSON.stringify({ before, after: Object.fromEntries(deferredState), code: JSON.stringify(fn && fn.inputs.code) }));
                }, (err) => { console.error(err.stack); process.exit(1); });`;
            const { code, stdout, stderr } = await runNode([...HOOKS, "-e", script]);
            assert.equal(code, 0, stderr);
            const out = JSON.parse(stdout) as { before: Record<string, string>; after: Record<string, string>; code: string };
            const serializer = ["@npmcli/arborist", "normalize-package-data", "../../typescript-shim"];
            assert.deepEqual(out.before, Object.fromEntries(DEFERRED_SDK_MODULES.map((d) => [d.request, "deferred"])));
            assert.deepEqual(out.after, Object.fromEntries(DEFERRED_SDK_MODULES.map((d) => [d.request, serializer.includes(d.request) ? "loaded" : "deferred"])));
            assert.match(out.code, /__index\.js/);
            assert.match(out.code, /hello from the fast path/);
        });
        it("still work when used: the Automation API, the provider server, gRPC's status codes, OpenTelemetry", async () => {
            const script = `
                const { deferredState } = require("./tools/engine/fast-path.ts");
                const pulumi = require("@pulumi/pulumi");
                const errors = require("@pulumi/pulumi/errors");
                const settings = require("@pulumi/pulumi/runtime/settings");
                const before = Object.fromEntries(deferredState);
                const used = {
                    automation: typeof pulumi.automation.LocalWorkspace.create,
                    provider: typeof pulumi.provider.main,
                    unavailable: errors.isGrpcError({ code: 14 }),
                    invalid: errors.isGrpcError({ code: 3 }),
                    client: typeof require("@pulumi/pulumi/proto/resource_grpc_pb").ResourceMonitorClient,
                };
                console.log(JSON.stringify({ before, used, after: Object.fromEntries(deferredState) }));`;
            const { code, stdout, stderr } = await runNode([...HOOKS, "-e", script]);
            assert.equal(code, 0, stderr);
            const out = JSON.parse(stdout) as { before: Record<string, string>; used: Record<string, unknown>; after: Record<string, string> };
            // Loading the SDK defers every one: nothing it runs on load reads from a stand-in.
            assert.deepEqual(out.before, Object.fromEntries(DEFERRED_SDK_MODULES.map((d) => [d.request, "deferred"])));
            assert.deepEqual(out.used, { automation: "function", provider: "function", unavailable: true, invalid: false, client: "function" });
            assert.equal(out.after["./automation"], "loaded");
            assert.equal(out.after["./provider"], "loaded");
            assert.equal(out.after["@grpc/grpc-js"], "loaded");
        });
    });

    describe("quietStacks", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const debuggable = require(path.join(SDK_ROOT, "runtime", "debuggable")) as {
            debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> & { _debugStackTrace?: string };
        };
        const trace = (p: Promise<unknown>) => (p as unknown as { _debugStackTrace?: string })._debugStackTrace;

        it("hands the SDK's promises back untouched (no stack, no leak bookkeeping) until undone, and nests", async () => {
            const original = debuggable.debuggablePromise;
            const watched = (value: number) => {
                const p = Promise.resolve(value);
                return { p, done: debuggable.debuggablePromise(p, `promise ${value}`) };
            };
            const undo = quietStacks();
            const undoInner = quietStacks();
            const quiet = watched(1);
            undoInner();
            const stillQuiet = watched(2);
            undo();
            undo(); // an undo twice is harmless
            const loud = watched(3);
            assert.equal(quiet.done, quiet.p, "the promise itself");
            assert.equal(trace(quiet.p), undefined, "no frames captured");
            assert.equal(stillQuiet.done, stillQuiet.p, "the outer quiet still holds");
            assert.equal(debuggable.debuggablePromise, original);
            assert.notEqual(loud.done, loud.p);
            assert.match(String(trace(loud.p)), /\n {4}at /);
            assert.deepEqual(await Promise.all([quiet.done, stillQuiet.done, loud.done]), [1, 2, 3]);
        });

        it("is what the SDK calls for its promises, while errors of the program keep their source-mapped stacks", async () => {
            const before = quietStats.promises;
            const resourcesBefore = quietStats.resources;
            const undo = quietStacks();
            let stack = "";
            try {
                await runProgram({
                    dir: ROOT,
                    stack: "staging",
                    program: () => {
                        new aws.sqs.Queue("quiet");
                        stack = new Error("from the program").stack ?? "";
                    },
                });
            } finally {
                undo();
            }
            assert.ok(quietStats.promises > before, "the SDK's promises went through the quiet wrapper");
            // The root stack and the queue: neither registration took a source-position trace.
            assert.equal(quietStats.resources - resourcesBefore, 2);
            const callsites = (pulumi.Resource as unknown as { callsites(): unknown[] }).callsites();
            assert.ok(callsites.length > 0, "undone: the SDK's own callsites again");
            assert.match(stack, new RegExp(`at (Object\\.)?program \\(${__filename.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:\\d+:\\d+\\)`));
        });
    });

    describe("plainStructs", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { Struct, Value } = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [SDK_ROOT] })) as {
            Struct: { fromJavaScript(v: unknown): { toJavaScript(): unknown; getFieldsMap(): { get(k: string): { toJavaScript(): unknown } | undefined }; serializeBinary(): Uint8Array } };
            Value: unknown;
        };
        const sample = { name: "api", port: 8080, ratio: 0.5, on: true, none: null, tags: { Owner: "platform" }, list: [1, "two", [3], { four: 4 }], "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

        it("keeps a struct's value until its fields are read, which then match google-protobuf's conversion, byte for byte", () => {
            const real = Struct.fromJavaScript(sample);
            const undo = plainStructs();
            try {
                const fast = Struct.fromJavaScript(sample);
                const value = fast.toJavaScript() as typeof sample;
                assert.deepEqual(value, real.toJavaScript());
                // Copies both ways, as the real conversion makes: neither side's later edits reach the other.
                value.tags.Owner = "changed";
                assert.equal((fast.toJavaScript() as typeof sample).tags.Owner, "platform");
                const input = { a: { b: 1 } };
                const made = Struct.fromJavaScript(input);
                input.a.b = 2;
                assert.deepEqual(made.toJavaScript(), { a: { b: 1 } });
                // Reading the fields or serializing converts for real.
                assert.equal(Struct.fromJavaScript(sample).getFieldsMap().get("port")?.toJavaScript(), 8080);
                assert.deepEqual(Struct.fromJavaScript(sample).serializeBinary(), real.serializeBinary());
                assert.deepEqual(fast.serializeBinary(), real.serializeBinary());
                assert.deepEqual(fast.toJavaScript(), real.toJavaScript(), "still the same value once converted");
                // What google-protobuf refuses, refused the same way.
                for (const bad of [{ x: undefined }, { f: () => 1 }, { n: 1n }]) assert.throws(() => Struct.fromJavaScript(bad), /^Error: Unexpected struct type\.$/);
            } finally {
                undo();
            }
            assert.equal(Struct.fromJavaScript(sample).getFieldsMap().get("name")?.toJavaScript(), "api", "undone: the real conversion again");
            assert.ok(Value, "google-protobuf's struct module as the SDK loads it");
        });

        it("nests, and is undone once the outermost run ends", () => {
            const original = Struct.fromJavaScript;
            const undo = plainStructs();
            const inner = plainStructs();
            inner();
            assert.notEqual(Struct.fromJavaScript, original, "the outer run still holds");
            undo();
            undo();
            assert.equal(Struct.fromJavaScript, original);
        });
    });

    describe("transpile cache", () => {
        it("reruns from the cache without the compiler, and never serves a stale output after an edit of the file, its tsconfig or what that extends", async () => {
            const dir = tempDir("webstack-transpile-");
            const cache = path.join(dir, "cache");
            fs.writeFileSync(path.join(dir, "base.json"), JSON.stringify({ compilerOptions: { target: "ES2022" } }));
            fs.writeFileSync(path.join(dir, "tsconfig.json"), '{\n  // comments and trailing commas, as tsc allows\n  "extends": "./base.json",\n  "compilerOptions": { "esModuleInterop": true, },\n}\n');
            fs.writeFileSync(path.join(dir, "lib.ts"), 'export const answer: number = 41;\n');
            const main = path.join(dir, "main.ts");
            fs.writeFileSync(main, 'import { answer } from "./lib";\nclass A { static x = 1; }\nconsole.log(answer, A.x, String(A).includes("static x"));\n');

            const cold = await runTs(main, cache);
            assert.equal(cold.stdout, "41 1 true\n");
            assert.deepEqual(cold.stats, { hits: 0, misses: 3, writes: 3, uncached: 0, compilerLoaded: true });
            const warm = await runTs(main, cache);
            assert.equal(warm.stdout, "41 1 true\n");
            assert.deepEqual(warm.stats, { hits: 3, misses: 0, writes: 0, uncached: 0, compilerLoaded: false });

            fs.writeFileSync(path.join(dir, "lib.ts"), 'export const answer: number = 42;\n');
            const edited = await runTs(main, cache);
            assert.equal(edited.stdout, "42 1 true\n");
            assert.deepEqual([edited.stats.hits, edited.stats.misses], [2, 1]);

            fs.writeFileSync(path.join(dir, "base.json"), JSON.stringify({ compilerOptions: { target: "ES2015" } })); // static fields compiled away
            const retargeted = await runTs(main, cache);
            assert.equal(retargeted.stdout, "42 1 false\n");
            assert.deepEqual([retargeted.stats.hits, retargeted.stats.misses], [1, 2]);
            assert.deepEqual(
                fs.readdirSync(cache).filter((f) => !f.endsWith(".js")),
                [],
                "no temporary files left",
            );
        });

        it("is never needed: an unusable cache folder, or none, only costs the compiler", async () => {
            const dir = tempDir("webstack-transpile-");
            const main = path.join(dir, "main.ts");
            fs.writeFileSync(main, "const n: number = 7;\nconsole.log(n * 6);\n");
            const blocked = path.join(dir, "a-file");
            fs.writeFileSync(blocked, "");
            for (const cache of [path.join(blocked, "cache"), "off"]) {
                const run = await runTs(main, cache);
                assert.equal(run.stdout, "42\n");
                assert.equal(run.code, 0);
                assert.equal(run.stats.hits, 0);
            }
        });

        it("is shared safely by processes filling it at the same time", async () => {
            const dir = tempDir("webstack-transpile-");
            const cache = path.join(dir, "cache");
            const main = path.join(dir, "main.ts");
            const lines = Array.from({ length: 200 }, (_, i) => `export const v${i}: string = "${"x".repeat(200)}${i}";`);
            fs.writeFileSync(main, `${lines.join("\n")}\nconsole.log(v199.slice(-3));\n`);
            const runs = await Promise.all(Array.from({ length: 4 }, () => runTs(main, cache)));
            for (const run of runs) assert.equal(run.stdout, "199\n", run.stderr);
            assert.deepEqual(fs.readdirSync(cache).length, 2, "main.ts and fast-path.ts, no temporary files");
            const again = await runTs(main, cache);
            assert.deepEqual([again.stdout, again.stats.hits, again.stats.misses], ["199\n", 2, 0]);
        });

        it("keeps stack traces on TypeScript lines, for require() and for an ESM loader hook using it, and reports syntax errors like ts-node", async () => {
            const dir = tempDir("webstack-transpile-");
            const cache = path.join(dir, "cache");
            const main = path.join(dir, "main.ts");
            // Interfaces and imports shift the JavaScript lines: only a source map gets line 8 right.
            fs.writeFileSync(
                main,
                [
                    'import * as path from "path";',
                    "interface Shape {",
                    "    readonly sides: number;",
                    "}",
                    "const shapes: Shape[] = [{ sides: 3 }];",
                    "function fail(shape: Shape): never {",
                    "    void path.sep;",
                    '    throw new Error(`no ${shape.sides}`);',
                    "}",
                    "try { fail(shapes[0]); } catch (err) { console.log((err as Error).stack); }",
                ].join("\n"),
            );
            for (const run of [await runTs(main, cache), await runTs(main, cache)]) {
                assert.match(run.stdout, new RegExp(`^Error: no 3\\n {4}at fail \\(${main}:8:11\\)\\n {4}at Object\\.<anonymous> \\(${main}:10:7\\)`));
            }

            // An ES module compiled by a loader hook with transpile(.., "module") maps the same way.
            const esm = path.join(dir, "esm");
            fs.mkdirSync(esm);
            fs.writeFileSync(path.join(esm, "package.json"), '{ "type": "module" }');
            fs.writeFileSync(path.join(esm, "main.ts"), fs.readFileSync(main, "utf8").replace("try {", "await Promise.resolve();\ntry {"));
            fs.writeFileSync(
                path.join(esm, "hooks.mjs"),
                `import { createRequire } from "node:module";
                import { readFile } from "node:fs/promises";
                import { fileURLToPath } from "node:url";
                const { transpile } = createRequire(import.meta.url)(${JSON.stringify(path.join(ROOT, "tools", "transpile-cache.js"))});
                export async function load(url, context, next) {
                    if (!/\\.ts(\\?|$)/.test(url)) return next(url, context);
                    const file = fileURLToPath(url.replace(/\\?.*$/, ""));
                    return { format: "module", source: transpile(await readFile(file, "utf8"), file, "module"), shortCircuit: true };
                }`,
            );
            const importer = `require("node:module").register(${JSON.stringify(`file://${esm}/hooks.mjs`)}); import(${JSON.stringify(`file://${esm}/main.ts?run=1`)});`;
            const imported = await runNode([...HOOKS, "-e", importer], { WEBSTACK_TRANSPILE_CACHE: cache });
            assert.match(imported.stdout, new RegExp(`^Error: no 3\\n {4}at fail \\(file://${esm}/main\\.ts\\?run=1:8:11\\)\\n {4}at file://${esm}/main\\.ts\\?run=1:11:7`), imported.stderr);

            const broken = path.join(dir, "broken.ts");
            fs.writeFileSync(broken, "const x: number = (1;\n");
            const failed = await runNode([...HOOKS, broken], { WEBSTACK_TRANSPILE_CACHE: cache });
            assert.equal(failed.code, 1);
            assert.match(failed.stderr, /TSError\]?: ⨯ Unable to compile TypeScript:\n.*broken\.ts\(1,21\): error TS1005: '\)' expected\./);
            assert.ok(!fs.readdirSync(cache).some((f) => fs.readFileSync(path.join(cache, f), "utf8").includes("const x")), "a failed file is not cached");
        });
    });
});
