import * as fs from "fs";
import nodeModule from "module";
import * as path from "path";
import { pathToFileURL } from "url";
import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ConfigError } from "../../stacks/errors";
import { MASK, UNKNOWN, assetsIn, fromWire, type Graph, type RecordedResource } from "./graph";
import { OfflineMocks } from "./mocks";
import { ProgramError } from "./errors";
import { plainStructs, quietStacks } from "./fast-path";
import { StackOutputs } from "./stack-references";
import { catchFailures, drain, settle, workBaseline } from "./settle";
import { readProject, readStackConfig, withOverrides, type ProjectFile } from "./stack-files";
import { Transforms, type TransformableRequest } from "./transforms";

// Internal SDK entry point (not in the typings); test/tools/engine.test.ts notices if it moves. The Node.js
// host (cmd/run) runs every program through it: the root `pulumi:pulumi:Stack` resource is registered first,
// is the parent of every top-level resource, holds the legacy stack transformations, and gets the program's
// exports as its outputs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkStack = require("@pulumi/pulumi/runtime/stack") as { runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>; rootPulumiStackTypeName: string };
export const ROOT_STACK_TYPE = sdkStack.rootPulumiStackTypeName;
// The SDK's callback server (a gRPC server it starts for transforms, also under mocks); closed after each run.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkState = require("@pulumi/pulumi/runtime/state") as { getStore(): { callbacks?: { shutdown(): void } } };

export interface RunOptions {
    /** The Pulumi project folder (holds Pulumi.yaml and the stack files). */
    readonly dir: string;
    readonly stack: string;
    /** Another stack file to evaluate instead of `<dir>/Pulumi.<stack>.yaml`. */
    readonly configFile?: string;
    /** Config values to set or (with `undefined`) remove on top of the stack file, as written in YAML. */
    readonly overrides?: Readonly<Record<string, unknown>>;
    /** Run this instead of the project's entry module (component tests); it gets the stack's config too. */
    readonly program?: () => unknown;
    /** A JSON file of other stacks' outputs for `pulumi.StackReference` (see StackOutputs). */
    readonly stackOutputs?: string;
    /** Run as `pulumi preview` of a new stack: no ids, computed outputs unknown. */
    readonly preview?: boolean;
}

// Internal SDK view of an output: its value with knownness and secretness.
type OutputInternals = { promise(): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };

/**
 * Runs a Pulumi program on the SDK's mock runtime with a stack's config and records every resource
 * registration. Throws a ConfigError (naming the stack file actually used) for invalid config, and
 * any other failure of the program, the mocks or a registration as an Error.
 */
export async function runProgram(opts: RunOptions): Promise<Graph> {
    const project = readProject(path.resolve(opts.dir));
    const file = opts.configFile ? path.resolve(opts.configFile) : path.join(project.dir, `Pulumi.${opts.stack}.yaml`);
    const displayName = opts.configFile ?? `Pulumi.${opts.stack}.yaml`;
    const stackConfig = withOverrides(readStackConfig(project, file, displayName), opts.overrides ?? {});
    const region = stackConfig.config["aws:region"] ?? "us-east-1";

    const preview = opts.preview ?? false;
    const mocks = new OfflineMocks(region, preview, opts.stackOutputs ? StackOutputs.read(path.resolve(opts.stackOutputs)) : StackOutputs.none());
    await pulumi.runtime.setMocks(mocks, project.name, opts.stack, preview);
    pulumi.runtime.setAllConfig(stackConfig.config, [...stackConfig.secretKeys]);
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
    mocks.transforms.callbacks = () => monitor.transformCallbacks;
    const { resources, root } = record(monitor, mocks.transforms);

    const caught = catchFailures();
    const baseline = workBaseline();
    const loadedBefore = new Set(Object.keys(require.cache));
    const restoreResolution = shareSdk();
    // Like the CLI, the program runs in its project folder (relative asset paths, files read at run time,
    // the function serializer's package.json lookup); the caller's folder is restored afterwards.
    const cwd = process.cwd();
    if (project.esm && !opts.program) registerEsmHooks(); // before chdir: the hooks' thread preloads what this process did (-r ...), relative to the folder
    process.chdir(project.dir);
    // The SDK captures a stack for every promise (~70 per resource) and prints them only for a leaked
    // promise at exit; the program's own errors keep full, source-mapped stacks.
    const loudStacks = quietStacks();
    const protobufStructs = plainStructs();
    let exported: unknown;
    try {
        const program = opts.program;
        await sdkStack.runInPulumiStack(async () => (exported = program ? await program() : await runEntry(project)));
        await settle(baseline, () => resources.length);
        exported = await resolveOutputs(exported);
        await settle(baseline, () => resources.length);
    } catch (err) {
        caught.add(err);
        // The root stack's registration and outputs fail with the program, a little later: still caught here.
        await drain();
    } finally {
        loudStacks();
        protobufStructs();
        process.chdir(cwd);
        restoreResolution();
        caught.stop();
        sdkState.getStore().callbacks?.shutdown();
        forgetModulesSince(loadedBefore);
    }

    const configError = caught.failures.find((f) => ConfigError.isInstance(f.error));
    if (configError) throw new ConfigError((configError.error as ConfigError).issues, displayName);
    if (caught.failures.length > 0) throw new ProgramError(caught.failures);
    checkAssetPaths(resources, project.dir);
    checkUniqueUrns(resources);
    if (!root.resource) throw new Error(`the root stack resource ${ROOT_STACK_TYPE} was never registered`);
    return {
        project: project.name,
        stack: opts.stack,
        stackFile: displayName,
        region,
        preview,
        root: root.resource,
        resources,
        outputs: (exported ?? {}) as Record<string, unknown>,
    };
}

