import * as fs from "fs";
import { UsageError } from "./errors";
import { SECRET_PLACEHOLDER } from "./stack-files";
import { MASK } from "./graph";

/**
 * Outputs of other stacks for `pulumi.StackReference`, from a file the user names (`plan
 * --stack-outputs <file>`): stack name -> that stack's `pulumi stack output --json`. A value printed
 * as `"[secret]"` there becomes a secret output (with a placeholder value), as the real stack's is.
 */
export class StackOutputs {
    private constructor(
        private readonly file: string | undefined,
        private readonly stacks: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
    ) {}

    static none(): StackOutputs {
        return new StackOutputs(undefined, {});
    }

    static read(file: string): StackOutputs {
        if (!fs.existsSync(file)) throw new UsageError(`stack outputs file ${file} does not exist`);
        let doc: unknown;
        try {
            doc = JSON.parse(fs.readFileSync(file, "utf8"));
        } catch (err) {
            throw new UsageError(`stack outputs file ${file} is not valid JSON: ${(err as Error).message}`);
        }
        const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
        const bad = isMap(doc) ? Object.entries(doc).filter(([, v]) => !isMap(v)).map(([k]) => k) : ["(the whole file)"];
        if (!isMap(doc) || bad.length > 0) {
            throw new UsageError(`stack outputs file ${file}: ${bad.join(", ")} must be an object of outputs; expected {"<org>/<project>/<stack>": {<pulumi stack output --json>}, ...}`);
        }
        return new StackOutputs(file, doc as Record<string, Record<string, unknown>>);
    }

    /** The StackReference resource's state for one stack: `{ name, outputs, secretOutputNames }`. */
    stateOf(stack: string): Record<string, unknown> {
        const outputs = this.stacks[stack];
        if (!outputs) {
            throw new Error(
                this.file
                    ? `stack reference ${stack}: ${this.file} has no outputs for it (it has: ${Object.keys(this.stacks).join(", ") || "none"})`
                    : `stack reference ${stack}: the offline engine needs that stack's outputs; pass --stack-outputs <file> with {"${stack}": <pulumi stack output --json>}`,
            );
        }
        const secretOutputNames = Object.keys(outputs).filter((k) => outputs[k] === MASK);
        const values = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v === MASK ? SECRET_PLACEHOLDER : v]));
        return { name: stack, outputs: values, secretOutputNames };
    }
}
