// Failures retrying cannot fix: the server's certificate is not one the configured CA bundle vouches for, or the
// server refuses the user or its credential. The service fails its start on these (ECS's circuit breaker then
// rolls the release back) and names the setting to check; anything else (a server down or restarting) is
// transient and only delays readiness.

/** The codes Node fails a TLS handshake with when the certificate does not verify. */
export const CERTIFICATE_ERRORS: ReadonlySet<string> = new Set([
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "CERT_UNTRUSTED",
    "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** PostgreSQL's invalid_password and invalid_authorization_specification (also what pg_hba.conf refusals use). */
const PG_AUTH_CODES = new Set(["28P01", "28000"]);

/**
 * What was refused and which settings to check, or undefined when the failure is transient. `prefix` names the
 * store's variables (DATABASE or REDIS).
 */
export function refusalOf(err: unknown, prefix: "DATABASE" | "REDIS"): string | undefined {
    if (!(err instanceof Error)) return undefined;
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && CERTIFICATE_ERRORS.has(code)) {
        return `its TLS certificate is not trusted (${err.message}): ${prefix}_CA_FILE must hold the CA that signs it`;
    }
    if ((typeof code === "string" && PG_AUTH_CODES.has(code)) || /^(WRONGPASS|NOPERM|NOAUTH)\b/.test(err.message)) {
        return `${err.message} (check ${prefix}_USER and its password or IAM token)`;
    }
    return undefined;
}
