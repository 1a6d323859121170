import { dependenciesOf, isInternetFacingLb, ofTypes, programValue, referenced, resolve, securityGroupsOf, setByProgram, type Node } from "../lib/graph";
import { ingressRules } from "../lib/reachability";
import { resourceRule, stackRule, type Props } from "../lib/rule";
import { WORLD } from "../lib/security-groups";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, Undecided, asArray, cannotDecide, known, knownItems, shownValue } from "../lib/values";
import { namesResource } from "./waf";
import { isArnOf } from "../lib/data-helpers";
import { CLOUDFRONT_ORIGIN_FACING } from "../lib/aws-facts";

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
        anchors: ["FSBP ELB.1", "CKV_AWS_2", "FSBP ELB.18"],
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

/** The load balancer's type; unset means application, the provider's default. */
const lbType = (value: unknown): string => (typeof value === "string" && value !== "" ? value : "application");

/** Desync mitigation modes that block (defensive) or reject (strictest) ambiguous requests. */
const DESYNC_MODES = ["defensive", "strictest"];

export const R49 = resourceRule(
    {
        id: "R49",
        slug: "alb-desync-mitigation",
        requirement: `Application load balancers use desyncMitigationMode ${DESYNC_MODES.map((m) => `"${m}"`).join(" or ")} (unset is "defensive").`,
        why: '"monitor" forwards requests whose framing front end and target may read differently, the opening for HTTP request smuggling.',
        anchors: ["FSBP ELB.12"],
        level: "M",
        severity: "medium",
        remediation: 'Leave desyncMitigationMode unset (AWS applies "defensive") or set it to "defensive" or "strictest".',
    },
    T.loadBalancer,
    (props, _subject, report) => {
        if (lbType(props.loadBalancerType) !== "application") return; // only ALBs parse HTTP framing
        const mode = props.desyncMitigationMode;
        if (mode !== undefined && !DESYNC_MODES.includes(String(mode))) {
            report("desync-mitigation", `application load balancer uses desyncMitigationMode ${JSON.stringify(mode)}, not ${DESYNC_MODES.map((m) => `"${m}"`).join(" or ")}`);
        }
    },
);

/** Subnets a load balancer is placed in: `subnets` and `subnetMappings` (one per zone: AWS takes no two in one zone). */
function placementsOf(subnets: unknown, mappings: unknown): { count: number; unknown: boolean } {
    if (subnets === UNKNOWN_VALUE || mappings === UNKNOWN_VALUE) return { count: 0, unknown: true };
    return { count: knownItems(subnets).length + knownItems(mappings).length, unknown: false };
}

const oneZone = (count: number) => `load balancer is placed in ${count === 0 ? "no subnet" : "one subnet"}, so it serves from ${count === 0 ? "no" : "a single"} Availability Zone (at least two are required)`;

export const R50 = resourceRule(
    {
        id: "R50",
        slug: "lb-multi-az",
        requirement: "Load balancers are placed in subnets of at least two Availability Zones (subnets or subnetMappings).",
        why: "A load balancer in one zone goes down with it, taking every target behind it offline even when the targets run elsewhere.",
        anchors: ["FSBP ELB.13"],
        // No extra charge: load balancers are billed per hour and capacity unit, not per zone (and ALBs require two zones).
        level: "M",
        severity: "medium",
        remediation: "List one subnet per Availability Zone, in at least two zones, in subnets (or subnetMappings).",
    },
    T.loadBalancer,
    (props, _subject, report) => {
        const { count, unknown } = placementsOf(known(props, "subnets"), known(props, "subnetMappings"));
        if (!unknown && count < 2) report("multi-az", oneZone(count));
    },
    // A subnet list computed from another output is unknown before deploy: count the subnets it was computed from.
    (resources, report) => {
        for (const lb of ofTypes(resources, T.loadBalancer)) {
            // The list the program left out is the provider's to fill in (unknown before deploy): read as unset.
            const subnets = setByProgram(lb, "subnets");
            if (!placementsOf(subnets, setByProgram(lb, "subnetMappings")).unknown) continue;
            const prop = subnets === UNKNOWN_VALUE ? "subnets" : "subnetMappings";
            const from = dependenciesOf(lb, prop, T.subnet);
            if (from.length >= 2) continue;
            if (from.length === 1 && dependenciesOf(lb, prop).length === 1) report("multi-az", oneZone(1), lb.urn);
            else if (lb.propertyDependencies) cannotDecide([lb.name, prop]);
        }
    },
);

const CLOUDFRONT_PREFIX_LISTS = new Set(Object.values(CLOUDFRONT_ORIGIN_FACING));

/** What a web ACL association names: undefined when it is a regional ACL (or cannot be told apart from one), else why not. */
function notRegional(resources: readonly Node[], association: Node): string | undefined {
    const value = setByProgram(association, "webAclArn");
    if (typeof value === "string") {
        const acl = resolve(resources, value, T.webAcl);
        if (acl) return acl.props.scope === "REGIONAL" ? undefined : `web ACL ${acl.name} has scope ${JSON.stringify(acl.props.scope)}`;
        return value.includes(":global/webacl/") ? `web ACL ${value} is a CloudFront (global) one` : undefined;
    }
    if (value !== UNKNOWN_VALUE) return "the association names no web ACL";
    const acls = dependenciesOf(association, "webAclArn", T.webAcl);
    if (acls.length === 1 && acls[0].props.scope !== "REGIONAL") return `web ACL ${acls[0].name} has scope ${JSON.stringify(acls[0].props.scope)}`;
    return undefined;
}

