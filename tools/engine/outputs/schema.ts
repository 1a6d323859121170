import * as fs from "fs";
import * as path from "path";

/**
 * What a provider package's generated SDK declares about a resource type or a provider function,
 * read from its `.d.ts` (property names and types) and `.js` (`/*out*\/` marks the provider-computed
 * properties). Read lazily, one file per type the program uses: the plan never scans the 1,700 modules
 * of @pulumi/aws. What was read is kept for the process and, per package version, on disk next to the
 * transpile cache (`node_modules/.cache/webstack-schema`), so later runs read no declaration again
 * (`WEBSTACK_TRANSPILE_CACHE=off` turns both off).
 */

/** The declared type of a property, as far as a fake value needs it. */
export type Shape =
    | { readonly kind: "string" | "number" | "boolean" | "object" | "unknown" }
    | { readonly kind: "array" | "map"; readonly of: Shape };

export interface Member {
    readonly name: string;
    readonly shape: Shape;
    /** Declared `| undefined` (class) or `?:` (interface): the provider may leave it absent. */
    readonly optional: boolean;
}

export interface ResourceDecl {
    /** Every output property of the resource class (`readonly x: pulumi.Output<T>`), `id`/`urn` aside. */
    readonly outputs: readonly Member[];
    /** Outputs only the provider computes (`resourceInputs["x"] = undefined /*out*\/`). */
    readonly computed: ReadonlySet<string>;
    /** Input names of the `Args` interface, to whether each is optional. */
    readonly args: ReadonlyMap<string, boolean>;
}

const resources = new Map<string, ResourceDecl | undefined>();
const results = new Map<string, readonly Member[] | undefined>();
const roots = new Map<string, string | undefined>();
const listings = new Map<string, readonly string[]>();

/** The declared outputs of a resource type token (`aws:rds/subnetGroup:SubnetGroup`), or undefined for a type with no SDK module (components, unknown packages). */
export function resourceDecl(token: string): ResourceDecl | undefined {
    if (!resources.has(token)) {
        const stored = diskCache(token)?.resources[token];
        resources.set(token, stored !== undefined ? fromStored(stored) : remember(token, "resources", readResource(token), toStored));
    }
    return resources.get(token);
}

/** The declared result fields of a provider function token (`aws:ec2/getAmi:getAmi`). */
export function functionResult(token: string): readonly Member[] | undefined {
    if (!results.has(token)) {
        const stored = diskCache(token)?.results[token];
        results.set(token, stored !== undefined ? (stored ?? undefined) : remember(token, "results", readResult(token), (r) => r));
    }
    return results.get(token);
}

function readResult(token: string): readonly Member[] | undefined {
    const file = moduleFile(token);
    const name = token.split(":")[2] ?? "";
    const text = file && readText(`${file}.d.ts`);
    const body = text && block(text, `export interface ${name[0].toUpperCase()}${name.slice(1)}Result {`);
    return body ? members(body, /^ {4}readonly (\w+)(\?)?: /gm) : undefined;
}

// --- the disk cache: one JSON file per package version ---------------------------------------------------

interface StoredDecl {
    readonly outputs: readonly Member[];
    readonly computed: readonly string[];
    readonly args: readonly (readonly [string, boolean])[];
}
/** Per token, what was read (null: nothing declared). */
interface PackageCache {
    readonly resources: Record<string, StoredDecl | null>;
    readonly results: Record<string, readonly Member[] | null>;
}

const CACHE_SETTING = process.env.WEBSTACK_TRANSPILE_CACHE;
const CACHE_DIR = path.resolve(__dirname, "..", "..", "..", "node_modules", ".cache", "webstack-schema");
const caches = new Map<string, { file: string; data: PackageCache; dirty: boolean } | undefined>();
let writeHooked = false;

const toStored = (d: ResourceDecl): StoredDecl => ({ outputs: d.outputs, computed: [...d.computed], args: [...d.args] });
const fromStored = (d: StoredDecl | null): ResourceDecl | undefined => (d ? { outputs: d.outputs, computed: new Set(d.computed), args: new Map(d.args) } : undefined);

/** The package's cache, keyed by its version (a new release is read afresh), or undefined when caching is off. */
function packageCache(token: string) {
    const pkg = token.startsWith("pulumi:providers:") ? token.split(":")[2] : token.split(":")[0];
    if (CACHE_SETTING === "off" || !pkg) return undefined;
    if (!caches.has(pkg)) {
        const root = packageRoot(pkg);
        const version = root ? (JSON.parse(readText(path.join(root, "package.json")) ?? "{}") as { version?: string }).version : undefined;
        if (!version) caches.set(pkg, undefined);
        else {
            const file = path.join(CACHE_DIR, `${pkg}@${version}.json`);
            let data: PackageCache = { resources: {}, results: {} };
            try {
                data = JSON.parse(fs.readFileSync(file, "utf8")) as PackageCache;
            } catch {
                // first run with this version (or an unreadable file): read the declarations
            }
            caches.set(pkg, { file, data, dirty: false });
        }
    }
    return caches.get(pkg);
}

function diskCache(token: string): PackageCache | undefined {
    return packageCache(token)?.data;
}

/** Keeps what was read for later runs (written once, when the process exits). */
function remember<T, S>(token: string, kind: keyof PackageCache, value: T | undefined, store: (v: T) => S): T | undefined {
    const cache = packageCache(token);
    if (cache) {
        (cache.data[kind] as Record<string, S | null>)[token] = value === undefined ? null : store(value);
        cache.dirty = true;
        if (!writeHooked) {
            writeHooked = true;
            process.once("exit", writeCaches);
        }
    }
    return value;
}

