// The `random` provider's resources: values of the shape the provider generates, deterministic per resource.
import { chars, hex } from "../fake-ids";
import type { Spec } from "./aws";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const NUMERIC = "0123456789";
/** The provider's default special characters (`overrideSpecial` replaces them). */
const SPECIAL = "!@#$%&*()-_=+[]{}<>:?";
const BCRYPT = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A string of `length` from the enabled character sets, each at least its `min*` count, as RandomPassword/RandomString make. */
function randomText(key: string, i: Record<string, unknown>): string {
    const length = typeof i.length === "number" ? i.length : 16;
    const on = (flag: string) => i[flag] !== false;
    const special = typeof i.overrideSpecial === "string" ? i.overrideSpecial : SPECIAL;
    const sets: [string, number][] = [
        [UPPER, on("upper") ? Number(i.minUpper ?? 0) : -1],
        [LOWER, on("lower") ? Number(i.minLower ?? 0) : -1],
        [NUMERIC, on("numeric") ? Number(i.minNumeric ?? 0) : -1],
        [special, on("special") ? Number(i.minSpecial ?? 0) : -1],
    ];
    const enabled = sets.filter(([, min]) => min >= 0);
    const required = enabled.map(([alphabet, min], n) => chars(`${key}:min:${n}`, min, alphabet)).join("");
    const rest = chars(`${key}:rest`, Math.max(0, length - required.length), enabled.map(([alphabet]) => alphabet).join("") || LOWER);
    return (required + rest).slice(0, length);
}

/** The character-set settings as the provider reports them: every set on unless turned off, no minimums. */
const settings = (i: Record<string, unknown>) => ({
    upper: i.upper ?? true,
    lower: i.lower ?? true,
    numeric: i.numeric ?? i.number ?? true,
    number: i.number ?? i.numeric ?? true,
    special: i.special ?? true,
    minUpper: i.minUpper ?? 0,
    minLower: i.minLower ?? 0,
    minNumeric: i.minNumeric ?? 0,
    minSpecial: i.minSpecial ?? 0,
});

const password: Spec = {
    id: () => "none",
    outputs: (c) => ({ ...settings(c.inputs), result: randomText(c.key, c.inputs), bcryptHash: `$2a$10$${chars(`${c.key}:bcrypt`, 53, BCRYPT)}` }),
};

/** The random resources the platform uses; other random types get generic values of their declared types. */
export const RANDOM_SPECS: Readonly<Record<string, Spec>> = {
    "random:index/randomPassword:RandomPassword": password,
    "random:index/randomString:RandomString": { id: (c) => randomText(c.key, c.inputs), outputs: (c) => ({ ...settings(c.inputs), result: randomText(c.key, c.inputs) }) },
    "random:index/randomId:RandomId": {
        id: (c) => Buffer.from(hex(c.key, 2 * Number(c.inputs.byteLength ?? 8)), "hex").toString("base64url"),
        outputs: (c) => {
            const bytes = Buffer.from(hex(c.key, 2 * Number(c.inputs.byteLength ?? 8)), "hex");
            return { hex: bytes.toString("hex"), b64Url: bytes.toString("base64url"), b64Std: bytes.toString("base64"), dec: BigInt(`0x${bytes.toString("hex")}`).toString() };
        },
    },
};
