import * as pulumi from "@pulumi/pulumi";
import type { ProviderSettings } from "../components/shared/providers";

/** Credentials among the provider's settings: passed on as secrets, so no plan, state or log shows them. */
const CREDENTIALS = new Set(["accessKey", "secretKey", "token"]);

/**
 * The `aws:` keys of a stack's config (as the CLI passes them: strings, objects and lists as JSON) as
 * provider settings for the components' explicit providers; `aws:region` is each provider's own.
 */
export function providerSettings(raw: Readonly<Record<string, string>>): ProviderSettings {
    const settings: Record<string, unknown> = {};
    for (const [key, text] of Object.entries(raw)) {
        if (!key.startsWith("aws:") || key === "aws:region") continue;
        const name = key.slice("aws:".length);
        settings[name] = CREDENTIALS.has(name) ? pulumi.secret(parse(text)) : parse(text);
    }
    return settings as ProviderSettings;
}

/** JSON values (lists, objects, numbers, booleans) as values, anything else as the string it is. */
function parse(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
