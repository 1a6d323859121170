import { ofTypes, programValue, referenced, setByProgram, type Node } from "../lib/graph";
import { resourceRule } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, asArray, known, shownValue } from "../lib/values";
import { isArnOf } from "../lib/data-helpers";

/** Additional (SNI) certificates of a listener, a separate resource. */
const LISTENER_CERTIFICATE = ["aws:lb/listenerCertificate:ListenerCertificate", "aws:alb/listenerCertificate:ListenerCertificate"];

/**
 * ELB security policies whose minimum protocol is TLS 1.2 (ALB and NLB names). Policies allowing
 * TLS 1.0/1.1 (ELBSecurityPolicy-2016-08, -TLS13-1-0/1-1-*, -FS-1-1-*, -TLS-1-1-*) are left out.
 */
export const TLS12_POLICIES: readonly string[] = [
    // TLS 1.3 + 1.2 (2021-06)
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    // FIPS (2023-04)
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    // hybrid post-quantum (2025-09)
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
    // TLS 1.2 only, forward secrecy
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    // TLS 1.2 only (accepted by CKV_AWS_103)
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
];

/** The listener's protocol; absent means HTTP, the provider's default for ALB listeners. */
function protocolOf(props: Record<string, unknown>): string {
    return typeof props.protocol === "string" && props.protocol !== "" ? props.protocol.toUpperCase() : "HTTP";
}

function listenerLabel(protocol: string, port: unknown): string {
    return `${protocol} listener${typeof port === "number" || typeof port === "string" ? ` on port ${port}` : ""}`;
}

/** What a non-redirect default action does, for the message. */
function describeAction(type: unknown): string {
    switch (type) {
        case "forward":
            return "forwards plain HTTP";
        case "fixed-response":
            return "answers plain HTTP with a fixed response";
        case "authenticate-oidc":
        case "authenticate-cognito":
            return "authenticates over plain HTTP";
        default:
            return `has a ${JSON.stringify(type ?? "(untyped)")} default action`;
    }
}

export const R01 = resourceRule(
    {
        id: "R01",
        slug: "http-redirects-to-https",
        requirement: "Load balancer HTTP listeners only redirect to HTTPS (with `strict`, no HTTP listener at all).",
        why: "Anything served over plain HTTP can be read and altered in transit, including session cookies.",
        anchors: ["FSBP ELB.1", "CKV_AWS_2"],
        level: "M",
        severity: "critical",
        remediation: 'Give the port 80 listener exactly one default action: { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }; or drop the listener (strict mode).',
        configSchema: { properties: { strict: { type: "boolean" } } },
    },
    T.listener,
    (props, _subject, report, config) => {
        const protocol = protocolOf(props);
        if (protocol !== "HTTP") return;
        const where = listenerLabel("HTTP", props.port);
        if (config.strict === true) {
            report("http-listener", `${where} accepts plain HTTP (strict mode allows no HTTP listener)`);
            return;
        }
        const actions = asArray(props.defaultActions as Record<string, unknown>[] | undefined);
        if (actions.length === 0) {
            report("http-listener", `${where} has no default action instead of a redirect to HTTPS`);
            return;
        }
        if (actions.length > 1) {
            const types = actions.map((a) => JSON.stringify(a?.type ?? "(untyped)")).join(", ");
            report("http-listener", `${where} has ${actions.length} default actions (${types}) instead of a single redirect to HTTPS`);
            return;
        }
        const action = actions[0];
        if (action?.type !== "redirect") {
            report("http-listener", `${where} ${describeAction(action?.type)} instead of redirecting to HTTPS`);
            return;
        }
        const redirect = (typeof action.redirect === "object" && action.redirect !== null ? action.redirect : {}) as Record<string, unknown>;
        const target = redirect.protocol;
        if (typeof target !== "string" || target.toUpperCase() !== "HTTPS") {
            // The redirect protocol defaults to #{protocol}: the request's own, here HTTP.
            const shown = target === undefined ? "the request's protocol (#{protocol}, the default)" : `protocol ${JSON.stringify(target)}`;
            report("redirect-protocol", `${where} redirects to ${shown} instead of HTTPS`);
        }
        if (redirect.statusCode !== "HTTP_301" && redirect.statusCode !== "HTTP_302") {
            report("redirect-status", `${where} redirects with status ${JSON.stringify(redirect.statusCode ?? null)} instead of HTTP_301 or HTTP_302`);
        }
    },
);

/** Certificates a listener may name before deploy, by the resource its ARN comes from. */
const ACM_CERTIFICATES = ["aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation"];
const IAM_SERVER_CERTIFICATES = ["aws:iam/serverCertificate:ServerCertificate"];

/** Checks the certificate ARN of a listener or listener certificate; one known only after deploy is R02's stack phase's. */
function checkCertificate(where: string, arn: unknown, report: (key: string, message: string) => void): void {
    if (arn === UNKNOWN_VALUE) return;
    if (typeof arn !== "string" || arn === "") report("certificate", `${where} has no certificateArn (an ACM certificate is required)`);
    else if (isArnOf("iam", arn)) report("certificate", `${where} uses IAM server certificate ${JSON.stringify(arn)} instead of an ACM certificate`);
    else if (!isArnOf("acm", arn)) report("certificate", `${where} uses certificate ${JSON.stringify(arn)}, which is not an ACM certificate ARN`);
}

