// The fast path of every offline run (`npm run plan`, mocha, `--dir` projects), loaded with `node -r`
// after tools/node-check.js: TypeScript through a content-keyed transpile cache with source-mapped
// stacks, and the SDK modules an offline plan never uses deferred until something uses them.
"use strict";
require("./transpile-cache").install();
require("./engine/fast-path").deferSdkModules();
