import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsContext } from "./aws-context";
import { logsMayEncrypt } from "./iam";
import { customerManagedKey } from "./key";
import type { Tags } from "./tags";

/** AWS managed rule groups every web ACL runs: common exploits, known-bad inputs, IP reputation. */
export const MANAGED_RULE_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList"];
/** Requests per 5 minutes one IP may send before WAF answers 429. */
export const RATE_LIMIT = 2000;

export interface WebAclSettings {
    /** `CLOUDFRONT` (the ACL, its logs and key in us-east-1) or `REGIONAL` (a load balancer's region). */
    readonly scope: "CLOUDFRONT" | "REGIONAL";
    /** The ACL's region: us-east-1 for CloudFront, else the load balancer's. */
    readonly region: pulumi.Input<string>;
    /** Days to keep the WAF's logs (a CloudWatch Logs retention value). */
    readonly logRetentionDays: number;
}

/**
 * A WAF web ACL: AWS managed rule groups and a per-IP rate limit answering 429 with Retry-After (a managed
 * rule's block is a 403). Its logs (requests WAF blocked, counted or challenged; allowed ones are in the access
 * logs) go to an `aws-waf-logs-*` log group, as WAF requires, encrypted with their own key, cookies and
 * credentials redacted. `opts` carries the provider of the ACL's region; `stateful` also protection.
 */
export function createWebAcl(
    name: string,
    s: WebAclSettings,
    ctx: AwsContext,
    tags: (role: string) => Tags,
    opts: pulumi.CustomResourceOptions,
    stateful: pulumi.CustomResourceOptions,
): aws.wafv2.WebAcl {
    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, metricName: `${name}-${metric}`, sampledRequestsEnabled: true });
    const webAcl = new aws.wafv2.WebAcl(
        `${name}-waf`,
        {
            scope: s.scope,
            defaultAction: { allow: {} },
            rules: [
                ...MANAGED_RULE_GROUPS.map((group, priority) => ({
                    name: group,
                    priority,
                    overrideAction: { none: {} },
                    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
                    visibilityConfig: visibility(group),
                })),
                {
                    name: "rate-limit",
                    priority: MANAGED_RULE_GROUPS.length,
                    // 429 with a short text and Retry-After: clients and monitors see a rate limit, not a missing page.
                    action: {
                        block: {
                            customResponse: { responseCode: 429, customResponseBodyKey: "rate-limited", responseHeaders: [{ name: "Retry-After", value: "300" }] },
                        },
                    },
                    statement: { rateBasedStatement: { limit: RATE_LIMIT, aggregateKeyType: "IP" } },
                    visibilityConfig: visibility("rate-limit"),
                },
            ],
            customResponseBodies: [{ key: "rate-limited", contentType: "TEXT_PLAIN", content: "Too many requests from your address. Try again in a few minutes.\n" }],
            visibilityConfig: visibility("web-acl"),
            tags: tags("waf"),
        },
        opts,
    );

    // Autonamed from this logical name: aws-waf-logs-<name>-<suffix>, known before deploy.
    const groupName = `aws-waf-logs-${name}`;
    const key = customerManagedKey(
        `${name}-waf-logs`,
        `${name} WAF logs`,
        ctx.accountRoot,
        [logsMayEncrypt(ctx.arn, s.region, `log-group:${groupName}-*`)],
        tags("waf-logs"),
        stateful,
    );
    const group = new aws.cloudwatch.LogGroup(groupName, { retentionInDays: s.logRetentionDays, kmsKeyId: key.arn, tags: tags("waf-logs") }, stateful);
    new aws.wafv2.WebAclLoggingConfiguration(
        `${name}-waf`,
        {
            resourceArn: webAcl.arn,
            // The group's ARN from its name (known before deploy), without the `:*` the provider's output carries.
            logDestinationConfigs: [ctx.arn("logs", pulumi.interpolate`log-group:${group.name}`, s.region)],
            loggingFilter: {
                defaultBehavior: "DROP",
                filters: [
                    {
                        behavior: "KEEP",
                        requirement: "MEETS_ANY",
                        conditions: ["BLOCK", "COUNT", "CAPTCHA", "CHALLENGE"].map((action) => ({ actionCondition: { action } })),
                    },
                ],
            },
            redactedFields: [{ singleHeader: { name: "cookie" } }, { singleHeader: { name: "authorization" } }],
        },
        { ...stateful, protect: false, retainOnDelete: false },
    );
    return webAcl;
}
