import taggable from "../lib/taggable-types.json";
import { resourceRule } from "../lib/rule";
import { tagsOf } from "../lib/values";

/** The tags every taggable resource carries (components/shared/tags.ts sets them). */
export const REQUIRED_TAGS = ["Environment", "Owner", "CostCenter", "Project", "Stack"] as const;

export const R19 = resourceRule(
    {
        id: "R19",
        slug: "required-tags",
        requirement: "Every taggable resource carries the Environment, Owner, CostCenter, Project and Stack tags.",
        why: "Untagged resources cannot be attributed to a team or a bill, and tag-based access control and cleanup miss them.",
        anchors: ["tagging standard"],
        level: "M",
        severity: "medium",
        remediation: "Set tags in component code with resourceTags(args.tags, component, name), not only as provider default tags.",
    },
    taggable,
    (props, _subject, report) => {
        const tags = tagsOf(props);
        for (const tag of REQUIRED_TAGS) {
            if (typeof tags[tag] !== "string" || tags[tag].trim() === "") report(`tag-${tag}`, `tag ${tag} is missing or empty`);
        }
    },
);
export const TAG_RULES = [R19];
