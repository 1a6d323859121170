import type * as pulumi from "@pulumi/pulumi";
import { componentState, fakeState, previewState, type Registered } from "./fake-state";
import { answer } from "./functions";
import { hex } from "./fake-ids";
import { StackOutputs } from "./stack-references";
import { Transforms } from "./transforms";

/**
 * The Pulumi mocks of the offline engine: deterministic ids and realistic computed outputs for
 * resources, realistic answers for provider functions, each in the region of its provider.
 */
export class OfflineMocks implements pulumi.runtime.Mocks {
    /** Explicit providers by id, to their region (e.g. the us-east-1 provider for CloudFront certificates). */
    private readonly providerRegions = new Map<string, string>();
    /** Resources registered so far, for outputs AWS derives from other resources (a load balancer's VPC). */
    private readonly registered: Registered[] = [];

    /** `preview`: answer as `pulumi preview` does for new resources (no id, computed outputs unknown). */
    constructor(
        private readonly defaultRegion: string,
        private readonly preview = false,
        private readonly stackOutputs = StackOutputs.none(),
        /** Stack transforms and invoke transforms land here; the engine's monitor wrapper runs them (tools/engine/run.ts). */
        readonly transforms = new Transforms(),
    ) {}

    /** A stack transform (`registerResourceTransform`): the mock monitor hands it over unrun. */
    registerTransform(transform: pulumi.ResourceTransform): void {
        this.transforms.stack.push(transform);
    }

    registerInvokeTransform(transform: pulumi.InvokeTransform): void {
        this.transforms.invoke.push(transform);
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        if (args.type.startsWith("pulumi:providers:")) {
            const id = `${args.name}-${hex(`provider:${args.name}`, 8)}`;
            if (typeof args.inputs.region === "string") this.providerRegions.set(id, args.inputs.region);
            return { id, state: args.inputs };
        }
        if (args.custom === false) {
            const component = { type: args.type, name: args.name, inputs: args.inputs, region: this.regionOf(args.provider, args.inputs) };
            return { id: undefined, state: componentState(component, this.preview) };
        }
        if (args.type === "pulumi:pulumi:StackReference") return { id: args.name, state: this.stackOutputs.stateOf(String(args.inputs.name)) };
        const input = { type: args.type, name: args.name, inputs: args.inputs, region: this.regionOf(args.provider, args.inputs), registered: this.registered };
        if (this.preview) return { id: undefined, state: previewState(input) };
        const result = fakeState(input);
        // A read (`Resource.get`) or import keeps the id it was given.
        const state = args.id ? { ...result.state, id: args.id } : result.state;
        this.registered.push({ type: args.type, state });
        return { id: args.id || result.id, state };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> | Promise<Record<string, unknown>> {
        if (this.transforms.invoke.length > 0) {
            return this.transforms.applyToInvoke(args.token, args.inputs, args.provider).then(
                (inputs) => this.answer({ ...args, inputs }),
                (err: unknown) => Promise.reject(Object.assign(new Error((err as Error).message), { details: (err as Error).message })),
            );
        }
        return this.answer(args);
    }

    private answer(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        try {
            return answer(args.token, args.inputs, this.regionOf(args.provider, args.inputs));
        } catch (err) {
            // The SDK rebuilds invoke failures from the gRPC `details` field alone.
            throw Object.assign(new Error((err as Error).message), { details: (err as Error).message });
        }
    }

    /** A resource's own `region` input (provider v7), else its provider's, else the stack's `aws:region`. */
    private regionOf(provider: string | undefined, inputs: Record<string, unknown>): string {
        if (typeof inputs.region === "string") return inputs.region;
        const providerId = provider ? provider.split("::").pop() : undefined;
        return (providerId && this.providerRegions.get(providerId)) || this.defaultRegion;
    }
}
