import * as assert from "assert/strict";
import { LB_RULES, R01, R02, R03, R35 } from "../../policy/rules/lb";
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
            { ...mutate(alb, { dropInvalidHeaderFields: false, enableDeletionProtection: false }), type: ALB, name: "admin-alb" },
            { ...mutate(alb, { loadBalancerType: "network", dropInvalidHeaderFields: undefined }), name: "nlb" },
            http,
            https,
            { ...mutate(http, { defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }] }), type: ALB_LISTENER, name: "admin-http" },
            { ...mutate(https, { sslPolicy: "ELBSecurityPolicy-2016-08" }), name: "admin-https" },
        ];
        const verdict = await verdictOf(LB_RULES, fixtures);
        const failing = [...new Set(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`))].sort();
        assert.deepEqual(failing, [
            "R01-http-redirects-to-https admin-http",
            "R02-https-listener-tls12-acm admin-https",
            "R03-alb-drops-invalid-headers admin-alb",
            "R35-lb-access-logs-deletion-protection admin-alb",
        ]);
    });
});
