// The fast path of every offline run (`npm run plan`, mocha, `--dir` projects), loaded with `node -r`
// after tools/node-check.js, before anything loads the SDK:
//  - node's compile cache (V8 code cache of every module, keyed by content) in node_modules/.cache,
//    unless NODE_COMPILE_CACHE names another folder or NODE_DISABLE_COMPILE_CACHE=1 turns it off;
//  - TypeScript through a content-keyed transpile cache, with source-mapped stack traces;
//  - the SDK modules an offline plan never uses, deferred until something uses them.
// Each is an optimisation only: a cache that cannot be written costs speed, never correctness.
"use strict";
const Module = require("module");
const path = require("path");

if (!process.env.NODE_COMPILE_CACHE) Module.enableCompileCache?.(path.join(__dirname, "..", "node_modules", ".cache", "node-compile-cache"));
require("./transpile-cache").install();
require("./engine/fast-path").deferSdkModules();
