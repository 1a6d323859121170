// The policy catalogue (docs/policy-catalogue.md), rendered from the rules' own metadata and the pack
// configs, so it cannot drift: `npm run catalogue` writes it, and a test fails when it is stale.
import * as fs from "fs";
import * as path from "path";
import { ANCHOR_CHECKS, type AnchorCheck } from "../policy/anchors";
import { ruleMeta, type RuleMeta } from "../policy/lib/rule";
import { RULES, type Rule } from "../policy/rules";
import { levelOf, type PackConfig } from "./policy/evaluate";
import { PACK_CONFIG_DIR, readPackConfig } from "./policy/pack";

export const CATALOGUE_FILE = path.resolve(__dirname, "..", "docs", "policy-catalogue.md");

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function metaOf(rule: Rule): RuleMeta {
    const meta = ruleMeta(rule.name);
    if (!meta) throw new Error(`rule ${rule.name} has no catalogue metadata (build it with resourceRule or stackRule)`);
    return meta;
}

/** The stacks with a pack config in policy/config, and each one's config. */
function packConfigs(): [string, PackConfig][] {
    return fs
        .readdirSync(PACK_CONFIG_DIR)
        .filter((f) => f.endsWith(".json"))
        .sort((a, b) => Number(b === "production.json") - Number(a === "production.json") || a.localeCompare(b)) // production first
        .map((f) => [f.replace(/\.json$/, ""), readPackConfig(path.join(PACK_CONFIG_DIR, f))]);
}

/** An anchor label a rule cites as enforcing: `FSBP S3.5`; `... (derived)` cites it only as related. */
const enforcingAnchors = (meta: RuleMeta) => meta.anchors.filter((a) => !a.endsWith("(derived)"));

export type CheckStatus = "enforced" | "partial" | "decision" | "missing";

/** A check's status and the rules enforcing it: a rule enforces a check when it cites any of its ids. */
export function checkStatus(check: AnchorCheck): { status: CheckStatus; rules: string[] } {
    const rules = RULES.filter((r) => enforcingAnchors(metaOf(r)).some((a) => check.anchors.includes(a))).map((r) => metaOf(r).id);
    if (check.decision) return { status: "decision", rules };
    if (rules.length === 0) return { status: "missing", rules };
    return { status: check.gap ? "partial" : "enforced", rules };
}

/** Coverage of the security-relevant checks, overall and per rule set (each anchor id counted once). */
export function coverage(): { label: string; total: number; counts: Record<CheckStatus, number> }[] {
    const relevant = ANCHOR_CHECKS.filter((c) => c.security && c.counted !== false);
    const tally = (items: CheckStatus[]) => {
        const counts: Record<CheckStatus, number> = { enforced: 0, partial: 0, decision: 0, missing: 0 };
        for (const s of items) counts[s] += 1;
        return counts;
    };
    const perSet = (prefix: string) => relevant.flatMap((c) => c.anchors.filter((a) => a.startsWith(`${prefix} `)).map(() => checkStatus(c).status));
    return [
        { label: "all checks", total: relevant.length, counts: tally(relevant.map((c) => checkStatus(c).status)) },
        ...["cdk-nag", "Pulumi", "FSBP"].map((prefix) => {
            const items = perSet(prefix);
            return { label: `${prefix} ids`, total: items.length, counts: tally(items) };
        }),
    ];
}

const pct = (n: number, total: number) => `${((100 * n) / Math.max(total, 1)).toFixed(1)}%`;

