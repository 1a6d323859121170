// Regenerates policy/lib/taggable-types.json: every @pulumi/aws resource type whose args take `tags`.
// R19 checks tags on exactly these types. Run: node -r ts-node/register/transpile-only tools/gen-taggable.ts
import * as fs from "fs";
import * as path from "path";

export function taggableTypes(awsDir = path.dirname(require.resolve("@pulumi/aws/package.json"))): string[] {
    const types: string[] = [];
    for (const dir of fs.readdirSync(awsDir, { withFileTypes: true })) {
        if (!dir.isDirectory() || dir.name === "node_modules" || dir.name === "types") continue;
        for (const file of fs.readdirSync(path.join(awsDir, dir.name))) {
            if (!file.endsWith(".js")) continue;
            const src = fs.readFileSync(path.join(awsDir, dir.name, file), "utf8");
            const token = /static __pulumiType = '([^']+)'/.exec(src)?.[1];
            if (token && src.includes(`resourceInputs["tags"] = args`)) types.push(token);
        }
    }
    return types.sort();
}

export const TAGGABLE_FILE = path.join(__dirname, "..", "policy", "lib", "taggable-types.json");

if (require.main === module) {
    const types = taggableTypes();
    fs.writeFileSync(TAGGABLE_FILE, `${JSON.stringify(types, null, 1)}\n`);
    console.log(`${types.length} taggable types written to ${path.relative(process.cwd(), TAGGABLE_FILE)}`);
}
