import * as assert from "assert/strict";
import { R52, R53, WAF_RULES } from "../../policy/rules/waf";
import { ACCOUNT, UNKNOWN, findings, mutate, verdictOf, type Fixture } from "../helpers/policy";

const ACL_ARN = `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/site-waf-1a2b3c4/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
const GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:aws-waf-logs-site-4f24436`;
const visibility = (metric: string, on = true) => ({ cloudwatchMetricsEnabled: on, metricName: metric, sampledRequestsEnabled: true });
const managed = (name: string, priority: number) => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
    visibilityConfig: visibility(name),
});

// What StaticSite creates with waf: true.
const acl: Fixture = {
    type: "aws:wafv2/webAcl:WebAcl",
    name: "site-waf",
    props: {
        id: "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
        arn: ACL_ARN,
        name: "site-waf-1a2b3c4",
        scope: "CLOUDFRONT",
        defaultAction: { allow: {} },
        rules: [managed("AWSManagedRulesCommonRuleSet", 0), { name: "rate-limit", priority: 1, action: { block: {} }, statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } }, visibilityConfig: visibility("rate-limit") }],
        visibilityConfig: visibility("web-acl"),
    },
};
const emptyAcl = mutate(acl, { rules: undefined });
const group: Fixture = { type: "aws:cloudwatch/logGroup:LogGroup", name: "aws-waf-logs-site", props: { name: "aws-waf-logs-site-4f24436", arn: GROUP_ARN, retentionInDays: 365 } };
const logging: Fixture = {
    type: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    name: "site-waf-logging",
    props: { resourceArn: ACL_ARN, logDestinationConfigs: [GROUP_ARN] },
};

describe("R52 WAF web ACLs have rules, and everything sends CloudWatch metrics", () => {
    it("passes an ACL with inline rules and metrics everywhere", async () => {
        assert.deepEqual(await findings(R52, [acl]), []);
    });
    it("passes rules given as ruleJson (PascalCase keys)", async () => {
        const json = JSON.stringify([{ Name: "common", Priority: 0, Statement: {}, OverrideAction: { None: {} }, VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: "common", SampledRequestsEnabled: true } }]);
        assert.deepEqual(await findings(R52, [mutate(emptyAcl, { ruleJson: json })]), []);
        const off = JSON.stringify([{ Name: "common", Priority: 0, VisibilityConfig: { CloudWatchMetricsEnabled: false } }]);
        assert.deepEqual(await findings(R52, [mutate(emptyAcl, { ruleJson: off })]), [
            'site-waf: rule "common" of the web ACL does not send CloudWatch metrics (visibilityConfig.cloudwatchMetricsEnabled is not true) [finding rule-common-metrics]',
        ]);
    });
    it("reports an ACL without rules (FSBP WAF.10)", async () => {
        assert.deepEqual(await findings(R52, [emptyAcl]), ["site-waf: web ACL has no rules or rule groups, so it only applies its default action [finding rules]"]);
        assert.deepEqual(await findings(R52, [mutate(acl, { rules: [] })]), ["site-waf: web ACL has no rules or rule groups, so it only applies its default action [finding rules]"]);
    });
    it("passes an ACL whose rules are separate WebAclRule and WebAclRuleGroupAssociation resources, also named by an ARN known only after deploy", async () => {
        const rule: Fixture = { type: "aws:wafv2/webAclRule:WebAclRule", name: "rate", props: { webAclArn: ACL_ARN, name: "rate", priority: 1, visibilityConfig: visibility("rate") } };
        const association: Fixture = {
            type: "aws:wafv2/webAclRuleGroupAssociation:WebAclRuleGroupAssociation",
            name: "common",
            props: { webAclArn: ACL_ARN, ruleName: "common", priority: 0, managedRuleGroup: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS" }, visibilityConfig: visibility("common") },
        };
        assert.deepEqual(await findings(R52, [emptyAcl, rule]), []);
        assert.deepEqual(await findings(R52, [emptyAcl, association]), []);
        const newAcl = mutate(emptyAcl, { arn: UNKNOWN, id: UNKNOWN });
        assert.deepEqual(await findings(R52, [newAcl, { ...mutate(rule, { webAclArn: UNKNOWN }), propertyDependencies: { webAclArn: ["site-waf"] } }]), []);
        // A rule of another ACL does not fill this one.
        const other = { ...mutate(acl, { arn: `${ACL_ARN}-other` }), name: "other-waf" };
        assert.deepEqual(await findings(R52, [emptyAcl, other, mutate(rule, { webAclArn: `${ACL_ARN}-other` })]), [
            "site-waf: web ACL has no rules or rule groups, so it only applies its default action [finding rules]",
        ]);
        // Metrics on the separate rules.
        assert.deepEqual(await findings(R52, [acl, mutate(rule, { visibilityConfig: visibility("rate", false) }), mutate(association, { visibilityConfig: undefined })]), [
            'common: web ACL rule "common" does not send CloudWatch metrics (visibilityConfig.cloudwatchMetricsEnabled is not true) [finding metrics]',
            'rate: web ACL rule "rate" does not send CloudWatch metrics (visibilityConfig.cloudwatchMetricsEnabled is not true) [finding metrics]',
        ]);
    });
    it("reports an ACL, an inline rule and a rule group without metrics (FSBP WAF.12)", async () => {
        const rules = acl.props.rules as Record<string, unknown>[];
        assert.deepEqual(await findings(R52, [mutate(acl, { visibilityConfig: visibility("web-acl", false), rules: [rules[0], { ...rules[1], visibilityConfig: visibility("rate-limit", false) }] })]), [
            'site-waf: rule "rate-limit" of the web ACL does not send CloudWatch metrics (visibilityConfig.cloudwatchMetricsEnabled is not true) [finding rule-rate-limit-metrics]',
            "site-waf: web ACL does not send CloudWatch metrics (visibilityConfig.cloudwatchMetricsEnabled is not true) [finding metrics]",
        ]);
        const ruleGroup: Fixture = {
            type: "aws:wafv2/ruleGroup:RuleGroup",
            name: "custom",
            props: { capacity: 10, scope: "REGIONAL", visibilityConfig: visibility("custom"), rules: [{ name: "block-admin", priority: 0, action: { block: {} }, visibilityConfig: visibility("x", false) }] },
        };
        assert.deepEqual(await findings(R52, [ruleGroup]), [
            'custom: rule "block-admin" of the rule group does not send CloudWatch metrics (visibilityConfig.cloudwatchMetricsEnabled is not true) [finding rule-block-admin-metrics]',
        ]);
    });
});

