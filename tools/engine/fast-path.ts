// What keeps an offline plan close to the cost of loading the provider SDK (bench/plan.sh measures it).
// tools/register.js installs the deferred SDK modules before anything loads the SDK; runProgram
// calls quietStacks() and plainStructs() around each run. test/tools/fast-path.test.ts notices when an
// SDK release moves what these hooks rely on.
import nodeModule from "module";
import * as path from "path";

type Load = (request: string, parent: NodeModule | undefined, isMain: boolean) => unknown;
const Module = nodeModule as unknown as { _load: Load; _resolveFilename(request: string, parent: NodeModule | undefined): string };

/** The SDK's own root (the engine's copy, which `--dir` programs share). */
export const SDK_ROOT = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

/**
 * Modules @pulumi/pulumi loads eagerly that an offline plan does not need: what only its function
 * serializer uses (the code of an `aws.lambda.CallbackFunction`), what only talks to a real engine
 * (gRPC), and APIs a program rarely touches. Each loads on first use.
 */
export const DEFERRED_SDK_MODULES = [
    // npm's arborist (~190 ms), to find the packages a serialized function's code needs
    { importer: "runtime/closure/codePaths.js", request: "@npmcli/arborist" },
    // package.json normalisation (~10 ms with its SPDX licence tables), for the packages found there
    { importer: "runtime/closure/codePaths.js", request: "normalize-package-data" },
    // the TypeScript compiler (~150 ms), to parse a serialized function's code
    { importer: "runtime/closure/parseFunction.js", request: "../../typescript-shim" },
    // the Automation API (with execa and its process helpers), for programs that drive the CLI
    { importer: "index.js", request: "./automation" },
    // the provider server, for components served to other languages
    { importer: "index.js", request: "./provider" },
    // gRPC (~30 ms) and its service stubs: the mock monitor answers in-process; the SDK reads gRPC's
    // status codes only on a failed call
    { importer: "runtime/settings.js", request: "@grpc/grpc-js" },
    { importer: "runtime/settings.js", request: "../proto/engine_grpc_pb" },
    { importer: "runtime/settings.js", request: "../proto/resource_grpc_pb" },
    { importer: "runtime/resource.js", request: "@grpc/grpc-js" },
    { importer: "runtime/invoke.js", request: "@grpc/grpc-js" },
    { importer: "errors.js", request: "@grpc/grpc-js" },
    { importer: "runtime/callbacks.js", request: "@grpc/grpc-js" },
    { importer: "runtime/callbacks.js", request: "../proto/callback_grpc_pb" },
    // OpenTelemetry, to pass trace context on gRPC calls to the engine
    { importer: "runtime/settings.js", request: "@opentelemetry/api" },
] as const;

/** Per deferred module: "deferred" (a stand-in was handed out), "loaded" (first used), or absent (never required). */
export const deferredState = new Map<string, "deferred" | "loaded">();

let deferring = false;

/**
 * Hands the SDK files in DEFERRED_SDK_MODULES a stand-in for each deferred module, which loads the
 * real one the first time anything reads from it. Call before the SDK loads (tools/register.js does).
 */
export function deferSdkModules(): void {
    if (deferring) return;
    deferring = true;
    const wanted = new Map(DEFERRED_SDK_MODULES.map((d) => [`${path.join(SDK_ROOT, d.importer)}\0${d.request}`, d.request]));
    const load = Module._load;
    Module._load = function (this: unknown, request: string, parent: NodeModule | undefined, isMain: boolean) {
        const key = parent?.filename ? `${parent.filename}\0${request}` : undefined;
        // Each importer gets its own stand-in until one of them loads the module.
        if (key !== undefined && wanted.has(key) && deferredState.get(request) !== "loaded") {
            let file: string | undefined;
            try {
                file = Module._resolveFilename(request, parent);
            } catch {
                // not installed: the real load reports it
            }
            if (file !== undefined && !require.cache[file]) {
                deferredState.set(request, "deferred");
                return lazyModule(() => {
                    deferredState.set(request, "loaded");
                    return load.call(this, request, parent, isMain);
                });
            }
        }
        return load.call(this, request, parent, isMain);
    } as Load;
}

/**
 * A stand-in for a module's exports that loads it on first use. It answers `__esModule` without
 * loading, so TypeScript's `__importStar(require(...))` keeps it as is; `default` is what that helper
 * would have made (the module itself unless it is an ES module).
 */
function lazyModule(load: () => unknown): object {
    let real: object | undefined;
    const target = (): object => (real ??= Object(load()) as object);
    return new Proxy(
        {},
        {
            get: (_, key) => {
                if (key === "__esModule") return true;
                const m = target() as Record<PropertyKey, unknown>;
                if (key === "default") return m.__esModule ? m.default : m;
                return Reflect.get(m, key);
            },
            has: (_, key) => key === "__esModule" || key === "default" || Reflect.has(target(), key),
            set: (_, key, value) => Reflect.set(target(), key, value),
            ownKeys: () => Reflect.ownKeys(target()),
            getOwnPropertyDescriptor: (_, key) => {
                const d = Reflect.getOwnPropertyDescriptor(target(), key);
                return d && { ...d, configurable: true }; // the stand-in itself has no properties to pin
            },
        },
    );
}

type Debuggable = { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };
type Callsites = { callsites: () => unknown[] };

let quiet = 0;
let originalDebuggable: Debuggable["debuggablePromise"] | undefined;
let originalCallsites: Callsites["callsites"] | undefined;
/** How many SDK promises and resources went through the quiet wrappers (tests check the SDK still calls them). */
export const quietStats = { promises: 0, resources: 0 };

