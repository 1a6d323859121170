import * as assert from "assert/strict";
import * as fs from "fs";
import { RULES } from "../../policy/rules";
import { CATALOGUE_FILE, renderCatalogue } from "../../tools/catalogue";

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
