/** How rules name policy statements, and which Allow statements anyone may use. */
import { isPublicPrincipal, type Statement } from "./iam-documents";
import { asArray, asDocument } from "./values";

/** `statement 2 (ReadSite)`: 1-based, as people count, with the Sid when there is one. */
export function statementLabel(s: Statement): string {
    return `statement ${s.index + 1}${s.sid ? ` (${s.sid})` : ""}`;
}

/** The stable part of a finding key for a statement: its Sid, else `statement-<n>`. */
export function statementKey(s: Statement): string {
    return s.sid ?? `statement-${s.index + 1}`;
}

/** Effect is case-sensitive for IAM, but anything not plainly `Deny` is treated as a grant here. */
export function isAllow(s: Statement): boolean {
    return s.effect.toLowerCase() !== "deny";
}

/** Indexes of the statements that use `NotPrincipal` (statements() does not carry it). */
function notPrincipalIndexes(document: unknown): Set<number> {
    const doc = asDocument(document);
    if (!doc) return new Set();
    const raw = asArray(doc.Statement as Record<string, unknown> | Record<string, unknown>[]);
    return new Set(raw.flatMap((s, i) => (typeof s === "object" && s !== null && (s as Record<string, unknown>).NotPrincipal !== undefined ? [i] : [])));
}

/** How an Allow statement opens to everyone: a `*` principal, or NotPrincipal (everyone except those listed). */
export type PublicKind = "star" | "not-principal";

/** The Allow statements of a resource policy that anyone may use, each with how. */
export function publicAllows(document: unknown, statements: readonly Statement[]): { statement: Statement; kind: PublicKind }[] {
    const notPrincipal = notPrincipalIndexes(document);
    return statements.flatMap((s): { statement: Statement; kind: PublicKind }[] => {
        if (!isAllow(s)) return [];
        if (isPublicPrincipal(s)) return [{ statement: s, kind: "star" }];
        return notPrincipal.has(s.index) ? [{ statement: s, kind: "not-principal" }] : [];
    });
}

/** How a public statement's principal reads in a message. */
export function publicPrincipalText(kind: PublicKind): string {
    return kind === "star" ? 'any principal ("*")' : "everyone except its NotPrincipal";
}
