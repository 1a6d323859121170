import { dependenciesOf, handles, ofTypes, programValue, setByProgram, type Node } from "../lib/graph";
import { resourceRule, stackRule, type Props, type Report } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { UNKNOWN_VALUE, Undecided, asArray, known, knownItems } from "../lib/values";

/**
 * True when `from`'s top-level property `prop` names `target`: a known value is one of its handles
 * (id, ARN, name); one known only after deploy was computed from it (the property's dependencies of
 * `tokens`). Never stops the rule: a value computed from something else names nothing here.
 */
export function namesResource(from: Node, prop: string, target: Node, tokens: readonly string[]): boolean {
    const value = setByProgram(from, prop);
    if (value !== UNKNOWN_VALUE) return typeof value === "string" && value !== "" && handles(target).includes(value);
    return dependenciesOf(from, prop, tokens).includes(target);
}

/** A rule's or ACL's visibility config: true when CloudWatch metrics are on (ruleJson spells the keys in PascalCase). */
function metricsOn(visibility: unknown): boolean {
    const v = asArray<Props>(visibility as Props)[0];
    return v?.cloudwatchMetricsEnabled === true || v?.CloudWatchMetricsEnabled === true;
}

/** Rules written as JSON (`ruleJson`): the list, or undefined when it is not a JSON list. */
function jsonRules(value: unknown): Props[] | undefined {
    if (typeof value !== "string" || value.trim() === "") return undefined;
    try {
        const parsed: unknown = JSON.parse(value);
        return Array.isArray(parsed) ? parsed.filter((r): r is Props => typeof r === "object" && r !== null) : undefined;
    } catch {
        return undefined;
    }
}

/** Inline rules of a web ACL or rule group: `rules` blocks and `ruleJson`. */
function inlineRules(props: Props): Props[] {
    return [...asArray<Props>(props.rules).filter((r) => typeof r === "object" && r !== null), ...(jsonRules(props.ruleJson) ?? [])];
}

const ruleName = (r: Props, i: number): string => String(r.name ?? r.Name ?? `#${i + 1}`);

const metricsMessage = (what: string) => `${what} does not send CloudWatch metrics (visibilityConfig.cloudwatchMetricsEnabled is not true)`;

export const R52 = resourceRule(
    {
        id: "R52",
        slug: "waf-acl-rules-and-metrics",
        requirement:
            "Every WAF web ACL has at least one rule or rule group (inline, ruleJson, WebAclRule or WebAclRuleGroupAssociation), and the ACL, every rule and every rule group send CloudWatch metrics.",
        why: "An empty web ACL only applies its default action, filtering nothing while looking like protection; without metrics nobody sees what a rule blocks or lets through.",
        anchors: ["FSBP WAF.10", "FSBP WAF.12"],
        level: "M",
        severity: "medium",
        remediation:
            "Add rules (e.g. AWS managed rule groups and a rate limit) to the web ACL, and set visibilityConfig { cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true } on the ACL, on each rule and on each rule group.",
    },
    [...T.webAcl, ...T.wafRuleGroup, ...T.webAclRule, ...T.webAclRuleGroupAssociation],
    (props, subject, report) => {
        if (isOneOf(subject.type, T.webAclRule) || isOneOf(subject.type, T.webAclRuleGroupAssociation)) {
            const name = String(props.name ?? props.ruleName ?? subject.name);
            if (!metricsOn(props.visibilityConfig)) report("metrics", metricsMessage(`web ACL rule "${name}"`));
            return;
        }
        const kind = isOneOf(subject.type, T.webAcl) ? "web ACL" : "rule group";
        if (!metricsOn(props.visibilityConfig)) report("metrics", metricsMessage(kind));
        inlineRules(props).forEach((r, i) => {
            if (!metricsOn(r.visibilityConfig ?? r.VisibilityConfig)) report(`rule-${ruleName(r, i)}-metrics`, metricsMessage(`rule "${ruleName(r, i)}" of the ${kind}`));
        });
    },
    // Rules may be separate resources naming the ACL (by an ARN known only after deploy): an empty ACL is a stack question.
    (resources, report) => {
        const separate = ofTypes(resources, [...T.webAclRule, ...T.webAclRuleGroupAssociation]);
        for (const acl of ofTypes(resources, T.webAcl)) {
            const rules = programValue(acl, "rules");
            const json = programValue(acl, "ruleJson");
            if (asArray(rules).length > 0 || (jsonRules(json)?.length ?? 0) > 0) continue;
            if (separate.some((r) => namesResource(r, "webAclArn", acl, T.webAcl))) continue;
            report("rules", "web ACL has no rules or rule groups, so it only applies its default action", acl.urn);
        }
    },
);

