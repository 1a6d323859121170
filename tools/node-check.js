// Loaded first by `npm run plan` and `npm test` (plain JS, so it runs before any TypeScript hook or SDK):
// @pulumi/pulumi >= 3.249 declares node >= 22 and its function serializer uses node-22-only APIs
// (fs.promises.glob), so an older node would fail later with a stack trace deep in the SDK.
// On an older node the same command re-runs on node 22 from the npm registry (the `node` package, via
// npx), saying so in one line; WEBSTACK_NODE_FETCH=off refuses that and only reports what is needed.
"use strict";
const { spawnSync } = require("child_process");

const required = require("../package.json").engines.node; // ">=22"
const needed = Number(required.replace(/[^0-9]/g, ""));
const major = Number(process.versions.node.split(".")[0]);

function refuse(reason) {
    process.stderr.write(
        `webstack needs node ${required} (found ${process.version}): @pulumi/pulumi requires it. ${reason}` +
            `Install node ${needed} (nvm install ${needed}), or run through npm's copy: npx -y -p node@${needed} -c 'npm test'\n`,
    );
    process.exit(2);
}

if (major < needed) {
    // The re-run's own check: npx handed back an old node again, so fetching cannot help.
    if (process.env.WEBSTACK_NODE_REEXEC) refuse(`npx -p node@${needed} did not provide it. `);
    if (process.env.WEBSTACK_NODE_FETCH === "off") refuse("");
    process.stderr.write(`webstack: node ${process.version} is older than ${required}; running this command on node ${needed} from the npm registry (npx -p node@${needed}; WEBSTACK_NODE_FETCH=off refuses)\n`);
    const run = spawnSync("npx", ["--yes", "--package", `node@${needed}`, "--", "node", ...process.execArgv, ...process.argv.slice(1)], {
        stdio: "inherit",
        env: { ...process.env, WEBSTACK_NODE_REEXEC: "1" },
    });
    if (run.error || run.status === null) refuse(`Fetching it failed (${run.error ? run.error.message : `signal ${run.signal}`}). `);
    process.exit(run.status);
}
