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

/** One tag of an auto scaling group. */
export interface AutoScalingTag {
    readonly key: string;
    readonly value: unknown;
    readonly propagateAtLaunch: unknown;
}

/**
 * An auto scaling group's tags: its `tags` list of {key, value, propagateAtLaunch} blocks, and the
 * deprecated `tagsCollection` list of maps ({key, value, propagate_at_launch}, older providers).
 */
export function autoScalingTagsOf(props: Record<string, unknown>): AutoScalingTag[] {
    const blocks = [...asArray(props.tags as unknown[] | undefined), ...asArray(props.tagsCollection as unknown[] | undefined)];
    return blocks
        .filter((b): b is Record<string, unknown> => typeof b === "object" && b !== null && !Array.isArray(b) && typeof (b as Record<string, unknown>).key === "string")
        .map((b) => ({ key: b.key as string, value: b.value, propagateAtLaunch: b.propagateAtLaunch ?? b.propagate_at_launch }));
}

// ---- values known only after deploy -------------------------------------------------------------

// The policy SDK's markers of values unknown during `pulumi preview`, its proxy's way to the raw
// object, and its error (all stripped from its typings).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdk = require("@pulumi/policy/proxy") as {
    getSpecialProxyTarget: string;
    unknownStringValue: string;
    unknownBooleanValue: string;
    unknownNumberValue: string;
    unknownArrayValue: string;
    unknownObjectValue: string;
    unknownAssetValue: string;
    unknownArchiveValue: string;
    UnknownValueError: new (sentinel: string, props: string[]) => Error;
};
const SENTINELS = new Set([
    sdk.unknownStringValue,
    sdk.unknownBooleanValue,
    sdk.unknownNumberValue,
    sdk.unknownArrayValue,
    sdk.unknownObjectValue,
    sdk.unknownAssetValue,
    sdk.unknownArchiveValue,
]);

/**
 * What `known()` gives for a value that is set in the program but known only after deploy (during
 * `pulumi preview` of a new resource: an id, an ARN, anything computed from another resource's outputs).
 */
export const UNKNOWN_VALUE: unique symbol = Symbol("known after deploy");
export type Known<V> = V | typeof UNKNOWN_VALUE;

/** True for UNKNOWN_VALUE and for the SDK's unknown markers themselves. */
export function isUnknownValue(value: unknown): boolean {
    return value === UNKNOWN_VALUE || (typeof value === "string" && SENTINELS.has(value));
}

/**
 * `obj[key]` without tripping the SDK's unknown-checking proxy: UNKNOWN_VALUE when the value is set
 * but unknown until deploy, else the value as the proxy gives it (so unknowns nested in it still
 * stop a rule that reads them). Works the same on plain, unproxied objects.
 */
export function known(obj: unknown, key: string | number): unknown {
    if (typeof obj !== "object" || obj === null) return undefined;
    const raw = ((obj as Record<string, unknown>)[sdk.getSpecialProxyTarget] ?? obj) as Record<string | number, unknown>;
    return isUnknownValue(raw[key]) ? UNKNOWN_VALUE : (obj as Record<string | number, unknown>)[key];
}

/**
 * The value at a path of properties, read with `known()` at every step: UNKNOWN_VALUE as soon as a
 * step is unknown, undefined as soon as one is absent.
 */
export function knownAt(obj: unknown, ...path: (string | number)[]): unknown {
    let value = obj;
    for (const key of path) {
        value = known(value, key);
        if (value === UNKNOWN_VALUE || value === undefined || value === null) return value;
    }
    return value;
}

/**
 * A value that may be one item or a list, as a list (like `asArray`), each item read with `known()`;
 * a list that is itself unknown reads as one unknown item.
 */
export function knownItems(value: unknown): unknown[] {
    if (value === UNKNOWN_VALUE) return [UNKNOWN_VALUE];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return [value];
    return Array.from({ length: value.length }, (_, i) => known(value, i));
}

/** Set: a non-empty string, or a value known only after deploy (a reference to another resource's id or ARN). */
export function isPresent(value: unknown): boolean {
    return value === UNKNOWN_VALUE || (typeof value === "string" && value !== "");
}

/** A value for a message: UNKNOWN_VALUE reads "(known after deploy)". */
export function shownValue(value: unknown): string {
    return value === UNKNOWN_VALUE ? "(known after deploy)" : String(value);
}

/**
 * Stops a rule that needs a value known only after deploy, exactly as the SDK's proxy does when a
 * rule reads one: the server (and the offline runner) report one advisory "can't run policy ...
 * during preview: string value at .<path> can't be known during preview". `path` names what the
 * rule needed, e.g. `["site-content", "policy"]` for a resource's property in a stack rule.
 */
export function cannotDecide(path: readonly (string | number)[]): never {
    throw new sdk.UnknownValueError(sdk.unknownStringValue, path.map(String));
}

/**
 * What a stack rule could not decide before deploy. The rule notes each needed unknown value and
 * goes on deciding everything else; `settle()`, called last, then stops it with one advisory naming
 * the first (`cannotDecide`). After deploy nothing is noted and `settle()` does nothing.
 */
export class Undecided {
    private first?: readonly (string | number)[];

    note(...path: (string | number)[]): void {
        this.first ??= path;
    }

    get any(): boolean {
        return this.first !== undefined;
    }

    settle(): void {
        if (this.first) cannotDecide(this.first);
    }
}
