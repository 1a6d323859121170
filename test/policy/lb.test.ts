import * as assert from "assert/strict";
import { CLOUDFRONT_ORIGIN_FACING } from "../../policy/lib/aws-facts";
import { LB_RULES, R01, R02, R03, R35, R49, R50, R51 } from "../../policy/rules/lb";
import { findings, mutate, verdictOf, type Fixture, UNKNOWN, PROD_TAGS } from "../helpers/policy";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const ALB = "aws:alb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const ALB_LISTENER = "aws:alb/listener:Listener";
const LB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188";
const TG_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067";
const CERT_ARN = "arn:aws:acm:eu-west-1:123456789012:certificate/0f7f6c8e-1b2a-4c3d-9e8f-1234567890ab";

const alb: Fixture = {
    type: LB,
    name: "web-alb",
    props: {
        name: "web-alb",
        arn: LB_ARN,
        loadBalancerType: "application",
        internal: false,
        securityGroups: ["sg-lb"],
        subnets: ["subnet-pub-a", "subnet-pub-b"],
        dropInvalidHeaderFields: true,
        enableDeletionProtection: true,
        accessLogs: { bucket: "web-alb-logs-1a2b", prefix: "web", enabled: true },
        tags: PROD_TAGS,
    },
};

const http: Fixture = {
    type: LISTENER,
    name: "http",
    props: {
        loadBalancerArn: LB_ARN,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        tags: PROD_TAGS,
    },
};

const https: Fixture = {
    type: LISTENER,
    name: "https",
    props: {
        loadBalancerArn: LB_ARN,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        certificateArn: CERT_ARN,
        defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }],
        tags: PROD_TAGS,
    },
};

const R01_NAME = "R01-http-redirects-to-https";

const REGIONAL_ACL_ARN = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api-waf/a1b2c3d4-e5f6-4789-8abc-def012345678";
const regionalAcl: Fixture = { type: "aws:wafv2/webAcl:WebAcl", name: "api-waf", props: { arn: REGIONAL_ACL_ARN, name: "api-waf", scope: "REGIONAL" } };
const association: Fixture = { type: "aws:wafv2/webAclAssociation:WebAclAssociation", name: "api-waf", props: { resourceArn: LB_ARN, webAclArn: REGIONAL_ACL_ARN } };

