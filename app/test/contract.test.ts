// THE CONTRACT between the infrastructure and the application: what ApiCluster's task definition gives the
// container (environment, secrets, ports, health checks; read from the recorded graph of both stacks) against
// what app/src/config.ts requires and what the service answers. A change on either side fails here.
import * as assert from "assert/strict";
import { spawn, spawnSync } from "child_process";
import { PassThrough } from "stream";
import { PLATFORM_SETTINGS, TASK_SETTINGS, TASK_TUNING, loadConfig, type AppConfig } from "../src/config";
import { parseStackConfig } from "../../stacks";
import { shutdown, start } from "../src/main";
import { named, ofType, planStack, stackConfig } from "../../test/helpers/engine";
import { reveal } from "../../tools/engine/graph";
import type { Graph } from "../../tools/engine/graph";
import { FakeCache, FakeDatabase } from "./fakes";

interface ContainerDefinition {
    name: string;
    environment: { name: string; value: string }[];
    secrets: { name: string; valueFrom: string }[];
    portMappings: { name: string; containerPort: number }[];
    healthCheck: { command: string[] };
}

interface Task {
    readonly container: ContainerDefinition;
    /** What the container sees: environment values, and the SSM parameters' values for `secrets`. */
    readonly env: Record<string, string>;
    readonly targetGroupPaths: string[];
    readonly region: string;
}

/** The API container of a stack's plan, with its settings resolved as ECS resolves them at task start. */
function taskOf(graph: Graph): Task {
    const definition = named(graph, "aws:ecs/taskDefinition:TaskDefinition", "api-app");
    const containers = JSON.parse(reveal(definition.inputs.containerDefinitions) as string) as ContainerDefinition[];
    assert.deepEqual(
        containers.map((c) => c.name),
        ["app"],
    );
    const container = containers[0];
    const parameters = ofType(graph, "aws:ssm/parameter:Parameter");
    const env: Record<string, string> = Object.fromEntries(container.environment.map((e) => [e.name, e.value]));
    for (const secret of container.secrets) {
        // valueFrom is `arn:...:parameter/<physical name>`: the parameter of that name holds the value.
        const parameter = parameters.find((p) => secret.valueFrom.endsWith(`:parameter/${String(p.outputs.name ?? p.inputs.name)}`));
        assert.ok(parameter, `no SSM parameter for ${secret.name} (${secret.valueFrom})`);
        env[secret.name] = String(reveal(parameter.inputs.value));
    }
    const targetGroupPaths = ["api-blue", "api-green"].map((name) => (named(graph, "aws:lb/targetGroup:TargetGroup", name).inputs.healthCheck as { path: string }).path);
    return { container, env, targetGroupPaths, region: String(graph.outputs.region) };
}

describe("contract: ApiCluster's task definition and the app", function () {
    this.timeout(120_000);
    const tasks = new Map<string, Task>();
    before(async () => {
        for (const stack of ["production", "staging"]) tasks.set(stack, taskOf(await planStack(stack)));
    });

    for (const stack of ["production", "staging"]) {
        describe(stack, () => {
            const task = () => tasks.get(stack) as Task;
            const configOf = (): AppConfig => loadConfig({ ...task().env, AWS_REGION: task().region }, () => true);

            it("gives the container exactly the settings config.ts requires in IAM mode (environment + secrets)", () => {
                const given: string[] = [...task().container.environment.map((e) => e.name), ...task().container.secrets.map((s) => s.name)].sort();
                // ECS sets AWS_REGION itself: the task definition must not.
                for (const name of PLATFORM_SETTINGS) assert.ok(!given.includes(name), name);
                assert.deepEqual(given, [...TASK_SETTINGS, ...TASK_TUNING].sort());
            });

            it("sizes the app's pool as the stack's connection budget was checked (webstack:database.poolSizePerTask)", () => {
                const planned = parseStackConfig(stackConfig(stack), { project: "webstack", stack, stackFile: `Pulumi.${stack}.yaml` }).database.poolSizePerTask;
                assert.equal(configOf().database.poolMax, planned);
            });

            it("every setting in the list is one the app refuses to start without", () => {
                for (const name of TASK_SETTINGS) {
                    const env: Record<string, string | undefined> = { ...task().env, AWS_REGION: task().region, [name]: undefined };
                    assert.throws(() => loadConfig(env, () => true), (err: Error) => err.message.includes(`${name} is not set`), name);
                }
            });

            it("the task's values pass the app's validation: IAM to the proxy and to the cache over TLS, distinct ports", () => {
                const config = configOf();
                assert.deepEqual([config.database.auth.kind, config.cache.auth.kind, config.cache.tls], ["iam", "iam", true]);
                assert.equal(config.database.auth.kind === "iam" && config.database.auth.region, task().region);
                assert.deepEqual(
                    task().container.portMappings.map((p) => [p.name, p.containerPort]),
                    [
                        ["http", config.port],
                        ["metrics", config.metricsPort],
                    ],
                );
                assert.notEqual(config.port, config.metricsPort);
                assert.equal(config.environment, stack);
                // The endpoints are the proxy's and the replication group's.
                assert.match(config.database.host, /\.proxy-[a-z0-9]+\.[a-z0-9-]+\.rds\.amazonaws\.com$/);
                assert.match(config.cache.host, /\.cache\.amazonaws\.com$/);
                assert.notEqual(config.cache.cacheName, config.cache.host);
            });

            it("the container health check and both target groups' health checks get 200 from the app", async () => {
                const config = configOf();
                const command = task().container.healthCheck.command;
                assert.deepEqual(command.slice(0, 3), ["CMD", "node", "-e"]);
                const url = /fetch\('http:\/\/127\.0\.0\.1:(\d+)(\/[^']*)'\)/.exec(command[3]);
                assert.ok(url, `the health check fetches no loopback URL: ${command[3]}`);
                assert.equal(Number(url[1]), config.port, "the health check's port is the app's PORT");
                const paths = [url[2], ...task().targetGroupPaths];

                // The app as configured by the task, on a free port of loopback, with in-memory stores.
                const service = await start(
                    { ...config, port: 0, metricsPort: 0 },
                    { database: new FakeDatabase(), cache: new FakeCache(), migrate: async () => undefined, logStream: new PassThrough(), host: "127.0.0.1" },
                );
                try {
                    for (const path of paths) assert.equal((await service.api.inject({ method: "GET", url: path })).statusCode, 200, path);
                    // The command itself, as the container runs it, against that port.
                    const port = (service.api.server.address() as { port: number }).port;
                    const script = command[3].replace(`127.0.0.1:${config.port}`, `127.0.0.1:${port}`);
                    const ran = await new Promise<number | null>((resolve) => {
                        // Run outside this event loop (spawnSync would block the server answering it).
                        const child = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
                        child.on("exit", resolve);
                    });
                    assert.equal(ran, 0);
                } finally {
                    await shutdown(service, 5_000);
                }
                // And against nothing listening, the same command fails (it is a real check).
                assert.equal(spawnSync(process.execPath, ["-e", command[3].replace(`127.0.0.1:${config.port}`, "127.0.0.1:1")]).status, 1);
            });
        });
    }
});
