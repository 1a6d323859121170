// Runs the project's TypeScript the way ts-node's transpile-only mode does, without paying for the
// TypeScript compiler on every run: each file's JavaScript is kept in node_modules/.cache keyed by
// everything the output depends on (the file's path and content, the compiler's version, the tsconfig
// chain's text and this file's own code), so a cached output is never stale. The compiler is loaded
// only on a miss. The cache is an optimisation only: when it cannot be read or written, files are
// transpiled in memory as before.
//
// Stack traces keep pointing at the TypeScript source: every output carries an inline source map, and
// Error.prepareStackTrace maps the frames of the files compiled here (and only those: other frames
// cost one Map lookup).
"use strict";
const { Buffer } = require("buffer");
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const { fileURLToPath } = require("url");
const { parse: parseJsonc } = require("jsonc-parser"); // tsconfig's syntax: JSON with comments and trailing commas

const ROOT = path.resolve(__dirname, "..");
const DEFAULT_CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "webstack-transpile");
/** The tsconfig of this repository: used for files with none of their own (as ts-node did). */
const FALLBACK_TSCONFIG = path.join(ROOT, "tsconfig.json");
const MAX_ENTRIES = 2000;

/** What this process did, for tests and WEBSTACK_TRANSPILE_DEBUG. */
const stats = { hits: 0, misses: 0, writes: 0, uncached: 0, compilerLoaded: false };

const setting = process.env.WEBSTACK_TRANSPILE_CACHE; // a folder, or "off"
let cacheDir = setting === "off" ? null : setting ? path.resolve(setting) : DEFAULT_CACHE_DIR;
let salt; // this file's code + the compiler's identity
let ts; // the compiler, loaded on the first miss
const compiled = new Map(); // file -> emitted JavaScript (for its source map, parsed on demand)
const sourceMaps = new Map(); // file -> module.SourceMap | null
const tsconfigForDir = new Map(); // dir -> tsconfig path
const configs = new Map(); // tsconfig path -> { key, cacheable, options? }

function hash(text) {
    return crypto.createHash("sha256").update(text).digest("hex");
}

function compilerPackage() {
    return require.resolve("typescript/package.json", { paths: [ROOT] });
}

function saltOnce() {
    if (salt === undefined) {
        const pkg = compilerPackage();
        const version = JSON.parse(fs.readFileSync(pkg, "utf8")).version;
        salt = hash(`${fs.readFileSync(module.filename, "utf8")}\0${pkg}\0${version}`);
    }
    return salt;
}

function compiler() {
    if (!ts) {
        ts = require(path.dirname(compilerPackage()));
        stats.compilerLoaded = true;
    }
    return ts;
}

/** The nearest tsconfig.json above `dir`, else this repository's. */
function tsconfigFor(dir) {
    let found = tsconfigForDir.get(dir);
    if (found === undefined) {
        const candidate = path.join(dir, "tsconfig.json");
        const parent = path.dirname(dir);
        found = fs.existsSync(candidate) ? candidate : parent === dir ? FALLBACK_TSCONFIG : tsconfigFor(parent);
        tsconfigForDir.set(dir, found);
    }
    return found;
}

/** The tsconfig file and every file it extends, found the way tsc finds them; throws when unsure. */
function configChain(file, seen = new Set()) {
    if (seen.has(file)) throw new Error(`${file} extends itself`);
    seen.add(file);
    const text = fs.readFileSync(file, "utf8");
    const chain = [{ file, text }];
    const errors = [];
    const ext = parseJsonc(text, errors, { allowTrailingComma: true })?.extends;
    if (errors.length > 0) throw new Error(`${file} is not valid JSON with comments`);
    for (const spec of ext === undefined ? [] : Array.isArray(ext) ? ext : [ext]) {
        chain.push(...configChain(resolveExtends(spec, path.dirname(file)), seen));
    }
    return chain;
}

function resolveExtends(spec, dir) {
    if (typeof spec !== "string") throw new Error("extends is not a string");
    if (spec.startsWith(".") || path.isAbsolute(spec)) {
        const file = path.resolve(dir, spec);
        if (!file.endsWith(".json") && fs.existsSync(`${file}.json`)) return `${file}.json`;
        if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
        throw new Error(`cannot find ${spec}`);
    }
    for (const candidate of [spec, `${spec}.json`, `${spec}/tsconfig.json`]) {
        try {
            return require.resolve(candidate, { paths: [dir] });
        } catch {
            // next candidate
        }
    }
    throw new Error(`cannot find ${spec}`);
}

/** A tsconfig's cache key (its chain's text), known without the compiler. */
function configEntry(tsconfig) {
    let entry = configs.get(tsconfig);
    if (!entry) {
        try {
            const chain = configChain(tsconfig);
            entry = { key: hash(chain.map((c) => `${c.file}\0${c.text}`).join("\0")), files: chain.map((c) => c.file), cacheable: true };
        } catch {
            entry = { key: "", files: [], cacheable: false }; // transpiled correctly, just never cached
        }
        configs.set(tsconfig, entry);
    }
    return entry;
}

