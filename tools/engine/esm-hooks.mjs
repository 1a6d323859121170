// Module hooks for ES-module projects (`"type": "module"`), registered by the engine with
// module.register() the first time it runs one. They do what the Pulumi CLI's ts-node ESM loader does:
// TypeScript files load as ES modules, and `./x.js` specifiers resolve to `./x.ts` when only that
// exists. Two more things keep runs faithful inside one process:
//  - `@pulumi/*` resolves to the engine's copy, so the program registers on the engine's mock runtime;
//  - a `?webstack-run=N` query on the entry is carried to every project file it imports, so each run
//    evaluates the program afresh (ES modules cannot be evicted from node's cache).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// The same content-keyed transpile cache as CommonJS files (source-mapped stacks, compiler options from the nearest tsconfig).
const { transpile } = createRequire(import.meta.url)("../transpile-cache.js");

const RUN = /[?&]webstack-run=\d+/;
const TS = /\.(c|m)?tsx?$/;

/** `data.engineUrl`: a file URL inside the engine, from which `@pulumi/*` resolves. */
let engineUrl;
export function initialize(data) {
    engineUrl = data.engineUrl;
}

export async function resolve(specifier, context, next) {
    if (specifier.startsWith("@pulumi/")) {
        try {
            return await next(specifier, { ...context, parentURL: engineUrl });
        } catch {
            // not installed in the engine: the program's own copy
        }
    }
    let resolved;
    try {
        resolved = await next(specifier, context);
    } catch (err) {
        const ts = /^\.{1,2}\//.test(specifier) && specifier.replace(/\.(m|c)?js$/, (_, m) => `.${m ?? ""}ts`);
        if (err?.code !== "ERR_MODULE_NOT_FOUND" || !ts || ts === specifier) throw err;
        resolved = await next(ts, context);
    }
    const run = context.parentURL?.match(RUN)?.[0];
    if (run && resolved.url.startsWith("file:") && !resolved.url.includes("/node_modules/") && !RUN.test(resolved.url)) {
        return { ...resolved, url: `${resolved.url}${resolved.url.includes("?") ? "&" : "?"}${run.slice(1)}` };
    }
    return resolved;
}

export async function load(url, context, next) {
    const file = url.startsWith("file:") ? fileURLToPath(url.replace(/[?#].*$/, "")) : "";
    if (!TS.test(file)) return next(url, context);
    const source = await readFile(file, "utf8");
    return { format: "module", source: transpile(source, file, "module"), shortCircuit: true };
}
