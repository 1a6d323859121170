import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./parse";
import type { StackConfig } from "./schema";

/**
 * The current stack's validated configuration, read from the Pulumi runtime (the CLI, or the
 * offline engine). Throws a ConfigError naming every problem before any resource exists.
 */
export function loadStackConfig(): StackConfig {
    const stack = pulumi.getStack();
    return parseStackConfig(pulumi.runtime.allConfig(), {
        project: pulumi.getProject(),
        stack,
        stackFile: `Pulumi.${stack}.yaml`,
    });
}
