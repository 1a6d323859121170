import { crc32 } from "zlib";

/**
 * `aws:iam/getPolicyDocument` rendered as the provider renders it. Rules from terraform-provider-aws
 * internal/service/iam/policy_document_data_source.go and policy_model.go:
 * - keys in order Version, Id, Statement; a statement's Sid, Effect, Action, NotAction, Resource,
 *   NotResource, Principal, NotPrincipal, Condition; empty ones omitted (so is an empty Sid);
 * - actions, resources and principal identifiers are sets: one element becomes a string, more become a
 *   list sorted in reverse; `&{` becomes `${` in resources, principals and condition values;
 * - principals and conditions are maps (keys sorted, as Go marshals them); several blocks of one type
 *   merge; a single `*` principal of type `*` becomes `"*"`; a condition with one value becomes a string;
 * - statements of source documents come first, then the statements given, then override documents,
 *   each replacing an earlier statement with the same Sid;
 * - `json` is indented by two spaces, `minifiedJson` is not, both with Go's HTML-safe escaping; the id is
 *   the CRC-32 of `json`.
 */
interface Principal {
    readonly type: string;
    readonly identifiers: string | string[];
}
interface Statement {
    Sid?: string;
    Effect?: string;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Principal?: Principal[];
    NotPrincipal?: Principal[];
    Condition?: { test: string; variable: string; values: string | string[] }[];
}
interface Doc {
    Version?: string;
    Id?: string;
    Statement: Statement[];
}
type Obj = Record<string, unknown>;

export function renderPolicyDocument(inputs: Obj): Obj {
    const version = typeof inputs.version === "string" ? inputs.version : "2012-10-17";
    const merged: Doc = { Statement: [] };
    for (const source of strings(inputs.sourcePolicyDocuments)) merge(merged, parse(source));
    const own: Doc = {
        Version: version,
        Id: typeof inputs.policyId === "string" ? inputs.policyId : undefined,
        Statement: list(inputs.statements).map((s) => statement(s as Obj, version)),
    };
    merge(merged, own);
    for (const override of strings(inputs.overridePolicyDocuments)) merge(merged, parse(override));
    const json = goJson(model(merged), 2);
    return {
        ...inputs,
        version,
        json,
        minifiedJson: goJson(model(merged), 0),
        id: String(crc32(json)),
    };
}

function statement(s: Obj, version: string): Statement {
    const vars = (v: string | string[]) => replaceVars(v, version);
    const set = (v: unknown) => (list(v).length > 0 ? decodeSet(strings(v)) : undefined);
    const principals = (v: unknown) => {
        const blocks = list(v).map((p) => ({ type: String((p as Obj).type), identifiers: vars(decodeSet(strings((p as Obj).identifiers))) }));
        return blocks.length > 0 ? blocks : undefined;
    };
    const conditions = list(s.conditions).map((c) => {
        const values = vars(strings((c as Obj).values));
        return { test: String((c as Obj).test), variable: String((c as Obj).variable), values: values.length === 1 ? values[0] : values };
    });
    const resources = set(s.resources);
    const notResources = set(s.notResources);
    return {
        Sid: typeof s.sid === "string" && s.sid !== "" ? s.sid : undefined,
        Effect: typeof s.effect === "string" ? s.effect : "Allow",
        Action: set(s.actions),
        NotAction: set(s.notActions),
        Resource: resources && vars(resources),
        NotResource: notResources && vars(notResources),
        Principal: principals(s.principals),
        NotPrincipal: principals(s.notPrincipals),
        Condition: conditions.length > 0 ? conditions : undefined,
    };
}

/** A Terraform string set: one element as a string, more sorted in reverse. */
function decodeSet(values: string[]): string | string[] {
    const unique = [...new Set(values)];
    return unique.length === 1 ? unique[0] : unique.sort(compare).reverse();
}

