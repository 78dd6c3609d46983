import { diffWorkflow, diffWorkflows, fingerprint } from "@workflow-sync/core";
import { generateWorkflow } from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { newPlan, type Operation, Plan, PlannedChange, planChecksum, planFileText } from "./plan-format.ts";

const current = generateWorkflow({ key: "editorial", states: 4, transitions: 6, seed: 3 });
const desired = {
  ...current,
  states: current.states.map((state, index) => (index === 0 ? { ...state, color: "#123456" } : state)),
};

function planWith(changes: unknown[]): Plan {
  return newPlan({
    source: { environment: "dev", vendor: "files", fingerprint: fingerprint([desired]) },
    options: { prune: false, acceptLoss: false },
    targets: [
      {
        environment: "prod",
        vendor: "files",
        label: "prod",
        fingerprint: fingerprint([current]),
        workflows: { editorial: fingerprint(current) },
        operations: [
          {
            id: "editorial:update",
            action: "update",
            workflow: "editorial",
            changes: changes as Operation["changes"],
            requests: [{ method: "PUT", path: "editorial.yaml", description: "update editorial" }],
          },
        ],
        skipped: [],
        losses: [],
        warnings: [],
        mappings: { roles: [], contentTypes: [], collections: [] },
        desired: [desired],
      },
    ],
  });
}

describe("the plan file's schema", () => {
  it("types a plan's changes as core's diff changes and keeps them exactly as written", () => {
    const changes = [...diffWorkflow(current, desired), ...diffWorkflows([current], []).changes];
    expect(changes.length).toBeGreaterThan(1);
    for (const change of changes) expect(PlannedChange.parse(change)).toBe(change);
  });

  it("refuses a change that is not one (unknown kind, path not keys, no workflow)", () => {
    const [change] = diffWorkflow(current, desired);
    for (const broken of [
      { ...change, kind: "state_renamed" },
      { ...change, path: [0, "states"] },
      { ...change, workflow: undefined },
      "state_changed",
    ]) {
      expect(PlannedChange.safeParse(broken).success).toBe(false);
    }
  });

  it("writes a plan that reads back through the same schema, checksum intact", () => {
    const plan = planWith(diffWorkflow(current, desired));
    const read = Plan.parse(JSON.parse(planFileText(plan)));
    expect(read).toEqual(plan);
    expect(planChecksum(read)).toBe(plan.checksum);
  });

  it("refuses to write a plan whose changes it could not read back", () => {
    expect(() => planFileText(planWith([{ kind: "state_renamed", path: [] }]))).toThrow(
      /a change as the diff/,
    );
  });
});
