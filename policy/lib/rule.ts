import type { PolicyConfigSchema, PolicyResource, ReportViolation, ResourceValidationPolicy, Severity, StackValidationPolicy } from "@pulumi/policy";
import { exemptionFor } from "./exemptions";

/** M: mandatory in every stack. MP: mandatory in production, advisory in staging (policy/config/staging.json). */
export type Level = "M" | "MP";

/** What a rule is: the catalogue entry (docs/policy-catalogue.md is generated from these). */
export interface RuleMeta {
    /** Catalogue id, `R26` or `S04`. */
    readonly id: string;
    /** Short kebab-case summary; the policy name is `<id>-<slug>`. */
    readonly slug: string;
    /** What the rule requires, one sentence. */
    readonly requirement: string;
    /** Why it matters. */
    readonly why: string;
    /** Public rule sets that carry it: cdk-nag, Security Hub FSBP, checkov. */
    readonly anchors: readonly string[];
    readonly level: Level;
    readonly severity: Severity;
    readonly remediation: string;
    /** Properties the rule reads from its pack config (the CLI rejects config for undeclared ones). */
    readonly configSchema?: PolicyConfigSchema;
}

/** A resource as a resource rule sees it. */
export interface Subject {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
}

/** Reports one finding: `key` identifies the problem within its resource (an exemption names it). */
export type Report = (key: string, message: string, urn?: string) => void;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Props = Record<string, any>;
export type ResourceCheck = (props: Props, subject: Subject, report: Report, config: Props) => void;
export type StackCheck = (resources: PolicyResource[], report: Report, config: Props) => void;

export const policyName = (meta: RuleMeta) => `${meta.id}-${meta.slug}`;

const CATALOGUE = new Map<string, RuleMeta>();

/** A rule's catalogue entry by policy name (for the generated catalogue). */
export function ruleMeta(name: string): RuleMeta | undefined {
    return CATALOGUE.get(name);
}

function base(meta: RuleMeta) {
    CATALOGUE.set(policyName(meta), meta);
    return {
        name: policyName(meta),
        description: `${meta.requirement} ${meta.why} (${meta.anchors.join(", ")})`,
        // The rule's own level is the production one; staging.json lowers MP rules to advisory.
        enforcementLevel: "mandatory" as const,
        severity: meta.severity,
        tags: [meta.id, meta.level === "M" ? "mandatory" : "mandatory-in-production", ...meta.anchors],
        remediationSteps: meta.remediation,
        ...(meta.configSchema ? { configSchema: meta.configSchema } : {}),
    };
}

/**
 * Wraps reportViolation: appends the finding key, and reports an exempted finding as advisory
 * (still visible, no longer blocking), saying which exemption covers it.
 */
function reporter(name: string, reportViolation: ReportViolation, nameOf: (urn: string) => string, defaultUrn?: string): Report {
    return (key, message, urn = defaultUrn) => {
        const text = `${message} [finding ${key}]`;
        const target = urn ?? "";
        const exemption = exemptionFor(name, key, nameOf(target), target);
        if (!exemption) return reportViolation(text, urn);
        const exempted = { message: `exempted until ${exemption.expires} (${exemption.reason}): ${text}`, urn, enforcementLevel: "advisory" };
        // reportViolation also takes a diagnostic object with its own enforcement level (@pulumi/policy >= 1.17).
        (reportViolation as unknown as (d: typeof exempted) => void)(exempted);
    };
}

function validateStack(meta: RuleMeta, check: StackCheck): StackValidationPolicy["validateStack"] {
    const name = policyName(meta);
    return (args, reportViolation) => {
        const names = new Map(args.resources.map((r) => [r.urn, r.name]));
        const report = reporter(name, reportViolation, (urn) => names.get(urn) ?? urn);
        check(args.resources, report, args.getConfig());
    };
}

/**
 * A policy checking each resource of the given types on its own inputs. A resource rule cannot see
 * which resource a reference known only after deploy points at; `relations`, when given, is the
 * same policy's stack phase that decides those references through property dependencies.
 */
export function resourceRule(meta: RuleMeta, types: readonly string[], check: ResourceCheck, relations?: StackCheck): ResourceValidationPolicy & Partial<StackValidationPolicy> {
    const name = policyName(meta);
    const accepted = new Set(types); // R19 checks 862 types, on every resource
    const policy: ResourceValidationPolicy & Partial<StackValidationPolicy> = {
        ...base(meta),
        validateResource: (args, reportViolation) => {
            if (!accepted.has(args.type)) return;
            const report = reporter(name, reportViolation, () => args.name, args.urn);
            check(args.props, { type: args.type, name: args.name, urn: args.urn }, report, args.getConfig());
        },
        ...(relations ? { validateStack: validateStack(meta, relations) } : {}),
    };
    RESOURCE_TYPES.set(policy, accepted);
    return policy;
}

const RESOURCE_TYPES = new WeakMap<object, ReadonlySet<string>>();

/**
 * The resource types a resource rule's validateResource looks at (it returns at once for any other), or
 * undefined for a policy not made by resourceRule. The offline evaluator skips the calls that cannot report.
 */
export function resourceTypesOf(policy: object): ReadonlySet<string> | undefined {
    return RESOURCE_TYPES.get(policy);
}

/** A policy over the whole graph (relationships between resources), given every resource's outputs. */
export function stackRule(meta: RuleMeta, check: StackCheck): StackValidationPolicy {
    return { ...base(meta), validateStack: validateStack(meta, check) };
}