/** Loads the entry like the Pulumi Node.js host: a module, or a (default-)exported function whose result is the outputs. */
async function runEntry(project: ProjectFile): Promise<unknown> {
    const mod = project.esm
        ? ((await importEsm(project.entry)) as Record<string, unknown>)
        : // eslint-disable-next-line @typescript-eslint/no-require-imports
          (require(project.entry) as Record<string, unknown> | (() => unknown));
    const fn = typeof mod === "function" ? mod : typeof mod.default === "function" ? (mod.default as () => unknown) : undefined;
    return fn ? await fn() : mod;
}

let esmRuns = 0;
let esmHooks = false;
// A real dynamic import: TypeScript compiles `import()` to `require()` in this CommonJS module.
const dynamicImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

/** The engine's module hooks for ES-module projects, once per process. */
function registerEsmHooks(): void {
    if (esmHooks) return;
    nodeModule.register(pathToFileURL(path.join(__dirname, "esm-hooks.mjs")), { data: { engineUrl: pathToFileURL(__filename).href } });
    esmHooks = true;
}

/** Imports an ES-module entry through the engine's hooks, fresh for every run. */
async function importEsm(entry: string): Promise<unknown> {
    esmRuns += 1;
    return dynamicImport(`${pathToFileURL(entry).href}?webstack-run=${esmRuns}`);
}

/** The stack outputs as plain values; secrets masked. */
async function resolveOutputs(exported: unknown): Promise<Record<string, unknown>> {
    if (exported === null || typeof exported !== "object") return {};
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(exported)) {
        if (key === "__esModule" || typeof value === "function") continue;
        const output = pulumi.output(value) as unknown as OutputInternals;
        const [resolved, known, secret] = await Promise.all([output.promise(), output.isKnown, output.isSecret]);
        out[key] = secret ? MASK : known ? resolved : UNKNOWN;
    }
    return out;
}

/**
 * Resolves every `@pulumi/*` import (from the program or its own dependencies) to the engine's copy
 * first, so another project's program registers on the engine's mock runtime, not on a second SDK
 * instance that has none. Packages the engine lacks resolve as usual. Returns the undo.
 */
function shareSdk(): () => void {
    const Module = nodeModule as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
    const original = Module._resolveFilename;
    const shared = new Map<string, string | undefined>();
    let looking = false; // engineCopy's own require.resolve comes through here: resolve it as usual, not recursively
    Module._resolveFilename = function (request: string, ...rest: unknown[]) {
        if (request.startsWith("@pulumi/") && !looking) {
            if (!shared.has(request)) {
                looking = true;
                try {
                    shared.set(request, engineCopy(request));
                } finally {
                    looking = false;
                }
            }
            const resolved = shared.get(request);
            if (resolved) return resolved;
        }
        return original.call(this, request, ...rest);
    };
    return () => {
        Module._resolveFilename = original;
    };
}

function engineCopy(request: string): string | undefined {
    try {
        return require.resolve(request, { paths: [__dirname] });
    } catch {
        return undefined; // not installed in the engine: the program's own copy
    }
}

