import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { UsageError } from "./errors";

/** What the engine needs from `Pulumi.yaml`. */
export interface ProjectFile {
    readonly name: string;
    readonly dir: string;
    /** The program's entry module. */
    readonly entry: string;
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
    const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { name?: unknown; main?: unknown; config?: Record<string, unknown> };
    if (typeof doc.name !== "string") throw new UsageError(`${file}: "name" is missing`);
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
    return { name: doc.name, dir, entry: entryOf(dir, typeof doc.main === "string" ? doc.main : undefined), defaults };
}

/** Pulumi's rule: `main` from Pulumi.yaml, else package.json's main, else index.ts / index.js. */
function entryOf(dir: string, main: string | undefined): string {
    const pkgFile = path.join(dir, "package.json");
    const pkgMain = fs.existsSync(pkgFile) ? (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string }).main : undefined;
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
    const doc = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries({ ...project.defaults, ...(doc.config ?? {}) })) {
        const { plain, secret } = withoutSecrets(value);
        config[key] = toConfigString(plain);
        if (secret) secretKeys.push(key);
    }
    return { displayName, config, secretKeys };
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
