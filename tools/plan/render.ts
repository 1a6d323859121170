import type { Graph, RecordedResource } from "../engine/graph";
import { mask } from "../engine/graph";
import { details, indexById } from "./details";

/** Resources per type, sorted by type. */
export function countByType(resources: readonly RecordedResource[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of [...resources].sort((a, b) => a.type.localeCompare(b.type))) counts[r.type] = (counts[r.type] ?? 0) + 1;
    return counts;
}

export function summaryLine(graph: Graph, seconds: number): string {
    const components = graph.resources.filter((r) => !r.custom).length;
    const custom = graph.resources.length - components;
    const types = new Set(graph.resources.filter((r) => r.custom).map((r) => r.type)).size;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    return (
        `Plan: ${plural(graph.resources.length, "resource")} (${plural(components, "component")}, ` +
        `${plural(custom, "cloud resource")} of ${plural(types, "type")}) ` +
        `for ${graph.project}/${graph.stack} in ${graph.region}, evaluated offline in ${seconds.toFixed(2)} s`
    );
}

// One collator for every comparison: localeCompare with a locale or options builds a new one per call.
const natural = new Intl.Collator("en", { numeric: true });
const byName = (a: RecordedResource, b: RecordedResource) => a.type.localeCompare(b.type) || natural.compare(a.name, b.name);

/** The resource tree (component -> children), one line each: type, logical name, key facts. */
export function renderTree(graph: Graph): string[] {
    const children = new Map<string | undefined, RecordedResource[]>();
    const urns = new Set(graph.resources.map((r) => r.urn));
    for (const r of graph.resources) {
        const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), r]);
    }
    // Components first, then custom resources, each sorted by type and natural name order.
    const kids = (urn: string | undefined) =>
        [...(children.get(urn) ?? [])].sort((a, b) => Number(a.custom) - Number(b.custom) || byName(a, b));
    const rows: { prefix: string; r: RecordedResource }[] = [];
    const walk = (urn: string | undefined, indent: string) => {
        const list = kids(urn);
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = urn === undefined ? "" : last ? "└─ " : "├─ ";
            rows.push({ prefix: indent + branch, r });
            walk(r.urn, urn === undefined ? indent : indent + (last ? "   " : "│  "));
        });
    };
    walk(undefined, "");
    const byId = indexById(graph.resources);
    const typeWidth = Math.max(...rows.map(({ prefix, r }) => prefix.length + r.type.length));
    const nameWidth = Math.max(...rows.map(({ r }) => r.name.length));
    return rows.map(({ prefix, r }) => {
        const note = details(r, byId);
        return `${(prefix + r.type).padEnd(typeWidth)}  ${note ? r.name.padEnd(nameWidth) : r.name}${note ? `  ${note}` : ""}`;
    });
}

/** The whole human-readable report. */
export function renderText(graph: Graph, seconds: number): string {
    const counts = Object.entries(countByType(graph.resources));
    const width = Math.max(...counts.map(([, n]) => String(n).length));
    const outputs = Object.entries(graph.outputs).map(([k, v]) => `  ${k}: ${JSON.stringify(mask(v))}`);
    return [
        `Offline ${graph.preview ? "preview (computed values unknown, as `pulumi preview` of a new stack)" : "plan"} of ` +
            `${graph.project}/${graph.stack} (${graph.stackFile}, ${graph.region}) on the Pulumi mock engine`,
        "",
        ...renderTree(graph),
        "",
        "Resources by type:",
        ...counts.map(([type, n]) => `  ${String(n).padStart(width)}  ${type}`),
        "",
        "Outputs:",
        ...outputs,
        "",
        summaryLine(graph, seconds),
    ].join("\n");
}

/** The same report for scripts: every resource with type, name, parent, provider, and its inputs and outputs masked. */
export function planJson(graph: Graph, seconds: number): Record<string, unknown> {
    return {
        project: graph.project,
        stack: graph.stack,
        stackFile: graph.stackFile,
        region: graph.region,
        preview: graph.preview,
        summary: summaryLine(graph, seconds),
        root: { urn: graph.root.urn, type: graph.root.type, name: graph.root.name },
        counts: countByType(graph.resources),
        resources: [...graph.resources].sort((a, b) => a.urn.localeCompare(b.urn)).map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent ?? null,
            provider: r.provider ?? null,
            custom: r.custom,
            inputs: mask(r.inputs),
            outputs: mask(r.outputs),
        })),
        outputs: mask(graph.outputs),
    };
}
