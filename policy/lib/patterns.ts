/** Name patterns shared by the rules: AWS wildcards and AWS-managed key references. */

/** `s` as a literal inside a regular expression. */
export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Compiled patterns: the rules match the same few hundred actions and ARNs against every document. */
const compiled = new Map<string, RegExp>();

/** AWS-style wildcard match (`*` any run, `?` one character), as in IAM actions, ARNs and StringLike conditions. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
    const key = `${ignoreCase ? "i" : "s"}${pattern}`;
    let re = compiled.get(key);
    if (!re) {
        // `*` and `?` are the wildcards here: escape everything else.
        const source = pattern.split(/([*?])/).map((part) => (part === "*" ? ".*" : part === "?" ? "." : escapeRegExp(part))).join("");
        re = new RegExp(`^${source}$`, ignoreCase ? "is" : "s");
        compiled.set(key, re);
    }
    return re.test(value);
}

/** True for a reference to an AWS-managed KMS key: `alias/aws/<service>`, bare or as an ARN. */
export function isAwsManagedKey(ref: unknown): boolean {
    return typeof ref === "string" && /(^|:)alias\/aws\//.test(ref);
}
