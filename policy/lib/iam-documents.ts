import { asArray, asDocument } from "./values";

/** One policy statement with every field in list form, whatever shape the document used. */
export interface Statement {
    readonly index: number;
    readonly sid?: string;
    readonly effect: string;
    readonly actions: string[];
    readonly notActions: string[];
    readonly resources: string[];
    readonly notResources: string[];
    /** `*` for `"Principal": "*"`, else `<kind>:<value>` such as `AWS:*` or `Service:logs.amazonaws.com`. */
    readonly principals: string[];
    readonly conditions: Record<string, Record<string, string[]>>;
}

/** The statements of an IAM, trust, key, bucket or topic policy given as a JSON string or an object. */
export function statements(document: unknown): Statement[] {
    const doc = asDocument(document);
    if (!doc) return [];
    const list = asArray<unknown>(doc.Statement as unknown[]);
    // A null or scalar entry is kept as an empty statement, so rules report it instead of crashing.
    return list.map((entry, index) => {
        const s = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
        return {
        index,
        sid: typeof s.Sid === "string" ? s.Sid : undefined,
        effect: String(s.Effect ?? ""),
        actions: asArray(s.Action as string | string[]).map(String),
        notActions: asArray(s.NotAction as string | string[]).map(String),
        resources: asArray(s.Resource as string | string[]).map(String),
        notResources: asArray(s.NotResource as string | string[]).map(String),
        principals: principals(s.Principal),
        conditions: conditions(s.Condition),
        };
    });
}

function principals(principal: unknown): string[] {
    if (principal === undefined) return [];
    if (principal === "*") return ["*"];
    if (typeof principal !== "object" || principal === null) return [String(principal)];
    return Object.entries(principal).flatMap(([kind, values]) => asArray(values as string | string[]).map((v) => `${kind}:${v}`));
}

function conditions(condition: unknown): Record<string, Record<string, string[]>> {
    if (typeof condition !== "object" || condition === null) return {};
    const out: Record<string, Record<string, string[]>> = {};
    for (const [operator, block] of Object.entries(condition)) {
        out[operator] = {};
        for (const [key, values] of Object.entries((block ?? {}) as Record<string, unknown>)) {
            out[operator][key.toLowerCase()] = asArray(values as string | string[]).map(String);
        }
    }
    return out;
}

/** True when anyone may be the principal: `"*"` or `{"AWS": "*"}`. */
export function isPublicPrincipal(s: Statement): boolean {
    return s.principals.includes("*") || s.principals.includes("AWS:*");
}

/** The values a statement's condition gives a key (case-insensitive, as IAM treats keys) under an operator. */
export function conditionValues(s: Statement, operator: string, key: string): string[] {
    return s.conditions[operator]?.[key.toLowerCase()] ?? [];
}

export function hasConditions(s: Statement): boolean {
    return Object.keys(s.conditions).length > 0;
}
