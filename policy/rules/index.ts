import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { exemptionsPolicy } from "../lib/exemptions";
import { NETWORK_RULES } from "./network";
import { TAG_RULES } from "./tags";

type Rule = ResourceValidationPolicy | StackValidationPolicy;

/** Every catalogue rule (R01-R45, S01-S11), in id order. */
export const RULES: readonly Rule[] = [...NETWORK_RULES, ...TAG_RULES].sort((a, b) => a.name.localeCompare(b.name));

/**
 * The pack's policies. The exemptions policy comes first: the CrossGuard server runs policies in
 * list order for each resource, so it loads the exemption list before any rule reports.
 */
export const POLICIES: readonly Rule[] = [exemptionsPolicy(() => RULES.map((r) => r.name)), ...RULES];
