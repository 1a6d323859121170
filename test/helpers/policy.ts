// Helpers for policy tests: synthetic graphs run through the offline CrossGuard runner.
import type { RecordedResource } from "../../tools/engine/graph";
import { evaluatePolicies, type AnyPolicy, type PackConfig, type Verdict } from "../../tools/policy/evaluate";

/** A resource of a synthetic graph: props serve as both inputs (resource rules) and outputs (stack rules). */
export interface Fixture {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly protect?: boolean;
    readonly parent?: string;
    /** prop -> names of fixtures it depends on. */
    readonly propertyDependencies?: Record<string, string[]>;
}

export const urnOf = (f: Pick<Fixture, "type" | "name">) => `urn:pulumi:test::webstack::${f.type}::${f.name}`;

export function graphOf(fixtures: readonly Fixture[]): { resources: RecordedResource[] } {
    const byName = new Map(fixtures.map((f) => [f.name, f]));
    const urn = (name: string) => {
        const f = byName.get(name);
        if (!f) throw new Error(`fixture ${name} is not in the graph`);
        return urnOf(f);
    };
    return {
        resources: fixtures.map((f) => {
            const propertyDependencies = Object.fromEntries(Object.entries(f.propertyDependencies ?? {}).map(([k, names]) => [k, names.map(urn)]));
            return {
                urn: urnOf(f),
                type: f.type,
                name: f.name,
                custom: true,
                parent: f.parent ? urn(f.parent) : undefined,
                inputs: f.props,
                outputs: f.props,
                dependencies: [...new Set(Object.values(propertyDependencies).flat())],
                propertyDependencies,
                protect: f.protect ?? false,
                retainOnDelete: false,
            };
        }),
    };
}

/** Runs policies over fixtures and returns the whole verdict. */
export function verdictOf(policies: readonly AnyPolicy[], fixtures: readonly Fixture[], config: PackConfig = {}): Promise<Verdict> {
    return evaluatePolicies(graphOf(fixtures), policies, config);
}

/** The findings of one policy over fixtures, as `<resource name>: <message>` (sorted). */
export async function findings(policy: AnyPolicy, fixtures: readonly Fixture[], config: PackConfig = {}): Promise<string[]> {
    const verdict = await verdictOf([policy], fixtures, config);
    return verdict.findings.map((f) => `${f.resource ?? "(stack)"}: ${f.message}`).sort();
}

/** A deep copy of a fixture with changes applied to its props (`undefined` deletes a prop). */
export function mutate(fixture: Fixture, changes: Record<string, unknown>): Fixture {
    const props: Record<string, unknown> = structuredClone(fixture.props);
    for (const [k, v] of Object.entries(changes)) {
        if (v === undefined) delete props[k];
        else props[k] = v;
    }
    return { ...fixture, props };
}

// The SDK's sentinels for values not known during preview (stripped from its typings).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sentinels = require("@pulumi/policy/proxy") as { unknownStringValue: string; unknownBooleanValue: string };
/** A string not known during preview. */
export const UNKNOWN = sentinels.unknownStringValue;
/** A boolean not known during preview. */
export const UNKNOWN_BOOLEAN = sentinels.unknownBooleanValue;
/** The required tags of a production resource. */
export const PROD_TAGS = { Environment: "production", Owner: "platform", CostCenter: "CC-1", Project: "webstack", Stack: "production" };
export const ACCOUNT = "123456789012";
export const DIST_ARN = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2QWRUHAPOMQZL`;

/** A policy document JSON string of the given statements. */
export const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/** The bucket policy statement denying requests without TLS (R08). */
export const tlsDeny = (bucket: string) => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
});

/** The bucket policy statement letting one CloudFront distribution read objects through OAC (R39, S06). */
export const cloudFrontRead = (bucket: string, condition: object | null = { StringEquals: { "AWS:SourceArn": DIST_ARN } }) => ({
    Sid: "AllowCloudFrontRead",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: "s3:GetObject",
    Resource: `arn:aws:s3:::${bucket}/*`,
    ...(condition ? { Condition: condition } : {}),
});
