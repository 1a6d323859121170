import * as fs from "fs";
import * as path from "path";
import { UsageError } from "../engine/errors";
import type { PackConfig } from "./evaluate";

/** The repository's per-stack pack configs: policy/config/<stack>.json. */
export const PACK_CONFIG_DIR = path.resolve(__dirname, "..", "..", "policy", "config");

/** Reads a pack config file (the same file `pulumi preview --policy-pack-config` takes). */
export function readPackConfig(file: string): PackConfig {
    if (!fs.existsSync(file)) throw new UsageError(`policy config ${file} does not exist`);
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as PackConfig;
    } catch (err) {
        throw new UsageError(`policy config ${file} is not valid JSON: ${(err as Error).message}`);
    }
}

/** The config for a stack: an explicit file, else policy/config/<stack>.json, else none (every rule at its own level). */
export function packConfigFor(stack: string, explicit?: string): { file?: string; config: PackConfig } {
    const file = explicit ?? path.join(PACK_CONFIG_DIR, `${stack}.json`);
    if (!explicit && !fs.existsSync(file)) return { config: {} };
    return { file, config: readPackConfig(file) };
}
