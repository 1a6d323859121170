import { createHash } from "crypto";
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
    /**
     * The root `pulumi:pulumi:Stack` resource (`<project>-<stack>`), as the Pulumi CLI registers it: the parent
     * of every top-level resource, with the stack outputs as its outputs. Not in `resources`, which holds what
     * the program declares (tree, counts, inventories); policies get it with the rest, as under `pulumi preview`.
     */
    readonly root: RecordedResource;
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

/**
 * An asset or archive as recorded: plain data (the SDK's asset objects only hold promises), e.g. the
 * code a callback Lambda serialized: `{ kind: "AssetArchive", assets: { "__index.js": { kind: "StringAsset", text } } }`.
 */
export interface RecordedAsset {
    readonly kind: "StringAsset" | "FileAsset" | "RemoteAsset" | "AssetArchive" | "FileArchive" | "RemoteArchive";
    readonly text?: string;
    readonly path?: string;
    readonly uri?: string;
    readonly assets?: Readonly<Record<string, RecordedAsset>>;
}
const ASSET_KEY = "__pulumiRecordedAsset";

function isRecordedAsset(v: unknown): v is { [ASSET_KEY]: RecordedAsset } {
    return typeof v === "object" && v !== null && ASSET_KEY in v;
}

/** Wire form (a resource's Struct as JS) to recorded values: secrets stay wrapped, unknowns become `UNKNOWN`, assets plain. */
export function fromWire(wire: Record<string, unknown>): Record<string, unknown> {
    const plain = (v: unknown): unknown => {
        if (v === pulumi.runtime.unknownValue) return UNKNOWN;
        if (Array.isArray(v)) return v.map(plain);
        if (v === null || typeof v !== "object") return v;
        const o = v as Record<string, unknown>;
        const sig = o[pulumi.runtime.specialSigKey];
        if (sig === pulumi.runtime.specialAssetSig || sig === pulumi.runtime.specialArchiveSig) return { [ASSET_KEY]: recordedAsset(o) };
        if (sig === undefined) return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
        if (sig === pulumi.runtime.specialSecretSig) return { [pulumi.runtime.specialSigKey]: sig, value: plain(o.value) };
        return pulumi.runtime.deserializeProperty(o, true); // resource references, output values
    };
    return plain(wire) as Record<string, unknown>;
}

function recordedAsset(o: Record<string, unknown>): RecordedAsset {
    const archive = o[pulumi.runtime.specialSigKey] === pulumi.runtime.specialArchiveSig;
    if (o.assets !== undefined) {
        const assets = Object.fromEntries(Object.entries(o.assets as Record<string, Record<string, unknown>>).map(([k, a]) => [k, recordedAsset(a)]));
        return { kind: "AssetArchive", assets };
    }
    if (typeof o.text === "string") return { kind: "StringAsset", text: o.text };
    if (typeof o.path === "string") return { kind: archive ? "FileArchive" : "FileAsset", path: o.path };
    return { kind: archive ? "RemoteArchive" : "RemoteAsset", uri: String(o.uri) };
}

/** A recorded asset as the SDK's asset object: what the CrossGuard server hands policies. */
function toSdkAsset(a: RecordedAsset): pulumi.asset.Asset | pulumi.asset.Archive {
    switch (a.kind) {
        case "StringAsset":
            return new pulumi.asset.StringAsset(a.text ?? "");
        case "FileAsset":
            return new pulumi.asset.FileAsset(a.path ?? "");
        case "RemoteAsset":
            return new pulumi.asset.RemoteAsset(a.uri ?? "");
        case "FileArchive":
            return new pulumi.asset.FileArchive(a.path ?? "");
        case "RemoteArchive":
            return new pulumi.asset.RemoteArchive(a.uri ?? "");
        case "AssetArchive":
            return new pulumi.asset.AssetArchive(Object.fromEntries(Object.entries(a.assets ?? {}).map(([k, x]) => [k, toSdkAsset(x)])));
    }
}

/** A recorded asset for printing: text replaced by its size and digest. */
function describeAsset(a: RecordedAsset): unknown {
    if (a.kind === "AssetArchive") return { [a.kind]: Object.fromEntries(Object.entries(a.assets ?? {}).map(([k, x]) => [k, describeAsset(x)])) };
    if (a.text !== undefined) return { [a.kind]: `${Buffer.byteLength(a.text)} bytes, sha256 ${createHash("sha256").update(a.text).digest("hex").slice(0, 16)}` };
    return { [a.kind]: a.path ?? a.uri };
}

/** The recorded assets in a value (e.g. a Lambda's `code`), found at any depth. */
export function assetsIn(value: unknown): RecordedAsset[] {
    if (isRecordedAsset(value)) return [value[ASSET_KEY]];
    if (Array.isArray(value)) return value.flatMap(assetsIn);
    if (value !== null && typeof value === "object") return Object.values(value).flatMap(assetsIn);
    return [];
}

function isWireSecret(v: unknown): v is { value: unknown } {
    const r = v as Record<string, unknown> | null;
    return typeof r === "object" && r !== null && r[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}

function mapSecrets(value: unknown, onSecret: (inner: unknown) => unknown, each: (v: unknown) => unknown, onAsset: (a: RecordedAsset) => unknown): unknown {
    if (isWireSecret(value)) return onSecret(value.value);
    if (isRecordedAsset(value)) return onAsset(value[ASSET_KEY]);
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
    return value === UNKNOWN ? UNKNOWN_LABEL : mapSecrets(value, () => MASK, mask, describeAsset);
}

/** The value with secrets unwrapped and assets as the SDK's objects: what providers and policies see. Never print it. */
export function reveal(value: unknown): unknown {
    return mapSecrets(value, reveal, reveal, toSdkAsset);
}
