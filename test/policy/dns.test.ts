import * as assert from "assert/strict";
import * as fs from "fs";
import * as path from "path";
import { DNS_RULES, R54, R55 } from "../../policy/rules/dns";
import { UNKNOWN, findings, mutate, verdictOf, type Fixture } from "../helpers/policy";

/** Self-signed certificates (public bodies only) with the key each test names. */
const pem = (name: string) => fs.readFileSync(path.join(__dirname, "..", "fixtures", "certificates", `${name}.pem`), "utf8");

const certificate: Fixture = {
    type: "aws:acm/certificate:Certificate",
    name: "site-certificate",
    props: { domainName: "app.example.com", validationMethod: "DNS", keyAlgorithm: "EC_prime256v1" },
};

describe("R54 ACM certificate key algorithm", () => {
    it("passes every allow-listed algorithm, and an unset one (RSA_2048)", async () => {
        for (const keyAlgorithm of ["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", undefined]) {
            assert.deepEqual(await findings(R54, [mutate(certificate, { keyAlgorithm })]), [], String(keyAlgorithm));
        }
    });
    it("reports RSA_1024 and EC_secp521r1 (not served by CloudFront or load balancers)", async () => {
        assert.deepEqual(await findings(R54, [mutate(certificate, { keyAlgorithm: "RSA_1024" })]), [
            'site-certificate: certificate uses keyAlgorithm "RSA_1024", not one of RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1 [finding key-algorithm]',
        ]);
        assert.deepEqual(await findings(R54, [mutate(certificate, { keyAlgorithm: "EC_secp521r1" })]), [
            'site-certificate: certificate uses keyAlgorithm "EC_secp521r1", not one of RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1 [finding key-algorithm]',
        ]);
    });
    it("checks the key of an imported certificate body", async () => {
        const imported = (name: string) => mutate(certificate, { keyAlgorithm: undefined, validationMethod: undefined, certificateBody: pem(name), privateKey: "(secret)" });
        assert.deepEqual(await findings(R54, [imported("rsa2048")]), []);
        assert.deepEqual(await findings(R54, [imported("prime256v1")]), []);
        assert.deepEqual(await findings(R54, [imported("rsa1024")]), [
            "site-certificate: imported certificate has an RSA key of 1024 bits, not RSA of at least 2048 bits or EC P-256/P-384 [finding imported-key]",
        ]);
        assert.deepEqual(await findings(R54, [imported("secp521r1")]), [
            "site-certificate: imported certificate has an EC key on curve secp521r1, not RSA of at least 2048 bits or EC P-256/P-384 [finding imported-key]",
        ]);
        // A body known only after deploy (read from another resource) cannot be checked before: no finding.
        assert.deepEqual(await findings(R54, [mutate(certificate, { keyAlgorithm: undefined, certificateBody: UNKNOWN })]), []);
    });
});

describe("R55 Route 53 public hosted zones log DNS queries", () => {
    const zone: Fixture = { type: "aws:route53/zone:Zone", name: "zone", props: { id: "Z0123456789ABCDEFGHIJ", zoneId: "Z0123456789ABCDEFGHIJ", name: "example.com", arn: "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ" } };
    const GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/example.com";
    const queryLog: Fixture = { type: "aws:route53/queryLog:QueryLog", name: "zone-queries", props: { zoneId: "Z0123456789ABCDEFGHIJ", cloudwatchLogGroupArn: GROUP_ARN } };
    const NONE = "zone: public hosted zone has no DNS query logging (no aws.route53.QueryLog for it) [finding query-logging]";

    it("passes a public zone with a query log, and a private zone without", async () => {
        assert.deepEqual(await findings(R55, [zone, queryLog]), []);
        assert.deepEqual(await findings(R55, [mutate(zone, { vpcs: [{ vpcId: "vpc-1" }] })]), []);
    });
    it("reports a public zone without a query log, or with one for another zone", async () => {
        assert.deepEqual(await findings(R55, [zone]), [NONE]);
        assert.deepEqual(await findings(R55, [zone, mutate(queryLog, { zoneId: "ZOTHER" })]), [NONE]);
        assert.deepEqual(await findings(R55, [zone, mutate(queryLog, { cloudwatchLogGroupArn: "" })]), [
            "zone: public hosted zone's query log names no log group [finding query-logging]",
        ]);
    });
    it("at preview resolves the zone id through property dependencies, and reads provider-computed vpcs as unset", async () => {
        const newZone: Fixture = { ...mutate(zone, { id: UNKNOWN, zoneId: UNKNOWN, arn: UNKNOWN, vpcs: UNKNOWN }), propertyDependencies: {} };
        const pending: Fixture = { ...mutate(queryLog, { zoneId: UNKNOWN, cloudwatchLogGroupArn: UNKNOWN }), propertyDependencies: { zoneId: ["zone"], cloudwatchLogGroupArn: ["zone"] } };
        assert.deepEqual(await findings(R55, [newZone, pending]), []);
        assert.deepEqual(await findings(R55, [newZone]), [NONE]);
    });
    it("mixed graph: only the zone without logging fails", async () => {
        const other = { ...mutate(zone, { id: "ZOTHER", zoneId: "ZOTHER", name: "other.example.com", arn: "arn:aws:route53:::hostedzone/ZOTHER" }), name: "other" };
        const verdict = await verdictOf(DNS_RULES, [zone, queryLog, other, certificate]);
        assert.deepEqual(verdict.mandatory.map((f) => `${f.policy} ${f.resource}`), ["R55-route53-public-zone-query-logging other"]);
    });
});
