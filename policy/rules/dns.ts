import { X509Certificate } from "crypto";
import { ofTypes, setByProgram } from "../lib/graph";
import { resourceRule, stackRule } from "../lib/rule";
import { T } from "../lib/types";
import { isPresent, known, knownItems } from "../lib/values";
import { namesResource } from "./waf";

/** ACM key algorithms with at least 112-bit strength that CloudFront and load balancers accept. */
export const CERTIFICATE_KEY_ALGORITHMS = ["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1"];
/** Curves of imported EC certificates, by their OpenSSL names (P-256, P-384). */
const EC_CURVES = ["prime256v1", "secp384r1"];

/** Why an imported certificate's key is not allowed, or undefined when it is (or the body cannot be parsed). */
function importedKeyProblem(pem: string): string | undefined {
    let cert: X509Certificate;
    try {
        cert = new X509Certificate(pem);
    } catch {
        return undefined; // not a PEM certificate: ACM rejects it at import
    }
    const key = cert.publicKey;
    const details = key.asymmetricKeyDetails ?? {};
    if (key.asymmetricKeyType === "rsa") return (details.modulusLength ?? 0) >= 2048 ? undefined : `an RSA key of ${details.modulusLength ?? "unknown"} bits`;
    if (key.asymmetricKeyType === "ec") return EC_CURVES.includes(details.namedCurve ?? "") ? undefined : `an EC key on curve ${details.namedCurve ?? "unknown"}`;
    return `a ${key.asymmetricKeyType ?? "unknown"} key`;
}

export const R54 = resourceRule(
    {
        id: "R54",
        slug: "acm-certificate-key-algorithm",
        requirement: `ACM certificates use an allow-listed key algorithm: keyAlgorithm one of ${CERTIFICATE_KEY_ALGORITHMS.join(", ")} (unset is RSA_2048); an imported certificate's key is RSA of at least 2048 bits or EC P-256/P-384.`,
        why: "RSA keys under 2048 bits can be factored with feasible effort, and a key CloudFront or the load balancers cannot serve (EC P-521) breaks the site at renewal.",
        anchors: ["FSBP ACM.2"],
        level: "M",
        severity: "high",
        remediation: 'Leave keyAlgorithm unset or set "EC_prime256v1" (or "RSA_2048" and up); re-issue an imported certificate with such a key.',
    },
    T.acmCertificate,
    (props, _subject, report) => {
        const algorithm = props.keyAlgorithm;
        if (algorithm !== undefined && !CERTIFICATE_KEY_ALGORITHMS.includes(String(algorithm))) {
            report("key-algorithm", `certificate uses keyAlgorithm ${JSON.stringify(algorithm)}, not one of ${CERTIFICATE_KEY_ALGORITHMS.join(", ")}`);
        }
        // Imported certificates: the key is in the body the program imports.
        const body = known(props, "certificateBody");
        if (typeof body === "string" && body !== "") {
            const problem = importedKeyProblem(body);
            if (problem) report("imported-key", `imported certificate has ${problem}, not RSA of at least 2048 bits or EC P-256/P-384`);
        }
    },
);

export const R55 = stackRule(
    {
        id: "R55",
        slug: "route53-public-zone-query-logging",
        requirement: "Every public hosted zone the stack declares (an aws.route53.Zone without vpcs) has DNS query logging (an aws.route53.QueryLog for it, with a log group).",
        why: "Query logs show who resolves which names (reconnaissance, subdomain takeover attempts, DNS used for exfiltration), which nothing else records.",
        anchors: ["FSBP Route53.2"],
        level: "M",
        severity: "medium",
        remediation:
            'Create an aws.cloudwatch.LogGroup "/aws/route53/<zone>" in us-east-1, a CloudWatch Logs resource policy letting route53.amazonaws.com write to it, and an aws.route53.QueryLog { zoneId: zone.zoneId, cloudwatchLogGroupArn }.',
    },
    (resources, report) => {
        const queryLogs = ofTypes(resources, T.queryLog);
        for (const zone of ofTypes(resources, T.hostedZone)) {
            // vpcs the program did not set (unknown before deploy, computed by the provider) make no private zone.
            if (knownItems(setByProgram(zone, "vpcs")).length > 0) continue;
            const mine = queryLogs.filter((q) => namesResource(q, "zoneId", zone, T.hostedZone));
            if (mine.length === 0) report("query-logging", "public hosted zone has no DNS query logging (no aws.route53.QueryLog for it)", zone.urn);
            else if (!mine.some((q) => isPresent(known(q.props, "cloudwatchLogGroupArn")))) report("query-logging", "public hosted zone's query log names no log group", zone.urn);
        }
    },
);

export const DNS_RULES = [R54, R55];
