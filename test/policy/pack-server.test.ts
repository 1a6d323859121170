// Starts policy/index.ts the way the Pulumi CLI does (a child process serving gRPC on 127.0.0.1) and
// talks to it with the SDK's own analyzer client.
import * as assert from "assert/strict";
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { POLICIES } from "../../policy/rules";
import { ROOT } from "../helpers/engine";

type Client = InstanceType<typeof analyzerGrpc.AnalyzerClient>;

function call<Req, Res>(method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => method(req, (err, res) => (err ? reject(err) : resolve(res))));
}

describe("policy pack served over gRPC (as pulumi preview --policy-pack runs it)", function () {
    this.timeout(60_000);
    let child: ChildProcess;
    let client: Client;

    before(async () => {
        child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "index.ts"], { cwd: path.join(ROOT, "policy") });
        const port = await new Promise<string>((resolve, reject) => {
            let out = "";
            let err = "";
            child.stdout?.on("data", (d) => {
                out += d;
                const line = out.split("\n")[0];
                if (out.includes("\n") && /^\d+$/.test(line.trim())) resolve(line.trim());
            });
            child.stderr?.on("data", (d) => (err += d));
            child.on("exit", (code) => reject(new Error(`policy pack exited ${code}: ${err}`)));
        });
        client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        child?.kill();
    });

    it("loads and lists every rule with its metadata", async () => {
        const info = await call<Empty, analyzerPb.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
        assert.equal(info.getName(), "webstack");
        assert.equal(info.getVersion(), "0.1.0");
        const listed = info.getPoliciesList();
        assert.deepEqual(listed.map((p) => p.getName()), POLICIES.map((p) => p.name));
        for (const p of listed.filter((x) => /^[RS]\d\d-/.test(x.getName()))) {
            assert.ok(p.getDescription().length > 40, `${p.getName()} has a description`);
            assert.ok(p.getRemediationSteps().length > 0, `${p.getName()} has remediation steps`);
            assert.equal(p.getTagsList()[0], p.getName().slice(0, 3), `${p.getName()} is tagged with its id`);
            assert.notEqual(p.getSeverity(), analyzerPb.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED, `${p.getName()} has a severity`);
        }
    });

    async function analyzeSubnet(): Promise<string[]> {
        const req = new analyzerPb.AnalyzeRequest();
        req.setType("aws:ec2/subnet:Subnet");
        req.setName("public-0");
        req.setUrn("urn:pulumi:dev::webstack::aws:ec2/subnet:Subnet::public-0");
        req.setProperties(Struct.fromJavaScript({ cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true }));
        req.setOptions(new analyzerPb.AnalyzerResourceOptions());
        const res = await call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(client.analyze.bind(client), req);
        return res.getDiagnosticsList().map((d) => `${d.getPolicyname()} ${d.getEnforcementlevel()} ${d.getMessage().split("\n").pop()}`);
    }

    it("reports a violation through the real server", async () => {
        const diagnostics = await analyzeSubnet();
        assert.ok(diagnostics.includes("R30-subnets-no-public-ips 1 subnet auto-assigns public IPs (mapPublicIpOnLaunch is true) [finding map-public-ip]"), diagnostics.join("\n"));
    });

    it("honours an exemption from the pack config, reporting the finding as advisory", async () => {
        const req = new analyzerPb.ConfigureAnalyzerRequest();
        const policyConfig = new analyzerPb.PolicyConfig();
        policyConfig.setEnforcementlevel(analyzerPb.EnforcementLevel.MANDATORY);
        const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
        policyConfig.setProperties(
            Struct.fromJavaScript({
                exemptions: [{ policy: "R30-subnets-no-public-ips", finding: "map-public-ip", target: "public-0", reason: "legacy subnet kept until the migration", expires }],
            }),
        );
        req.getPolicyconfigMap().set("webstack-exemptions", policyConfig);
        await call<analyzerPb.ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), req);
        const diagnostics = await analyzeSubnet();
        assert.ok(
            diagnostics.includes(
                `R30-subnets-no-public-ips 0 exempted until ${expires} (legacy subnet kept until the migration): subnet auto-assigns public IPs (mapPublicIpOnLaunch is true) [finding map-public-ip]`,
            ),
            diagnostics.join("\n"),
        );
    });
});
