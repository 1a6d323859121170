import * as pulumi from "@pulumi/pulumi";

/** One problem in a stack's configuration. */
export interface ConfigIssue {
    /** The full key path, e.g. `webstack:network.cidr`. */
    readonly key: string;
    /** `invalid`: the value is wrong; `missing`: a required key is not set; `unknown`: the key does not exist. */
    readonly kind: "invalid" | "missing" | "unknown";
    /** The offending value (for `invalid`). */
    readonly value?: unknown;
    /** What is expected: "must be ..." for invalid/missing keys, a did-you-mean for unknown ones. */
    readonly problem: string;
}

/** Renders one issue, compiler style: `<stack file>: <key> = <value> <what is expected>`. */
export function formatIssue(issue: ConfigIssue, stackFile: string): string {
    switch (issue.kind) {
        case "invalid":
            return `${stackFile}: ${issue.key} = ${JSON.stringify(issue.value)} ${issue.problem}`;
        case "missing":
            return `${stackFile}: ${issue.key} is not set; it ${issue.problem}`;
        case "unknown":
            return `${stackFile}: ${issue.key} is not a known key; ${issue.problem}`;
    }
}

/**
 * Every problem found in a stack's configuration. A `RunError`, so `pulumi preview` prints the
 * message without a stack trace; the offline engine recognises it with `ConfigError.isInstance`.
 */
export class ConfigError extends pulumi.RunError {
    readonly isConfigError = true;

    constructor(
        readonly issues: readonly ConfigIssue[],
        readonly stackFile: string,
    ) {
        super(ConfigError.render(issues, stackFile));
        this.name = "ConfigError";
    }

    /** The report, naming `stackFile` (the engine re-renders it for `--config-file`). */
    static render(issues: readonly ConfigIssue[], stackFile: string): string {
        const noun = issues.length === 1 ? "problem" : "problems";
        const lines = issues.map((issue) => `  - ${formatIssue(issue, stackFile)}`);
        return [`Invalid stack configuration (${issues.length} ${noun}):`, ...lines].join("\n");
    }

    /** True for a ConfigError from any copy of this module (the engine reloads program modules). */
    static isInstance(err: unknown): err is ConfigError {
        return typeof err === "object" && err !== null && (err as { isConfigError?: unknown }).isConfigError === true;
    }
}
