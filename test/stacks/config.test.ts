import * as assert from "assert/strict";
import { ConfigError } from "../../stacks";
import { planStack, registeredCount } from "../helpers/engine";
import { parseWith, problems } from "./config-helpers";

describe("stack config", () => {
    it("validates Pulumi.staging.yaml and applies the staging defaults", () => {
        const config = parseWith("staging", {});
        assert.equal(config.environment, "staging");
        assert.equal(config.region, "us-east-1");
        assert.deepEqual(config.network, { cidr: "10.20.0.0/16", azCount: 2, natStrategy: "single", flowLogRetentionDays: 30, zones: ["us-east-1a", "us-east-1b"] });
        assert.deepEqual(config.site, {
            domain: "staging.webstack.example.com",
            priceClass: "PriceClass_100",
            spa: false,
            waf: false,
            www: false,
            takeOverRecords: false,
            logRetentionDays: 30,
        });
        assert.deepEqual(config.tags, {
            Project: "webstack",
            Stack: "staging",
            Environment: "staging",
            Owner: "platform-team",
            CostCenter: "CC-1042",
        });
    });

    it("validates Pulumi.production.yaml and applies the production defaults", () => {
        const config = parseWith("production", {});
        assert.equal(config.environment, "production");
        assert.equal(config.domain, "webstack.example.com");
        assert.deepEqual(config.network, { cidr: "10.10.0.0/16", azCount: 2, natStrategy: "onePerAz", flowLogRetentionDays: 365, zones: ["us-east-1a", "us-east-1b"] });
        assert.equal(config.protectData, true);
        assert.deepEqual(config.site, {
            domain: "webstack.example.com",
            priceClass: "PriceClass_All",
            spa: false,
            waf: true,
            www: true,
            takeOverRecords: false,
            logRetentionDays: 365,
        });
        assert.equal(parseWith("staging", {}).protectData, false);
    });

    it("merges a partial network object over the tier defaults", () => {
        const config = parseWith("production", { "webstack:network": { azCount: 3, cidr: "172.16.0.0/20" } });
        assert.deepEqual(config.network, {
            cidr: "172.16.0.0/20",
            azCount: 3,
            natStrategy: "onePerAz",
            flowLogRetentionDays: 365,
            zones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        });
    });

    it("pins zones: names or ids as listed, their count is azCount; the default never follows AWS's live list", () => {
        const byName = parseWith("production", { "webstack:network": { zones: ["us-east-1c", "us-east-1a", "us-east-1f"] } });
        assert.deepEqual([byName.network.azCount, byName.network.zones], [3, ["us-east-1c", "us-east-1a", "us-east-1f"]]);
        const byId = parseWith("staging", { "aws:region": "eu-west-1", "webstack:network": { zones: ["euw1-az3", "euw1-az1"] } });
        assert.deepEqual([byId.network.azCount, byId.network.zones], [2, ["euw1-az3", "euw1-az1"]]);
        assert.deepEqual(parseWith("staging", { "aws:region": "ap-northeast-1" }).network.zones, ["ap-northeast-1a", "ap-northeast-1c"]);
    });

    const S = "Pulumi.staging.yaml";
    const P = "Pulumi.production.yaml";
    const cases: { name: string; stack: string; changes: Record<string, unknown>; expected: string[] }[] = [
        {
            name: "a CIDR prefix beyond /32",
            stack: "staging",
            changes: { "webstack:network": { cidr: "10.0.0.0/33" } },
            expected: [`${S}: webstack:network.cidr = "10.0.0.0/33" must be an IPv4 CIDR block such as 10.0.0.0/16 (four octets 0-255, prefix /0 to /32)`],
        },
        {
            name: "a CIDR that is not an address",
            stack: "staging",
            changes: { "webstack:network": { cidr: "ten.0.0.0/16" } },
            expected: [`${S}: webstack:network.cidr = "ten.0.0.0/16" must be an IPv4 CIDR block such as 10.0.0.0/16 (four octets 0-255, prefix /0 to /32)`],
        },
        {
            name: "a CIDR off its network boundary",
            stack: "staging",
            changes: { "webstack:network": { cidr: "10.1.2.0/16" } },
            expected: [`${S}: webstack:network.cidr = "10.1.2.0/16" must start on its network boundary: did you mean 10.1.0.0/16?`],
        },
        {
            name: "a CIDR too small for the subnet layout",
            stack: "staging",
            changes: { "webstack:network": { cidr: "10.0.0.0/24" } },
            expected: [
                `${S}: webstack:network.cidr = "10.0.0.0/24" must have a prefix from /16 to /22: AWS allows /16 at most, and the subnet layout (4 tier blocks x 8 zone slots = /prefix+5) needs a /27 per subnet`,
            ],
        },
        {
            name: "a CIDR larger than AWS allows",
            stack: "staging",
            changes: { "webstack:network": { cidr: "10.0.0.0/8" } },
            expected: [
                `${S}: webstack:network.cidr = "10.0.0.0/8" must have a prefix from /16 to /22: AWS allows /16 at most, and the subnet layout (4 tier blocks x 8 zone slots = /prefix+5) needs a /27 per subnet`,
            ],
        },
        {
            name: "a public CIDR",
            stack: "staging",
            changes: { "webstack:network": { cidr: "8.8.0.0/16" } },
            expected: [`${S}: webstack:network.cidr = "8.8.0.0/16" must lie inside a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`],
        },
        {
            name: "a misspelt top-level key",
            stack: "staging",
            changes: { "webstack:netwrok": { cidr: "10.0.0.0/16" } },
            expected: [
                `${S}: webstack:netwrok is not a known key; did you mean webstack:network? known keys are: webstack:environment, webstack:domain, webstack:hostedZone, webstack:owner, webstack:costCenter, webstack:network, webstack:site, webstack:api, webstack:database, webstack:cache, webstack:dr`,
            ],
        },
        {
            name: "a misspelt nested key",
            stack: "staging",
            changes: { "webstack:network": { natStrategey: "single" } },
            expected: [
                `${S}: webstack:network.natStrategey is not a known key; did you mean webstack:network.natStrategy? known keys are: webstack:network.cidr, webstack:network.azCount, webstack:network.natStrategy, webstack:network.flowLogRetentionDays, webstack:network.zones`,
            ],
        },
        {
            name: "zones of another region, a mix of names and ids, a repeated zone, and a count that contradicts azCount",
            stack: "staging",
            changes: { "webstack:network": { zones: ["us-east-1a", "eu-west-1b"] } },
            expected: [
                `${S}: webstack:network.zones = ["us-east-1a","eu-west-1b"] must be availability zones of aws:region us-east-1: eu-west-1b is not; use zone names (us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f) or zone ids (use1-az1, use1-az2, ...)`,
            ],
        },
        {
            name: "a mix of zone names and ids",
            stack: "staging",
            changes: { "webstack:network": { zones: ["us-east-1a", "use1-az2"] } },
            expected: [`${S}: webstack:network.zones = ["us-east-1a","use1-az2"] must be all zone names or all zone ids, not a mix`],
        },
        {
            name: "a repeated zone",
            stack: "staging",
            changes: { "webstack:network": { zones: ["use1-az4", "use1-az4"] } },
            expected: [`${S}: webstack:network.zones = ["use1-az4","use1-az4"] must name each zone once: use1-az4 repeated`],
        },
        {
            name: "zones that contradict azCount",
            stack: "staging",
            changes: { "webstack:network": { azCount: 3, zones: ["us-east-1a", "us-east-1b"] } },
            expected: [
                `${S}: webstack:network.zones = ["us-east-1a","us-east-1b"] must list exactly webstack:network.azCount (3) zones, or leave azCount unset to take the zones' count`,
            ],
        },
        {
            name: "zones that are not a list, and one zone",
            stack: "staging",
            changes: { "webstack:network": { zones: "us-east-1a" }, "webstack:site": { www: "yes" } },
            expected: [
                `${S}: webstack:network.zones = "us-east-1a" must be a list of availability zone names (us-east-1a) or zone ids (use1-az1)`,
                `${S}: webstack:site.www = "yes" must be true or false: true also serves www.<domain> (certificate name and DNS records)`,
            ],
        },
        {
            name: "one availability zone",
            stack: "staging",
            changes: { "webstack:network": { azCount: 1 } },
            expected: [`${S}: webstack:network.azCount = 1 must be at least 2: load balancers, RDS and high availability need two availability zones`],
        },
        {
            name: "more zones than the region has",
            stack: "staging",
            changes: { "aws:region": "eu-west-1", "webstack:network": { azCount: 4 } },
            expected: [`${S}: webstack:network.azCount = 4 must be at most 3: aws:region eu-west-1 has 3 availability zones`],
        },
        {
            name: "a zone count given as a string",
            stack: "staging",
            changes: { "webstack:network": { azCount: "2" } },
            expected: [`${S}: webstack:network.azCount = "2" must be a whole number of availability zones from 2 to 6`],
        },
        {
            name: "a single NAT gateway in production",
            stack: "production",
            changes: { "webstack:network": { natStrategy: "single" } },
            expected: [
                `${P}: webstack:network.natStrategy = "single" must be "onePerAz" in production: with a single NAT gateway, losing its zone cuts egress for every private subnet`,
            ],
        },
        {
            name: "an unknown NAT strategy",
            stack: "staging",
            changes: { "webstack:network": { natStrategy: "perAz" } },
            expected: [`${S}: webstack:network.natStrategy = "perAz" must be "single" (one NAT gateway, cheaper) or "onePerAz" (one per zone, highly available)`],
        },
        {
            name: "a retention CloudWatch does not offer",
            stack: "staging",
            changes: { "webstack:network": { flowLogRetentionDays: 31 } },
            expected: [
                `${S}: webstack:network.flowLogRetentionDays = 31 must be a CloudWatch Logs retention period in days: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
            ],
        },
        {
            name: "network that is not an object",
            stack: "staging",
            changes: { "webstack:network": "10.0.0.0/16" },
            expected: [`${S}: webstack:network = "10.0.0.0/16" must be an object with any of the keys cidr, azCount, natStrategy, flowLogRetentionDays, zones`],
        },
        {
            name: "an unknown environment tier",
            stack: "production",
            changes: { "webstack:environment": "prod" },
            expected: [`${P}: webstack:environment = "prod" must be "staging" or "production"`],
        },
        {
            name: "a missing owner",
            stack: "staging",
            changes: { "webstack:owner": undefined },
            expected: [`${S}: webstack:owner is not set; it must be the owning team (the Owner tag)`],
        },
        {
            name: "a cost center with characters AWS tags reject",
            stack: "staging",
            changes: { "webstack:costCenter": "CC#42" },
            expected: [
                `${S}: webstack:costCenter = "CC#42" must be the cost center billed for the stack (the CostCenter tag): 1-256 letters, digits, spaces or _ . : / = + - @`,
            ],
        },
        {
            name: "a domain outside the hosted zone",
            stack: "production",
            changes: { "webstack:domain": "webstack.example.org" },
            expected: [
                `${P}: webstack:domain = "webstack.example.org" must be webstack:hostedZone (webstack.example.com) or a name below it, so its records can live in that zone`,
            ],
        },
        {
            name: "a hosted zone that is not a DNS name",
            stack: "staging",
            changes: { "webstack:hostedZone": "Example.COM." },
            expected: [
                `${S}: webstack:hostedZone = "Example.COM." must be a lower-case DNS name with at least two labels and no trailing dot, such as example.com`,
            ],
        },
        {
            name: "a misspelt region",
            stack: "staging",
            changes: { "aws:region": "us-est-1" },
            expected: [
                `${S}: aws:region = "us-est-1" must be a supported region: did you mean us-east-1? supported regions are: us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, sa-east-1, eu-west-1, eu-west-2, eu-west-3, eu-central-1, eu-north-1, ap-south-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, ap-northeast-2, ap-northeast-3`,
            ],
        },
        {
            name: "a missing region",
            stack: "staging",
            changes: { "aws:region": undefined },
            expected: [`${S}: aws:region is not set; it must be an AWS region such as us-east-1 (pulumi config set aws:region us-east-1)`],
        },
        {
            name: "a price class CloudFront does not have",
            stack: "staging",
            changes: { "webstack:site": { priceClass: "PriceClass_50" } },
            expected: [
                `${S}: webstack:site.priceClass = "PriceClass_50" must be "PriceClass_100" (North America and Europe, cheapest), "PriceClass_200" (adds Asia, Middle East, Africa) or "PriceClass_All"`,
            ],
        },
        {
            name: "a site domain outside the hosted zone",
            stack: "production",
            changes: { "webstack:site": { domain: "www.example.org" } },
            expected: [
                `${P}: webstack:site.domain = "www.example.org" must be webstack:hostedZone (webstack.example.com) or a name below it, so its records can live in that zone`,
            ],
        },
        {
            name: "a WAF toggle given as a string, and a misspelt site key",
            stack: "staging",
            changes: { "webstack:site": { waf: "yes", spaMode: true } },
            expected: [
                `${S}: webstack:site.waf = "yes" must be true or false: true attaches a WAF web ACL with AWS managed rules and a rate limit (about $10/month plus $0.60 per million requests)`,
                `${S}: webstack:site.spaMode is not a known key; did you mean webstack:site.spa? known keys are: webstack:site.domain, webstack:site.priceClass, webstack:site.spa, webstack:site.waf, webstack:site.www, webstack:site.takeOverRecords, webstack:site.logRetentionDays`,
            ],
        },
        {
            name: "several problems at once, all reported",
            stack: "production",
            changes: {
                "webstack:netwrok": {},
                "webstack:owner": "",
                "webstack:network": { cidr: "10.0.0.1/16", natStrategy: "single", azCount: 7 },
            },
            expected: [
                `${P}: webstack:netwrok is not a known key; did you mean webstack:network? known keys are: webstack:environment, webstack:domain, webstack:hostedZone, webstack:owner, webstack:costCenter, webstack:network, webstack:site, webstack:api, webstack:database, webstack:cache, webstack:dr`,
                `${P}: webstack:owner = "" must be the owning team (the Owner tag): 1-256 letters, digits, spaces or _ . : / = + - @`,
                `${P}: webstack:network.azCount = 7 must be at most 6 availability zones`,
                `${P}: webstack:network.cidr = "10.0.0.1/16" must start on its network boundary: did you mean 10.0.0.0/16?`,
                `${P}: webstack:network.natStrategy = "single" must be "onePerAz" in production: with a single NAT gateway, losing its zone cuts egress for every private subnet`,
            ],
        },
    ];

    for (const c of cases) {
        it(`rejects ${c.name}`, () => {
            assert.deepEqual(problems(c.stack, c.changes), c.expected);
        });
    }

    it("registers nothing when the config is invalid, and the engine names the stack file", async () => {
        await assert.rejects(planStack("staging", { "webstack:network": { cidr: "10.0.0.0/33" } }), (err: unknown) => {
            assert.ok(ConfigError.isInstance(err));
            assert.equal(err.issues.length, 1);
            assert.equal(err.issues[0].key, "webstack:network.cidr");
            assert.match(err.message, /^ {2}- Pulumi\.staging\.yaml: webstack:network\.cidr = "10\.0\.0\.0\/33"/m);
            return true;
        });
        assert.equal(registeredCount(), 0);
    });
});