/** Log destinations AWS WAF accepts: their names must start with this. */
const WAF_LOG_PREFIX = "aws-waf-logs-";
/** Resources a logging configuration may name as its destination, and the property holding their name. */
const DESTINATIONS: readonly [tokens: readonly string[], nameProp: string][] = [
    [T.logGroup, "name"],
    [T.bucket, "bucket"],
    [T.firehoseStream, "name"],
];

/** The name at the end of a destination ARN: a log group (`log-group:<name>[:*]`), bucket (`arn:aws:s3:::<name>`) or stream (`deliverystream/<name>`). */
function destinationName(arn: string): string {
    const group = /:log-group:([^:]+)/.exec(arn);
    if (group) return group[1];
    const stream = /:deliverystream\/(.+)$/.exec(arn);
    if (stream) return stream[1];
    return arn.split(":").pop() ?? arn;
}

/** The region of an ARN (`arn:aws:logs:us-east-1:...`), when it names one. */
const arnRegion = (arn: string): string | undefined => arn.split(":")[3] || undefined;

/** Checks one destination of a logging configuration; one known only after deploy is resolved through its dependencies. */
function checkDestination(config: Node, acl: Node, value: unknown, report: Report, undecided: Undecided): void {
    let name: unknown;
    let label: string;
    if (typeof value === "string") {
        name = destinationName(value);
        label = value;
        const region = arnRegion(value);
        if (acl.props.scope === "CLOUDFRONT" && value.startsWith("arn:") && value.includes(":logs:") && region && region !== "us-east-1") {
            report("destination-region", `web ACL (CLOUDFRONT scope) logs to ${value}, not to a log group in us-east-1 as AWS WAF requires`, acl.urn);
        }
    } else {
        const candidates = DESTINATIONS.flatMap(([tokens, prop]) => dependenciesOf(config, "logDestinationConfigs", tokens).map((r) => [r, prop] as const));
        if (candidates.length !== 1) {
            undecided.note(config.name, "logDestinationConfigs");
            return;
        }
        const [dest, prop] = candidates[0];
        name = known(dest.props, prop);
        label = dest.name;
        if (name === UNKNOWN_VALUE) {
            undecided.note(dest.name, prop);
            return;
        }
    }
    if (typeof name !== "string" || !name.startsWith(WAF_LOG_PREFIX)) {
        report("destination-name", `web ACL logs to ${label}, whose name ${JSON.stringify(name ?? "")} does not start with "${WAF_LOG_PREFIX}" (AWS WAF delivers to no other)`, acl.urn);
    }
}

export const R53 = stackRule(
    {
        id: "R53",
        slug: "waf-acl-logging",
        requirement: `Every WAF web ACL has a logging configuration (WebAclLoggingConfiguration) to a destination named "${WAF_LOG_PREFIX}*" (a CloudWatch log group, in us-east-1 for a CLOUDFRONT-scope ACL, an S3 bucket or a Firehose stream).`,
        why: "Metrics count requests; only the logs say which client sent what, which rule matched and why a request was blocked, for incident response and for tuning false positives.",
        anchors: ["SH WAF.11"],
        level: "M",
        severity: "medium",
        remediation: `Create an aws.cloudwatch.LogGroup named "${WAF_LOG_PREFIX}<name>" (retention, KMS; in us-east-1 for CloudFront) and an aws.wafv2.WebAclLoggingConfiguration { resourceArn: acl.arn, logDestinationConfigs: [<log group ARN>] }.`,
    },
    (resources, report) => {
        const undecided = new Undecided();
        const configs = ofTypes(resources, T.webAclLogging);
        for (const acl of ofTypes(resources, T.webAcl)) {
            const mine = configs.filter((c) => namesResource(c, "resourceArn", acl, T.webAcl));
            if (mine.length === 0) {
                report("logging", "web ACL has no logging configuration (WebAclLoggingConfiguration), so blocked and matched requests leave no record", acl.urn);
                continue;
            }
            for (const c of mine) {
                const destinations = knownItems(known(c.props, "logDestinationConfigs"));
                if (destinations.length === 0) report("logging", "web ACL's logging configuration names no destination", acl.urn);
                for (const d of destinations) checkDestination(c, acl, d, report, undecided);
            }
        }
        undecided.settle();
    },
);

export const WAF_RULES = [R52, R53];
