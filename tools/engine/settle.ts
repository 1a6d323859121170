// Waiting for a program the way the Pulumi Node.js host does: the run ends when the event loop has no
// more work, after `beforeExit` listeners had their turn, and any failure on the way (early or late)
// fails it. A plan must never report a partial graph as success.

// Internal SDK entry points (not in the typings); test/tools/engine.test.ts notices if they move.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const state = require("@pulumi/pulumi/runtime/state") as {
    getPendingResourceRegistrations(): Map<unknown, PendingRegistration>;
    failPendingRegistration(res: unknown, err: unknown): void;
};

/** The SDK's record of a registration in flight (runtime/resource.ts). */
interface PendingRegistration {
    readonly name?: string;
    readonly type?: string;
    readonly label: string;
    readonly phase: string;
    readonly inputProperty?: string;
}

/** How long a program may keep the event loop busy after its top level returned (the CLI would wait forever). */
export const SETTLE_LIMIT_MS = 60_000;


/** Work the event loop holds (timers, sockets, file operations), counted by kind. */
function activeWork(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
    return counts;
}

/** What the program added to the event loop beyond what the host had before it ran. */
function workBeyond(baseline: ReadonlyMap<string, number>): string[] {
    return [...activeWork()].flatMap(([kind, n]) => (n > (baseline.get(kind) ?? 0) ? [`${kind} x${n - (baseline.get(kind) ?? 0)}`] : []));
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

function describe(reg: PendingRegistration): string {
    const what = reg.name && reg.type ? `resource "${reg.name}" [${reg.type}]` : reg.label;
    return reg.phase === "inputs" && reg.inputProperty ? `${what} (input ${reg.inputProperty})` : what;
}

/** The registrations in flight, described for an error message. */
export function pendingRegistrations(): string[] {
    return [...state.getPendingResourceRegistrations().values()].map(describe);
}

// The SDK attaches handlers to some rejected promises of a failed run after they were reported (and
// counted) as unhandled, sometimes after the run: node would print a PromiseRejectionHandledWarning for
// each. The failure itself is already reported once, so the late handling is not news.
process.on("rejectionHandled", () => undefined);

/** A failure of the run, and the resource whose registration it failed, when it failed one. */
export interface Failure {
    readonly error: unknown;
    readonly resource?: string;
}

/**
 * Catches every failure while a program runs: thrown at the top level, or a promise rejected late
 * (inputs that fail after the top level returned, a provider function nobody awaited). Returns the
 * list it fills and the undo.
 */
export function catchFailures(): { failures: Failure[]; add: (error: unknown) => void; stop: () => void } {
    const failures: Failure[] = [];
    const seen = new Set<unknown>();
    const failedRegistration = new Map<unknown, string>();
    // The SDK fails a registration through this hook, then rethrows the same error to every awaiter.
    const failPending = state.failPendingRegistration;
    state.failPendingRegistration = (res, err) => {
        const reg = state.getPendingResourceRegistrations().get(res);
        if (reg && !failedRegistration.has(err)) failedRegistration.set(err, describe(reg));
        failPending(res, err);
    };
    const add = (error: unknown) => {
        if (seen.has(error)) return;
        seen.add(error);
        failures.push({ error, resource: failedRegistration.get(error) });
    };
    state.getPendingResourceRegistrations().clear(); // left over from an earlier failed run in this process
    // Like the CLI's host, the engine owns these events while the program runs (a test runner's own
    // handlers would otherwise fail the test instead of the plan); the host's come back afterwards.
    const events = ["unhandledRejection", "uncaughtException"];
    const emitter = process as unknown as NodeJS.EventEmitter;
    const hosts = events.map((event) => emitter.listeners(event) as ((...args: unknown[]) => void)[]);
    events.forEach((event, i) => {
        hosts[i].forEach((l) => emitter.off(event, l));
        emitter.on(event, add);
    });
    return {
        failures,
        add,
        stop: () => {
            state.failPendingRegistration = failPending;
            events.forEach((event, i) => {
                emitter.off(event, add);
                hosts[i].forEach((l) => emitter.on(event, l));
            });
        },
    };
}

/**
 * Waits until the program is done: every RPC answered, every timer or I/O it started finished, its
 * `beforeExit` listeners run (the SDK's bucket notifications register there) until they add no more
 * work. Throws if registrations can never finish, or if work is still pending after the limit.
 */
export async function settle(baseline: ReadonlyMap<string, number>, registered: () => number, limitMs = SETTLE_LIMIT_MS): Promise<void> {
    const deadline = Date.now() + limitMs;
    for (;;) {
        await settings.waitForRPCs();
        await turn();
        await turn(); // a rejection is reported one turn after it happens
        const busy = workBeyond(baseline);
        if (busy.length > 0) {
            if (Date.now() > deadline) throw new Error(`the program still has work pending ${limitMs / 1000} s after its top level returned: ${busy.join(", ")}`);
            await new Promise((resolve) => setTimeout(resolve, 2));
            continue;
        }
        const before = registered();
        // Every listener, as node would call them: the SDK registers its own when @pulumi/aws loads (often
        // before the engine), and a listener must tolerate repeated calls since node repeats them too.
        for (const listener of process.listeners("beforeExit")) (listener as (code: number) => void)(0);
        await settings.waitForRPCs();
        if (registered() !== before || workBeyond(baseline).length > 0) continue;
        const stuck = pendingRegistrations();
        if (stuck.length > 0) throw new Error(`the program ended with registrations that can never finish: ${stuck.join("; ")}`);
        return;
    }
}

/** After a failed run: lets the RPCs in flight finish (or fail) for up to `limitMs`, then the rejections be reported. */
export async function drain(limitMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
    await Promise.race([settings.waitForRPCs().catch(() => undefined), limit]);
    clearTimeout(timer);
    await turn();
    await turn();
}

/** A snapshot of the event loop's work before the program runs. */
export function workBaseline(): Map<string, number> {
    // node opens the standard streams on first use: a program's first console.log must not count as
    // work it left behind (a pipe stays open for good), so they are open before the count.
    void process.stdout;
    void process.stderr;
    return activeWork();
}