/** Program modules are evaluated afresh on every run; the SDK and providers (node_modules) stay loaded and shared. */
function forgetModulesSince(before: ReadonlySet<string>): void {
    for (const key of Object.keys(require.cache)) {
        if (!before.has(key) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[key];
    }
}

/** The engine hashes every file asset and archive before a preview: a missing path fails the deployment, so it fails the plan. */
function checkAssetPaths(resources: readonly RecordedResource[], dir: string): void {
    const failures = resources.flatMap((r) =>
        assetsIn(r.inputs).flatMap((a) => (a.path !== undefined && !fs.existsSync(path.resolve(dir, a.path)) ? [{ r, a }] : [])),
    );
    if (failures.length === 0) return;
    throw new ProgramError(
        failures.map(({ r, a }) => ({
            resource: `resource "${r.name}" [${r.type}]`,
            error: new Error(`${a.kind} ${a.path} does not exist (paths are relative to the project folder ${dir})`),
        })),
    );
}

/** The mock monitor accepts duplicate URNs that the real engine rejects. */
function checkUniqueUrns(resources: readonly RecordedResource[]): void {
    const seen = new Set<string>();
    for (const r of resources) {
        if (seen.has(r.urn)) throw new Error(`duplicate resource URN ${r.urn}: the Pulumi engine would reject this program`);
        seen.add(r.urn);
    }
}

// The slice of the mock monitor and its protobuf messages that the recorder reads.
interface PropertyDependencies {
    getUrnsList(): string[];
}
interface RegisterRequest extends TransformableRequest {
    getPropertydependenciesMap(): { forEach(cb: (v: PropertyDependencies, k: string) => void): void };
}
interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): Struct | undefined;
    setObject(value: Struct): void;
}
interface OutputsRequest {
    getUrn(): string;
    getOutputs(): unknown;
}
type Callback<T> = (err: Error | null, resp: T) => void;
interface Monitor {
    readonly transformCallbacks: ReadonlyMap<string, unknown>;
    newUrn(parent: string, type: string, name: string): string;
    registerResource(req: RegisterRequest, cb: Callback<RegisterResponse>): void;
    registerResourceOutputs(req: OutputsRequest, cb: Callback<unknown>): void;
}

const isRootStack = (urn: string) => urn.split("::")[2] === ROOT_STACK_TYPE;

/**
 * Wraps the mock monitor so every registration (with parent, dependencies and options) lands in the returned
 * list, after its transforms ran; the root stack resource is kept apart (`root`).
 */
/**
 * As the engine does, the outputs a resource lists in `additionalSecretOutputs` (the random provider's
 * `result`, a program's own choices) come back as secrets: the SDK then keeps them secret, and the graph
 * masks them.
 */
function markSecretOutputs(names: readonly string[], resp: RegisterResponse): void {
    const struct = resp.getObject();
    if (names.length === 0 || !struct) return;
    const state = struct.toJavaScript() as Record<string, unknown>;
    const secret = (value: unknown) =>
        isWireSecretValue(value) ? value : { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value };
    for (const name of names) if (name in state && state[name] !== undefined) state[name] = secret(state[name]);
    resp.setObject(Struct.fromJavaScript(state as Parameters<typeof Struct.fromJavaScript>[0]));
}

function isWireSecretValue(v: unknown): boolean {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

function record(monitor: Monitor, transforms: Transforms): { resources: RecordedResource[]; root: { resource?: RecordedResource } } {
    const resources: RecordedResource[] = [];
    const root: { resource?: RecordedResource } = {};
    const byUrn = new Map<string, RecordedResource>();
    const deserialize = (struct: unknown) => (struct ? fromWire((struct as { toJavaScript(): Record<string, unknown> }).toJavaScript()) : {});

    // Like the engine, a child of the root stack gets no `pulumi:pulumi:Stack$` prefix in its URN (the SDK's
    // own createUrn agrees); the mock monitor's newUrn would add it.
    const newUrn = monitor.newUrn.bind(monitor);
    monitor.newUrn = (parent, type, name) => newUrn(parent && isRootStack(parent) ? "" : parent, type, name);

    const registerNow = monitor.registerResource.bind(monitor);
    const register = (req: RegisterRequest, cb: Callback<RegisterResponse>) =>
        transforms.applyTo(req, monitor.newUrn(req.getParent(), req.getType(), req.getName())).then(
            () => registerNow(req, cb),
            (err: unknown) => cb(err as Error, undefined as unknown as RegisterResponse),
        );
    monitor.registerResource = (req, cb) =>
        void register(req, (err, resp) => {
            if (!err && resp) {
                markSecretOutputs(req.getAdditionalsecretoutputsList(), resp);
                const propertyDependencies: Record<string, string[]> = {};
                req.getPropertydependenciesMap().forEach((deps, prop) => (propertyDependencies[prop] = deps.getUrnsList()));
                const resource: RecordedResource = {
                    urn: resp.getUrn(),
                    type: req.getType(),
                    name: req.getName(),
                    custom: req.getCustom(),
                    parent: req.getParent() || undefined,
                    provider: req.getProvider() || undefined,
                    id: resp.getId() || undefined,
                    inputs: deserialize(req.getObject()),
                    outputs: deserialize(resp.getObject()),
                    dependencies: req.getDependenciesList(),
                    propertyDependencies,
                    protect: req.getProtect() ?? false,
                    retainOnDelete: req.getRetainondelete() ?? false,
                };
                if (resource.type === ROOT_STACK_TYPE && !resource.parent) root.resource = resource;
                else resources.push(resource);
                byUrn.set(resource.urn, resource);
            }
            cb(err, resp);
        });

    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) =>
        registerOutputs(req, (err, resp) => {
            const resource = byUrn.get(req.getUrn());
            if (!err && resource) resource.outputs = deserialize(req.getOutputs());
            cb(err, resp);
        });
    return { resources, root };
}
