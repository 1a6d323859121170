import * as path from "path";
import { internetSurface, reachability, type Path } from "../../policy/lib/reachability";
import type { Node } from "../../policy/lib/graph";
import type { Graph } from "../engine/graph";
import { reveal } from "../engine/graph";
import type { Finding, Verdict } from "../policy/evaluate";

const SEVERITIES = ["critical", "high", "medium", "low"];

/**
 * The graph as stack rules see it: outputs (secrets revealed; only ids and ports are printed from it)
 * and property dependencies resolved to nodes, which is how references unknown at preview resolve.
 */
export function nodesOf(graph: Graph): Node[] {
    const nodes = graph.resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: reveal(r.outputs) as Record<string, unknown>,
        propertyDependencies: {} as Record<string, Node[]>,
    }));
    const byUrn = new Map(nodes.map((n) => [n.urn, n]));
    graph.resources.forEach((r, i) => {
        for (const [prop, urns] of Object.entries(r.propertyDependencies)) nodes[i].propertyDependencies[prop] = urns.flatMap((u) => byUrn.get(u) ?? []);
    });
    return nodes;
}

function findingLine(f: Finding): string {
    const where = f.resource ? `${f.resource} (${f.type?.split(":")[1] ?? "?"})` : "(stack)";
    return `${f.policy}  ${where}  ${f.message}`;
}

const byPolicy = (a: Finding, b: Finding) => a.policy.localeCompare(b.policy) || (a.resource ?? "").localeCompare(b.resource ?? "");

function grouped(findings: readonly Finding[]): string[] {
    const lines: string[] = [];
    for (const severity of [...SEVERITIES, undefined]) {
        const group = findings.filter((f) => (SEVERITIES.includes(f.severity ?? "") ? f.severity : undefined) === severity);
        if (group.length === 0) continue;
        lines.push(`    ${severity ?? "unrated"}:`, ...[...group].sort(byPolicy).map((f) => `      ${findingLine(f)}`));
    }
    return lines;
}

export function reachabilityLines(paths: readonly Path[]): string[] {
    if (paths.length === 0) return ["    (no ingress rules)"];
    const toWidth = Math.max(...paths.map((p) => p.to.length));
    const portWidth = Math.max(...paths.map((p) => p.port.length));
    return paths.map((p) => `    ${p.to.padEnd(toWidth)}  ${p.port.padEnd(portWidth)}  from ${p.from}`);
}

export function verdictLine(verdict: Verdict): string {
    const n = (count: number, word: string, plural = `${word}s`) => `${count} ${count === 1 ? word : plural}`;
    const status = verdict.mandatory.length > 0 ? "FAIL" : "PASS";
    return `Verdict: ${status}: ${n(verdict.mandatory.length, "mandatory violation")}, ${n(verdict.advisory.length - verdict.exempted.length, "advisory", "advisories")}, ${n(verdict.exempted.length, "exempted finding")}`;
}

/** The policy section of the text report. */
export function renderVerdict(graph: Graph, verdict: Verdict, policyCount: number, configFile: string | undefined): string[] {
    const nodes = nodesOf(graph);
    const advisories = verdict.advisory.filter((f) => !verdict.exempted.includes(f));
    const surface = internetSurface(nodes);
    return [
        `Policy pack webstack: ${policyCount} policies, config ${configFile ? path.relative(process.cwd(), configFile) : "(none: every policy at its own level)"}`,
        `  Mandatory violations (${verdict.mandatory.length}):`,
        ...(verdict.mandatory.length ? grouped(verdict.mandatory) : ["    none"]),
        `  Advisories (${advisories.length}):`,
        ...(advisories.length ? grouped(advisories) : ["    none"]),
        `  Exemptions in force (${verdict.exempted.length}):`,
        ...(verdict.exempted.length ? verdict.exempted.map((f) => `    ${findingLine(f)}`) : ["    none"]),
        "  Reachability (S04: who can open connections to which security group):",
        ...reachabilityLines(reachability(nodes)),
        "  Internet-facing surface (S05):",
        ...(surface.length ? surface.map((s) => `    ${s.allowed ? "allowed" : "NOT ALLOWED"}  ${s.resource.name}  ${s.what}`) : ["    none"]),
        "",
        verdictLine(verdict),
    ];
}

/** The policy section of the JSON report. */
export function verdictJson(graph: Graph, verdict: Verdict, configFile: string | undefined) {
    const nodes = nodesOf(graph);
    return {
        config: configFile ?? null,
        passed: verdict.mandatory.length === 0,
        mandatory: verdict.mandatory,
        advisory: verdict.advisory.filter((f) => !verdict.exempted.includes(f)),
        exempted: verdict.exempted,
        reachability: reachability(nodes).map(({ to, port, from }) => ({ to, port, from })),
        surface: internetSurface(nodes).map((s) => ({ resource: s.resource.name, type: s.resource.type, what: s.what, allowed: s.allowed })),
    };
}