function replaceVars<T extends string | string[]>(v: T, version: string): T {
    const one = (s: string) => {
        if (version === "2008-10-17" && s.includes("&{")) throw new Error(`found &{ sequence in (${s}), which is not supported in document version 2008-10-17`);
        return s.replace(/&\{/g, "${");
    };
    return (Array.isArray(v) ? v.map(one) : one(v)) as T;
}

/** Later statements replace earlier ones with the same Sid; an Id or a newer Version wins. */
function merge(into: Doc, doc: Doc): void {
    if (doc.Id) into.Id = doc.Id;
    if ((doc.Version ?? "") > (into.Version ?? "")) into.Version = doc.Version;
    for (const s of doc.Statement) {
        const at = s.Sid ? into.Statement.findIndex((e) => e.Sid === s.Sid) : -1;
        if (at >= 0) into.Statement[at] = s;
        else into.Statement.push(s);
    }
}

/** A JSON policy document (source or override) read back into the model, as the provider unmarshals it. */
function parse(text: string): Doc {
    const raw = JSON.parse(text) as Obj;
    const principals = (p: unknown): Principal[] | undefined => {
        if (p === undefined) return undefined;
        if (typeof p === "string") return [{ type: "*", identifiers: ["*"] }];
        return Object.entries(p as Obj).map(([type, ids]) => ({ type, identifiers: Array.isArray(ids) ? strings(ids).sort(compare) : String(ids) }));
    };
    return {
        Version: typeof raw.Version === "string" ? raw.Version : undefined,
        Id: typeof raw.Id === "string" ? raw.Id : undefined,
        Statement: (Array.isArray(raw.Statement) ? raw.Statement : raw.Statement ? [raw.Statement] : []).map((s: Obj) => ({
            Sid: typeof s.Sid === "string" && s.Sid !== "" ? s.Sid : undefined,
            Effect: s.Effect as string | undefined,
            Action: s.Action as string | string[] | undefined,
            NotAction: s.NotAction as string | string[] | undefined,
            Resource: s.Resource as string | string[] | undefined,
            NotResource: s.NotResource as string | string[] | undefined,
            Principal: principals(s.Principal),
            NotPrincipal: principals(s.NotPrincipal),
            Condition: s.Condition
                ? Object.entries(s.Condition as Record<string, Obj>).flatMap(([test, vars]) =>
                      Object.entries(vars).map(([variable, v]) => ({ test, variable, values: Array.isArray(v) ? strings(v) : [String(v)] })),
                  )
                : undefined,
        })),
    };
}

/** The document as the provider marshals it (field order, omitted empties, merged maps). */
function model(doc: Doc): Obj {
    return omit({
        Version: doc.Version,
        Id: doc.Id,
        Statement: doc.Statement.length > 0 ? doc.Statement.map((s) => omit({ ...s, Principal: principalJson(s.Principal), NotPrincipal: principalJson(s.NotPrincipal), Condition: conditionJson(s.Condition) })) : undefined,
    });
}

function principalJson(ps: Principal[] | undefined): unknown {
    if (!ps || ps.length === 0) return undefined;
    if (ps.length === 1 && ps[0].type === "*") {
        const ids = ps[0].identifiers;
        if (ids === "*" || (Array.isArray(ids) && ids.length === 1 && ids[0] === "*")) return "*";
    }
    const raw: Record<string, string | string[]> = {};
    for (const p of ps) {
        const prior = raw[p.type];
        if (Array.isArray(p.identifiers)) {
            const ids = [...p.identifiers].sort(compare).reverse();
            raw[p.type] = prior === undefined ? ids : [...(Array.isArray(prior) ? prior : [prior]), ...ids];
        } else {
            raw[p.type] = prior === undefined ? p.identifiers : [...(Array.isArray(prior) ? prior : [prior]), p.identifiers];
        }
    }
    return sortKeys(raw);
}

function conditionJson(cs: Statement["Condition"]): unknown {
    if (!cs || cs.length === 0) return undefined;
    const raw: Record<string, Record<string, string[]>> = {};
    for (const c of cs) ((raw[c.test] ??= {})[c.variable] ??= []).push(...(Array.isArray(c.values) ? c.values : [c.values]));
    return sortKeys(Object.fromEntries(Object.entries(raw).map(([test, vars]) => [test, sortKeys(Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v.length === 1 ? v[0] : v])))])));
}

/** Go `encoding/json` output: map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
function goJson(value: unknown, indent: number): string {
    return JSON.stringify(value, null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Byte order, as Go's sort.Strings. */
function compare(a: string, b: string): number {
    const [x, y] = [Buffer.from(a), Buffer.from(b)];
    return Buffer.compare(x, y);
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.keys(o).sort(compare).map((k) => [k, o[k]]));
}

function omit(o: Obj): Obj {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function list(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

function strings(v: unknown): string[] {
    return list(v).map(String);
}
