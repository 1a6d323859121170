import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** An accepted exception to one finding of one policy on one resource, until a date. */
export interface Exemption {
    /** The policy's name, e.g. `R26-world-ingress-https-only`. */
    readonly policy: string;
    /** The finding key the policy prints in `[finding <key>]`. */
    readonly finding: string;
    /** The resource: its logical name or URN. */
    readonly target: string;
    /** Why the exception is acceptable: at least 20 characters. */
    readonly reason: string;
    /** Last day the exemption holds, `YYYY-MM-DD`; at most a year ahead, so every exemption is reviewed. */
    readonly expires: string;
}

export const EXEMPTIONS_POLICY = "webstack-exemptions";
const MIN_REASON = 20;
const MAX_DAYS = 366;

/** The exemptions in force for the current analysis. The exemptions policy is first in the pack, so it sets them before any rule runs. */
let active: readonly Exemption[] = [];

/** Forgets the loaded list: an analysis without the exemptions policy must not inherit a previous one's. */
export function clearExemptions(): void {
    active = [];
}

/** The exemption covering a finding, if one is in force. */
export function exemptionFor(policy: string, finding: string, name: string, urn: string): Exemption | undefined {
    return active.find((e) => e.policy === policy && e.finding === finding && (e.target === name || e.target === urn));
}

/** Splits a configured list into usable exemptions and one problem message per malformed or expired entry. */
export function parseExemptions(raw: unknown, policyNames: readonly string[], today: Date): { valid: Exemption[]; problems: string[] } {
    const valid: Exemption[] = [];
    const problems: string[] = [];
    if (raw === undefined) return { valid, problems };
    if (!Array.isArray(raw)) return { valid, problems: ["exemptions must be a list"] };
    const day = today.toISOString().slice(0, 10);
    raw.forEach((entry: Partial<Record<keyof Exemption, unknown>>, i) => {
        const where = `exemption ${i + 1}`;
        const wrong: string[] = [];
        for (const field of ["policy", "finding", "target", "reason", "expires"] as const) {
            if (typeof entry?.[field] !== "string" || (entry[field] as string).trim() === "") wrong.push(`"${field}" must be a non-empty string`);
        }
        if (wrong.length === 0) {
            const e = entry as Exemption;
            if (!policyNames.includes(e.policy)) wrong.push(`"policy" ${JSON.stringify(e.policy)} is not a policy of this pack`);
            if (e.reason.trim().length < MIN_REASON) wrong.push(`"reason" must explain the exception in at least ${MIN_REASON} characters`);
            const expires = /^\d{4}-\d{2}-\d{2}$/.test(e.expires) ? new Date(`${e.expires}T00:00:00Z`) : undefined;
            if (!expires || Number.isNaN(expires.getTime())) {
                wrong.push(`"expires" must be a date YYYY-MM-DD`);
            } else if (e.expires < day) {
                problems.push(`${where} (${e.policy} on ${e.target}) expired on ${e.expires}: renew it with a new reason or fix the finding`);
                return;
            } else if ((expires.getTime() - today.getTime()) / 86_400_000 > MAX_DAYS) {
                wrong.push(`"expires" ${e.expires} is more than a year ahead`);
            }
        }
        if (wrong.length > 0) problems.push(`${where} is malformed: ${wrong.join("; ")}`);
        else valid.push(entry as Exemption);
    });
    return { valid, problems };
}

/**
 * The pack's first policy. Per resource and per stack it loads the exemption list from its config
 * (`"webstack-exemptions": {"exemptions": [...]}` in the pack config) for the rules after it; in the
 * stack phase it reports malformed and expired exemptions as violations of their own.
 */
export function exemptionsPolicy(policyNames: () => readonly string[], today: () => Date = () => new Date()): ResourceValidationPolicy & StackValidationPolicy {
    const load = (config: { exemptions?: unknown }) => parseExemptions(config.exemptions, policyNames(), today());
    return {
        name: EXEMPTIONS_POLICY,
        description:
            "Exemptions are explicit, justified and temporary: each names a policy, a finding, a target, a reason of at least 20 characters and an expiry at most a year ahead. Malformed or expired exemptions are violations.",
        enforcementLevel: "mandatory",
        severity: "high",
        tags: ["exemptions"],
        remediationSteps: "Fix or remove the listed exemption in the policy pack config (policy/config/<stack>.json).",
        configSchema: { properties: { exemptions: { type: "array", items: { type: "object" } } } },
        validateResource: (args) => {
            active = load(args.getConfig()).valid;
        },
        validateStack: (args, reportViolation) => {
            const { valid, problems } = load(args.getConfig());
            active = valid;
            for (const problem of problems) reportViolation(problem);
        },
    };
}