/**
 * Stops the SDK's bookkeeping for the Pulumi service and the CLI's exit report, until the returned undo is
 * called: per promise (about 70 per resource) a stack trace, a leak-candidate entry and two chained promises,
 * used only to print promises leaked at exit (the engine's settle step finds unfinished work itself); and per
 * resource (`Resource.callsites`) an unlimited, source-mapped trace for the registration's source position,
 * which the mock monitor discards. Errors the program throws keep their full stacks. Nestable.
 */
export function quietStacks(): () => void {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const debuggable = require(path.join(SDK_ROOT, "runtime", "debuggable")) as Debuggable;
    const resource = (require(path.join(SDK_ROOT, "resource")) as { Resource: Callsites }).Resource;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const original = debuggable.debuggablePromise;
    if (quiet === 0 && typeof resource.callsites === "function") {
        originalCallsites = resource.callsites;
        resource.callsites = () => {
            quietStats.resources++;
            return [];
        };
    }
    if (typeof original !== "function") return () => {}; // moved in an SDK release: only slower (the test notices)
    if (quiet === 0) {
        try {
            // The promise itself: no stack, no leak-candidate bookkeeping, no two extra promises per call.
            debuggable.debuggablePromise = function <T>(p: Promise<T>): Promise<T> {
                quietStats.promises++;
                return p;
            };
        } catch {
            return () => {}; // a read-only export: only slower (the test notices)
        }
        originalDebuggable = original;
    }
    quiet++;
    let undone = false;
    return () => {
        if (undone) return;
        undone = true;
        if (--quiet === 0) {
            if (originalDebuggable) debuggable.debuggablePromise = originalDebuggable;
            if (originalCallsites) resource.callsites = originalCallsites;
            originalDebuggable = undefined;
            originalCallsites = undefined;
        }
    };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface StructClass {
    fromJavaScript(value: Record<string, unknown>): StructInstance;
    prototype: StructInstance;
    new (): StructInstance;
}
interface StructInstance {
    toJavaScript(): Record<string, Json>;
    getFieldsMap(noLazyCreate?: boolean): { set(key: string, value: unknown): void };
    serializeBinary(): Uint8Array;
    toObject(includeInstance?: boolean): unknown;
}
/** A struct's plain value, until something reads its protobuf fields. */
const PLAIN = Symbol("plain struct value");

/** A copy of a value as a protobuf Struct holds it; throws as `Value.fromJavaScript` does for anything else. */
function structCopy(value: unknown): Json {
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
    if (Array.isArray(value)) return value.map(structCopy);
    if (typeof value === "object") {
        const copy: Record<string, Json> = {};
        for (const key in value) copy[key] = structCopy((value as Record<string, unknown>)[key]);
        return copy;
    }
    throw new Error("Unexpected struct type.");
}

let plain = 0;
let originals: { from: StructClass["fromJavaScript"]; to: StructInstance["toJavaScript"]; fields: StructInstance["getFieldsMap"]; binary: StructInstance["serializeBinary"]; object: StructInstance["toObject"] } | undefined;

/**
 * Within a run, a protobuf Struct made from a JavaScript value keeps the value itself until something
 * reads its fields: the SDK turns every resource's inputs and outputs into a Struct for the monitor, and
 * the mock monitor (and the engine) turn them straight back, in the same process, which google-protobuf's
 * field-by-field conversion makes the largest single cost of registering a resource. Reading the fields,
 * or serializing the message, converts it for real first, so every use sees the same struct as without.
 * Nestable; returns the undo.
 */
export function plainStructs(): () => void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Struct = (require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [SDK_ROOT] })) as { Struct: StructClass }).Struct;
    if (plain === 0) {
        const proto = Struct.prototype;
        const saved = { from: Struct.fromJavaScript, to: proto.toJavaScript, fields: proto.getFieldsMap, binary: proto.serializeBinary, object: proto.toObject };
        originals = saved;
        type Plain = StructInstance & { [PLAIN]?: Record<string, Json> };
        /** Converts a plain struct for real, in place. */
        const materialize = (s: Plain) => {
            const value = s[PLAIN];
            if (value === undefined) return;
            s[PLAIN] = undefined;
            const real = saved.from.call(Struct, value);
            const fields = saved.fields.call(s, false);
            (saved.fields.call(real, false) as unknown as { forEach(cb: (v: unknown, k: string) => void): void }).forEach((v, k) => fields.set(k, v));
        };
        Struct.fromJavaScript = (value) => {
            const s = new Struct() as Plain;
            s[PLAIN] = structCopy(value) as Record<string, Json>;
            return s;
        };
        proto.toJavaScript = function (this: Plain) {
            const value = this[PLAIN];
            return value === undefined ? saved.to.call(this) : (structCopy(value) as Record<string, Json>);
        };
        proto.getFieldsMap = function (this: Plain, noLazyCreate?: boolean) {
            materialize(this);
            return saved.fields.call(this, noLazyCreate);
        };
        proto.serializeBinary = function (this: Plain) {
            materialize(this);
            return saved.binary.call(this);
        };
        proto.toObject = function (this: Plain, includeInstance?: boolean) {
            materialize(this);
            return saved.object.call(this, includeInstance);
        };
    }
    plain++;
    let undone = false;
    return () => {
        if (undone) return;
        undone = true;
        if (--plain === 0 && originals) {
            Struct.fromJavaScript = originals.from;
            Object.assign(Struct.prototype, { toJavaScript: originals.to, getFieldsMap: originals.fields, serializeBinary: originals.binary, toObject: originals.object });
            originals = undefined;
        }
    };
}
