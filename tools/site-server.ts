// Serves site/ on 127.0.0.1 the way the distribution does, for looking at the UI in a browser:
// the security headers and CSP of the response headers policy, /site-config.json from the
// environment given, /api/health answering with the given status, and /404.html for unknown paths.
// Usage: node -r ts-node/register/transpile-only tools/site-server.ts <port> <environment> <api status, 0 = no answer>
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { CONTENT_SECURITY_POLICY } from "../components/static-site";
import { siteFiles } from "../components/shared/site-files";

const [port = "8080", environment = "staging", apiStatus = "200"] = process.argv.slice(2);
const files = new Map(siteFiles(path.join(__dirname, "..", "site"), { environment }).map((f) => [`/${f.key}`, f]));

const headers = {
    "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "content-security-policy": CONTENT_SECURITY_POLICY.replace(" upgrade-insecure-requests", ""), // plain HTTP on loopback
};

async function body(key: string): Promise<Buffer> {
    const asset = files.get(key)?.source as unknown as { path?: Promise<string>; text?: Promise<string> };
    return asset.path ? fs.readFileSync(await asset.path) : Buffer.from((await asset.text) ?? "");
}

http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost").pathname;
    if (url === "/api/health") {
        if (apiStatus === "0") return; // never answers: the page times out
        res.writeHead(Number(apiStatus), { ...headers, "content-type": "application/json" }).end(JSON.stringify({ status: apiStatus === "200" ? "ok" : "error" }));
        return;
    }
    const key = url === "/" ? "/index.html" : url;
    const file = files.get(key) ?? files.get("/404.html");
    const status = files.has(key) ? 200 : 404;
    res.writeHead(status, { ...headers, "content-type": file?.contentType ?? "text/plain", "cache-control": file?.cacheControl ?? "no-cache" });
    res.end(await body(files.has(key) ? key : "/404.html"));
}).listen(Number(port), "127.0.0.1", () => console.log(`site on http://127.0.0.1:${port}/`));
