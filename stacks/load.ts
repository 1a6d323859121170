import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./parse";
import type { ProviderSettings } from "../components/shared/providers";
import { providerSettings } from "./provider-settings";
import type { StackConfig } from "./schema";

/**
 * The current stack's validated configuration, read from the Pulumi runtime (the CLI, or the
 * offline engine). Throws a ConfigError naming every problem before any resource exists.
 */
export function loadStackConfig(): StackConfig & { readonly providerSettings: ProviderSettings } {
    const stack = pulumi.getStack();
    const raw = pulumi.runtime.allConfig();
    const config = parseStackConfig(raw, { project: pulumi.getProject(), stack, stackFile: `Pulumi.${stack}.yaml` });
    return { ...config, providerSettings: providerSettings(raw) };
}
