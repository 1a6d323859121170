import * as assert from "assert/strict";
import * as fs from "fs";
import { ANCHOR_CHECKS } from "../../policy/anchors";
import { ruleMeta } from "../../policy/lib/rule";
import { RULES } from "../../policy/rules";
import { CATALOGUE_FILE, checkStatus, coverage, renderCatalogue } from "../../tools/catalogue";

describe("policy catalogue (docs/policy-catalogue.md)", () => {
    it("is current with the rules and pack configs (regenerate: npm run catalogue)", () => {
        assert.equal(fs.readFileSync(CATALOGUE_FILE, "utf8"), renderCatalogue());
    });

    it("lists every rule once with its levels per stack, and a section per rule", () => {
        const text = renderCatalogue();
        for (const rule of RULES) {
            assert.equal(text.split(`| \`${rule.name}\` |`).length, 2, `${rule.name} has one row`);
            assert.ok(text.includes(`\n### ${rule.name}\n`), `${rule.name} has a section`);
        }
        assert.match(text, /^\| \[R17\]\(#r17-log-group-retention-and-kms\) \| `R17-log-group-retention-and-kms` \| \w+ \| mandatory \| advisory \| resource \| /m);
        assert.match(text, /^\| id \| policy \| severity \| production \| staging \| kind \| anchors \|$/m);
    });
});

describe("coverage of the public rule sets (policy/anchors.ts)", () => {
    const RULE_SETS = /^(cdk-nag|Pulumi|FSBP|SH) /;
    const known = new Set(ANCHOR_CHECKS.flatMap((c) => c.anchors));

    it("knows every cdk-nag, Pulumi, FSBP and Security Hub id a rule cites, and lists each id under one check", () => {
        const unknown = RULES.flatMap((r) =>
            (ruleMeta(r.name)?.anchors ?? []).filter((a) => RULE_SETS.test(a) && !known.has(a.replace(/ \(derived\)$/, ""))).map((a) => `${r.name}: ${a}`),
        );
        assert.deepEqual(unknown, []);
        const ids = ANCHOR_CHECKS.flatMap((c) => c.anchors);
        assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
        for (const c of ANCHOR_CHECKS) for (const a of c.anchors) assert.match(a, RULE_SETS, `${c.check}: ${a}`);
    });

    it("enforces at least 95% of the security-relevant checks and decides every other one in writing", () => {
        const [all] = coverage();
        assert.equal(all.total, ANCHOR_CHECKS.filter((c) => c.security && c.counted !== false).length);
        assert.equal(all.counts.missing, 0, "every security-relevant check is enforced or carries a decision");
        assert.ok(all.counts.enforced / all.total >= 0.95, `${all.counts.enforced}/${all.total} enforced`);
        const undecided = ANCHOR_CHECKS.filter((c) => checkStatus(c).status === "missing").map((c) => `${c.service}: ${c.check}`);
        assert.deepEqual(undecided, [], "hygiene checks too: enforced or decided");
        for (const c of ANCHOR_CHECKS) assert.ok(!(c.gap && c.decision), `${c.check}: a gap or a decision, not both`);
    });
});
