import taggable from "../lib/taggable-types.json";
import { resourceRule } from "../lib/rule";
import { T, isOneOf } from "../lib/types";
import { asArray, autoScalingTagsOf, known, tagsOf } from "../lib/values";

/** The tags every taggable resource carries (components/shared/tags.ts sets them). */
export const REQUIRED_TAGS = ["Environment", "Owner", "CostCenter", "Project", "Stack"] as const;

/** What a launch template launches and must tag (provider default tags never reach them). */
const LAUNCHED = ["instance", "volume"] as const;

/** `propagateTags` values that copy tags onto an ECS service's tasks. */
const PROPAGATED = ["SERVICE", "TASK_DEFINITION"];

/**
 * Tags as AWS applies them: provider default tags (`tagsAll`, when the provider reports them) overlaid
 * by the resource's own `tags`. Default tags are read without tripping on values known only after
 * deploy (such a value does not count); the resource's own tags are read as they are.
 */
function appliedTags(props: Record<string, unknown>): Record<string, unknown> {
    const defaults = known(props, "tagsAll");
    const fromDefaults = typeof defaults === "object" && defaults !== null && !Array.isArray(defaults) ? Object.fromEntries(Object.keys(defaults).map((k) => [k, known(defaults, k)])) : {};
    return { ...fromDefaults, ...tagsOf(props) };
}

const missing = (tags: Record<string, unknown>) => REQUIRED_TAGS.filter((tag) => typeof tags[tag] !== "string" || (tags[tag] as string).trim() === "");

export const R19 = resourceRule(
    {
        id: "R19",
        slug: "required-tags",
        requirement:
            "Every taggable resource carries the Environment, Owner, CostCenter, Project and Stack tags (its tags map or provider default tags; an auto scaling group's tag list, propagated at launch); launch templates tag the instances and volumes they launch; ECS services propagate tags to their tasks.",
        why: "Untagged resources cannot be attributed to a team or a bill, and tag-based access control and cleanup miss them; instances, volumes and tasks launched on a resource's behalf are billed too.",
        anchors: ["tagging standard"],
        level: "M",
        severity: "medium",
        remediation:
            'Set tags in component code with resourceTags(args.tags, component, name), not only as provider default tags; on auto scaling groups list them with propagateAtLaunch: true, on launch templates add tagSpecifications for resourceType "instance" and "volume", on ECS services set propagateTags: "SERVICE".',
    },
    taggable,
    (props, subject, report) => {
        if (isOneOf(subject.type, T.autoScalingGroup)) {
            // The `tags` list of {key, value, propagateAtLaunch} (and the deprecated `tagsCollection` of maps); no default tags.
            const tags = autoScalingTagsOf(props);
            for (const tag of missing(Object.fromEntries(tags.map((t) => [t.key, t.value])))) report(`tag-${tag}`, `tag ${tag} is missing or empty`);
            for (const t of tags.filter((x) => (REQUIRED_TAGS as readonly string[]).includes(x.key) && x.propagateAtLaunch !== true && x.propagateAtLaunch !== "true")) {
                report(`propagate-${t.key}`, `tag ${t.key} is not propagated to the instances the group launches (propagateAtLaunch is ${JSON.stringify(t.propagateAtLaunch ?? null)})`);
            }
            return;
        }
        for (const tag of missing(appliedTags(props))) report(`tag-${tag}`, `tag ${tag} is missing or empty`);
        if (isOneOf(subject.type, T.launchTemplate)) {
            const specs = asArray(props.tagSpecifications as Record<string, unknown>[] | undefined);
            for (const kind of LAUNCHED) {
                const spec = specs.find((s) => s?.resourceType === kind);
                if (!spec) {
                    report(`tag-specifications-${kind}`, `launch template does not tag the ${kind}s it launches (no tagSpecifications entry for resourceType "${kind}")`);
                    continue;
                }
                for (const tag of missing(tagsOf(spec))) report(`${kind}-tag-${tag}`, `${kind} tag ${tag} is missing or empty in tagSpecifications`);
            }
        }
        if (isOneOf(subject.type, T.ecsService) && !PROPAGATED.includes(String(props.propagateTags))) {
            report("propagate-tags", `service does not propagate tags to its tasks (propagateTags is ${JSON.stringify(props.propagateTags ?? null)}; use "SERVICE" or "TASK_DEFINITION")`);
        }
    },
);
export const TAG_RULES = [R19];
