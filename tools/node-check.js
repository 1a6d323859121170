// Loaded first by `npm run plan` and `npm test` (plain JS, so it runs before any TypeScript hook or SDK):
// @pulumi/pulumi >= 3.249 declares node >= 22 and its function serializer uses node-22-only APIs
// (fs.promises.glob), so an older node would fail later with a stack trace deep in the SDK.
"use strict";
const required = require("../package.json").engines.node; // ">=22"
const major = Number(process.versions.node.split(".")[0]);
if (major < Number(required.replace(/[^0-9]/g, ""))) {
    process.stderr.write(
        `webstack needs node ${required} (found ${process.version}): @pulumi/pulumi requires it. ` +
            "Install node 22 (nvm install 22), or run through npm's copy: npx -y -p node@22 -c 'npm test'\n",
    );
    process.exit(2);
}
