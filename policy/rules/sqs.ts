import { covers } from "../lib/iam-actions";
import { conditionValues, hasConditions, isPublicPrincipal, statements, type Statement } from "../lib/iam-documents";
import { publicAllows, publicPrincipalText, statementKey, statementLabel } from "../lib/iam-statements";
import { dependenciesOf, ofTypes, refersTo, resolve, setByProgram, type Node } from "../lib/graph";
import { resourceRule, stackRule } from "../lib/rule";
import { T } from "../lib/types";
import { UNKNOWN_VALUE, Undecided, asDocument, known } from "../lib/values";

export const R60 = resourceRule(
    {
        id: "R60",
        slug: "sqs-policy-not-public",
        requirement: "No SQS queue policy (a queue's own `policy` or an aws.sqs.QueuePolicy) allows a `*` principal (or everyone through NotPrincipal) without a Condition.",
        why: "A public queue policy lets anyone send messages into the application (injecting work) or receive and delete them (reading or dropping its data).",
        anchors: ["FSBP SQS.3"],
        level: "M",
        severity: "high",
        remediation: "Name the principals (roles, or a service principal with an aws:SourceArn condition such as the SNS topic feeding the queue) in queue policies.",
    },
    [...T.sqsQueue, ...T.sqsQueuePolicy],
    (props, _subject, report) => {
        // Absent means no resource policy: only the owner account's IAM principals.
        const document: unknown = props.policy;
        for (const { statement, kind } of publicAllows(document, statements(document))) {
            if (hasConditions(statement)) continue;
            report(`${statementKey(statement)}/public-principal`, `queue policy ${statementLabel(statement)} allows ${publicPrincipalText(kind)} without a Condition`);
        }
    },
);

const deniesInsecureTransport = (s: Statement) =>
    [...conditionValues(s, "Bool", "aws:SecureTransport"), ...conditionValues(s, "BoolIfExists", "aws:SecureTransport")].some((v) => v.toLowerCase() === "false");

/**
 * True when the document has a Deny for every principal with `Bool aws:SecureTransport false`
 * covering `action` (`sqs:*` for queues: every action; `sns:Publish` for topics). The statement's
 * Resource is not read: a queue or topic policy applies only to the queue or topic it is attached to.
 */
function deniesNonTls(document: unknown, action: string): boolean {
    return statements(document).some((s) => s.effect === "Deny" && isPublicPrincipal(s) && deniesInsecureTransport(s) && s.actions.some((a) => covers(a, action)));
}

/** A policy document of a queue or topic: where it is set, and the document (UNKNOWN_VALUE before deploy). */
interface Attached {
    readonly name: string;
    readonly resource: Node;
    readonly document: unknown;
}

/** The policies attached to a queue or topic: its own `policy` as the program set it, and the separate policy resources naming it in `prop`. */
function attachedPolicies(resources: readonly Node[], target: Node, policyTokens: readonly string[], prop: string, targetTokens: readonly string[]): Attached[] {
    const separate = ofTypes(resources, policyTokens)
        .filter((p) => refersTo(p, prop, known(p.props, prop), target, targetTokens))
        .map((p) => ({ name: p.name, resource: p, document: known(p.props, "policy") }));
    // The inline policy is Optional+Computed: unset, AWS reports the separate one (or its default) after deploy.
    const inline = setByProgram(target, "policy");
    return inline !== undefined && inline !== null && inline !== "" ? [...separate, { name: target.name, resource: target, document: inline }] : separate;
}

export const R61 = stackRule(
    {
        id: "R61",
        slug: "queue-topic-policies-require-tls",
        requirement:
            'Every SQS queue and SNS topic has a resource policy (its own `policy`, or an aws.sqs.QueuePolicy / aws.sns.TopicPolicy) with a Deny for every principal when aws:SecureTransport is "false", on `sqs:*` for queues and covering `sns:Publish` for topics.',
        why: "SQS and SNS still accept plain-HTTP API calls; without the deny, a misconfigured client or SDK endpoint sends messages and credentials-signed requests in clear text.",
        anchors: ["cdk-nag SQS4", "cdk-nag SNS3"],
        level: "M",
        severity: "medium",
        remediation:
            'Add { Effect: "Deny", Principal: "*", Action: "sqs:*" (topics: "sns:Publish"), Resource: <queue/topic ARN>, Condition: { Bool: { "aws:SecureTransport": "false" } } } to the queue\'s or topic\'s policy.',
    },
    (resources, report) => {
        const undecided = new Undecided();
        const kinds: [targets: readonly string[], policies: readonly string[], prop: string, action: string, what: string][] = [
            [T.sqsQueue, T.sqsQueuePolicy, "queueUrl", "sqs:*", "queue"],
            [T.topic, T.topicPolicy, "arn", "sns:Publish", "topic"],
        ];
        for (const [targetTokens, policyTokens, prop, action, what] of kinds) {
            for (const target of ofTypes(resources, targetTokens)) {
                const policies = attachedPolicies(resources, target, policyTokens, prop, targetTokens);
                const unknown = policies.filter((p) => p.document === UNKNOWN_VALUE);
                if (policies.some((p) => p.document !== UNKNOWN_VALUE && deniesNonTls(p.document, action))) continue;
                if (unknown.length > 0) {
                    // A document known only after deploy (it names an ARN): whether it denies non-TLS requests is decided then.
                    undecided.note(unknown[0].resource.name, "policy");
                    continue;
                }
                const verb = what === "queue" ? '"sqs:*"' : '"sns:Publish"';
                // Named by the separate policies only: the own policy AWS reports after deploy when the program sets none (a topic's
                // default policy) is not set before deploy, and the finding must read the same in both.
                const separate = policies.filter((p) => p.resource !== target).map((p) => p.name);
                const checked = separate.length > 0 ? ` (checked ${separate.join(", ")} and the ${what}'s own policy)` : "";
                report("tls-deny", `no ${what} policy denies ${verb} to every principal ("*") when aws:SecureTransport is "false"${checked}`, target.urn);
            }
        }
        undecided.settle();
    },
);

