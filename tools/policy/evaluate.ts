import type { EnforcementLevel, Policy, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { clearExemptions } from "../../policy/lib/exemptions";
import { resourceTypesOf } from "../../policy/lib/rule";
import type { Graph, RecordedResource } from "../engine/graph";
import { reveal } from "../engine/graph";

// The SDK's own unknown-value proxy, so rules fail exactly as under `pulumi preview` (stripped from its typings).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy<V extends object>(value: V): V;
    UnknownValueError: new (...args: never[]) => Error;
};

/** `all` or a policy name -> a level, or an object with `enforcementLevel` and the policy's properties. */
export type PackConfig = Readonly<Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>>;

export type AnyPolicy = Policy & Partial<Pick<ResourceValidationPolicy, "validateResource"> & Pick<StackValidationPolicy, "validateStack">>;

/** One diagnostic, as `pulumi preview` would print it. */
export interface Finding {
    readonly policy: string;
    readonly level: "mandatory" | "advisory";
    readonly severity?: string;
    readonly message: string;
    readonly urn?: string;
    /** The resource's logical name and type, when the finding names one. */
    readonly resource?: string;
    readonly type?: string;
}

export interface Verdict {
    readonly findings: readonly Finding[];
    readonly mandatory: readonly Finding[];
    readonly advisory: readonly Finding[];
    /** Advisory findings an exemption turned from violations into notes. */
    readonly exempted: readonly Finding[];
}

class NotApplicable extends Error {}

/** The level a policy runs at: its own config > `all` > the policy's level > the pack's (mandatory), as the CLI resolves it. */
export function levelOf(policy: Policy, config: PackConfig): EnforcementLevel {
    const pick = (c: PackConfig[string] | undefined) => (typeof c === "string" ? c : c?.enforcementLevel);
    return pick(config[policy.name]) ?? pick(config.all) ?? policy.enforcementLevel ?? "mandatory";
}

function configOf(policy: Policy, config: PackConfig): Record<string, unknown> {
    const c = config[policy.name];
    if (typeof c !== "object" || c === null) return {};
    const { enforcementLevel: _level, ...rest } = c;
    return rest;
}

/**
 * Replays a recorded graph through policies the way the CrossGuard server does: each resource
 * through every resource policy in order (props = inputs behind the unknown-checking proxy), then
 * every stack policy over all resources (props = outputs, parents and dependencies resolved).
 */
export async function evaluatePolicies(graph: Pick<Graph, "resources"> & Partial<Pick<Graph, "root">>, policies: readonly AnyPolicy[], config: PackConfig = {}): Promise<Verdict> {
    const findings: Finding[] = [];
    // The root stack resource goes to the policies too, as the engine sends it under `pulumi preview`.
    const all = graph.root ? [graph.root, ...graph.resources] : graph.resources;
    const names = new Map(all.map((r) => [r.urn, r]));
    clearExemptions();
    const run = (policy: AnyPolicy, level: EnforcementLevel, defaultUrn: string | undefined, call: (report: never) => unknown): Promise<void> | undefined => {
        const effective = level === "remediate" ? "mandatory" : (level as "mandatory" | "advisory");
        const report = (message: string | { message?: string; urn?: string; enforcementLevel?: EnforcementLevel }, urn?: string) => {
            const diag = typeof message === "string" ? { message, urn } : message;
            const target = diag.urn ?? defaultUrn;
            const resource = target ? names.get(target) : undefined;
            findings.push({
                policy: policy.name,
                level: diag.enforcementLevel === "advisory" ? "advisory" : effective,
                severity: policy.severity,
                message: diag.message ?? policy.description,
                urn: target,
                resource: resource?.name,
                type: resource?.type,
            });
        };
        const failed = (err: unknown) => {
            if (err instanceof proxy.UnknownValueError) {
                findings.push({
                    policy: policy.name,
                    level: "advisory",
                    severity: policy.severity,
                    message: `can't run policy '${policy.name}' during preview: ${err.message}`,
                    urn: defaultUrn,
                    resource: defaultUrn ? names.get(defaultUrn)?.name : undefined,
                    type: defaultUrn ? names.get(defaultUrn)?.type : undefined,
                });
            } else if (!(err instanceof NotApplicable)) {
                throw new Error(`policy ${policy.name} failed: ${(err as Error).message}`, { cause: err });
            }
        };
        // Most validations are synchronous: awaiting only a returned promise saves a microtask per
        // (resource, policy) pair; findings and their order are the same either way.
        let result: unknown;
        try {
            result = call(report as never);
        } catch (err) {
            failed(err);
            return undefined;
        }
        return result instanceof Promise ? result.then(() => undefined, failed) : undefined;
    };
    const notApplicable = (reason?: string): never => {
        throw new NotApplicable(reason);
    };
    const common = (policy: AnyPolicy) => ({ getConfig: () => configOf(policy, config), stackTags: new Map<string, string>(), notApplicable });

    const enabled = policies
        .map((policy) => ({ policy, level: levelOf(policy, config), common: common(policy) }))
        .filter((p) => p.level !== "disabled");
    const resourcePolicies = enabled.filter((p) => p.policy.validateResource).map((p) => ({ ...p, types: resourceTypesOf(p.policy) }));
    for (const r of all) {
        const resource = asPolicyResource(r, reveal(r.inputs));
        for (const { policy, level, common: shared, types } of resourcePolicies) {
            // A rule of other types returns at once without a finding: calling it changes nothing.
            if (types && !types.has(r.type)) continue;
            const validate = policy.validateResource as (args: unknown, report: never) => unknown;
            const pending = run(policy, level, r.urn, (report) => validate({ ...resource, ...shared }, report));
            if (pending) await pending;
        }
    }

    const resources = stackResources(all);
    for (const { policy, level, common: shared } of enabled) {
        if (!policy.validateStack) continue;
        const pending = run(policy, level, undefined, (report) => policy.validateStack?.({ resources, ...shared } as never, report));
        if (pending) await pending;
    }

    const mandatory = findings.filter((f) => f.level === "mandatory");
    const advisory = findings.filter((f) => f.level === "advisory");
    return { findings, mandatory, advisory, exempted: advisory.filter((f) => f.message.startsWith("exempted until ")) };
}

function asPolicyResource(r: RecordedResource, values: unknown) {
    const props = proxy.unknownCheckingProxy((values ?? {}) as object);
    const isType = (cls: { __pulumiType?: string }) => cls.__pulumiType === r.type;
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props,
        opts: { protect: r.protect, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], ...(r.parent ? { parent: r.parent } : {}) },
        isType,
        asType: (cls: { __pulumiType?: string }) => (isType(cls) ? props : undefined),
    };
}

/** The stack-phase view: outputs, with parent and dependencies resolved to the other resources. */
function stackResources(recorded: readonly RecordedResource[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const out = recorded.map((r) => {
        const resource = {
            ...asPolicyResource(r, reveal(r.outputs)),
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
        } as unknown as PolicyResource;
        byUrn.set(r.urn, resource);
        return resource;
    });
    recorded.forEach((r, i) => {
        const resource = out[i] as { parent?: PolicyResource; dependencies: PolicyResource[]; propertyDependencies: Record<string, PolicyResource[]> };
        if (r.parent && byUrn.has(r.parent)) resource.parent = byUrn.get(r.parent);
        resource.dependencies = r.dependencies.flatMap((u) => byUrn.get(u) ?? []);
        for (const [prop, urns] of Object.entries(r.propertyDependencies)) resource.propertyDependencies[prop] = urns.flatMap((u) => byUrn.get(u) ?? []);
    });
    return out;
}
