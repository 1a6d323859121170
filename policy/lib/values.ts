/** Small readers for property values in every shape the provider allows. */

/** A value that may be one item or a list, as a list (undefined -> []). */
export function asArray<V>(value: V | readonly V[] | undefined | null): V[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? [...(value as V[])] : [value as V];
}

/** A JSON document given as a string or an object, parsed; undefined when absent or not JSON. */
export function asDocument(value: unknown): Record<string, unknown> | undefined {
    if (typeof value === "string") {
        try {
            const parsed: unknown = JSON.parse(value);
            return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
        } catch {
            return undefined;
        }
    }
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** `true` or `"true"` (launch templates carry booleans as strings). */
export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

/** The resource's tags as a plain map. */
export function tagsOf(props: Record<string, unknown>): Record<string, string> {
    const tags = props.tags;
    return typeof tags === "object" && tags !== null && !Array.isArray(tags) ? (tags as Record<string, string>) : {};
}

/** Tags as AWS sees them: provider default tags (`tagsAll`, an output) overlaid by the resource's own. */
export function allTagsOf(props: Record<string, unknown>): Record<string, string> {
    return { ...tagsOf({ tags: props.tagsAll }), ...tagsOf(props) };
}
