import * as assert from "assert/strict";
import {
    FARGATE_SIZES,
    HOST_TYPES,
    hostCapacity,
    taskSlots,
    trunkingHostTypes,
    usableAddresses,
} from "../../components/api-cluster/capacity";
import { addressIssues } from "../../stacks/rules";
import { parseWith, problems } from "./config-helpers";

const S = "Pulumi.staging.yaml";
const P = "Pulumi.production.yaml";
const api = (fields: Record<string, unknown>) => ({ "webstack:api": fields });
const CRON = "must be cron(minutes hours day-of-month month day-of-week year) with ? in day-of-month or day-of-week, such as cron(0 8 ? * MON-FRI *), or at(yyyy-mm-ddThh:mm:ss)";
const DIGEST = "0123456789abcdef".repeat(4);
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/webstack-api@sha256:${DIGEST}`;
/** A database whose proxy holds 2 x 28 tasks x 10 connections (689), so address tests do not trip the connection budget. */
const ROOMY_DATABASE = { "webstack:database": { instanceClass: "db.m7g.large" } };
const night = { name: "night", cron: "cron(0 22 ? * MON-FRI *)", timezone: "Europe/Berlin", minTasks: 2, maxTasks: 2 };

describe("capacity tables", () => {
    it("holds the sourced host figures, and no trunked figure for m7i", () => {
        assert.deepEqual(HOST_TYPES["m6i.large"], { vcpus: 2, memoryMiB: 8192, taskSlots: 2, trunkedTaskSlots: 10 });
        assert.deepEqual(HOST_TYPES["m5.4xlarge"], { vcpus: 16, memoryMiB: 65536, taskSlots: 7, trunkedTaskSlots: 60 });
        assert.deepEqual(HOST_TYPES["m7i.2xlarge"], { vcpus: 8, memoryMiB: 32768, taskSlots: 3 });
        assert.equal(Object.keys(HOST_TYPES).length, 12);
        assert.deepEqual(
            ["large", "xlarge", "2xlarge", "4xlarge"].map((s) => [taskSlots(`m6i.${s}`, false), taskSlots(`m6i.${s}`, true), taskSlots(`m7i.${s}`, true)]),
            [
                [2, 10, undefined],
                [3, 20, undefined],
                [3, 40, undefined],
                [7, 60, undefined],
            ],
        );
        assert.equal(taskSlots("t3.large", false), undefined);
        assert.deepEqual(trunkingHostTypes(), ["m5.large", "m5.xlarge", "m5.2xlarge", "m5.4xlarge", "m6i.large", "m6i.xlarge", "m6i.2xlarge", "m6i.4xlarge"]);
    });

    it("plans host capacity as 1024 units per vCPU and 90% of nominal memory less 256 MiB", () => {
        assert.deepEqual(hostCapacity("m6i.large"), { cpu: 2048, memory: 7116 });
        assert.deepEqual(hostCapacity("m7i.4xlarge"), { cpu: 16384, memory: 58726 });
        assert.equal(hostCapacity("m6i.lage"), undefined);
    });

    it("lists Fargate's CPU and memory combinations", () => {
        assert.deepEqual(Object.keys(FARGATE_SIZES).map(Number), [256, 512, 1024, 2048, 4096, 8192, 16384]);
        assert.deepEqual(FARGATE_SIZES[256], [512, 1024, 2048]);
        assert.deepEqual(FARGATE_SIZES[512], [1024, 2048, 3072, 4096]);
        assert.deepEqual([FARGATE_SIZES[1024].length, FARGATE_SIZES[1024][0], FARGATE_SIZES[1024].at(-1)], [7, 2048, 8192]);
        assert.deepEqual([FARGATE_SIZES[2048].length, FARGATE_SIZES[2048][0], FARGATE_SIZES[2048].at(-1)], [13, 4096, 16384]);
        assert.deepEqual([FARGATE_SIZES[4096].length, FARGATE_SIZES[4096][0], FARGATE_SIZES[4096].at(-1)], [23, 8192, 30720]);
        assert.deepEqual(FARGATE_SIZES[8192].slice(0, 3), [16384, 20480, 24576]);
        assert.deepEqual([FARGATE_SIZES[8192].length, FARGATE_SIZES[8192].at(-1)], [12, 61440]);
        assert.deepEqual(FARGATE_SIZES[16384].slice(0, 3), [32768, 40960, 49152]);
        assert.deepEqual([FARGATE_SIZES[16384].length, FARGATE_SIZES[16384].at(-1)], [12, 122880]);
    });

    it("counts a subnet's usable addresses after the 5 AWS reserves", () => {
        assert.deepEqual([usableAddresses(27), usableAddresses(24), usableAddresses(21), usableAddresses(29), usableAddresses(32)], [27, 251, 2043, 3, 0]);
    });
});

describe("webstack:api config", () => {
    it("applies the staging defaults: Fargate, one small task", () => {
        assert.deepEqual(parseWith("staging", {}).api, {
            capacity: "fargate",
            instanceType: "m6i.large",
            trunking: false,
            minHosts: 1,
            desiredHosts: 1,
            maxHosts: 2,
            minTasks: 1,
            desiredTasks: 1,
            maxTasks: 2,
            cpu: 256,
            memory: 512,
            port: 8080,
            metricsPort: 9090,
            healthCheckPath: "/api/health",
            routingAlgorithm: "round_robin",
            canaryPercent: 10,
            canaryBakeMinutes: 5,
            bakeMinutes: 10,
            cpuTargetPercent: 70,
            requestsPerTarget: 1000,
            schedule: [],
            peakConnections: 10000,
            connectionsPerHost: 10000,
            logRetentionDays: 30,
            waf: false,
        });
    });

    it("applies the production defaults: 4 of at most 10 m6i.large hosts, which pass every rule", () => {
        assert.deepEqual(parseWith("production", {}).api, {
            capacity: "ec2",
            instanceType: "m6i.large",
            trunking: false,
            minHosts: 4,
            desiredHosts: 4,
            maxHosts: 10,
            minTasks: 4,
            desiredTasks: 4,
            maxTasks: 10,
            cpu: 512,
            memory: 1024,
            port: 8080,
            metricsPort: 9090,
            healthCheckPath: "/api/health",
            routingAlgorithm: "round_robin",
            canaryPercent: 10,
            canaryBakeMinutes: 5,
            bakeMinutes: 15,
            cpuTargetPercent: 70,
            requestsPerTarget: 1000,
            schedule: [],
            peakConnections: 100000,
            connectionsPerHost: 10000,
            logRetentionDays: 365,
            waf: false,
        });
    });

    it("merges a partial object over the tier defaults, with an image, a schedule and trunking", () => {
        const config = parseWith("production", api({ image: IMAGE, schedule: [night], trunking: true, maxHosts: 4, cpu: 256, memory: 512, peakConnections: 40000 })).api;
        assert.deepEqual(
            [config.image, config.schedule, config.trunking, config.maxHosts, config.cpu, config.memory, config.peakConnections, config.capacity, config.maxTasks],
            [IMAGE, [night], true, 4, 256, 512, 40000, "ec2", 10],
        );
        assert.equal(parseWith("production", {}).api.image, undefined);
    });

    it("accepts cron and at schedules Application Auto Scaling accepts, and UTC", () => {
        const schedule = [
            { name: "a", cron: "cron(0/15 8-18 ? JAN-MAR MON-FRI *)", minTasks: 1, maxTasks: 2, timezone: "UTC" },
            { name: "b", cron: "cron(0 6 L * ? 2026)", minTasks: 1, maxTasks: 2 },
            { name: "c", cron: "cron(30 7 ? * 2#1,6L *)", minTasks: 1, maxTasks: 2, timezone: "America/New_York" },
            { name: "d", cron: "at(2026-12-24T18:00:00)", minTasks: 2, maxTasks: 2 },
        ];
        assert.deepEqual(parseWith("staging", api({ schedule })).api.schedule, schedule);
    });

    it("checks neither hosts nor the host type with Fargate (they apply only to ec2)", () => {
        const config = parseWith("staging", api({ minHosts: 3, maxHosts: 2, instanceType: "m6i.lage", trunking: true })).api;
        assert.deepEqual([config.minHosts, config.maxHosts, config.instanceType], [3, 2, "m6i.lage"]);
    });

    const cases: { name: string; stack: string; changes: Record<string, unknown>; expected: string[] }[] = [
        // Schema: one field at a time.
        {
            name: "webstack:api that is not an object",
            stack: "staging",
            changes: { "webstack:api": "fargate" },
            expected: [
                `${S}: webstack:api = "fargate" must be an object with any of the keys capacity, instanceType, trunking, minHosts, desiredHosts, maxHosts, minTasks, desiredTasks, maxTasks, cpu, memory, port, metricsPort, healthCheckPath, routingAlgorithm, image, canaryPercent, canaryBakeMinutes, bakeMinutes, cpuTargetPercent, requestsPerTarget, schedule, peakConnections, connectionsPerHost, logRetentionDays, waf`,
            ],
        },
        {
            name: "a misspelt key inside webstack:api",
            stack: "staging",
            changes: api({ maxTask: 4 }),
            expected: [
                `${S}: webstack:api.maxTask is not a known key; did you mean webstack:api.maxTasks? known keys are: webstack:api.capacity, webstack:api.instanceType, webstack:api.trunking, webstack:api.minHosts, webstack:api.desiredHosts, webstack:api.maxHosts, webstack:api.minTasks, webstack:api.desiredTasks, webstack:api.maxTasks, webstack:api.cpu, webstack:api.memory, webstack:api.port, webstack:api.metricsPort, webstack:api.healthCheckPath, webstack:api.routingAlgorithm, webstack:api.image, webstack:api.canaryPercent, webstack:api.canaryBakeMinutes, webstack:api.bakeMinutes, webstack:api.cpuTargetPercent, webstack:api.requestsPerTarget, webstack:api.schedule, webstack:api.peakConnections, webstack:api.connectionsPerHost, webstack:api.logRetentionDays, webstack:api.waf`,
            ],
        },
        {
            name: "an unknown capacity",
            stack: "staging",
            changes: api({ capacity: "EC2" }),
            expected: [`${S}: webstack:api.capacity = "EC2" must be "ec2" (an auto scaling group of hosts) or "fargate" (no hosts to manage)`],
        },
        {
            name: "an instance type that is not a string",
            stack: "production",
            changes: api({ instanceType: 5 }),
            expected: [`${P}: webstack:api.instanceType = 5 must be an EC2 instance type name such as m6i.large`],
        },
        {
            name: "trunking given as a string",
            stack: "production",
            changes: api({ trunking: "enabled" }),
            expected: [
                `${P}: webstack:api.trunking = "enabled" must be true or false: true when the account has ECS awsvpcTrunking enabled (more tasks per host; the stack does not own that account setting)`,
            ],
        },
        {
            name: "host counts given as a string, fractional and zero",
            stack: "production",
            changes: api({ minHosts: "4", desiredHosts: 4.5, maxHosts: 0 }),
            expected: [
                `${P}: webstack:api.minHosts = "4" must be a whole number of hosts from 1 to 5000`,
                `${P}: webstack:api.desiredHosts = 4.5 must be a whole number of hosts from 1 to 5000`,
                `${P}: webstack:api.maxHosts = 0 must be a whole number of hosts from 1 to 5000`,
            ],
        },
        {
            name: "task counts negative and huge",
            stack: "staging",
            changes: api({ minTasks: -1, maxTasks: 1e12 }),
            expected: [
                `${S}: webstack:api.minTasks = -1 must be a whole number of tasks from 1 to 5000`,
                `${S}: webstack:api.maxTasks = 1000000000000 must be a whole number of tasks from 1 to 5000`,
            ],
        },
        {
            name: "a task size out of range",
            stack: "staging",
            changes: api({ cpu: 64, memory: "512" }),
            expected: [
                `${S}: webstack:api.cpu = 64 must be a whole number of task CPU units from 128 to 196608 (1024 = 1 vCPU)`,
                `${S}: webstack:api.memory = "512" must be a whole number of task memory MiB from 128 to 122880`,
            ],
        },
        {
            name: "privileged and out-of-range ports",
            stack: "staging",
            changes: api({ port: 80, metricsPort: 70000 }),
            expected: [
                `${S}: webstack:api.port = 80 must be a whole port number from 1024 to 65535 (the container runs as a non-root user)`,
                `${S}: webstack:api.metricsPort = 70000 must be a whole port number from 1024 to 65535 (the container runs as a non-root user)`,
            ],
        },
        {
            name: "a health check path without its leading slash",
            stack: "staging",
            changes: api({ healthCheckPath: "api/health" }),
            expected: [`${S}: webstack:api.healthCheckPath = "api/health" must be a path starting with "/" such as "/api/health": 1-1024 printable characters, no spaces`],
        },
        {
            name: "a health check path with a space",
            stack: "staging",
            changes: api({ healthCheckPath: "/api/he alth" }),
            expected: [`${S}: webstack:api.healthCheckPath = "/api/he alth" must be a path starting with "/" such as "/api/health": 1-1024 printable characters, no spaces`],
        },
        {
            name: "a routing algorithm the load balancer does not have",
            stack: "staging",
            changes: api({ routingAlgorithm: "least_connections" }),
            expected: [
                `${S}: webstack:api.routingAlgorithm = "least_connections" must be "round_robin" (steady traffic) or "least_outstanding_requests" (uneven load: the target with the fewest requests in flight)`,
            ],
        },
        {
            name: "an image by tag",
            stack: "staging",
            changes: api({ image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/webstack-api:latest" }),
            expected: [
                `${S}: webstack:api.image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/webstack-api:latest" must be an image by digest: <registry>/<repository>@sha256:<64 lower-case hex digits> (a tag can move under a running service; CI pushes the image and sets this key)`,
            ],
        },
        {
            name: "an image without a registry",
            stack: "staging",
            changes: api({ image: `webstack-api@sha256:${DIGEST}` }),
            expected: [
                `${S}: webstack:api.image = "webstack-api@sha256:${DIGEST}" must be an image by digest: <registry>/<repository>@sha256:<64 lower-case hex digits> (a tag can move under a running service; CI pushes the image and sets this key)`,
            ],
        },
        {
            name: "an image digest in upper case",
            stack: "staging",
            changes: api({ image: IMAGE.toUpperCase() }),
            expected: [
                `${S}: webstack:api.image = ${JSON.stringify(IMAGE.toUpperCase())} must be an image by digest: <registry>/<repository>@sha256:<64 lower-case hex digits> (a tag can move under a running service; CI pushes the image and sets this key)`,
            ],
        },
        {
            name: "canary and bake settings out of range",
            stack: "staging",
            changes: api({ canaryPercent: 0, canaryBakeMinutes: 1.5, bakeMinutes: 1441 }),
            expected: [
                `${S}: webstack:api.canaryPercent = 0 must be a percentage of tasks from 0.1 to 100`,
                `${S}: webstack:api.canaryBakeMinutes = 1.5 must be a whole number of minutes from 0 to 1440 (ECS bake time)`,
                `${S}: webstack:api.bakeMinutes = 1441 must be a whole number of minutes from 0 to 1440 (ECS bake time)`,
            ],
        },
        {
            name: "a canary above 100%",
            stack: "staging",
            changes: api({ canaryPercent: 100.5 }),
            expected: [`${S}: webstack:api.canaryPercent = 100.5 must be a percentage of tasks from 0.1 to 100`],
        },
        {
            name: "scaling targets out of range",
            stack: "staging",
            changes: api({ cpuTargetPercent: 90, requestsPerTarget: 0.5 }),
            expected: [
                `${S}: webstack:api.cpuTargetPercent = 90 must be a CPU utilisation target from 10 to 85 percent (CPU held at 90% means add capacity, so the target stays well below)`,
                `${S}: webstack:api.requestsPerTarget = 0.5 must be a whole number of load balancer requests per target from 1 to 1000000`,
            ],
        },
        {
            name: "connection figures that are not whole positive numbers",
            stack: "staging",
            changes: api({ peakConnections: 0, connectionsPerHost: "10k" }),
            expected: [
                `${S}: webstack:api.peakConnections = 0 must be a whole number of concurrent connections from 1 to 100000000`,
                `${S}: webstack:api.connectionsPerHost = "10k" must be a whole number of concurrent connections from 1 to 10000000`,
            ],
        },
        {
            name: "a retention CloudWatch does not offer, and a WAF toggle as a string",
            stack: "staging",
            changes: api({ logRetentionDays: 31, waf: "yes" }),
            expected: [
                `${S}: webstack:api.logRetentionDays = 31 must be a CloudWatch Logs retention period in days: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
                `${S}: webstack:api.waf = "yes" must be true or false: true attaches a regional WAF web ACL to the load balancer (about $5/month + $1/rule + $0.60 per million requests)`,
            ],
        },
        {
            name: "a schedule that is not a list",
            stack: "staging",
            changes: api({ schedule: { name: "night" } }),
            expected: [`${S}: webstack:api.schedule = {"name":"night"} must be a list of { name, cron, timezone?, minTasks, maxTasks } entries`],
        },
        {
            name: "a schedule entry that is not an object, one with a misspelt key and one without a name",
            stack: "staging",
            changes: api({ schedule: ["night", { ...night, timeZone: "UTC" }, { cron: night.cron, minTasks: 1, maxTasks: 2 }] }),
            expected: [
                `${S}: webstack:api.schedule[0] = "night" must be an object { name, cron, timezone?, minTasks, maxTasks }`,
                `${S}: webstack:api.schedule[1].timeZone is not a known key; did you mean webstack:api.schedule[1].timezone? known keys are: webstack:api.schedule[1].name, webstack:api.schedule[1].cron, webstack:api.schedule[1].timezone, webstack:api.schedule[1].minTasks, webstack:api.schedule[1].maxTasks`,
                `${S}: webstack:api.schedule[2].name is not set; it must be 1-255 letters, digits, - or _`,
            ],
        },
        {
            name: "schedule names with other characters or too long",
            stack: "staging",
            changes: api({ schedule: [{ ...night, name: "night shift" }, { ...night, name: "n".repeat(256) }] }),
            expected: [
                `${S}: webstack:api.schedule[0].name = "night shift" must be 1-255 letters, digits, - or _`,
                `${S}: webstack:api.schedule[1].name = "${"n".repeat(256)}" must be 1-255 letters, digits, - or _`,
            ],
        },
        {
            name: "schedule expressions Application Auto Scaling refuses",
            stack: "staging",
            changes: api({
                schedule: [
                    { ...night, name: "a", cron: "rate(5 minutes)" },
                    { ...night, name: "b", cron: "cron(0 22 * * *)" },
                    { ...night, name: "c", cron: "cron(0 22 ? * 8 *)" },
                    { ...night, name: "d", cron: "cron(60 22 ? * MON *)" },
                    { ...night, name: "e", cron: "cron(0 22 * * MON *)" },
                    { ...night, name: "f", cron: "cron(0 22 ? * ? *)" },
                    { ...night, name: "g", cron: "cron(0 8 ? FOO * *)" },
                    { ...night, name: "h", cron: "at(2026-02-30T08:00:00)" },
                    { ...night, name: "i", cron: "at(2026-03-01 08:00:00)" },
                    { ...night, name: "j", cron: 22 },
                ],
            }),
            expected: [
                `${S}: webstack:api.schedule[0].cron = "rate(5 minutes)" ${CRON}`,
                `${S}: webstack:api.schedule[1].cron = "cron(0 22 * * *)" ${CRON}: it has 5 fields, not 6`,
                `${S}: webstack:api.schedule[2].cron = "cron(0 22 ? * 8 *)" ${CRON}: its day-of-week field "8" is not 1-7, SUN-SAT, ?, <day>L or <day>#<1-5> (lists, ranges and /steps allowed)`,
                `${S}: webstack:api.schedule[3].cron = "cron(60 22 ? * MON *)" ${CRON}: its minutes field "60" is not 0-59 (lists, ranges and /steps allowed)`,
                `${S}: webstack:api.schedule[4].cron = "cron(0 22 * * MON *)" ${CRON}: exactly one of day-of-month and day-of-week must be ?`,
                `${S}: webstack:api.schedule[5].cron = "cron(0 22 ? * ? *)" ${CRON}: exactly one of day-of-month and day-of-week must be ?`,
                `${S}: webstack:api.schedule[6].cron = "cron(0 8 ? FOO * *)" ${CRON}: its month field "FOO" is not 1-12 or JAN-DEC (lists, ranges and /steps allowed)`,
                `${S}: webstack:api.schedule[7].cron = "at(2026-02-30T08:00:00)" ${CRON}: 2026-02-30T08:00:00 is not a date and time`,
                `${S}: webstack:api.schedule[8].cron = "at(2026-03-01 08:00:00)" ${CRON}`,
                `${S}: webstack:api.schedule[9].cron = 22 ${CRON}`,
            ],
        },
        {
            name: "time zones outside the IANA list, with and without a close match",
            stack: "staging",
            changes: api({
                schedule: [
                    { ...night, timezone: "Europe/Berln" },
                    { ...night, name: "n2", timezone: "CEST" },
                    { ...night, name: "n3", timezone: 1 },
                ],
            }),
            expected: [
                `${S}: webstack:api.schedule[0].timezone = "Europe/Berln" must be an IANA time zone name such as America/New_York or UTC: did you mean Europe/Berlin?`,
                `${S}: webstack:api.schedule[1].timezone = "CEST" must be an IANA time zone name such as America/New_York or UTC`,
                `${S}: webstack:api.schedule[2].timezone = 1 must be an IANA time zone name such as America/New_York or UTC`,
            ],
        },
        // Rule 1: bounds.
        {
            name: "more minimum hosts than maximum hosts",
            stack: "production",
            changes: api({ minHosts: 5, maxHosts: 3, minTasks: 2, desiredTasks: 3, maxTasks: 3, peakConnections: 30000 }),
            expected: [`${P}: webstack:api.minHosts = 5 must be <= webstack:api.maxHosts (3)`],
        },
        {
            name: "desired hosts below the minimum and desired tasks above the maximum",
            stack: "production",
            changes: api({ desiredHosts: 3, desiredTasks: 11 }),
            expected: [
                `${P}: webstack:api.desiredHosts = 3 must be >= webstack:api.minHosts (4)`,
                `${P}: webstack:api.desiredTasks = 11 must be <= webstack:api.maxTasks (10)`,
            ],
        },
        {
            name: "desired hosts above the maximum, minimum tasks above the maximum, desired tasks below the minimum",
            stack: "staging",
            changes: api({ capacity: "ec2", desiredHosts: 3, minTasks: 3, desiredTasks: 1, maxTasks: 2 }),
            expected: [`${S}: webstack:api.desiredHosts = 3 must be <= webstack:api.maxHosts (2)`, `${S}: webstack:api.minTasks = 3 must be <= webstack:api.maxTasks (2)`],
        },
        {
            name: "desired tasks below the minimum",
            stack: "staging",
            changes: api({ minTasks: 2, desiredTasks: 1 }),
            expected: [`${S}: webstack:api.desiredTasks = 1 must be >= webstack:api.minTasks (2)`],
        },
        {
            name: "schedule bounds: min above max, max above the service's maximum, a repeated name",
            stack: "production",
            changes: api({ schedule: [night, { ...night, minTasks: 5, maxTasks: 3 }, { ...night, name: "peak", maxTasks: 12 }] }),
            expected: [
                `${P}: webstack:api.schedule[1].name = "night" must be unique: webstack:api.schedule[0].name has it too (scheduled action names are unique per service)`,
                `${P}: webstack:api.schedule[1].minTasks = 5 must be <= webstack:api.schedule[1].maxTasks (3)`,
                `${P}: webstack:api.schedule[2].maxTasks = 12 must be <= webstack:api.maxTasks (10): hosts, addresses and connections are checked for that maximum`,
            ],
        },
        // Rule 2: hosts.
        {
            name: "too few hosts by task slots (the production defaults with 8 hosts and 80k connections)",
            stack: "production",
            changes: api({ maxHosts: 8, peakConnections: 80000 }),
            expected: [
                `${P}: webstack:api.maxHosts = 8 must be at least 10 to run 2 x webstack:api.maxTasks (10) = 20 tasks on m6i.large hosts (a canary release runs both revisions side by side): by task slots 8 hosts hold 16 (2 per host without ENI trunking)`,
            ],
        },
        {
            name: "too few hosts by CPU, with trunking",
            stack: "production",
            changes: api({ trunking: true, maxHosts: 4, cpu: 1024, memory: 1024, peakConnections: 40000 }),
            expected: [
                `${P}: webstack:api.maxHosts = 4 must be at least 10 to run 2 x webstack:api.maxTasks (10) = 20 tasks on m6i.large hosts (a canary release runs both revisions side by side): by CPU 4 hosts hold 8 (2 per host: 2048 CPU units / webstack:api.cpu (1024))`,
            ],
        },
        {
            name: "too few hosts by task slots and by CPU at once",
            stack: "production",
            changes: api({ maxHosts: 4, cpu: 1024, memory: 1024, peakConnections: 40000 }),
            expected: [
                `${P}: webstack:api.maxHosts = 4 must be at least 10 to run 2 x webstack:api.maxTasks (10) = 20 tasks on m6i.large hosts (a canary release runs both revisions side by side): by task slots 4 hosts hold 8 (2 per host without ENI trunking); by CPU 4 hosts hold 8 (2 per host: 2048 CPU units / webstack:api.cpu (1024))`,
            ],
        },
        {
            name: "too few hosts by memory",
            stack: "production",
            changes: api({ instanceType: "m5.xlarge", maxHosts: 10, cpu: 1024, memory: 8192 }),
            expected: [
                `${P}: webstack:api.maxHosts = 10 must be at least 20 to run 2 x webstack:api.maxTasks (10) = 20 tasks on m5.xlarge hosts (a canary release runs both revisions side by side): by memory 10 hosts hold 10 (1 per host: 14489 MiB usable / webstack:api.memory (8192))`,
            ],
        },
        {
            name: "a host type that is not in the table, with a did-you-mean",
            stack: "production",
            changes: api({ instanceType: "m6i.lage" }),
            expected: [
                `${P}: webstack:api.instanceType = "m6i.lage" must be a supported host type: did you mean m6i.large? supported host types are: m5.large, m5.xlarge, m5.2xlarge, m5.4xlarge, m6i.large, m6i.xlarge, m6i.2xlarge, m6i.4xlarge, m7i.large, m7i.xlarge, m7i.2xlarge, m7i.4xlarge`,
            ],
        },
        {
            name: "a T-family host type (no close match)",
            stack: "production",
            changes: api({ instanceType: "t3.micro" }),
            expected: [
                `${P}: webstack:api.instanceType = "t3.micro" must be a supported host type: supported host types are: m5.large, m5.xlarge, m5.2xlarge, m5.4xlarge, m6i.large, m6i.xlarge, m6i.2xlarge, m6i.4xlarge, m7i.large, m7i.xlarge, m7i.2xlarge, m7i.4xlarge`,
            ],
        },
        {
            name: "trunking on m7i, whose trunked task limit no source gives",
            stack: "production",
            changes: api({ instanceType: "m7i.large", trunking: true }),
            expected: [
                `${P}: webstack:api.instanceType = "m7i.large" must have a sourced ENI trunking task limit when webstack:api.trunking is true: m5.large, m5.xlarge, m5.2xlarge, m5.4xlarge, m6i.large, m6i.xlarge, m6i.2xlarge, m6i.4xlarge (no source gives m7i.large's trunked limit; or set trunking to false)`,
            ],
        },
        // Rule 3: task sizes.
        {
            name: "a task larger than one host (the host check then leaves CPU and memory out)",
            stack: "production",
            changes: api({ cpu: 4096, memory: 7200 }),
            expected: [
                `${P}: webstack:api.cpu = 4096 must be at most 2048 to fit one m6i.large host (2 vCPUs x 1024 units)`,
                `${P}: webstack:api.memory = 7200 must be at most 7116 to fit one m6i.large host (planning rule: 90% of its 8192 MiB registers with ECS, less 256 MiB reserved for the agent)`,
            ],
        },
        {
            name: "a CPU size Fargate does not have",
            stack: "staging",
            changes: api({ cpu: 384 }),
            expected: [`${S}: webstack:api.cpu = 384 must be a Fargate task CPU size: one of 256, 512, 1024, 2048, 4096, 8192, 16384`],
        },
        {
            name: "a memory size Fargate does not pair with the CPU",
            stack: "staging",
            changes: api({ cpu: 512, memory: 512 }),
            expected: [`${S}: webstack:api.memory = 512 must be a Fargate memory size for webstack:api.cpu (512): one of 1024, 2048, 3072, 4096`],
        },
        // Rule 4: addresses.
        {
            name: "Fargate tasks that need more private addresses than the subnets have",
            stack: "staging",
            changes: { "webstack:network": { cidr: "10.0.0.0/22" }, ...api({ maxTasks: 28 }), ...ROOMY_DATABASE },
            expected: [
                `${S}: webstack:api.maxTasks = 28 must fit the private subnets' addresses: 2 x 28 tasks need 56 (each awsvpc task takes one, and a release runs both revisions), the 2 private subnets of webstack:network.cidr (10.0.0.0/22) have 54 (27 in each /27 after the 5 AWS reserves); lower it or use a larger webstack:network.cidr`,
            ],
        },
        {
            name: "hosts and tasks that need more private addresses than the subnets have",
            stack: "production",
            changes: { "webstack:network": { cidr: "10.0.0.0/22" }, ...api({ maxTasks: 20, maxHosts: 20 }) },
            expected: [
                `${P}: webstack:api.maxTasks = 20 must fit the private subnets' addresses: 2 x 20 tasks + webstack:api.maxHosts (20) hosts need 60 (each awsvpc task and each host takes one, and a release runs both revisions), the 2 private subnets of webstack:network.cidr (10.0.0.0/22) have 54 (27 in each /27 after the 5 AWS reserves); lower it or use a larger webstack:network.cidr`,
            ],
        },
        // Rule 5: seed 004 connections.
        {
            name: "too few hosts for the peak connections",
            stack: "production",
            changes: api({ maxHosts: 8, maxTasks: 8 }),
            expected: [
                `${P}: webstack:api.maxHosts = 8 must be at least 10 to hold webstack:api.peakConnections (100000) at webstack:api.connectionsPerHost (10000) per host`,
            ],
        },
        {
            name: "too few Fargate tasks for the peak connections",
            stack: "staging",
            changes: api({ peakConnections: 25000, connectionsPerHost: 5000 }),
            expected: [
                `${S}: webstack:api.maxTasks = 2 must be at least 5 to hold webstack:api.peakConnections (25000) at webstack:api.connectionsPerHost (5000) per task (on Fargate the task is the unit: each has its own network interface and connection table)`,
            ],
        },
        // Rule 6: production high availability.
        {
            name: "one host, one task and a one-task schedule in production",
            stack: "production",
            changes: api({ minHosts: 1, minTasks: 1, schedule: [{ ...night, minTasks: 1 }] }),
            expected: [
                `${P}: webstack:api.minHosts = 1 must be at least 2 in production: one host in each of two availability zones, so losing a zone leaves the API serving (seed 001)`,
                `${P}: webstack:api.minTasks = 1 must be at least 2 in production: one task in each of two availability zones, so losing a zone leaves the API serving (seed 001)`,
                `${P}: webstack:api.schedule[0].minTasks = 1 must be at least 2 in production: one task in each of two availability zones, so losing a zone leaves the API serving (seed 001)`,
            ],
        },
        {
            name: "one Fargate task in production (hosts are not checked)",
            stack: "production",
            changes: api({ capacity: "fargate", minHosts: 1, minTasks: 1, peakConnections: 10000 }),
            expected: [
                `${P}: webstack:api.minTasks = 1 must be at least 2 in production: one task in each of two availability zones, so losing a zone leaves the API serving (seed 001)`,
            ],
        },
        // Rule 7: ports.
        {
            name: "the metrics port on the service port",
            stack: "staging",
            changes: api({ metricsPort: 8080 }),
            expected: [
                `${S}: webstack:api.metricsPort = 8080 must differ from webstack:api.port (8080): the load balancer reaches the port, only the monitoring tier the metrics port`,
            ],
        },
        // All at once; an invalid field is never replaced by its default in the rules, nor reported twice.
        {
            name: "several problems at once, each reported once",
            stack: "production",
            changes: {
                "webstack:network": { azCount: "3" },
                ...api({ maxTasks: "30", desiredTasks: 20, minHosts: 5, maxHosts: 3, capcity: "ec2", port: 9090, image: "nginx", schedule: [{ ...night, cron: "cron(0 22 * * MON *)" }] }),
            },
            expected: [
                `${P}: webstack:network.azCount = "3" must be a whole number of availability zones from 2 to 6`,
                `${P}: webstack:api.maxTasks = "30" must be a whole number of tasks from 1 to 5000`,
                `${P}: webstack:api.image = "nginx" must be an image by digest: <registry>/<repository>@sha256:<64 lower-case hex digits> (a tag can move under a running service; CI pushes the image and sets this key)`,
                `${P}: webstack:api.schedule[0].cron = "cron(0 22 * * MON *)" ${CRON}: exactly one of day-of-month and day-of-week must be ?`,
                `${P}: webstack:api.capcity is not a known key; did you mean webstack:api.capacity? known keys are: webstack:api.capacity, webstack:api.instanceType, webstack:api.trunking, webstack:api.minHosts, webstack:api.desiredHosts, webstack:api.maxHosts, webstack:api.minTasks, webstack:api.desiredTasks, webstack:api.maxTasks, webstack:api.cpu, webstack:api.memory, webstack:api.port, webstack:api.metricsPort, webstack:api.healthCheckPath, webstack:api.routingAlgorithm, webstack:api.image, webstack:api.canaryPercent, webstack:api.canaryBakeMinutes, webstack:api.bakeMinutes, webstack:api.cpuTargetPercent, webstack:api.requestsPerTarget, webstack:api.schedule, webstack:api.peakConnections, webstack:api.connectionsPerHost, webstack:api.logRetentionDays, webstack:api.waf`,
                `${P}: webstack:api.minHosts = 5 must be <= webstack:api.maxHosts (3)`,
                `${P}: webstack:api.maxHosts = 3 must be at least 10 to hold webstack:api.peakConnections (100000) at webstack:api.connectionsPerHost (10000) per host`,
                `${P}: webstack:api.metricsPort = 9090 must differ from webstack:api.port (9090): the load balancer reaches the port, only the monitoring tier the metrics port`,
            ],
        },
    ];

    for (const c of cases) {
        it(`rejects ${c.name}`, () => {
            assert.deepEqual(problems(c.stack, c.changes), c.expected);
        });
    }

    it("refuses public subnets with fewer than 8 free addresses for the load balancer's nodes", () => {
        // The layout's /27 minimum always leaves 27; a /29 layout (3 usable) exercises the rule itself.
        const layout = { public: ["10.0.0.0/29", "10.0.0.8/29"], private: ["10.0.1.0/24", "10.0.2.0/24"], isolated: [] };
        assert.deepEqual(addressIssues("webstack:", { capacity: "fargate", maxTasks: 2 }, "10.0.0.0/22", layout), [
            {
                key: "webstack:network.cidr",
                kind: "invalid",
                value: "10.0.0.0/22",
                problem: "must give each public subnet at least 8 free addresses for the load balancer's nodes (ELB requirement): 10.0.0.0/29, 10.0.0.8/29 have 3",
            },
        ]);
        const roomy = { ...layout, public: ["10.0.0.0/28", "10.0.0.16/28"] };
        assert.deepEqual(addressIssues("webstack:", { capacity: "fargate", maxTasks: 2 }, "10.0.0.0/22", roomy), []);
    });

    it("accepts exactly as many hosts and addresses as needed", () => {
        // 2 x 27 tasks = 54 = the two /27 private subnets of a /22; 1 task per host leaves the slots at the limit too.
        assert.equal(parseWith("staging", { "webstack:network": { cidr: "10.0.0.0/22" }, ...api({ maxTasks: 27, peakConnections: 270000 }), ...ROOMY_DATABASE }).api.maxTasks, 27);
        assert.equal(parseWith("production", api({ maxHosts: 10, maxTasks: 10, peakConnections: 100000 })).api.maxHosts, 10);
    });
});
