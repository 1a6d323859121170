// No Docker daemon here, so the image cannot be built: read app/Dockerfile and check the rules it must keep
// (what hadolint would flag, plus the contract with the task definition and app/src/config.ts).
import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_DATABASE_CA_FILE } from "../../app/src/config";
import { TIER_DEFAULTS } from "../../stacks/defaults";
import { ROOT } from "../helpers/engine";

interface Instruction {
    readonly keyword: string;
    readonly args: string;
    /** 1-based line of the instruction's first line. */
    readonly line: number;
}
interface Stage {
    readonly from: Instruction;
    readonly name?: string;
    readonly body: readonly Instruction[];
}

/** Instructions in order: comments and blank lines dropped, backslash continuations joined. */
export function instructions(text: string): Instruction[] {
    const out: Instruction[] = [];
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        if (/^\s*(#.*)?$/.test(lines[i])) continue;
        const start = i;
        let joined = lines[i];
        while (/\\\s*$/.test(joined) && i + 1 < lines.length) {
            i++;
            if (/^\s*#/.test(lines[i])) continue; // comment lines inside a continuation are dropped by Docker too
            joined = joined.replace(/\\\s*$/, " ") + lines[i];
        }
        const m = /^\s*(\S+)\s*(.*)$/s.exec(joined) as RegExpExecArray;
        out.push({ keyword: m[1].toUpperCase(), args: m[2].replace(/\s+/g, " ").trim(), line: start + 1 });
    }
    return out;
}

export function stages(list: readonly Instruction[]): Stage[] {
    const out: { from: Instruction; name?: string; body: Instruction[] }[] = [];
    for (const ins of list) {
        if (ins.keyword === "FROM") out.push({ from: ins, name: /\sAS\s+(\S+)$/i.exec(ins.args)?.[1], body: [] });
        else if (out.length > 0) out[out.length - 1].body.push(ins);
        else assert.fail(`line ${ins.line}: ${ins.keyword} before the first FROM`);
    }
    return out;
}

const APP = path.join(ROOT, "app");
const TEXT = fs.readFileSync(path.join(APP, "Dockerfile"), "utf8");
const ALL = instructions(TEXT);
const STAGES = stages(ALL);
const FINAL = STAGES[STAGES.length - 1];
const of = (stage: Stage, keyword: string) => stage.body.filter((i) => i.keyword === keyword);
const NODE_MAJOR = fs.readFileSync(path.join(ROOT, ".nvmrc"), "utf8").trim();
const PINNED = new RegExp(`^node:${NODE_MAJOR}-bookworm-slim@sha256:([0-9a-f]{64})(?: AS \\S+)?$`);

describe("app/Dockerfile", () => {
    it("parses: continuations joined, comments dropped", () => {
        assert.deepEqual(instructions("# c\nFROM a AS b\nRUN x \\\n  # inside\n  && y\n\nCMD [\"z\"]\n"), [
            { keyword: "FROM", args: "a AS b", line: 2 },
            { keyword: "RUN", args: "x && y", line: 3 },
            { keyword: "CMD", args: '["z"]', line: 7 },
        ]);
    });

    it("has four stages: certs, build, deps and the unnamed runtime", () => {
        assert.deepEqual(
            STAGES.map((s) => s.name ?? "(runtime)"),
            ["certs", "build", "deps", "(runtime)"],
        );
    });

    it(`pins every FROM to node:${NODE_MAJOR}-bookworm-slim (.nvmrc's major) by one real digest`, () => {
        const digests = STAGES.map((s) => {
            const m = PINNED.exec(s.from.args);
            assert.ok(m, `line ${s.from.line}: FROM ${s.from.args} is not node:${NODE_MAJOR}-bookworm-slim@sha256:<digest>`);
            return m[1];
        });
        assert.equal(new Set(digests).size, 1, "every stage uses the same base digest");
        assert.doesNotMatch(digests[0], /^(0+|f+|([0-9a-f])\2{63})$/, "not a placeholder digest");
        assert.equal(digests[0], "48e4b67d85f87bd551df43704e24d252f56cc5f8e9718841aace50f19948f0f9");
        assert.ok(!ALL.some((i) => i.keyword === "ARG" && /sha256|IMAGE/i.test(i.args)), "no ARG can swap the base");
    });

    it("downloads nothing unverified: no ADD, no piped installer, HTTPS only", () => {
        assert.deepEqual(
            ALL.filter((i) => i.keyword === "ADD").map((i) => i.line),
            [],
            "ADD of a URL has no checksum unless --checksum; COPY and a checked RUN are used instead",
        );
        for (const run of ALL.filter((i) => i.keyword === "RUN")) {
            assert.doesNotMatch(run.args, /\|\s*(ba)?sh\b/, `line ${run.line}: a download piped to a shell`);
            assert.doesNotMatch(run.args, /http:\/\//, `line ${run.line}: plain HTTP`);
            assert.doesNotMatch(run.args, /(--insecure|\s-k\s|--no-check-certificate)/, `line ${run.line}: TLS verification off`);
        }
    });

    it("builds the CA bundle from AWS's RDS bundle and Amazon Root CA 1 (RDS Proxy's ACM chain), checked", () => {
        const [certs] = STAGES;
        const run = of(certs, "RUN").map((i) => i.args).join("\n");
        assert.match(run, /curl --proto '=https' --tlsv1\.2 --fail .*https:\/\/truststore\.pki\.rds\.amazonaws\.com\/global\/global-bundle\.pem/);
        assert.match(run, /grep -v 'OU \*= \*Amazon RDS'/, "every certificate of the bundle is an RDS CA");
        assert.match(run, /Amazon_Root_CA_1\.crt/);
        assert.match(run, /8E:CD:E6:88:4F:3D:87:B1:12:5B:A3:1A:C3:FC:B1:3D:70:16:DE:7F:57:CC:90:4F:E1:CB:97:C6:AE:98:19:6E/);
        assert.match(run, /cat \/tmp\/rds\.pem "\$root" > \/out\/rds-global-bundle\.pem/);
        assert.deepEqual(
            of(FINAL, "COPY").filter((i) => i.args.includes("--from=certs")).map((i) => i.args),
            [`--from=certs /out/rds-global-bundle.pem ${DEFAULT_DATABASE_CA_FILE}`],
            "where app/src/config.ts looks for it by default",
        );
    });

    it("installs every dependency to build, and only the app's production dependencies to run", () => {
        const [, build, deps] = STAGES;
        assert.deepEqual(of(build, "RUN").map((i) => i.args), [
            "--mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund",
            "npm run build --workspace app",
        ]);
        assert.deepEqual(of(deps, "RUN").map((i) => i.args), [
            "--mount=type=cache,target=/root/.npm npm ci --omit=dev --workspace app --ignore-scripts --no-audit --no-fund",
        ]);
        // From the build stage only the compiled output: its node_modules hold the dev dependencies.
        assert.deepEqual(
            of(FINAL, "COPY").map((i) => i.args),
            [
                "--from=deps /app /app",
                "--from=build /app/app/dist /app/app/dist",
                "migrations /app/app/migrations",
                `--from=certs /out/rds-global-bundle.pem ${DEFAULT_DATABASE_CA_FILE}`,
            ],
        );
        assert.ok(!of(FINAL, "RUN").some((i) => /\bnpm\b.*\b(ci|install)\b/.test(i.args)), "nothing installed in the runtime stage");
    });

    it("runs as 1000:1000 (the task definition's user), with nothing after USER that needs root", () => {
        const users = ALL.filter((i) => i.keyword === "USER");
        assert.deepEqual(users.map((i) => i.args), ["1000:1000"]);
        assert.ok(FINAL.body.includes(users[0]), "the USER is in the runtime stage");
        const after = FINAL.body.slice(FINAL.body.indexOf(users[0]) + 1).map((i) => i.keyword);
        assert.deepEqual(after, ["EXPOSE", "HEALTHCHECK", "STOPSIGNAL", "CMD"]);
    });

    it("suits a read-only root filesystem: no VOLUME, no writable copies, the service writes only to stdout", () => {
        assert.deepEqual(ALL.filter((i) => i.keyword === "VOLUME"), []);
        assert.ok(!of(FINAL, "COPY").some((i) => /--chown|--chmod/.test(i.args)), "files stay root's, read-only to the user");
        assert.deepEqual(of(FINAL, "ENV").map((i) => i.args), ["NODE_ENV=production"]);
    });

    it("exposes the stacks' port and metrics port, leaves the health check to ECS and stops on SIGTERM", () => {
        for (const tier of ["staging", "production"] as const) {
            const { port, metricsPort } = TIER_DEFAULTS[tier].api;
            assert.deepEqual(of(FINAL, "EXPOSE").map((i) => i.args), [`${port} ${metricsPort}`], tier);
        }
        assert.deepEqual(of(FINAL, "HEALTHCHECK").map((i) => i.args), ["NONE"]);
        assert.deepEqual(of(FINAL, "STOPSIGNAL").map((i) => i.args), ["SIGTERM"]);
    });

    it("starts what app/package.json builds, with node directly (exec form: node gets the signal)", () => {
        const main = (JSON.parse(fs.readFileSync(path.join(APP, "package.json"), "utf8")) as { main: string }).main;
        assert.deepEqual(of(FINAL, "WORKDIR").map((i) => i.args), ["/app/app"]);
        assert.deepEqual(of(FINAL, "CMD").map((i) => JSON.parse(i.args) as unknown), [["node", main]]);
        assert.equal(main, "dist/main.js");
        assert.deepEqual(ALL.filter((i) => i.keyword === "ENTRYPOINT"), [], "the base image's docker-entrypoint.sh execs the CMD, so node still receives SIGTERM");
    });

    it("sends the build exactly what it copies from app/ (.dockerignore), and takes the lock from the workspace context", () => {
        const ignore = fs.readFileSync(path.join(APP, ".dockerignore"), "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
        assert.equal(ignore[0], "*");
        const included = ignore.filter((l) => l.startsWith("!")).map((l) => l.slice(1).replace(/\/$/, ""));
        const fromApp = new Set(
            ALL.filter((i) => i.keyword === "COPY" && !i.args.startsWith("--from="))
                .flatMap((i) => i.args.split(" ").slice(0, -1))
                .map((src) => src.replace(/\/$/, "")),
        );
        assert.deepEqual(included.sort(), [...fromApp].sort());
        for (const src of fromApp) assert.ok(fs.existsSync(path.join(APP, src)), `app/${src}`);
        const fromWorkspace = ALL.filter((i) => i.keyword === "COPY" && i.args.startsWith("--from=workspace "))
            .flatMap((i) => i.args.split(" ").slice(1, -1));
        assert.deepEqual([...new Set(fromWorkspace)].sort(), ["package-lock.json", "package.json", "policy/package.json", "tsconfig.json"]);
        for (const src of fromWorkspace) assert.ok(fs.existsSync(path.join(ROOT, src)), src);
    });
});