describe("R53 WAF web ACL logging", () => {
    it("passes an ACL logging to an aws-waf-logs-* log group, bucket or Firehose stream", async () => {
        assert.deepEqual(await findings(R53, [acl, group, logging]), []);
        assert.deepEqual(await findings(R53, [acl, mutate(logging, { logDestinationConfigs: ["arn:aws:s3:::aws-waf-logs-site-bucket"] })]), []);
        assert.deepEqual(await findings(R53, [acl, mutate(logging, { logDestinationConfigs: [`arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/aws-waf-logs-site`] })]), []);
    });
    it("reports an ACL without a logging configuration, or with one for another ACL", async () => {
        const message = "site-waf: web ACL has no logging configuration (WebAclLoggingConfiguration), so blocked and matched requests leave no record [finding logging]";
        assert.deepEqual(await findings(R53, [acl]), [message]);
        assert.deepEqual(await findings(R53, [acl, mutate(logging, { resourceArn: `${ACL_ARN}-other` })]), [message]);
    });
    it("reports a destination not named aws-waf-logs-*, and a CLOUDFRONT-scope ACL logging outside us-east-1", async () => {
        assert.deepEqual(await findings(R53, [acl, mutate(logging, { logDestinationConfigs: [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:site-waf:*`] })]), [
            `site-waf: web ACL logs to arn:aws:logs:us-east-1:${ACCOUNT}:log-group:site-waf:*, whose name "site-waf" does not start with "aws-waf-logs-" (AWS WAF delivers to no other) [finding destination-name]`,
        ]);
        const west = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:aws-waf-logs-site`;
        assert.deepEqual(await findings(R53, [acl, mutate(logging, { logDestinationConfigs: [west] })]), [
            `site-waf: web ACL (CLOUDFRONT scope) logs to ${west}, not to a log group in us-east-1 as AWS WAF requires [finding destination-region]`,
        ]);
        assert.deepEqual(await findings(R53, [mutate(acl, { scope: "REGIONAL" }), mutate(logging, { logDestinationConfigs: [west] })]), []);
    });
    it("at preview resolves the ACL and a destination ARN known only after deploy through property dependencies", async () => {
        const newAcl = mutate(acl, { arn: UNKNOWN, id: UNKNOWN });
        const newLogging: Fixture = { ...mutate(logging, { resourceArn: UNKNOWN, logDestinationConfigs: [UNKNOWN] }), propertyDependencies: { resourceArn: ["site-waf"], logDestinationConfigs: ["aws-waf-logs-site"] } };
        const newGroup = mutate(group, { arn: UNKNOWN });
        assert.deepEqual(await findings(R53, [newAcl, newGroup, newLogging]), []);
        const badGroup = mutate(newGroup, { name: "site-waf-logs-4f24436" });
        assert.deepEqual(await findings(R53, [newAcl, badGroup, newLogging]), [
            'site-waf: web ACL logs to aws-waf-logs-site, whose name "site-waf-logs-4f24436" does not start with "aws-waf-logs-" (AWS WAF delivers to no other) [finding destination-name]',
        ]);
        // A group named only after deploy (namePrefix): the rule cannot decide, and says so.
        const verdict = await verdictOf([R53], [newAcl, mutate(newGroup, { name: UNKNOWN }), newLogging]);
        assert.deepEqual(verdict.mandatory, []);
        assert.deepEqual(
            verdict.advisory.map((f) => f.message),
            ["can't run policy 'R53-waf-acl-logging' during preview: string value at .aws-waf-logs-site.name can't be known during preview"],
        );
    });
});

describe("WAF rules over a mixed graph", () => {
    it("fails exactly the non-compliant resources", async () => {
        const bare = { ...mutate(emptyAcl, { arn: `${ACL_ARN}-bare`, visibilityConfig: visibility("bare", false) }), name: "bare-waf" };
        const verdict = await verdictOf(WAF_RULES, [acl, group, logging, bare]);
        assert.deepEqual([...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort(), ["R52-waf-acl-rules-and-metrics bare-waf", "R53-waf-acl-logging bare-waf"]);
    });
});