describe("load balancer rules", () => {
    describe("R01 HTTP listeners only redirect to HTTPS", () => {
        it("passes a 301 redirect to HTTPS on both aws.lb and aws.alb listeners, and ignores HTTPS listeners", async () => {
            const albForm = { ...mutate(http, { defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", statusCode: "HTTP_302" } }] }), type: ALB_LISTENER, name: "http-alb" };
            assert.deepEqual(await findings(R01, [http, albForm, https]), []);
        });

        it("reports a listener that forwards plain HTTP", async () => {
            assert.deepEqual(await findings(R01, [mutate(http, { defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }] })]), [
                "http: HTTP listener on port 80 forwards plain HTTP instead of redirecting to HTTPS [finding http-listener]",
            ]);
        });

        it("reports a fixed response on an aws.alb listener", async () => {
            const fixed = { ...mutate(http, { defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "200" } }] }), type: ALB_LISTENER };
            assert.deepEqual(await findings(R01, [fixed]), ["http: HTTP listener on port 80 answers plain HTTP with a fixed response instead of redirecting to HTTPS [finding http-listener]"]);
        });

        it("reports a redirect that keeps the request's protocol, and a bad status code, as two findings", async () => {
            assert.deepEqual(await findings(R01, [mutate(http, { defaultActions: [{ type: "redirect", redirect: { port: "443", statusCode: "HTTP_307" } }] })]), [
                "http: HTTP listener on port 80 redirects to the request's protocol (#{protocol}, the default) instead of HTTPS [finding redirect-protocol]",
                'http: HTTP listener on port 80 redirects with status "HTTP_307" instead of HTTP_301 or HTTP_302 [finding redirect-status]',
            ]);
        });

        it("reports a redirect to HTTP", async () => {
            assert.deepEqual(await findings(R01, [mutate(http, { defaultActions: [{ type: "redirect", redirect: { protocol: "HTTP", statusCode: "HTTP_301" } }] })]), [
                'http: HTTP listener on port 80 redirects to protocol "HTTP" instead of HTTPS [finding redirect-protocol]',
            ]);
        });

        it("reports more than one default action, and no default action", async () => {
            const two = mutate(http, { defaultActions: [{ type: "authenticate-oidc", order: 1 }, { type: "forward", targetGroupArn: TG_ARN, order: 2 }] });
            const none = { ...mutate(http, { defaultActions: [] }), name: "empty" };
            assert.deepEqual(await findings(R01, [two, none]), [
                "empty: HTTP listener on port 80 has no default action instead of a redirect to HTTPS [finding http-listener]",
                'http: HTTP listener on port 80 has 2 default actions ("authenticate-oidc", "forward") instead of a single redirect to HTTPS [finding http-listener]',
            ]);
        });

        it("treats a listener without protocol as HTTP (the ALB default)", async () => {
            assert.deepEqual(await findings(R01, [mutate(http, { protocol: undefined, port: 8080, defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }] })]), [
                "http: HTTP listener on port 8080 forwards plain HTTP instead of redirecting to HTTPS [finding http-listener]",
            ]);
        });

        it("in strict mode reports every HTTP listener, even a redirect", async () => {
            assert.deepEqual(await findings(R01, [http, https], { [R01_NAME]: { strict: true } }), [
                "http: HTTP listener on port 80 accepts plain HTTP (strict mode allows no HTTP listener) [finding http-listener]",
            ]);
        });

        it("declares the strict property in its config schema", () => {
            assert.deepEqual(R01.configSchema?.properties, { strict: { type: "boolean" } });
        });

        it("cannot run during preview when the protocol is unknown (advisory, not a violation)", async () => {
            const verdict = await verdictOf([R01], [mutate(http, { protocol: UNKNOWN })]);
            assert.deepEqual(verdict.mandatory, []);
            assert.deepEqual(
                verdict.advisory.map((f) => f.message),
                [`can't run policy '${R01_NAME}' during preview: string value at .protocol can't be known during preview`],
            );
        });
    });

    describe("R02 HTTPS listeners: TLS 1.2+ policy and ACM certificate", () => {
        const tls: Fixture = {
            type: LISTENER,
            name: "tls",
            props: { loadBalancerArn: LB_ARN, port: 5443, protocol: "TLS", sslPolicy: "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", certificateArn: CERT_ARN, defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }] },
        };
        const extraCert: Fixture = {
            type: "aws:lb/listenerCertificate:ListenerCertificate",
            name: "extra-cert",
            props: { listenerArn: `${LB_ARN}/listener`, certificateArn: "arn:aws-cn:acm:cn-north-1:123456789012:certificate/abc" },
        };

        it("passes HTTPS and TLS listeners and a listener certificate with allow-listed policies and ACM certificates, and ignores HTTP", async () => {
            const albForm = { ...mutate(https, { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09" }), type: ALB_LISTENER, name: "https-alb" };
            assert.deepEqual(await findings(R02, [https, albForm, tls, extraCert, http]), []);
        });

        it("reports a listener without sslPolicy (the API default ELBSecurityPolicy-2016-08)", async () => {
            assert.deepEqual(await findings(R02, [mutate(https, { sslPolicy: undefined })]), [
                "https: HTTPS listener on port 443 has no sslPolicy, so AWS applies ELBSecurityPolicy-2016-08 (which allows TLS 1.0 and 1.1) [finding ssl-policy]",
            ]);
        });

        it("reports a TLS 1.3 policy that still allows TLS 1.1 on an aws.alb listener", async () => {
            const old = { ...mutate(https, { sslPolicy: "ELBSecurityPolicy-TLS13-1-1-2021-06" }), type: ALB_LISTENER };
            assert.deepEqual(await findings(R02, [old]), [
                'https: HTTPS listener on port 443 uses sslPolicy "ELBSecurityPolicy-TLS13-1-1-2021-06", which is not an allow-listed TLS 1.2+ policy [finding ssl-policy]',
            ]);
        });

        it("reports an IAM server certificate, a missing certificate and a non-ARN certificate", async () => {
            const iam = mutate(https, { certificateArn: "arn:aws:iam::123456789012:server-certificate/web" });
            const missing = { ...mutate(tls, { certificateArn: undefined }) };
            const odd = { ...extraCert, name: "odd-cert", props: { ...extraCert.props, certificateArn: "web-cert" } };
            assert.deepEqual(await findings(R02, [iam, missing, odd]), [
                'https: HTTPS listener on port 443 uses IAM server certificate "arn:aws:iam::123456789012:server-certificate/web" instead of an ACM certificate [finding certificate]',
                'odd-cert: listener certificate uses certificate "web-cert", which is not an ACM certificate ARN [finding certificate]',
                "tls: TLS listener on port 5443 has no certificateArn (an ACM certificate is required) [finding certificate]",
            ]);
        });

        it("reports an IAM certificate on an aws.alb listener certificate", async () => {
            const albCert: Fixture = { type: "aws:alb/listenerCertificate:ListenerCertificate", name: "alb-cert", props: { listenerArn: "l", certificateArn: "arn:aws:iam::123456789012:server-certificate/old" } };
            assert.deepEqual(await findings(R02, [albCert]), [
                'alb-cert: listener certificate uses IAM server certificate "arn:aws:iam::123456789012:server-certificate/old" instead of an ACM certificate [finding certificate]',
            ]);
        });
    });

    describe("R03 ALB drops invalid header fields", () => {
        it("passes an ALB that drops invalid headers, and ignores network load balancers", async () => {
            const nlb = { ...mutate(alb, { loadBalancerType: "network", dropInvalidHeaderFields: undefined }), name: "nlb" };
            assert.deepEqual(await findings(R03, [alb, nlb]), []);
        });

        it("reports an aws.alb load balancer without a type (application by default) that keeps invalid headers", async () => {
            const legacy = { ...mutate(alb, { loadBalancerType: undefined, dropInvalidHeaderFields: undefined }), type: ALB };
            assert.deepEqual(await findings(R03, [legacy]), [
                "web-alb: application load balancer forwards invalid header fields (dropInvalidHeaderFields is unset, default false) [finding drop-invalid-headers]",
            ]);
        });

        it("reports dropInvalidHeaderFields false", async () => {
            assert.deepEqual(await findings(R03, [mutate(alb, { dropInvalidHeaderFields: false })]), [
                "web-alb: application load balancer forwards invalid header fields (dropInvalidHeaderFields is false) [finding drop-invalid-headers]",
            ]);
        });
    });

    describe("R35 access logs and deletion protection", () => {
        it("passes a load balancer with enabled access logs and deletion protection (aws.lb and aws.alb)", async () => {
            assert.deepEqual(await findings(R35, [alb, { ...alb, type: ALB, name: "legacy" }]), []);
        });

        it("reports a load balancer without access logs or deletion protection", async () => {
            assert.deepEqual(await findings(R35, [mutate(alb, { accessLogs: undefined, enableDeletionProtection: undefined })]), [
                "web-alb: access logs are not configured [finding access-logs]",
                "web-alb: deletion protection is off (enableDeletionProtection is unset, default false) [finding deletion-protection]",
            ]);
        });

        it("reports access logs with a bucket but not enabled (enabled defaults to false)", async () => {
            assert.deepEqual(await findings(R35, [mutate(alb, { accessLogs: { bucket: "web-alb-logs-1a2b" } })]), [
                'web-alb: access logs to bucket "web-alb-logs-1a2b" are not enabled (accessLogs.enabled is unset, default false) [finding access-logs]',
            ]);
        });

        it("reports access logs enabled without a bucket, and deletion protection false, on aws.alb", async () => {
            const legacy = { ...mutate(alb, { accessLogs: { bucket: "", enabled: true }, enableDeletionProtection: false }), type: ALB };
            assert.deepEqual(await findings(R35, [legacy]), [
                "web-alb: access logs are enabled without a bucket [finding access-logs]",
                "web-alb: deletion protection is off (enableDeletionProtection is false) [finding deletion-protection]",
            ]);
        });

        it("does not ask a gateway load balancer for access logs", async () => {
            const gwlb = mutate(alb, { loadBalancerType: "gateway", accessLogs: undefined, dropInvalidHeaderFields: undefined });
            assert.deepEqual(await findings(R35, [gwlb]), []);
        });
    });

    it("mixed graph: exactly the non-compliant resources fail", async () => {
        const fixtures: Fixture[] = [
            alb,
            { ...mutate(alb, { arn: `${LB_ARN}-admin`, dropInvalidHeaderFields: false, enableDeletionProtection: false }), type: ALB, name: "admin-alb" },
            { ...mutate(alb, { loadBalancerType: "network", dropInvalidHeaderFields: undefined }), name: "nlb" },
            http,
            https,
            { ...mutate(http, { defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }] }), type: ALB_LISTENER, name: "admin-http" },
            { ...mutate(https, { sslPolicy: "ELBSecurityPolicy-2016-08" }), name: "admin-https" },
            regionalAcl,
            association,
        ];
        const verdict = await verdictOf(LB_RULES, fixtures);
        const failing = [...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort();
        assert.deepEqual(failing, [
            "R01-http-redirects-to-https admin-http",
            "R02-https-listener-tls12-acm admin-https",
            "R03-alb-drops-invalid-headers admin-alb",
            "R35-lb-access-logs-deletion-protection admin-alb",
            "R51-public-alb-waf-or-cloudfront-only admin-alb",
        ]);
    });

    describe("R49 ALB desync mitigation defensive or strictest", () => {
        it("passes unset (defensive), defensive and strictest, and ignores network load balancers", async () => {
            assert.deepEqual(await findings(R49, [alb, { ...mutate(alb, { desyncMitigationMode: "defensive" }), name: "a" }, { ...mutate(alb, { desyncMitigationMode: "strictest" }), type: ALB, name: "b" }]), []);
            assert.deepEqual(await findings(R49, [mutate(alb, { loadBalancerType: "network", desyncMitigationMode: "monitor" })]), []);
        });
        it("reports monitor mode on aws.lb and aws.alb (no type: application)", async () => {
            assert.deepEqual(await findings(R49, [mutate(alb, { desyncMitigationMode: "monitor" }), { ...mutate(alb, { loadBalancerType: undefined, desyncMitigationMode: "monitor" }), type: ALB, name: "admin-alb" }]), [
                'admin-alb: application load balancer uses desyncMitigationMode "monitor", not "defensive" or "strictest" [finding desync-mitigation]',
                'web-alb: application load balancer uses desyncMitigationMode "monitor", not "defensive" or "strictest" [finding desync-mitigation]',
            ]);
        });
    });

    describe("R50 load balancers span at least two Availability Zones", () => {
        const subnet = (name: string): Fixture => ({ type: "aws:ec2/subnet:Subnet", name, props: { id: UNKNOWN, availabilityZone: "eu-west-1a" } });
        it("passes two subnets or two subnet mappings, on aws.lb and aws.alb, also ids known only after deploy", async () => {
            assert.deepEqual(await findings(R50, [alb, { ...mutate(alb, { subnets: undefined, subnetMappings: [{ subnetId: "subnet-a", allocationId: "eipalloc-1" }, { subnetId: "subnet-b" }] }), type: ALB, name: "nlb" }]), []);
            assert.deepEqual(await findings(R50, [mutate(alb, { subnets: [UNKNOWN, UNKNOWN] })]), []);
        });
        it("reports one subnet, one mapping, and none", async () => {
            assert.deepEqual(await findings(R50, [mutate(alb, { subnets: ["subnet-a"] })]), ["web-alb: load balancer is placed in one subnet, so it serves from a single Availability Zone (at least two are required) [finding multi-az]"]);
            assert.deepEqual(await findings(R50, [{ ...mutate(alb, { subnets: undefined, subnetMappings: [{ subnetId: "subnet-a" }] }), type: ALB }]), [
                "web-alb: load balancer is placed in one subnet, so it serves from a single Availability Zone (at least two are required) [finding multi-az]",
            ]);
            assert.deepEqual(await findings(R50, [mutate(alb, { subnets: undefined })]), ["web-alb: load balancer is placed in no subnet, so it serves from no Availability Zone (at least two are required) [finding multi-az]"]);
        });
        it("at preview counts the subnets a whole unknown list was computed from", async () => {
            const fromTwo: Fixture = { ...mutate(alb, { subnets: UNKNOWN }), propertyDependencies: { subnets: ["public-0", "public-1"] } };
            assert.deepEqual(await findings(R50, [subnet("public-0"), subnet("public-1"), fromTwo]), []);
            const fromOne: Fixture = { ...fromTwo, propertyDependencies: { subnets: ["public-0"] } };
            assert.deepEqual(await findings(R50, [subnet("public-0"), fromOne]), [
                "web-alb: load balancer is placed in one subnet, so it serves from a single Availability Zone (at least two are required) [finding multi-az]",
            ]);
            // The list the program did not set is the provider's (unknown before deploy, no dependencies): as unset.
            assert.deepEqual(await findings(R50, [subnet("public-0"), subnet("public-1"), { ...mutate(fromTwo, { subnetMappings: UNKNOWN }), propertyDependencies: { subnets: ["public-0", "public-1"] } }]), []);
            // A list computed from something else (a parameter holding subnet ids): undecided before deploy.
            const parameter: Fixture = { type: "aws:ssm/parameter:Parameter", name: "subnet-ids", props: { name: "/network/subnets", value: UNKNOWN } };
            const verdict = await verdictOf([R50], [parameter, { ...fromTwo, propertyDependencies: { subnets: ["subnet-ids"] } }]);
            assert.deepEqual([verdict.mandatory, verdict.advisory.map((f) => f.message)], [[], ["can't run policy 'R50-lb-multi-az' during preview: string value at .web-alb.subnets can't be known during preview"]]);
        });
    });

    describe("R51 internet-facing ALB: regional WAF or CloudFront only", () => {
        const PL = CLOUDFRONT_ORIGIN_FACING["eu-west-1"];
        const lbGroup: Fixture = { type: "aws:ec2/securityGroup:SecurityGroup", name: "lb", props: { id: "sg-lb", vpcId: "vpc-1" } };
        const fromCloudFront: Fixture = {
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            name: "lb-from-cloudfront",
            props: { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: PL },
        };
        const fromWorld: Fixture = { ...fromCloudFront, name: "lb-from-world", props: { securityGroupId: "sg-lb", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" } };
        const LISTENER_ARN = `${LB_ARN.replace(":loadbalancer/", ":listener/")}/f2f7dc8efc522ab2`;
        const cloaked = mutate(https, { arn: LISTENER_ARN, defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "403" } }] });
        const headerRule: Fixture = {
            type: "aws:lb/listenerRule:ListenerRule",
            name: "from-cloudfront",
            props: {
                listenerArn: LISTENER_ARN,
                priority: 1,
                actions: [{ type: "forward", targetGroupArn: TG_ARN }],
                conditions: [{ httpHeader: { httpHeaderName: "X-Origin-Verify", values: ["s3cr3t-from-secrets-manager"] } }],
            },
        };
        const CLOUDFRONT_ONLY = [alb, lbGroup, fromCloudFront, cloaked, headerRule];
        const message = (reason: string, waf = "it has no regional WAF web ACL association") =>
            `web-alb: internet-facing application load balancer: ${waf}, and it does not accept traffic only from CloudFront (${reason}) [finding waf]`;

        it("passes an ALB with a regional web ACL association (ARN known, or through dependencies at preview)", async () => {
            assert.deepEqual(await findings(R51, [alb, regionalAcl, association]), []);
            assert.deepEqual(await findings(R51, [alb, association]), []); // a regional ACL outside the stack, by its ARN
            const newAlb = mutate(alb, { arn: UNKNOWN });
            const newAcl = mutate(regionalAcl, { arn: UNKNOWN });
            const pending: Fixture = { ...mutate(association, { resourceArn: UNKNOWN, webAclArn: UNKNOWN }), propertyDependencies: { resourceArn: ["web-alb"], webAclArn: ["api-waf"] } };
            assert.deepEqual(await findings(R51, [newAlb, newAcl, pending]), []);
        });
        it("passes a CloudFront-only ALB: origin-facing prefix list, fixed-response default, secret-header rule (aws.alb tokens too)", async () => {
            assert.deepEqual(await findings(R51, CLOUDFRONT_ONLY), []);
            assert.deepEqual(await findings(R51, [alb, lbGroup, fromCloudFront, { ...cloaked, type: ALB_LISTENER }, { ...headerRule, type: "aws:alb/listenerRule:ListenerRule" }]), []);
        });
        it("ignores internal and network load balancers", async () => {
            assert.deepEqual(await findings(R51, [mutate(alb, { internal: true }), { ...mutate(alb, { loadBalancerType: "network" }), name: "nlb" }]), []);
        });
        it("reports an ALB with neither, saying what CloudFront-only lacks", async () => {
            assert.deepEqual(await findings(R51, [alb, lbGroup, fromWorld, cloaked, headerRule]), [message("security group lb accepts 0.0.0.0/0")]);
            assert.deepEqual(await findings(R51, [alb, lbGroup, mutate(fromCloudFront, { prefixListId: "pl-0123456789abcdef0" }), cloaked, headerRule]), [
                message("no ingress comes from the com.amazonaws.global.cloudfront.origin-facing prefix list"),
            ]);
            assert.deepEqual(await findings(R51, [alb, lbGroup, fromCloudFront, mutate(cloaked, { defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }] }), headerRule]), [
                message("listener https forwards by default, without checking a secret origin header"),
            ]);
            assert.deepEqual(await findings(R51, [alb, lbGroup, fromCloudFront, cloaked]), [message("no listener rule requires a secret origin header (httpHeader condition)")]);
            assert.deepEqual(await findings(R51, [alb, lbGroup, fromCloudFront]), [message("it has no listener")]);
            assert.deepEqual(await findings(R51, [mutate(alb, { securityGroups: ["sg-elsewhere"] })]), [message("its security groups are not in the stack")]);
        });
        it("reports an association with a CloudFront-scope web ACL", async () => {
            const globalAcl = mutate(regionalAcl, { scope: "CLOUDFRONT" });
            assert.deepEqual(await findings(R51, [alb, lbGroup, fromWorld, globalAcl, association]), [
                message("security group lb accepts 0.0.0.0/0", 'its web ACL association is not regional (web ACL api-waf has scope "CLOUDFRONT")'),
            ]);
        });
    });
});
