import { hex } from "./fake-ids";
import { UNKNOWN } from "./graph";
import { ARN_SERVICES, EC2_STYLE, SPECS, arnOf, type Ctx } from "./outputs/aws";
import { autoname, createTimeName, nameProp } from "./outputs/autoname";
import { genericValue, kebab } from "./outputs/generic";
import { RANDOM_SPECS } from "./outputs/random";
import { requiredOutputs, resourceDecl } from "./outputs/schema";

/** A resource the mock registered earlier in the run, as its state. */
export interface Registered {
    readonly type: string;
    readonly state: Readonly<Record<string, unknown>>;
}

/** What the mock knows about a resource being registered. */
export interface FakeInput {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly region: string;
    /** Resources registered before it, for outputs AWS derives from them (a load balancer's VPC is its subnets' VPC). */
    readonly registered?: readonly Registered[];
}

export interface FakeState {
    readonly id: string;
    readonly state: Record<string, unknown>;
}

/**
 * What `pulumi preview` knows of a new resource before it exists: its inputs, the physical name the
 * provider's check step auto-names, and `tagsAll` (planned from the tags). Every other output the SDK
 * declares always present (not `| undefined`) is unknown, as the engine's sentinel the SDK and the
 * policy pack receive: those only the provider computes (ARNs, ids, endpoints: `/*out*\/` in the SDK),
 * a name Terraform generates at create time, and each Optional+Computed input the program left out,
 * which a Terraform plan shows as "(known after apply)" (a bucket's `acl` and inline `logging`, a
 * security group's inline `ingress` when its rules are separate resources, an endpoint's
 * `securityGroupIds`). Outputs declared `| undefined` that the program left out stay absent.
 */
export function previewState(f: FakeInput): Record<string, unknown> {
    const state = planned(f);
    const prop = nameProp(f.type); // a name from a prefix, or one Terraform generates, comes at create time
    for (const name of [...requiredOutputs(f.type), ...(prop ? [prop] : [])]) if (!(name in state)) state[name] = UNKNOWN;
    return state;
}

/** Inputs, the auto-name and `tagsAll`: what the provider's check step plans. */
function planned(f: FakeInput): Record<string, unknown> {
    const inputs = { ...f.inputs, ...autoname(f.type, f.name, f.inputs) };
    const decl = resourceDecl(f.type);
    const tagged = decl ? decl.outputs.some((m) => m.name === "tagsAll") : inputs.tags !== undefined;
    return tagged ? { ...inputs, tagsAll: inputs.tags ?? {} } : inputs;
}

/**
 * The id and full state the mock returns for one resource: inputs, physical name, id, ARN, the outputs
 * the service computes in its documented formats, and a realistic value for every other output the
 * SDK declares as always present.
 */
export function fakeState(f: FakeInput): FakeState {
    const plan = planned(f);
    const inputs = { ...plan, ...createTimeName(f.type, f.name, plan) };
    const prop = nameProp(f.type);
    const physical = prop && typeof inputs[prop] === "string" ? (inputs[prop] as string) : f.name;
    const key = `${f.type}:${f.name}`;
    const ctx: Ctx = { type: f.type, name: f.name, region: f.region, inputs, physical, key, find: finder(f.registered ?? []) };
    const spec = SPECS[f.type] ?? RANDOM_SPECS[f.type] ?? {};
    const ec2 = EC2_STYLE[f.type];
    const [module, typeName] = [f.type.split(":")[1]?.split("/")[0] ?? "", f.type.split(":")[2] ?? ""];
    const service = ARN_SERVICES[module] ?? module;

    let id: string;
    let arn: string;
    if (spec.id === "arn") {
        arn = spec.arn!({ ...ctx, id: "" });
        id = arn;
    } else {
        id = spec.id ? spec.id(ctx) : ec2 ? `${ec2[0]}-${hex(key, 17)}` : prop ? physical : `${f.name}-${hex(key, 8)}`;
        const global = module === "iam" || module === "cloudfront" || module === "route53";
        arn = spec.arn?.({ ...ctx, id }) ?? arnOf(service, global ? "" : f.region, ec2 ? `${ec2[1]}/${id}` : `${kebab(typeName)}/${prop ? physical : id}`);
    }
    const computed = Object.fromEntries(Object.entries(spec.outputs?.({ ...ctx, id, arn }) ?? {}).filter(([, v]) => v !== undefined));

    const decl = resourceDecl(f.type);
    const filled: Record<string, unknown> = {};
    for (const m of decl?.outputs ?? []) {
        if (m.optional || m.name in inputs || m.name in computed || m.name === "arn") continue;
        filled[m.name] = genericValue(m, decl!.computed.has(m.name), { type: f.type, key, region: f.region, physical, service });
    }
    const withArn = !decl || decl.outputs.some((m) => m.name === "arn");
    return { id, state: { ...filled, ...inputs, ...computed, id, ...(withArn ? { arn } : {}) } };
}

/**
 * The outputs of a multi-language component (`awsx:ec2:Vpc` and the like): it registers remotely, so the
 * mock's state is all the program ever sees of it. Each output its SDK class declares gets a value of
 * its type (unknown in preview). Local components (the program's own) declare nothing here and ignore it.
 */
export function componentState(f: FakeInput, preview: boolean): Record<string, unknown> {
    const decl = resourceDecl(f.type);
    if (!decl) return {};
    const [pkg, module, typeName] = f.type.split(":");
    const ctx = { type: f.type, key: `${f.type}:${f.name}`, region: f.region, physical: f.name, service: module?.split("/")[0] ?? pkg };
    return Object.fromEntries(
        decl.outputs.map((m) => [m.name, preview ? UNKNOWN : genericValue(m, true, { ...ctx, service: ctx.service || typeName })]),
    );
}

/** Looks up earlier resources by a property value (`id` mostly), newest first. */
function finder(registered: readonly Registered[]): Ctx["find"] {
    return (types, prop, value) => {
        if (value === undefined) return undefined;
        for (let i = registered.length - 1; i >= 0; i--) {
            const r = registered[i];
            if (types.includes(r.type) && r.state[prop] === value) return r.state as Record<string, unknown>;
        }
        return undefined;
    };
}
