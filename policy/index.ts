// The CrossGuard pack: only assembles the rule list (policy/rules), so the offline engine and the
// tests import and run exactly the same rules without starting the policy server.
import { PolicyPack } from "@pulumi/policy";
import { POLICIES } from "./rules";

new PolicyPack("webstack", { policies: [...POLICIES], enforcementLevel: "mandatory" });