/** Writes the changed caches atomically (a rename), so parallel runs never read half a file. */
function writeCaches(): void {
    for (const cache of caches.values()) {
        if (!cache?.dirty) continue;
        try {
            fs.mkdirSync(CACHE_DIR, { recursive: true });
            const temp = `${cache.file}.${process.pid}.tmp`;
            fs.writeFileSync(temp, JSON.stringify(cache.data));
            fs.renameSync(temp, cache.file);
            cache.dirty = false;
        } catch {
            // a read-only node_modules: the next run reads the declarations again
        }
    }
}

/** The names of the declared outputs a resource must always have (not `| undefined`): what a deployed stack would show. */
export function requiredOutputs(token: string): string[] {
    return (resourceDecl(token)?.outputs ?? []).filter((m) => !m.optional).map((m) => m.name);
}

function readResource(token: string): ResourceDecl | undefined {
    const file = moduleFile(token);
    const dts = file && readText(`${file}.d.ts`);
    if (!file || !dts) return undefined;
    const type = token.startsWith("pulumi:providers:") ? "Provider" : token.split(":")[2];
    const cls = block(dts, `export declare class ${type} extends pulumi.`, "constructor(");
    if (!cls) return undefined;
    const outputs = members(cls, /^ {4}readonly (\w+)(\?)?: pulumi\.Output</gm, true);
    const js = readText(`${file}.js`) ?? "";
    const computed = new Set([...js.matchAll(/resourceInputs\["(\w+)"\] = undefined \/\*out\*\//g)].map((m) => m[1]));
    const argsBody = block(dts, `export interface ${type}Args {`) ?? "";
    const args = new Map(members(argsBody, /^ {4}(\w+)(\?)?: /gm).map((m) => [m.name, m.optional] as const));
    return { outputs, computed, args };
}

/**
 * The module file (without extension) of a token: `pkg:mod/file:Type` lives in `@pulumi/pkg/mod/file`,
 * `pkg:mod:Type` (awsx style) in `mod/type`, `index` is the package root, and `pulumi:providers:pkg` is
 * the package's `provider` module. A few generated files differ from the token in case only.
 */
function moduleFile(token: string): string | undefined {
    const [pkg, mod, type] = token.split(":");
    if (!pkg || !mod || !type) return undefined;
    const isProvider = pkg === "pulumi" && mod === "providers";
    const root = packageRoot(isProvider ? type : pkg);
    if (!root) return undefined;
    const [dir, file] = isProvider ? ["index", "provider"] : mod.includes("/") ? mod.split("/") : [mod, type[0].toLowerCase() + type.slice(1)];
    const folder = dir === "index" ? root : path.join(root, dir);
    if (!listings.has(folder)) listings.set(folder, safeList(folder));
    const match = listings.get(folder)!.find((f) => f.toLowerCase() === `${file.toLowerCase()}.d.ts`);
    return match ? path.join(folder, match.slice(0, -".d.ts".length)) : undefined;
}

function packageRoot(pkg: string): string | undefined {
    if (!roots.has(pkg)) {
        try {
            roots.set(pkg, path.dirname(require.resolve(`@pulumi/${pkg}/package.json`, { paths: [__dirname] })));
        } catch {
            roots.set(pkg, undefined); // not installed: generic values only
        }
    }
    return roots.get(pkg);
}

function safeList(dir: string): string[] {
    try {
        return fs.readdirSync(dir);
    } catch {
        return [];
    }
}

function readText(file: string): string | undefined {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return undefined;
    }
}

/** The text from `start` to `end` (or to the closing brace of the block `start` opens). */
function block(text: string, start: string, end?: string): string | undefined {
    const at = text.indexOf(start);
    if (at < 0) return undefined;
    const from = at + start.length;
    if (end) {
        const to = text.indexOf(end, from);
        return to < 0 ? undefined : text.slice(from, to);
    }
    const close = text.indexOf("\n}", from);
    return close < 0 ? undefined : text.slice(from, close);
}

/** Members found by `start` (name, optional mark), each typed by the text up to its `;` (or, for outputs, the `>` closing `pulumi.Output<`). */
function members(text: string, start: RegExp, output = false): Member[] {
    const found: Member[] = [];
    for (const m of text.matchAll(start)) {
        const raw = typeText(text, m.index! + m[0].length, output ? ">" : ";");
        const optional = m[2] === "?" || /\|\s*undefined\s*$/.test(raw);
        found.push({ name: m[1], shape: shapeOf(raw.replace(/\|\s*undefined\s*$/, "")), optional });
    }
    return found;
}

/** The type text from `from` to the first `stop` outside brackets. */
function typeText(text: string, from: number, stop: string): string {
    let depth = 0;
    for (let i = from; i < text.length; i++) {
        const c = text[i];
        if (depth === 0 && c === stop) return text.slice(from, i).trim();
        if ("<{([".includes(c)) depth++;
        else if (">})]".includes(c) && !(c === ">" && text[i - 1] === "=")) depth--;
    }
    return text.slice(from).trim();
}

function shapeOf(raw: string): Shape {
    const t = raw.trim();
    if (t.endsWith("[]")) return { kind: "array", of: shapeOf(t.slice(0, -2).replace(/^\((.*)\)$/s, "$1")) };
    if (t.startsWith("{")) {
        const value = /\[key: string\]:\s*([^;]+);/.exec(t);
        return { kind: "map", of: shapeOf(value ? value[1] : "unknown") };
    }
    if (t.startsWith("outputs.") || t.startsWith("inputs.")) return { kind: "object" };
    if (/\bstring\b/.test(t) || t.startsWith("enums.")) return { kind: "string" };
    if (/\bnumber\b/.test(t)) return { kind: "number" };
    if (/\bboolean\b/.test(t)) return { kind: "boolean" };
    return { kind: "unknown" };
}
