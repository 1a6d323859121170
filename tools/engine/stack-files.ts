import * as fs from "fs";
import * as path from "path";
import { load } from "js-yaml";
import { StackFileError, UsageError } from "./errors";

/** What the engine needs from `Pulumi.yaml`. */
export interface ProjectFile {
    readonly name: string;
    readonly dir: string;
    /** The program's entry module. */
    readonly entry: string;
    /** The entry is an ES module (`"type": "module"` in the project's package.json, or `.mjs`/`.mts`). */
    readonly esm: boolean;
    /** Project-level config values and schema defaults, as `<ns>:<key>` -> value. */
    readonly defaults: Readonly<Record<string, unknown>>;
}

/** A stack's config as the CLI hands it to a program: strings, objects as JSON, secrets listed. */
export interface StackConfigFile {
    /** The file as given (for messages): `Pulumi.staging.yaml` or the `--config-file` path. */
    readonly displayName: string;
    readonly config: Readonly<Record<string, string>>;
    readonly secretKeys: readonly string[];
}

/** Placeholder for a `secure:` value: the ciphertext is never decrypted or printed offline. */
export const SECRET_PLACEHOLDER = "offline-secret-placeholder";

export function readProject(dir: string): ProjectFile {
    const file = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file)) throw new UsageError(`no Pulumi.yaml in ${dir}: --dir must name a Pulumi project folder`);
    const doc = readYaml(file, file, (message) => new UsageError(message)) as { name?: unknown; runtime?: unknown; main?: unknown; config?: Record<string, unknown> };
    if (typeof doc.name !== "string") throw new UsageError(`${file}: "name" is missing`);
    const runtime = typeof doc.runtime === "object" && doc.runtime !== null ? (doc.runtime as { name?: unknown }).name : doc.runtime;
    if (runtime !== "nodejs") throw new UsageError(`${file}: runtime is ${JSON.stringify(runtime ?? null)}; the offline engine runs Node.js programs (runtime: nodejs)`);
    const defaults: Record<string, unknown> = {};
    for (const [key, decl] of Object.entries(doc.config ?? {})) {
        const full = key.includes(":") ? key : `${doc.name}:${key}`;
        if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) {
            const d = decl as { default?: unknown; value?: unknown };
            if (d.value !== undefined) defaults[full] = d.value;
            else if (d.default !== undefined) defaults[full] = d.default;
        } else {
            defaults[full] = decl;
        }
    }
    const entry = entryOf(dir, typeof doc.main === "string" ? doc.main : undefined);
    return { name: doc.name, dir, entry, esm: /\.m[jt]s$/.test(entry) || packageJson(dir)?.type === "module", defaults };
}

function packageJson(dir: string): { main?: string; type?: string } | undefined {
    const file = path.join(dir, "package.json");
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as { main?: string; type?: string }) : undefined;
}

/** Pulumi's rule: `main` from Pulumi.yaml, else package.json's main, else index.ts / index.js. */
function entryOf(dir: string, main: string | undefined): string {
    const pkgMain = packageJson(dir)?.main;
    const base = path.resolve(dir, main ?? ".");
    const candidates = fs.existsSync(base) && fs.statSync(base).isFile() ? [base] : [pkgMain, "index.ts", "index.js"].filter((c): c is string => !!c).map((c) => path.resolve(base, c));
    const found = candidates.find((c) => fs.existsSync(c));
    if (!found) throw new UsageError(`no program entry in ${dir}: expected index.ts, index.js or a "main"`);
    return found;
}

/** Reads a stack file (and the project's defaults) into the CLI's config form. */
export function readStackConfig(project: ProjectFile, file: string, displayName: string): StackConfigFile {
    if (!fs.existsSync(file)) {
        const stacks = fs.readdirSync(project.dir).flatMap((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1] ?? []);
        throw new UsageError(`stack file ${displayName} does not exist; stacks in ${project.dir}: ${stacks.join(", ") || "none"}`);
    }
    const doc = readYaml(file, displayName, (message) => new StackFileError(message)) as { config?: Record<string, unknown> };
    if (doc.config !== undefined && (typeof doc.config !== "object" || doc.config === null || Array.isArray(doc.config))) {
        throw new StackFileError(`${displayName}: "config" must be a map of keys to values`);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries({ ...project.defaults, ...(doc.config ?? {}) })) {
        const { plain, secret } = withoutSecrets(value);
        config[key] = toConfigString(plain);
        if (secret) secretKeys.push(key);
    }
    return { displayName, config, secretKeys };
}

/**
 * A YAML file as a mapping (empty: `{}`). Unreadable files and syntax errors become one line,
 * `<file>:<line>:<column>: <the parser's reason>`, made into the caller's error class.
 */
function readYaml(file: string, displayName: string, error: (message: string) => Error): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw error(`${displayName} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    let doc: unknown;
    try {
        // js-yaml is already loaded by @pulumi/pulumi: parsing costs nothing extra.
        doc = load(text);
    } catch {
        // Only a file js-yaml refuses pays for the `yaml` package: it reads what js-yaml does not support,
        // and its messages say precisely what is wrong.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { YAMLParseError, parse } = require("yaml") as typeof import("yaml");
        try {
            doc = parse(text);
        } catch (err) {
            if (!(err instanceof YAMLParseError)) throw err;
            const [line, col] = err.linePos ? [err.linePos[0].line, err.linePos[0].col] : [1, 1];
            throw error(`${displayName}:${line}:${col}: invalid YAML: ${err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
        }
    }
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== "object" || Array.isArray(doc)) throw error(`${displayName}: expected a YAML mapping at the top level`);
    return doc as Record<string, unknown>;
}

/** Applies overrides (values as they would appear in the YAML) to a stack's config. */
export function withOverrides(base: StackConfigFile, overrides: Readonly<Record<string, unknown>>): StackConfigFile {
    const config = { ...base.config };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) delete config[key];
        else config[key] = toConfigString(value);
    }
    return { ...base, config };
}

/** Replaces every `{secure: ...}` (top level or nested, as the CLI allows) by the placeholder. */
function withoutSecrets(value: unknown): { plain: unknown; secret: boolean } {
    if (value === null || typeof value !== "object") return { plain: value, secret: false };
    const entries = Object.entries(value);
    if (!Array.isArray(value) && entries.length === 1 && entries[0][0] === "secure") return { plain: SECRET_PLACEHOLDER, secret: true };
    let secret = false;
    const parts = entries.map(([k, v]) => {
        const inner = withoutSecrets(v);
        secret ||= inner.secret;
        return [k, inner.plain] as const;
    });
    const plain = Array.isArray(value) ? parts.map(([, v]) => v) : Object.fromEntries(parts);
    return { plain, secret };
}

/** Scalars as strings, objects and arrays as JSON: what `PULUMI_CONFIG` carries. */
function toConfigString(value: unknown): string {
    return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}