/**
 * The compiler options for a tsconfig, as ts-node's transpile-only mode used them: CommonJS for
 * require() ("commonjs"), ES modules for an ESM loader ("module"); always an inline source map.
 */
function compilerOptions(tsconfig, entry, format) {
    if (entry.options?.[format]) return entry.options[format];
    const ts = compiler();
    const source = ts.readJsonConfigFile(tsconfig, ts.sys.readFile);
    const host = { ...ts.sys, readDirectory: () => [] }; // options only: do not expand `include`
    const parsed = ts.parseJsonSourceFileConfigFileContent(source, host, path.dirname(tsconfig), undefined, tsconfig);
    const fatal = parsed.errors.filter((d) => d.category === ts.DiagnosticCategory.Error && ![18002, 18003].includes(d.code));
    if (fatal.length > 0) throw compileError(ts, fatal);
    // The chain the key was made from must be the one tsc read, else the key could miss a change.
    const extended = (source.extendedSourceFiles ?? []).map((f) => path.resolve(f));
    if (extended.some((f) => !entry.files.includes(f))) entry.cacheable = false;
    const options = { ...parsed.options };
    const tsNode = parsed.raw?.["ts-node"]?.compilerOptions; // ts-node's overrides, as ts-node applied them
    if (tsNode) Object.assign(options, ts.convertCompilerOptionsFromJson(tsNode, path.dirname(tsconfig)).options);
    for (const key of ["out", "outFile", "composite", "declarationDir", "declarationMap", "emitDeclarationOnly", "moduleResolution", "tsBuildInfoFile", "incremental"]) {
        delete options[key];
    }
    Object.assign(options, {
        module: format === "module" ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
        target: options.target ?? ts.ScriptTarget.ES5, // ts-node's default
        sourceMap: false,
        inlineSourceMap: true,
        inlineSources: false,
        declaration: false,
        noEmit: false,
    });
    entry.options = { ...entry.options, [format]: options };
    return options;
}

function compileError(ts, diagnostics) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => "\n" };
    const err = new Error(`⨯ Unable to compile TypeScript:\n${ts.formatDiagnostics(diagnostics, host)}`);
    err.name = "TSError"; // as ts-node names it (mocha rethrows it as is)
    err.diagnosticCodes = diagnostics.map((d) => d.code);
    return err;
}

function transpileNow(source, file, tsconfig, entry, format) {
    const ts = compiler();
    const out = ts.transpileModule(source, { fileName: file, compilerOptions: compilerOptions(tsconfig, entry, format), reportDiagnostics: true });
    const errors = (out.diagnostics ?? []).filter((d) => d.file && d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) throw compileError(ts, errors);
    return out.outputText;
}

function cacheFile(source, file, format, entry) {
    return path.join(cacheDir, `${hash(`${saltOnce()}\0${entry.key}\0${format}\0${file}\0${source}`)}.js`);
}

/**
 * The JavaScript (with an inline source map) for a TypeScript file's source: CommonJS by default,
 * an ES module with format "module" (for an ESM loader hook).
 */
function transpile(source, file, format = "commonjs") {
    if (format !== "commonjs" && format !== "module") throw new Error(`unknown module format ${format}`);
    const tsconfig = tsconfigFor(path.dirname(file));
    const entry = configEntry(tsconfig);
    if (!cacheDir || !entry.cacheable) {
        stats.uncached++;
        return transpileNow(source, file, tsconfig, entry, format);
    }
    const cached = cacheFile(source, file, format, entry);
    try {
        const code = fs.readFileSync(cached, "utf8");
        stats.hits++;
        return code;
    } catch {
        // a miss (or an unreadable entry): transpile
    }
    const code = transpileNow(source, file, tsconfig, entry, format);
    stats.misses++;
    if (entry.cacheable) store(cached, code); // still: compiling checked the tsconfig chain the key was made from
    return code;
}

/** What transpile() gave for this source when it is in the cache, else undefined (never compiles). */
function cachedOutput(source, file, format) {
    const entry = configEntry(tsconfigFor(path.dirname(file)));
    if (!cacheDir || !entry.cacheable) return undefined;
    try {
        return fs.readFileSync(cacheFile(source, file, format, entry), "utf8");
    } catch {
        return undefined;
    }
}

/** Writes an entry atomically (a concurrent reader sees all of it or nothing); failures only cost speed. */
function store(file, code) {
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
    try {
        if (stats.writes === 0) {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            prune(path.dirname(file));
        }
        fs.writeFileSync(tmp, code);
        fs.renameSync(tmp, file);
        stats.writes++;
    } catch {
        try {
            fs.unlinkSync(tmp);
        } catch {
            // nothing was written
        }
    }
}

/** Keeps the cache bounded: past MAX_ENTRIES, the older half goes (they are transpiled again if needed). */
function prune(dir) {
    const names = fs.readdirSync(dir);
    if (names.length <= MAX_ENTRIES) return;
    const aged = [];
    for (const name of names) {
        try {
            aged.push({ name, mtime: fs.statSync(path.join(dir, name)).mtimeMs });
        } catch {
            // gone already
        }
    }
    aged.sort((a, b) => a.mtime - b.mtime);
    for (const { name } of aged.slice(0, aged.length - MAX_ENTRIES / 2)) {
        try {
            fs.unlinkSync(path.join(dir, name));
        } catch {
            // another process pruned it
        }
    }
}

