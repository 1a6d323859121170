// `npm run plan -- --stack <name> [--json] [--config-file <path>] [--dir <folder>]`: the offline preview.
// Exit codes: 0 ok, 1 invalid stack config, 2 any other failure (usage, program, engine),
// 3 mandatory policy violations.
import * as path from "path";
import { parseArgs } from "util";
import { ConfigError } from "../stacks/errors";
import { ProgramError, StackFileError, UsageError } from "./engine/errors";
import { runProgram } from "./engine/run";
import { planJson, renderText } from "./plan/render";
import { renderVerdict, verdictJson } from "./plan/verdict";
import { evaluatePolicies } from "./policy/evaluate";
import { packConfigFor } from "./policy/pack";
import { POLICIES } from "../policy/rules";

const USAGE = `usage: npm run plan -- --stack <name> [--preview] [--json] [--config-file <path>] [--dir <project folder>] [--policy-config <path>] [--stack-outputs <file>]

  --stack <name>         the stack to plan (reads Pulumi.<name>.yaml); with --config-file, taken
                         from a Pulumi.<name>.yaml file name when omitted
  --config-file <path>   evaluate this stack file instead (for trying edits)
  --dir <folder>         the Pulumi project to plan (default: this repository)
  --policy-config <path> the policy pack config to enforce (default: policy/config/<stack>.json when it
                         exists, else every policy at its own level, i.e. mandatory)
  --preview              run as \`pulumi preview\` of a new stack does: ids and computed outputs
                         unknown, so the verdict is the one a pull request's preview gets
  --stack-outputs <file> other stacks' outputs for pulumi.StackReference: a JSON object of
                         "<org>/<project>/<stack>": <that stack's \`pulumi stack output --json\`>
  --json                 print the plan as JSON (every resource with type, name, parent, provider,
                         inputs and outputs; secrets masked, unknown values as [unknown])

Exit codes: 0 ok, 1 invalid stack config, 2 other failure, 3 mandatory policy violations.`;

const ROOT = path.resolve(__dirname, "..");

export const EXIT = { ok: 0, config: 1, failure: 2, policy: 3 } as const;

/** Writes the report and waits until it is flushed: process.exit() would cut a piped report short. */
function print(text: string): Promise<void> {
    return new Promise((resolve, reject) => process.stdout.write(`${text}\n`, (err) => (err ? reject(err) : resolve())));
}

function fail(message: string): never {
    console.error(message);
    process.exit(EXIT.failure);
}

async function main(argv: string[]): Promise<number> {
    let values: { stack?: string; preview?: boolean; json?: boolean; "config-file"?: string; dir?: string; "policy-config"?: string; "stack-outputs"?: string; help?: boolean };
    try {
        ({ values } = parseArgs({
            args: argv,
            options: {
                stack: { type: "string" },
                preview: { type: "boolean" },
                json: { type: "boolean" },
                "config-file": { type: "string" },
                dir: { type: "string" },
                "policy-config": { type: "string" },
                "stack-outputs": { type: "string" },
                help: { type: "boolean", short: "h" },
            },
        }));
    } catch (err) {
        fail(`${(err as Error).message}\n\n${USAGE}`);
    }
    if (values.help) {
        console.log(USAGE);
        return EXIT.ok;
    }
    const configFile = values["config-file"];
    const fromFile = configFile ? /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(configFile))?.[1] : undefined;
    const stack = values.stack ?? fromFile;
    if (!stack) fail(`--stack is required\n\n${USAGE}`);

    const started = process.hrtime.bigint();
    try {
        const pack = packConfigFor(stack, values["policy-config"]);
        const graph = await runProgram({ dir: values.dir ?? ROOT, stack, configFile, preview: values.preview, stackOutputs: values["stack-outputs"] });
        const verdict = await evaluatePolicies(graph, POLICIES, pack.config);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (values.json) {
            await print(JSON.stringify({ ...planJson(graph, seconds), policy: verdictJson(graph, verdict, pack.file) }, null, 2));
        } else {
            await print([renderText(graph, seconds), "", ...renderVerdict(graph, verdict, POLICIES.length, pack.file)].join("\n"));
        }
        return verdict.mandatory.length > 0 ? EXIT.policy : EXIT.ok;
    } catch (err) {
        if (ConfigError.isInstance(err) || err instanceof StackFileError) {
            console.error(err.message);
            return EXIT.config;
        }
        if (err instanceof UsageError) {
            console.error(err.message);
            return EXIT.failure;
        }
        if (err instanceof ProgramError) {
            console.error([`plan failed: ${err.message}`, ...err.sourceFrames(path.resolve(values.dir ?? ROOT)).map((f) => `    ${f}`)].join("\n"));
            return EXIT.failure;
        }
        console.error(`plan failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return EXIT.failure;
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => fail(`plan failed: ${String(err)}`),
);
