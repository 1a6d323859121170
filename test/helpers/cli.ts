import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./engine";

export interface CliResult {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** The node arguments of package.json's `plan` script (`node <args...>`), so tests run exactly what users run. */
export function planCommand(): string[] {
    const script = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { plan: string } }).scripts.plan;
    const [node, ...args] = script.trim().split(/\s+/);
    if (node !== "node") throw new Error(`package.json scripts.plan must start with node: ${script}`);
    return args;
}

/** Runs `npm run plan -- <args>` the way a user does (same node, same hooks), capturing its output. */
export function runPlan(...args: string[]): Promise<CliResult> {
    return runNode([...planCommand(), ...args]);
}

/** Runs this node with `args` from the repository root, capturing its output; `env` adds to this process's environment. */
export function runNode(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}
