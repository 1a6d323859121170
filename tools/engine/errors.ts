/** A mistake in how the engine was called (missing stack file, no Pulumi.yaml): reported without a stack trace. */
export class UsageError extends Error {
    override readonly name = "UsageError";
}

/** A stack file that cannot be read as config (not valid YAML): a configuration problem, reported in one line. */
export class StackFileError extends Error {
    override readonly name = "StackFileError";
}

/** The program (or a provider function it called) failed, early or late: the plan has no complete graph. */
export class ProgramError extends Error {
    override readonly name = "ProgramError";
    /** The first failure's own error, for its stack. */
    readonly first: unknown;

    constructor(failures: readonly { error: unknown; resource?: string }[]) {
        const [first, ...more] = failures;
        const message = first.error instanceof Error ? first.error.message : String(first.error);
        const also = more.length > 0 ? ` (and ${more.length} more failure${more.length === 1 ? "" : "s"})` : "";
        super(`${first.resource ? `${first.resource}: ` : ""}${message}${also}`);
        this.first = first.error;
    }

    /** Stack frames of the first failure that point into the program (not the SDK or the engine). */
    sourceFrames(projectDir: string): string[] {
        const stack = this.first instanceof Error ? (this.first.stack ?? "") : "";
        return stack
            .split("\n")
            .filter((line) => /^\s+at /.test(line) && line.includes(projectDir) && !/node_modules|[\\/]tools[\\/]engine[\\/]/.test(line))
            .map((line) => line.trim());
    }
}
