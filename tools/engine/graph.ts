import * as pulumi from "@pulumi/pulumi";

/** One registered resource as the engine saw it: what `pulumi preview` would send to the engine and the policy pack. */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** False for components. */
    readonly custom: boolean;
    readonly parent?: string;
    /** Provider reference `<urn>::<id>` when explicit. */
    readonly provider?: string;
    readonly id?: string;
    /** Inputs in wire form: secrets stay wrapped (see `reveal` and `mask`). */
    readonly inputs: Record<string, unknown>;
    /** Outputs from the mock (custom resources) or `registerOutputs` (components). */
    outputs: Record<string, unknown>;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
}

/** What one offline run of a program produced. */
export interface Graph {
    readonly project: string;
    readonly stack: string;
    /** The stack file as named in messages. */
    readonly stackFile: string;
    readonly region: string;
    /** Recorded as `pulumi preview` sees a new stack: computed values are `UNKNOWN`. */
    readonly preview: boolean;
    readonly resources: readonly RecordedResource[];
    /** The program's stack outputs, resolved; secret ones masked. */
    readonly outputs: Readonly<Record<string, unknown>>;
}

export const MASK = "[secret]";

/**
 * A value not known before deploy (`plan --preview`): the engine's wire sentinel, which is also what
 * the policy SDK's unknown-checking proxy recognises, so rules see it exactly as under `pulumi preview`.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Replaces the SDK's in-process unknown marker (deserialized during a dry run) by the wire sentinel. */
export function withUnknownSentinels(value: unknown): unknown {
    if (pulumi.isUnknown(value)) return UNKNOWN;
    if (Array.isArray(value)) return value.map(withUnknownSentinels);
    if (value !== null && typeof value === "object" && !isAssetLike(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withUnknownSentinels(v)]));
    }
    return value;
}

function isAssetLike(value: object): boolean {
    return pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value);
}

function isWireSecret(v: unknown): v is { value: unknown } {
    const r = v as Record<string, unknown> | null;
    return typeof r === "object" && r !== null && r[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

function mapSecrets(value: unknown, onSecret: (inner: unknown) => unknown, each: (v: unknown) => unknown): unknown {
    if (isWireSecret(value)) return onSecret(value.value);
    if (Array.isArray(value)) return value.map(each);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, each(v)]));
    }
    return value;
}

/** Printed for a value not known before deploy. */
export const UNKNOWN_LABEL = "[unknown]";

/** The value with every secret replaced by `[secret]` and every unknown by `[unknown]`: safe to print, log or snapshot. */
export function mask(value: unknown): unknown {
    return value === UNKNOWN ? UNKNOWN_LABEL : mapSecrets(value, () => MASK, mask);
}

/** The value with secrets unwrapped: what providers and policies see. Never print it. */
export function reveal(value: unknown): unknown {
    return mapSecrets(value, reveal, reveal);
}
