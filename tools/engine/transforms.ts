// Transforms as the Pulumi engine applies them (pkg/resource/deploy/source_eval.go, RegisterResource):
// the resource's own `transforms` option first, then those of its parents (nearest first), then the stack
// transforms (`pulumi.runtime.registerResourceTransform`) in registration order, each seeing the props and
// options the previous one returned, before the resource is registered. The SDK's mock monitor hands them
// to the mocks unrun; the engine runs them here, on the registration request, so the recorded inputs and
// the state the mocks compute are the transformed ones. Legacy transformations
// (`registerStackTransformation`, `transformations`) run in the SDK itself, inside the root stack.
import * as pulumi from "@pulumi/pulumi";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";

type ResourceTransform = pulumi.ResourceTransform;
type InvokeTransform = pulumi.InvokeTransform;

/** Options a transform may change that have no effect on a new stack's graph (they only matter against existing state). */
const NO_EFFECT_OFFLINE = new Set(["ignoreChanges", "replaceOnChanges", "customTimeouts", "deleteBeforeReplace", "aliases"]);

export class TransformError extends Error {}

/** The slice of a registration request transforms read and write. */
export interface TransformableRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getObject(): unknown;
    setObject(value: unknown): void;
    getDependenciesList(): string[];
    getProtect(): boolean | undefined;
    setProtect(value: boolean): void;
    getRetainondelete(): boolean | undefined;
    setRetainondelete(value: boolean): void;
    getIgnorechangesList(): string[];
    getReplaceonchangesList(): string[];
    getVersion(): string;
    getPlugindownloadurl(): string;
    getAdditionalsecretoutputsList(): string[];
    getDeletebeforereplace(): boolean;
    getTransformsList(): { getToken(): string }[];
}

/** An empty option (unset, false, no items) equals any other empty option. */
function isEmpty(v: unknown): boolean {
    return v === undefined || v === null || v === false || v === "" || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && !Array.isArray(v) && !pulumi.Resource.isInstance(v) && Object.keys(v).length === 0);
}

function same(a: unknown, b: unknown): boolean {
    if (a === b || (isEmpty(a) && isEmpty(b))) return true;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
    if (pulumi.Resource.isInstance(a) || pulumi.Resource.isInstance(b)) return false;
    if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        return [...keys].every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
    }
    return false;
}

/** Runs transforms on resources (own, parents', stack) and provider function calls, as the engine does. */
export class Transforms {
    /** Stack transforms in registration order (the mocks' `registerTransform`). */
    readonly stack: ResourceTransform[] = [];
    readonly invoke: InvokeTransform[] = [];
    /** Each registered resource's own transforms and parent, for its children. */
    private readonly own = new Map<string, ResourceTransform[]>();
    private readonly parents = new Map<string, string>();

    /** The transform functions by callback token (the mock monitor's `transformCallbacks`), set once the monitor exists. */
    callbacks: () => ReadonlyMap<string, unknown> = () => new Map();

    get active(): boolean {
        return this.stack.length > 0 || this.own.size > 0;
    }

    /** Applies the transforms to the request in place. `urn` is the URN the resource will get. */
    async applyTo(req: TransformableRequest, urn: string): Promise<void> {
        const callbacks = this.callbacks();
        const ownTransforms = req.getTransformsList().flatMap((cb) => {
            const t = callbacks.get(cb.getToken());
            return t ? [t as ResourceTransform] : [];
        });
        const parent = req.getParent();
        if (ownTransforms.length > 0) this.own.set(urn, ownTransforms);
        if (parent) this.parents.set(urn, parent);
        const chain = [...ownTransforms];
        for (let p: string | undefined = parent; p; p = this.parents.get(p)) chain.push(...(this.own.get(p) ?? []));
        chain.push(...this.stack);
        if (chain.length === 0) return;

        const custom = req.getCustom();
        let props = pulumi.runtime.deserializeProperties(req.getObject() as never, true) as Record<string, unknown>;
        let opts = this.optionsOf(req);
        for (const transform of chain) {
            const result = await transform({ custom, type: req.getType(), name: req.getName(), props, opts } as never);
            if (result === undefined) continue;
            props = (result.props ?? {}) as Record<string, unknown>;
            const next = (result.opts ?? {}) as Record<string, unknown>;
            for (const key of new Set([...Object.keys(opts), ...Object.keys(next)])) {
                if (same((opts as Record<string, unknown>)[key], next[key]) || NO_EFFECT_OFFLINE.has(key) || key === "protect" || key === "retainOnDelete") continue;
                throw new TransformError(`a transform changes the ${key} option, which the offline engine cannot apply`);
            }
            opts = next as typeof opts;
        }
        const serialized = await pulumi.runtime.serializeProperties("props", props);
        req.setObject(structproto.Struct.fromJavaScript(serialized as never));
        req.setProtect(Boolean((opts as Record<string, unknown>).protect));
        req.setRetainondelete(Boolean((opts as Record<string, unknown>).retainOnDelete));
    }

    /** Runs the stack's invoke transforms on a provider function's arguments, in registration order. */
    async applyToInvoke(token: string, args: Record<string, unknown>, provider: string | undefined): Promise<Record<string, unknown>> {
        let current = args;
        let opts: Record<string, unknown> = { provider: provider ? new pulumi.DependencyProviderResource(provider) : undefined };
        for (const transform of this.invoke) {
            const result = await transform({ token, args: current, opts } as never);
            if (result === undefined) continue;
            current = (result.args ?? {}) as Record<string, unknown>;
            const next = (result.opts ?? {}) as Record<string, unknown>;
            for (const key of new Set([...Object.keys(opts), ...Object.keys(next)])) {
                if (!same(opts[key], next[key])) throw new TransformError(`provider function ${token}: an invoke transform changes the ${key} option, which the offline engine cannot apply`);
            }
            opts = next;
        }
        return current;
    }

    /** The options a transform sees, from the request (as the SDK's callback server builds them). */
    private optionsOf(req: TransformableRequest): Record<string, unknown> {
        const dep = (urn: string) => new pulumi.DependencyResource(urn);
        const provider = req.getProvider();
        const common: Record<string, unknown> = {
            aliases: [],
            dependsOn: req.getDependenciesList().map(dep),
            ignoreChanges: req.getIgnorechangesList(),
            parent: req.getParent() ? dep(req.getParent()) : undefined,
            pluginDownloadURL: req.getPlugindownloadurl() || undefined,
            protect: req.getProtect() ?? false,
            provider: provider ? new pulumi.DependencyProviderResource(provider) : undefined,
            replaceOnChanges: req.getReplaceonchangesList(),
            retainOnDelete: req.getRetainondelete() ?? false,
            version: req.getVersion() || undefined,
        };
        return req.getCustom()
            ? { ...common, deleteBeforeReplace: req.getDeletebeforereplace(), additionalSecretOutputs: req.getAdditionalsecretoutputsList() }
            : { ...common, providers: {} };
    }
}
