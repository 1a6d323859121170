import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "./tags";

/**
 * An ACM certificate for `names` (the first is the subject), validated by DNS records in the zone; returns the
 * validated certificate's ARN, which exists only once ACM has issued it, so listeners and distributions that
 * use it wait for the issue. The records live in the zone's account under the parent's default provider;
 * the certificate and its validation use `opts` (CloudFront needs them in us-east-1).
 */
export function dnsValidatedCertificate(
    parent: pulumi.Resource,
    name: string,
    names: readonly string[],
    zoneId: pulumi.Input<string>,
    tags: Tags,
    opts: pulumi.CustomResourceOptions = { parent },
): pulumi.Output<string> {
    const certificate = new aws.acm.Certificate(
        `${name}-certificate`,
        { domainName: names[0], subjectAlternativeNames: names.slice(1), validationMethod: "DNS", keyAlgorithm: "EC_prime256v1", tags },
        opts,
    );
    const records = names.map((host, i) => {
        const option = certificate.domainValidationOptions.apply((options) => {
            const found = options.find((o) => o.domainName === host);
            if (!found) throw new Error(`ACM returned no DNS validation record for ${host}`);
            return found;
        });
        return new aws.route53.Record(
            `${name}-certificate-validation-${i}`,
            { zoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 300, allowOverwrite: true },
            { parent },
        );
    });
    const validation = new aws.acm.CertificateValidation(
        `${name}-certificate`,
        { certificateArn: certificate.arn, validationRecordFqdns: records.map((r) => r.fqdn) },
        opts,
    );
    return validation.certificateArn;
}
