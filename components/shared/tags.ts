/** Tags as the AWS provider takes them. */
export type Tags = Readonly<Record<string, string>>;

/**
 * The tags of one child resource: the stack's base tags (Project, Stack, Environment, Owner,
 * CostCenter), the component's name, then the child's Name. Set in component code, not only as
 * provider default tags, so tests and policies see them on every resource.
 */
export function resourceTags(base: Tags, component: string, name: string): Tags {
    return { ...base, Component: component, Name: name };
}
