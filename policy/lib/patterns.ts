/** Name patterns shared by the rules: AWS wildcards and AWS-managed key references. */

const escape = (s: string) => s.replace(/[.+^${}()|[\]\\]/g, "\\$&");

/** AWS-style wildcard match (`*` any run, `?` one character), as in IAM actions, ARNs and StringLike conditions. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
    const source = escape(pattern).replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

/** True for a reference to an AWS-managed KMS key: `alias/aws/<service>`, bare or as an ARN. */
export function isAwsManagedKey(ref: unknown): boolean {
    return typeof ref === "string" && /(^|:)alias\/aws\//.test(ref);
}