function loadTypeScript(module, file) {
    const source = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    const code = transpile(source, file);
    if (compiled.get(file) !== code) sourceMaps.delete(file); // evaluated again after an edit
    compiled.set(file, code);
    module._compile(code, file, "commonjs");
}

// --- stack traces -------------------------------------------------------------------------------

function parseInlineMap(code) {
    const match = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code ?? "");
    try {
        return match ? new Module.SourceMap(JSON.parse(Buffer.from(match[1], "base64").toString("utf8"))) : null;
    } catch {
        return null;
    }
}

/**
 * The source map of a file compiled here (by require), or of an ES module (a file URL, with the
 * engine's `?webstack-run=N` query) that an ESM loader hook compiled with transpile(.., "module").
 */
function sourceMapFor(name) {
    let map = sourceMaps.get(name);
    if (map === undefined) {
        if (compiled.has(name)) {
            map = parseInlineMap(compiled.get(name));
        } else {
            try {
                const file = fileURLToPath(name.replace(/[?#].*$/, ""));
                map = parseInlineMap(cachedOutput(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, ""), file, "module"));
            } catch {
                map = null;
            }
        }
        sourceMaps.set(name, map);
    }
    return map;
}

const ESM_TS = /^file:\/\/.*\.(c|m)?ts(\?|#|$)/;

/** A V8 call site seen at another position of the same file (node's formatter only calls its methods). */
class MappedCallSite {
    constructor(site, line, column) {
        this.site = site;
        this.line = line;
        this.column = column;
    }
    getLineNumber() {
        return this.line;
    }
    getColumnNumber() {
        return this.column;
    }
    toString() {
        const text = String(this.site);
        const file = this.site.getFileName();
        const from = `${file}:${this.site.getLineNumber()}:${this.site.getColumnNumber()}`;
        const at = text.lastIndexOf(from);
        return at < 0 ? text : `${text.slice(0, at)}${file}:${this.line}:${this.column}${text.slice(at + from.length)}`;
    }
}
for (const name of ["getThis", "getTypeName", "getFunction", "getFunctionName", "getMethodName", "getFileName", "getEvalOrigin", "isToplevel", "isEval", "isNative", "isConstructor", "isAsync", "isPromiseAll", "getPromiseIndex", "getScriptNameOrSourceURL", "getScriptHash", "getEnclosingColumnNumber", "getEnclosingLineNumber", "getPosition"]) {
    MappedCallSite.prototype[name] = function (...args) {
        return this.site[name]?.(...args);
    };
}

/** A call site whose position is moved to the TypeScript source, when the file was compiled here and the map knows it. */
function mapCallSite(site) {
    const file = site.getFileName();
    if (!file || !(compiled.has(file) || ESM_TS.test(file))) return site;
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    const map = line && column ? sourceMapFor(file) : null;
    const entry = map?.findEntry(line - 1, column - 1);
    if (!entry || entry.originalLine === undefined) return site;
    return new MappedCallSite(site, entry.originalLine + 1, entry.originalColumn + 1);
}

let formatStack; // node's own formatter (Error.prepareStackTrace as node starts), given the mapped call sites

/** Node's own format (header, then one `    at` line per frame), with mapped positions. */
function prepareStackTrace(error, sites) {
    const mapped = sites.map(mapCallSite);
    if (formatStack) return formatStack(error, mapped);
    let header;
    try {
        header = Error.prototype.toString.call(error);
    } catch {
        header = "<error>";
    }
    return mapped.length === 0 ? header : `${header}\n    at ${mapped.join("\n    at ")}`;
}

// --- installation -------------------------------------------------------------------------------

/**
 * Registers `.ts` with require() (files under node_modules excepted, as ts-node does) and maps stack
 * traces. WEBSTACK_TRANSPILE_CACHE=<dir> moves the cache, =off disables it.
 */
function install() {
    const previous = Module._extensions[".ts"] ?? Module._extensions[".js"];
    Module._extensions[".ts"] = function (module, file) {
        if (file.includes(`${path.sep}node_modules${path.sep}`) || file.endsWith(".d.ts")) return previous(module, file);
        return loadTypeScript(module, file);
    };
    // Node's own source maps (--enable-source-maps) read the inline maps already. Otherwise this wraps
    // node's formatter (node 22 exposes it as Error.prepareStackTrace), unless something replaced it.
    const current = Error.prepareStackTrace;
    if (!process.sourceMapsEnabled && current !== prepareStackTrace && (current === undefined || current.name === "ErrorPrepareStackTrace")) {
        formatStack = current;
        Error.prepareStackTrace = prepareStackTrace;
    }
    if (process.env.WEBSTACK_TRANSPILE_DEBUG) {
        process.on("exit", () => process.stderr.write(`transpile cache ${cacheDir ?? "off"}: ${JSON.stringify(stats)}\n`));
    }
}

module.exports = { install, transpile, prepareStackTrace, stats, DEFAULT_CACHE_DIR };
