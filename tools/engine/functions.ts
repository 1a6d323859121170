import { zoneNames } from "../../stacks/regions";
import { ACCOUNT_ID, PARTITION, hex } from "./fake-ids";

type Inputs = Record<string, unknown>;
type Answer = (inputs: Inputs, region: string) => Record<string, unknown>;

/**
 * Provider functions the offline engine answers, with realistic, deterministic values. A token not
 * listed here fails the run loudly: a silent empty answer would make tests pass on fiction.
 */
export const FUNCTIONS: Readonly<Record<string, Answer>> = {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        accountId: ACCOUNT_ID,
        arn: `arn:${PARTITION}:iam::${ACCOUNT_ID}:role/offline-plan`,
        userId: "AROAOFFLINEPLAN",
        id: ACCOUNT_ID,
    }),
    "aws:index/getPartition:getPartition": () => ({
        partition: PARTITION,
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
        id: PARTITION,
    }),
    "aws:index/getRegion:getRegion": (_inputs, region) => ({
        region,
        name: region,
        id: region,
        endpoint: `ec2.${region}.amazonaws.com`,
        description: region,
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, region) => {
        const names = zoneNames(region);
        if (names.length === 0) throw new Error(`offline engine: no availability zones known for region ${region}`);
        return {
            names,
            zoneIds: names.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
            groupNames: names.map(() => region),
            id: region,
            region,
        };
    },
    "aws:route53/getZone:getZone": (inputs) => {
        const name = String(inputs.name ?? "example.com").replace(/\.$/, "");
        const zoneId = `Z${hex(`zone:${name}`, 20).toUpperCase()}`;
        return {
            name,
            zoneId,
            id: zoneId,
            arn: `arn:${PARTITION}:route53:::hostedzone/${zoneId}`,
            privateZone: false,
            nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"],
            resourceRecordSetCount: 2,
        };
    },
};

/** The answer to one provider function call, or a loud failure naming the token. */
export function answer(token: string, inputs: Inputs, region: string): Record<string, unknown> {
    const fn = FUNCTIONS[token];
    if (!fn) {
        throw new Error(`offline engine: no mock for provider function ${token}; add a realistic answer to tools/engine/functions.ts`);
    }
    return fn(inputs, region);
}