function coverageSection(): string[] {
    const figures = coverage().map(
        ({ label, total, counts }) =>
            `| ${label} | ${total} | ${counts.enforced} (${pct(counts.enforced, total)}) | ${counts.partial} | ${counts.decision} | ${counts.missing} |`,
    );
    const services = [...new Set(ANCHOR_CHECKS.map((c) => c.service))];
    const tables = services.flatMap((service) => [
        `### ${service}`,
        "",
        "| check | anchor ids | security | status | rule or decision |",
        "|---|---|---|---|---|",
        ...ANCHOR_CHECKS.filter((c) => c.service === service).map((c) => {
            const { status, rules } = checkStatus(c);
            const why = [rules.join(", "), c.gap ? `gap: ${c.gap}` : "", c.decision ?? ""].filter(Boolean).join("; ");
            const security = c.counted === false ? "not counted" : c.security ? "yes" : "hygiene";
            return `| ${cell(c.check)} | ${c.anchors.map(cell).join(", ")} | ${security} | ${status} | ${cell(why) || "-"} |`;
        }),
        "",
    ]);
    return [
        "## Coverage of the public rule sets",
        "",
        "The checks that cdk-nag AwsSolutions, Pulumi's compliance-policies and Security Hub FSBP carry for the services",
        "the platform uses (`policy/anchors.ts`). A rule enforces a check when its anchors cite one of the check's ids;",
        "a check not enforced on purpose carries a written decision. Figures count security-relevant checks only",
        "(hygiene and availability checks are listed, not counted); per rule set, each of its ids counts once.",
        "",
        "| security-relevant | total | enforced | partial | decision | missing |",
        "|---|---|---|---|---|---|",
        ...figures,
        "",
        ...tables,
    ];
}

/** The whole document. */
export function renderCatalogue(): string {
    const stacks = packConfigs();
    const rows = RULES.map((rule) => {
        const meta = metaOf(rule);
        const kind = ["validateResource" in rule && "resource", "validateStack" in rule && "stack"].filter(Boolean).join(" + ");
        const levels = stacks.map(([, config]) => levelOf(rule, config));
        return `| [${meta.id}](#${rule.name.toLowerCase()}) | \`${rule.name}\` | ${meta.severity} | ${levels.join(" | ")} | ${kind} | ${meta.anchors.map(cell).join(", ")} |`;
    });
    const sections = RULES.flatMap((rule) => {
        const meta = metaOf(rule);
        const config = meta.configSchema ? [`- **Config:** \`${JSON.stringify(meta.configSchema.properties)}\``] : [];
        return [
            `### ${rule.name}`,
            "",
            `${meta.requirement} ${meta.why}`,
            "",
            `- **Severity:** ${meta.severity}; **level:** ${meta.level === "M" ? "mandatory in every stack" : "mandatory in production, advisory in staging (cost-driven)"}`,
            `- **Anchors:** ${meta.anchors.join(", ")}`,
            `- **Remediation:** ${meta.remediation}`,
            ...config,
            "",
        ];
    });
    return [
        "<!-- Generated by `npm run catalogue` from policy/rules and policy/config; do not edit by hand. -->",
        "# Policy catalogue",
        "",
        `The CrossGuard pack in \`policy/\`: ${RULES.length} rules and the \`webstack-exemptions\` policy. Each rule is`,
        "a policy named `<id>-<slug>`; a finding ends with `[finding <key>]`, the key an exemption names.",
        "Levels per stack come from `policy/config/<stack>.json` (the file `pulumi preview --policy-pack-config` takes).",
        "Resource rules check one resource's inputs; stack rules check relationships over the whole graph.",
        "",
        `| id | policy | severity | ${stacks.map(([s]) => s).join(" | ")} | kind | anchors |`,
        `|---|---|---|${stacks.map(() => "---|").join("")}---|---|`,
        ...rows,
        "",
        "## Rules",
        "",
        ...sections,
        ...coverageSection(),
    ].join("\n");
}

if (require.main === module) {
    fs.mkdirSync(path.dirname(CATALOGUE_FILE), { recursive: true });
    fs.writeFileSync(CATALOGUE_FILE, renderCatalogue());
    console.log(`wrote ${path.relative(process.cwd(), CATALOGUE_FILE)} (${RULES.length} rules)`);
}