export const R02 = resourceRule(
    {
        id: "R02",
        slug: "https-listener-tls12-acm",
        requirement: "HTTPS and TLS listeners use an allow-listed TLS 1.2/1.3 security policy and an ACM certificate.",
        why: "Without an explicit policy the API default ELBSecurityPolicy-2016-08 still accepts TLS 1.0/1.1, and IAM server certificates are neither renewed nor audited by ACM.",
        anchors: ["FSBP ELB.17", "Pulumi aws-lb-listener-configure-secure-tls", "Pulumi aws-alb-listener-configure-secure-tls", "CKV_AWS_103", "cdk-nag-nist ELBv2ACMCertificateRequired"],
        level: "M",
        severity: "high",
        remediation: 'Set sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" (or another TLS 1.2+ policy) and certificateArn to an aws.acm.Certificate ARN on every HTTPS/TLS listener and listener certificate.',
    },
    [...T.listener, ...LISTENER_CERTIFICATE],
    (props, subject, report) => {
        if (LISTENER_CERTIFICATE.includes(subject.type)) {
            checkCertificate("listener certificate", known(props, "certificateArn"), report);
            return;
        }
        const protocol = protocolOf(props);
        if (protocol !== "HTTPS" && protocol !== "TLS") return;
        const where = listenerLabel(protocol, props.port);
        const policy = props.sslPolicy;
        if (typeof policy !== "string" || policy === "") {
            report("ssl-policy", `${where} has no sslPolicy, so AWS applies ELBSecurityPolicy-2016-08 (which allows TLS 1.0 and 1.1)`);
        } else if (!TLS12_POLICIES.includes(policy)) {
            report("ssl-policy", `${where} uses sslPolicy ${JSON.stringify(policy)}, which is not an allow-listed TLS 1.2+ policy`);
        }
        checkCertificate(where, known(props, "certificateArn"), report);
    },
    // Before deploy a certificate ARN is unknown: decide which certificate resource it was computed from.
    (resources, report) => {
        for (const r of ofTypes(resources, [...T.listener, ...LISTENER_CERTIFICATE])) {
            if (setByProgram(r, "certificateArn") !== UNKNOWN_VALUE) continue;
            const listener = isOneOf(r.type, T.listener);
            // A protocol the program did not set is unknown before deploy: HTTP, as the provider defaults it.
            const protocol = listener ? protocolOf({ protocol: programValue(r, "protocol") }) : "";
            if (listener && protocol !== "HTTPS" && protocol !== "TLS") continue;
            const where = listener ? listenerLabel(protocol, r.props.port) : "listener certificate";
            const certificate: Node | undefined = referenced(resources, r, "certificateArn", [...ACM_CERTIFICATES, ...IAM_SERVER_CERTIFICATES]);
            if (certificate && isOneOf(certificate.type, IAM_SERVER_CERTIFICATES)) {
                report("certificate", `${where} uses IAM server certificate ${JSON.stringify(certificate.name)} instead of an ACM certificate`, r.urn);
            }
        }
    },
);

export const R03 = resourceRule(
    {
        id: "R03",
        slug: "alb-drops-invalid-headers",
        requirement: "Application load balancers drop HTTP headers with invalid names.",
        why: "Forwarding malformed headers to targets enables HTTP request smuggling and desync attacks.",
        anchors: ["FSBP ELB.4", "CKV_AWS_131"],
        level: "M",
        severity: "medium",
        remediation: "Set dropInvalidHeaderFields: true on the application load balancer.",
    },
    T.loadBalancer,
    (props, _subject, report) => {
        // loadBalancerType defaults to application; network and gateway balancers do not parse HTTP.
        const type = props.loadBalancerType ?? "application";
        if (type !== "application") return;
        if (props.dropInvalidHeaderFields !== true) {
            const value = props.dropInvalidHeaderFields === undefined ? "unset, default false" : JSON.stringify(props.dropInvalidHeaderFields);
            report("drop-invalid-headers", `application load balancer forwards invalid header fields (dropInvalidHeaderFields is ${value})`);
        }
    },
);

export const R35 = resourceRule(
    {
        id: "R35",
        slug: "lb-access-logs-deletion-protection",
        requirement: "Load balancers write access logs to a bucket and have deletion protection on.",
        why: "Access logs are the only record of who called the public entry point, and deleting the load balancer takes the whole site offline.",
        anchors: ["FSBP ELB.5", "FSBP ELB.6", "cdk-nag ELB2"],
        level: "MP",
        severity: "medium",
        remediation: "Set accessLogs: { bucket: <log bucket name>, enabled: true } and enableDeletionProtection: true.",
    },
    T.loadBalancer,
    (props, _subject, report) => {
        // Gateway load balancers have no access logs.
        if (props.loadBalancerType !== "gateway") {
            const logs = typeof props.accessLogs === "object" && props.accessLogs !== null ? (props.accessLogs as Record<string, unknown>) : undefined;
            // A bucket known only after deploy (the log bucket's id) is set.
            const named = known(logs, "bucket");
            const bucket = named === UNKNOWN_VALUE || (typeof named === "string" && named !== "") ? named : undefined;
            if (!logs) report("access-logs", "access logs are not configured");
            else if (logs.enabled !== true) {
                // enabled defaults to false even when a bucket is given.
                report("access-logs", `access logs${bucket ? ` to bucket ${JSON.stringify(shownValue(bucket))}` : ""} are not enabled (accessLogs.enabled is ${logs.enabled === undefined ? "unset, default false" : JSON.stringify(logs.enabled)})`);
            } else if (!bucket) report("access-logs", "access logs are enabled without a bucket");
        }
        if (props.enableDeletionProtection !== true) {
            report("deletion-protection", `deletion protection is off (enableDeletionProtection is ${props.enableDeletionProtection === undefined ? "unset, default false" : JSON.stringify(props.enableDeletionProtection)})`);
        }
    },
);

export const LB_RULES = [R01, R02, R03, R35];
