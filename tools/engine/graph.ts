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
    readonly resources: readonly RecordedResource[];
    /** The program's stack outputs, resolved; secret ones masked. */
    readonly outputs: Readonly<Record<string, unknown>>;
}

export const MASK = "[secret]";

function isWireSecret(v: unknown): v is { value: unknown } {
    const r = v as Record<string, unknown> | null;
    return typeof r === "object" && r !== null && r[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

function mapSecrets(value: unknown, onSecret: (inner: unknown) => unknown): unknown {
    if (isWireSecret(value)) return onSecret(value.value);
    if (Array.isArray(value)) return value.map((v) => mapSecrets(v, onSecret));
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSecrets(v, onSecret)]));
    }
    return value;
}

/** The value with every secret replaced by `[secret]`: safe to print, log or snapshot. */
export function mask(value: unknown): unknown {
    return mapSecrets(value, () => MASK);
}

/** The value with secrets unwrapped: what providers and policies see. Never print it. */
export function reveal(value: unknown): unknown {
    return mapSecrets(value, (inner) => reveal(inner));
}
