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

/** `n` characters of `alphabet` derived from the key (AWS ids use base32 upper case, lower-case alphanumerics, digits...). */
export function chars(key: string, n: number, alphabet: string): string {
    const bytes = createHash("sha512").update(key).digest();
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[bytes[i % bytes.length] % alphabet.length];
    return out;
}

export const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
export const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const DIGITS = "0123456789";

/** The fixed moment every offline deployment happened: timestamps are deterministic too. */
export const DEPLOYED_AT = "2025-01-01T00:00:00Z";
