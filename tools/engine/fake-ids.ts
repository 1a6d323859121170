import { createHash } from "crypto";

/** The account every offline run pretends to be (AWS's documentation account id). */
export const ACCOUNT_ID = "123456789012";
export const PARTITION = "aws";

/** `n` hex characters derived from the key: the same resource gets the same id in every run. */
export function hex(key: string, n: number): string {
    return createHash("sha256").update(key).digest("hex").slice(0, n);
}

/** A deterministic UUID (KMS key ids and the like). */
export function uuid(key: string): string {
    const h = hex(key, 32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A deterministic address in TEST-NET-3 (203.0.113.0/24), reserved for documentation. */
export function testNetIp(key: string): string {
    return `203.0.113.${(parseInt(hex(key, 4), 16) % 254) + 1}`;
}
