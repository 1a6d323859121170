import { z } from "zod";

export const TIERS = ["staging", "production"] as const;
export type Tier = (typeof TIERS)[number];

export const NAT_STRATEGIES = ["single", "onePerAz"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** AWS tag values: up to 256 letters, digits, spaces and `_ . : / = + - @`. */
const TAG_VALUE = /^[\p{L}\p{N} _.:/=+\-@]{1,256}$/u;

const dnsName = z
    .hostname({ error: "must be a DNS name such as example.com" })
    .refine((v) => v.includes(".") && v === v.toLowerCase() && !v.endsWith("."), {
        error: "must be a lower-case DNS name with at least two labels and no trailing dot, such as example.com",
    });

const tagValue = (what: string) =>
    z.string({ error: `must be ${what}` }).regex(TAG_VALUE, {
        error: `must be ${what}: 1-256 letters, digits, spaces or _ . : / = + - @`,
    });

const ZONES_PROBLEM = "must be a list of availability zone names (us-east-1a) or zone ids (use1-az1)";

/** `webstack:network`: the VPC layout. Every field has a tier default (zones: the region's first azCount). */
export const networkSchema = z.strictObject({
    cidr: z.string({ error: "must be an IPv4 CIDR block such as 10.0.0.0/16" }),
    azCount: z
        .number({ error: "must be a whole number of availability zones from 2 to 6" })
        .int({ error: "must be a whole number of availability zones from 2 to 6" })
        .min(2, { error: "must be at least 2: load balancers, RDS and high availability need two availability zones" })
        .max(6, { error: "must be at most 6 availability zones" }),
    natStrategy: z.enum(NAT_STRATEGIES, {
        error: `must be "single" (one NAT gateway, cheaper) or "onePerAz" (one per zone, highly available)`,
    }),
    flowLogRetentionDays: z.number({ error: retentionProblem() }).refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
        error: retentionProblem(),
    }),
    zones: z.array(z.string(), { error: ZONES_PROBLEM }).optional(), // count and membership: stacks/rules.ts
});
/** The network as a stack file sets it; `zones` defaults to the region's first `azCount` zone names. */
export type NetworkSettings = z.infer<typeof networkSchema>;
/** The network with its zones resolved (`azCount` = `zones.length`). */
export type NetworkConfig = Omit<NetworkSettings, "zones"> & { readonly zones: readonly string[] };

function retentionProblem(): string {
    return `must be a CloudWatch Logs retention period in days: one of ${LOG_RETENTION_DAYS.join(", ")}`;
}

export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

const flag = (meaning: string) => z.boolean({ error: `must be true or false: ${meaning}` });

/** `webstack:site`: the static UI on S3 + CloudFront. `domain` defaults to `webstack:domain`. */
export const siteSchema = z.strictObject({
    domain: dnsName.optional(),
    priceClass: z.enum(PRICE_CLASSES, {
        error: `must be "PriceClass_100" (North America and Europe, cheapest), "PriceClass_200" (adds Asia, Middle East, Africa) or "PriceClass_All"`,
    }),
    spa: flag("true serves /index.html with 200 for unknown paths (single-page apps), false serves /404.html"),
    waf: flag("true attaches a WAF web ACL with AWS managed rules and a rate limit (about $10/month plus $0.60 per million requests)"),
    www: flag("true also serves www.<domain> (certificate name and DNS records)"),
    takeOverRecords: flag("true replaces A/AAAA records of the site's names that already exist in the hosted zone; false stops pulumi up at Route 53's error instead"),
    logRetentionDays: z
        .number({ error: "must be a whole number of days from 1 to 3650 to keep access logs" })
        .int({ error: "must be a whole number of days from 1 to 3650 to keep access logs" })
        .min(1, { error: "must be a whole number of days from 1 to 3650 to keep access logs" })
        .max(3650, { error: "must be a whole number of days from 1 to 3650 to keep access logs" }),
});
export type SiteSettings = z.infer<typeof siteSchema>;
/** The site settings with the domain resolved. */
export type SiteConfig = SiteSettings & { readonly domain: string };

/** Keys whose stack-file value is an object (passed by the CLI as a JSON string), merged over the tier defaults. */
export const STRUCTURED = { network: networkSchema, site: siteSchema } as const;
export type StructuredKey = keyof typeof STRUCTURED;
export const STRUCTURED_KEYS: ReadonlySet<string> = new Set(Object.keys(STRUCTURED));

/** The `webstack:` keys as a stack file may set them; structured values override tier defaults. */
export const stackFileSchema = z.object({
    environment: z.enum(TIERS, { error: `must be "staging" or "production"` }),
    domain: dnsName,
    hostedZone: dnsName,
    owner: tagValue("the owning team (the Owner tag)"),
    costCenter: tagValue("the cost center billed for the stack (the CostCenter tag)"),
    network: networkSchema.partial().optional(),
    site: siteSchema.partial().optional(),
});
export type StackFileConfig = z.infer<typeof stackFileSchema>;

/** Every key of the `webstack:` namespace, for unknown-key detection. */
export const KNOWN_KEYS: readonly string[] = Object.keys(stackFileSchema.shape);

/** The validated configuration of one stack, tier defaults applied. Components get parts of it as args. */
export interface StackConfig {
    readonly project: string;
    readonly stack: string;
    readonly environment: Tier;
    readonly region: string;
    readonly domain: string;
    readonly hostedZone: string;
    readonly owner: string;
    readonly costCenter: string;
    readonly network: Readonly<NetworkConfig>;
    readonly site: Readonly<SiteConfig>;
    /** Production: stateful resources are protected from deletion (protect, retainOnDelete, deletion protection). */
    readonly protectData: boolean;
    /** Project, Stack, Environment, Owner and CostCenter: the base tags of every resource. */
    readonly tags: Readonly<Record<string, string>>;
}
