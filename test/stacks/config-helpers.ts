import * as assert from "assert/strict";
import { ConfigError, parseStackConfig, type StackConfig } from "../../stacks";
import { stackConfig } from "../helpers/engine";

export const source = (stack: string) => ({ project: "webstack", stack, stackFile: `Pulumi.${stack}.yaml` });

/** Parses a stack file's config with some keys changed (objects as the CLI passes them: JSON). */
export function parseWith(stack: string, changes: Record<string, unknown>): StackConfig {
    const raw = stackConfig(stack);
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete raw[key];
        else raw[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return parseStackConfig(raw, source(stack));
}

/** The exact ConfigError lines for a config change. */
export function problems(stack: string, changes: Record<string, unknown>): string[] {
    try {
        parseWith(stack, changes);
    } catch (err) {
        assert.ok(ConfigError.isInstance(err), `expected a ConfigError, got ${String(err)}`);
        const [head, ...lines] = err.message.split("\n");
        assert.equal(head, `Invalid stack configuration (${lines.length} problem${lines.length === 1 ? "" : "s"}):`);
        return lines.map((l) => l.replace(/^ {2}- /, ""));
    }
    assert.fail("expected the config to be rejected");
}