/** The dead-letter queue ARN a redrive policy names; UNKNOWN_VALUE when the policy is known only after deploy. */
function deadLetterTarget(redrive: unknown): unknown {
    if (redrive === UNKNOWN_VALUE) return UNKNOWN_VALUE;
    const doc = asDocument(redrive);
    return doc ? doc.deadLetterTargetArn : undefined;
}

/** True when a redrive allow policy lets source queues use this queue as their dead-letter queue. */
function allowsRedrive(policy: unknown): boolean {
    if (policy === UNKNOWN_VALUE) return true;
    const permission = asDocument(policy)?.redrivePermission;
    return permission === "allowAll" || permission === "byQueue";
}

export const R62 = stackRule(
    {
        id: "R62",
        slug: "sqs-dead-letter-queue",
        requirement:
            "Every SQS queue has a dead-letter queue (its own `redrivePolicy` or an aws.sqs.RedrivePolicy), or is itself one: named as deadLetterTargetArn by another queue, or open to sources through a redrive allow policy.",
        why: "Without a dead-letter queue a message that always fails is retried until it expires: the failure is never seen, the data is silently dropped, and a poison message can keep consumers busy.",
        anchors: ["cdk-nag SQS3"],
        level: "M",
        severity: "low",
        remediation: "Give the queue redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) (or an aws.sqs.RedrivePolicy), with an alarm on the dead-letter queue's depth.",
    },
    (resources, report) => {
        const queues = ofTypes(resources, T.sqsQueue);
        // Each queue's redrive policies: its own, and the RedrivePolicy resources naming it by queueUrl.
        const redrives = new Map<Node, { from: Node; prop: string; target: unknown }[]>(queues.map((q) => [q, []]));
        const dlqs = new Set<Node>();
        for (const q of queues) {
            const own = setByProgram(q, "redrivePolicy");
            if (own !== undefined && own !== null && own !== "") redrives.get(q)?.push({ from: q, prop: "redrivePolicy", target: deadLetterTarget(own) });
            const allow = setByProgram(q, "redriveAllowPolicy");
            if (allow !== undefined && allow !== null && allow !== "" && allowsRedrive(allow)) dlqs.add(q);
        }
        for (const r of ofTypes(resources, T.sqsRedrivePolicy)) {
            const source = queues.find((q) => refersTo(r, "queueUrl", known(r.props, "queueUrl"), q, T.sqsQueue));
            if (source) redrives.get(source)?.push({ from: r, prop: "redrivePolicy", target: deadLetterTarget(known(r.props, "redrivePolicy")) });
        }
        for (const r of ofTypes(resources, T.sqsRedriveAllowPolicy)) {
            if (!allowsRedrive(known(r.props, "redriveAllowPolicy"))) continue;
            const target = queues.find((q) => refersTo(r, "queueUrl", known(r.props, "queueUrl"), q, T.sqsQueue));
            if (target) dlqs.add(target);
        }
        // The queues named as dead-letter targets: by a known ARN, or (before deploy) the queues the redrive policy was computed from.
        for (const entries of redrives.values()) {
            for (const { from, prop, target } of entries) {
                if (target === UNKNOWN_VALUE) dependenciesOf(from, prop, T.sqsQueue).forEach((q) => dlqs.add(q));
                else {
                    const q = resolve(queues, target, T.sqsQueue);
                    if (q) dlqs.add(q);
                }
            }
        }
        for (const q of queues) {
            if ((redrives.get(q) ?? []).length > 0 || dlqs.has(q)) continue;
            report("dead-letter-queue", "queue has no dead-letter queue (no redrivePolicy) and is not one (no queue names it, no redriveAllowPolicy)", q.urn);
        }
    },
);

export const SQS_RULES = [R60, R61, R62];
