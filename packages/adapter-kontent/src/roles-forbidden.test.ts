import { sameWorkflow, type Workflow } from "@workflow-sync/core";
import { demoSeed, type KontentSeed, type KontentSimulator } from "@workflow-sync/kontent-simulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KontentRolesUnavailableError } from "./errors.ts";
import { roleIdReference } from "./mapping/context.ts";
import { DEV, environmentFor, startSimulator } from "./test-support/sim.ts";

/*
 * A key without the "Manage custom roles" permission cannot list roles (403). Reading still works,
 * role ids stay ids (`id:<uuid>`), a sync between environments with equal role ids (a clone) works,
 * and anything that needs role names fails with one message naming the permission and the options.
 * Over HTTP against the Kontent.ai simulator.
 */

const CLONE = { id: "7c9f0e4e-0000-0000-0000-0000000000c1", apiKey: "clone-secret-key" };

/** dev, and a clone of it (same role ids, as cloning copies roles) without editorial_review; neither key may list roles. */
function seed(): KontentSeed {
  const base = demoSeed();
  const dev = base.environments[DEV.id]!;
  dev.keysWithoutRoles = [DEV.apiKey];
  const clone = structuredClone(dev);
  clone.apiKeys = [CLONE.apiKey];
  clone.keysWithoutRoles = [CLONE.apiKey];
  clone.workflows = (clone.workflows ?? []).filter((workflow) => workflow.codename !== "editorial_review");
  clone.variants = [];
  return { environments: { [DEV.id]: dev, [CLONE.id]: clone } };
}

let sim: KontentSimulator;
beforeAll(async () => {
  sim = await startSimulator({ seed: seed() });
});
afterAll(async () => {
  await sim?.close();
});

describe("Kontent.ai without role listing", () => {
  it("the simulator answers GET /roles with 403 for a key without the permission", async () => {
    const response = await fetch(`${sim.baseUrl}/projects/${DEV.id}/roles`, {
      headers: { authorization: `Bearer ${DEV.apiKey}` },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error_code: 16 });
  });

  it("reads every workflow, keeping role ids as typed references", async () => {
    const snapshot = await environmentFor(sim, DEV).read();
    const editorial = snapshot.workflows.find((workflow) => workflow.key === "editorial_review")!;
    const copyEdit = editorial.states.find((state) => state.key === "copy_edit")!;
    const wire = snapshot.native.workflows
      .find((w) => w.codename === "editorial_review")!
      .steps.find((step) => step.codename === "copy_edit")!;
    expect(copyEdit.roles).toEqual(wire.role_ids.map(roleIdReference));
    expect(snapshot.native.rolesUnavailable).toContain("Manage custom roles");
    expect(snapshot.roles).toEqual([]);
  });

  it("syncs to an environment with the same role ids: created, and read back the same", async () => {
    const source = await environmentFor(sim, DEV).read();
    const target = environmentFor(sim, CLONE);
    const before = await target.read();
    const desired = source.workflows.find((workflow) => workflow.key === "editorial_review")!;
    const planned = target.planCreate(desired, before);
    for (const request of planned.value) await target.execute(request);
    const after = await target.read();
    const written = after.workflows.find((workflow) => workflow.key === "editorial_review")!;
    expect(sameWorkflow(written, desired)).toBe(true);
    const stored = sim
      .state(CLONE.id)
      .workflows.find((workflow) => workflow.codename === "editorial_review")!;
    const original = sim
      .state(DEV.id)
      .workflows.find((workflow) => workflow.codename === "editorial_review")!;
    expect(stored.steps.map((step) => step.role_ids)).toEqual(original.steps.map((step) => step.role_ids));
  });

  it("refuses role names with one message naming the permission and the options; --map to ids works", async () => {
    const target = environmentFor(sim, CLONE);
    const snapshot = await target.read();
    const source = (await environmentFor(sim, DEV).read()).workflows.find((w) => w.key === "quick_publish")!;
    const named: Workflow = {
      ...source,
      key: "named_roles",
      states: source.states.map((state) =>
        state.roles.length > 0 ? { ...state, roles: ["Contributor", "Marketing lead"] } : state,
      ),
    };
    let error: unknown;
    try {
      target.planCreate(named, snapshot);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KontentRolesUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain('"Contributor", "Marketing lead"');
    expect(message).toContain("Manage custom roles");
    expect(message).toContain("--map");
    expect(message).toContain("id:<role id>");
    // The same workflow with the names mapped to ids (what --map roles: { Contributor: "id:…" } does) plans.
    const ids = source.states.find((state) => state.roles.length > 0)!.roles;
    const mapped: Workflow = {
      ...named,
      states: named.states.map((state) => (state.roles.length > 0 ? { ...state, roles: ids } : state)),
    };
    expect(target.planCreate(mapped, snapshot).value).toHaveLength(1);
  });
});
