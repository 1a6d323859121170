/** A mistake in how the engine was called (missing stack file, no Pulumi.yaml): reported without a stack trace. */
export class UsageError extends Error {
    override readonly name = "UsageError";
}