/** Why an internet-facing ALB is not CloudFront-only (origin cloaking), or undefined when it is. */
function notCloudFrontOnly(resources: readonly Node[], lb: Node, listeners: readonly Node[], undecided: Undecided): string | undefined {
    const groups = securityGroupsOf(resources, lb).filter((g): g is Node => typeof g !== "string");
    if (groups.length === 0) return "its security groups are not in the stack";
    const rules = ingressRules(resources).filter((i) => groups.includes(i.group));
    const world = rules.find((i) => i.rule.cidrs.some((c) => WORLD.includes(c)));
    if (world) return `security group ${world.group.name} accepts ${world.rule.cidrs.filter((c) => WORLD.includes(c)).join(", ")}`;
    const lists = rules.flatMap((i) => i.rule.prefixLists.map((pl) => ({ pl, by: i.declaredBy })));
    if (!lists.some(({ pl }) => typeof pl === "string" && CLOUDFRONT_PREFIX_LISTS.has(pl))) {
        const pending = lists.find(({ pl }) => pl === UNKNOWN_VALUE);
        if (pending) undecided.note(pending.by.name, "prefixListId");
        return "no ingress comes from the com.amazonaws.global.cloudfront.origin-facing prefix list";
    }
    // Other distributions (any account's) share the prefix list: a secret header only this one sends proves the origin.
    if (listeners.length === 0) return "it has no listener";
    const forwarding = listeners.find((l) => asArray<Props>(programValue(l, "defaultActions")).some((a) => a?.type !== "fixed-response" && a?.type !== "redirect"));
    if (forwarding) return `listener ${forwarding.name} forwards by default, without checking a secret origin header`;
    const headerRules = ofTypes(resources, T.listenerRule).filter(
        (r) =>
            listeners.some((l) => namesResource(r, "listenerArn", l, T.listener)) &&
            knownItems(programValue(r, "conditions")).some((c) => {
                // The secret value is unknown before deploy when it is generated: a value is set all the same.
                const header = knownItems(known(c, "httpHeader"))[0];
                const values = known(header, "values");
                return typeof known(header, "httpHeaderName") === "string" && (values === UNKNOWN_VALUE || knownItems(values).length > 0);
            }),
    );
    if (headerRules.length === 0) return "no listener rule requires a secret origin header (httpHeader condition)";
    return undefined;
}

export const R51 = stackRule(
    {
        id: "R51",
        slug: "public-alb-waf-or-cloudfront-only",
        requirement:
            "An internet-facing application load balancer has a regional WAF web ACL (WebAclAssociation), or accepts traffic only from CloudFront: its security groups open no 0.0.0.0/0 or ::/0 ingress but the com.amazonaws.global.cloudfront.origin-facing prefix list, its listeners answer with a fixed response by default, and a listener rule forwards only requests carrying a secret origin header.",
        why: "A public ALB reached directly skips the edge's WAF, TLS policy and headers: either it filters requests itself, or nothing but this distribution can reach it.",
        anchors: ["SH ELB.16"],
        level: "M",
        severity: "high",
        remediation:
            'Associate a REGIONAL aws.wafv2.WebAcl (aws.wafv2.WebAclAssociation { resourceArn: alb.arn, webAclArn }); or replace the world-open ingress with prefixListId of aws.ec2.getManagedPrefixList({ name: "com.amazonaws.global.cloudfront.origin-facing" }), give listeners a fixed-response 403 default action and a listener rule forwarding only on an httpHeader condition with the secret CloudFront sends as a custom origin header.',
    },
    (resources, report) => {
        const undecided = new Undecided();
        const associations = ofTypes(resources, T.webAclAssociation);
        for (const lb of ofTypes(resources, T.loadBalancer)) {
            if (!isInternetFacingLb(lb) || lbType(programValue(lb, "loadBalancerType")) !== "application") continue;
            const mine = associations.filter((a) => namesResource(a, "resourceArn", lb, T.loadBalancer));
            const wrongScope = mine.map((a) => notRegional(resources, a)).filter((x): x is string => x !== undefined);
            if (mine.length > wrongScope.length) continue;
            const listeners = ofTypes(resources, T.listener).filter((l) => namesResource(l, "loadBalancerArn", lb, T.loadBalancer));
            const reason = notCloudFrontOnly(resources, lb, listeners, undecided);
            if (!reason) continue;
            const waf = wrongScope.length > 0 ? `its web ACL association is not regional (${wrongScope.join("; ")})` : "it has no regional WAF web ACL association";
            report("waf", `internet-facing application load balancer: ${waf}, and it does not accept traffic only from CloudFront (${reason})`, lb.urn);
        }
        undecided.settle();
    },
);

export const LB_RULES = [R01, R02, R03, R35, R49, R50, R51];
