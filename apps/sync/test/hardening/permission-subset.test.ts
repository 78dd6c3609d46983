import {
  applyGrants,
  ContensisEnvironment,
  type ContensisRole,
  type ContensisWorkflowDefinition,
  fromNeutral as contensisFromNeutral,
  toNeutral as contensisToNeutral,
  grantsFromRoles,
  snapshotFromNative,
} from "@workflow-sync/adapter-contensis";
import {
  KontentMappingError,
  type KontentNativeSnapshot,
  type KontentWorkflow,
  fromNeutral as kontentFromNeutral,
  projectWorkflow,
  updateBodies,
} from "@workflow-sync/adapter-kontent";
import {
  ANY_ROLE,
  type Loss,
  type Move,
  permissionRelation,
  type Workflow,
  widenedMoves,
} from "@workflow-sync/core";
import { PERMISSION_ROLES, permissionWorkflowArb } from "@workflow-sync/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/*
 * Least privilege, proven over generated workflows and role sets: every mapping, same vendor and
 * across vendors, gives a target whose permission relation (core `permissionRelation`: who may
 * move content from which state to which) is a subset of the source's. Narrowing is reported as a
 * loss; widening never happens. Also the intermediate state of the two-request Kontent.ai update.
 *
 * The only moves a target may add are the ones the vendor forces (`kontentForced`): each is
 * reported as a loss, and listed here explicitly.
 */

const RUNS = 150;

const kontentRoles = PERMISSION_ROLES.map((name, index) => ({
  id: `00000000-0000-4000-8000-00000000000${index + 1}`,
  name,
}));
const kontentNative: KontentNativeSnapshot = {
  vendor: "kontent",
  environmentId: "perm-env",
  workflows: [],
  roles: kontentRoles,
  contentTypes: [],
  collections: [],
};
const contensisSnapshot = snapshotFromNative({
  projectId: "perm",
  definitions: [],
  published: [],
  contentTypes: [],
  roles: PERMISSION_ROLES.map((name, index) => ({
    id: `role-${index}`,
    name,
    enabled: true,
    permissions: { entries: [] },
  })),
});
const contensis = new ContensisEnvironment({
  rootUrl: "http://127.0.0.1:9",
  projectId: "perm",
  clientId: "unused",
  clientSecret: "unused",
});

type Projection = { value: Workflow; losses: Loss[] } | "refused";

/** Kontent.ai's form of a workflow, or "refused" (a clear error: never a quiet change). */
function toKontent(workflow: Workflow): Projection {
  try {
    return projectWorkflow(workflow, kontentNative);
  } catch (error) {
    if (error instanceof KontentMappingError) return "refused";
    throw error;
  }
}

function toContensis(workflow: Workflow): Projection {
  return contensis.project(workflow, contensisSnapshot);
}

/**
 * The one widening Kontent.ai forces. Its implicit transitions (unpublish: published → archived,
 * create a new version: published → first step, restore: archived → first step) are restricted by
 * `published_step.unpublish_role_ids`, `published_step.create_new_version_role_ids` and
 * `archived_step.role_ids` (https://kontent.ai/learn/docs/apis/management-api-v2/workflows), and
 * the mapping narrows each to the roles the source allows. But an empty list means every role (the
 * .NET SDK's `WorkflowPublishedStepUpsertModel` / `WorkflowArchivedStepUpsertModel`,
 * https://github.com/kontent-ai/management-sdk-net), so "nobody" cannot be said: where the source
 * lets NOBODY make one of these moves (no such transition, or one granted to no role), Kontent.ai
 * lets every role make it. Exactly that: the move is by anyone (`*`), one of those three pairs,
 * and the source allows that pair to no role at all.
 */
function kontentForced(source: Workflow, move: Move): boolean {
  const initial = source.initial;
  const pairs = [
    ["published", "archived"],
    ["published", initial],
    ["archived", initial],
  ];
  return (
    move.role === ANY_ROLE &&
    pairs.some(([from, to]) => move.from === from && move.to === to) &&
    !permissionRelation(source).some((m) => m.from === move.from && m.to === move.to)
  );
}

function expectSubset(source: Workflow, target: Projection, vendor: "kontent" | "contensis") {
  if (target === "refused") return;
  const widened = widenedMoves(source, target.value, { through: vendor === "contensis" ? ["archived"] : [] });
  const unexplained = widened.filter((move) => !(vendor === "kontent" && kontentForced(source, move)));
  expect(unexplained).toEqual([]);
  if (widened.length > 0) {
    expect(target.losses.some((loss) => loss.code === "implicit_transition")).toBe(true);
  }
  // Narrowing is reported: fewer moves than the source without any loss would be a silent change.
  const kept = new Set(permissionRelation(target.value).map((m) => `${m.role}|${m.from}|${m.to}`));
  const lost = permissionRelation(source).filter((m) => !kept.has(`${m.role}|${m.from}|${m.to}`));
  if (lost.length > 0) expect(target.losses.length).toBeGreaterThan(0);
}

describe("least privilege: every mapping narrows, never widens (property)", () => {
  it("neutral → Kontent.ai, and Kontent.ai → Kontent.ai", () => {
    let written = 0;
    fc.assert(
      fc.property(permissionWorkflowArb(), (source) => {
        const kontent = toKontent(source);
        expectSubset(source, kontent, "kontent");
        if (kontent === "refused") return;
        written++;
        expectSubset(kontent.value, toKontent(kontent.value), "kontent");
      }),
      { numRuns: RUNS },
    );
    expect(written).toBeGreaterThan(RUNS / 3);
  });

  it("neutral → Contensis, and Contensis → Contensis", () => {
    fc.assert(
      fc.property(permissionWorkflowArb(), (source) => {
        const target = toContensis(source);
        expectSubset(source, target, "contensis");
        if (target !== "refused") expectSubset(target.value, toContensis(target.value), "contensis");
      }),
      { numRuns: RUNS },
    );
  });

  it("Kontent.ai → Contensis and Contensis → Kontent.ai", () => {
    fc.assert(
      fc.property(permissionWorkflowArb(), (neutral) => {
        const kontent = toKontent(neutral);
        if (kontent !== "refused") expectSubset(kontent.value, toContensis(kontent.value), "contensis");
        const contensisForm = toContensis(neutral);
        if (contensisForm !== "refused")
          expectSubset(contensisForm.value, toKontent(contensisForm.value), "kontent");
      }),
      { numRuns: RUNS },
    );
  });

  it("the first of two Kontent.ai update requests only renames: every step keeps its transitions and roles", () => {
    fc.assert(
      fc.property(permissionWorkflowArb(), fc.nat(), (source, pick) => {
        let body: ReturnType<typeof kontentFromNeutral>["value"];
        try {
          body = kontentFromNeutral(source, { roles: kontentRoles }).value;
        } catch (error) {
          if (error instanceof KontentMappingError) return;
          throw error;
        }
        const id = (codename: string) => `id-${codename}`;
        const stored: KontentWorkflow = {
          id: "wf",
          name: body.name,
          codename: body.codename,
          scopes: [],
          steps: body.steps.map((step) => ({
            id: id(step.codename),
            name: step.name,
            codename: step.codename,
            color: step.color,
            transitions_to: step.transitions_to.map((t) => ({
              step: {
                id: id(
                  "codename" in t.step ? t.step.codename : "id" in t.step ? t.step.id : t.step.external_id,
                ),
              },
            })),
            role_ids: [...step.role_ids],
          })),
          published_step: {
            id: id("published"),
            name: "Published",
            codename: "published",
            ...body.published_step,
          },
          archived_step: {
            id: id("archived"),
            name: "Archived",
            codename: "archived",
            ...body.archived_step,
          },
        };
        // Desired: one step is renamed (same name, new codename) and a new step takes its codename.
        const renamed = body.steps[pick % body.steps.length]!;
        const desired = {
          ...body,
          steps: [
            ...body.steps.map((step) =>
              step === renamed ? { ...step, codename: `${step.codename}_moved` } : step,
            ),
            {
              ...renamed,
              name: `${renamed.name} (new)`,
              transitions_to: [{ step: { codename: "published" } }],
              role_ids: [],
            },
          ],
        };
        const bodies = updateBodies(desired, stored);
        expect(bodies).toHaveLength(2);
        const first = bodies[0]!;
        expect(first.steps.map((step) => [step.id, step.transitions_to, step.role_ids])).toEqual(
          stored.steps.map((step) => [step.id, step.transitions_to, step.role_ids]),
        );
        expect(first.published_step).toEqual(body.published_step);
        expect(first.archived_step).toEqual(body.archived_step);
      }),
      { numRuns: RUNS },
    );
  });
});

/*
 * The intermediate states of a Contensis write (`ContensisEnvironment.planPermissions` and the
 * planner's order): first the role writes that only take grants away (`narrowing`), then the
 * definition (PUT, published), then the role writes that grant, one role at a time. Every state in
 * between is read as the environment would read it (`toNeutral` with the roles' grants).
 */
describe("least privilege between the writes of a Contensis update (property)", () => {
  const WORKFLOW = "perm";
  /** Transitions keyed e0, e1, … per state: two workflows then reuse event ids for other moves. */
  const reuseIds = (workflow: Workflow): Workflow => {
    const count = new Map<string, number>();
    return {
      ...workflow,
      key: WORKFLOW,
      transitions: workflow.transitions.map((transition) => {
        const n = count.get(transition.from) ?? 0;
        count.set(transition.from, n + 1);
        return { ...transition, key: `e${n}` };
      }),
    };
  };
  const baseRoles = (): ContensisRole[] =>
    PERMISSION_ROLES.map((name, index) => ({
      id: `role-${index}`,
      name,
      enabled: true,
      permissions: { entries: [] },
    }));
  const definitionOf = (workflow: Workflow): ContensisWorkflowDefinition =>
    contensisFromNeutral(workflow, { grants: "write" }).value;
  const read = (definition: ContensisWorkflowDefinition, roles: readonly ContensisRole[]) =>
    contensisToNeutral(definition, { roleGrants: grantsFromRoles(roles) }).value;
  /** Role PUTs applied in order (each replaces the whole role). */
  const put = (
    roles: readonly ContensisRole[],
    requests: ReadonlyArray<{ path: string; body?: unknown }>,
  ) => {
    const byId = new Map(roles.map((role) => [role.id, role]));
    for (const request of requests) {
      const id = decodeURIComponent(request.path.split("/").pop()!);
      byId.set(id, request.body as ContensisRole);
    }
    return roles.map((role) => byId.get(role.id)!);
  };
  // Leftover grants on event ids (of removed events, or of events that now mean another move).
  const leftoverArb = fc.array(fc.tuple(fc.nat(PERMISSION_ROLES.length - 1), fc.nat(4), fc.nat(3)), {
    maxLength: 4,
  });

  it("taking grants away first: no state between the writes allows more than the target before or the source", () => {
    let unguarded = 0;
    fc.assert(
      fc.property(
        permissionWorkflowArb(),
        permissionWorkflowArb(),
        leftoverArb,
        (oldArb, desiredArb, leftovers) => {
          const old = reuseIds(oldArb);
          const desired = reuseIds(desiredArb);
          // The target as a sync of `old` left it, plus leftover grants.
          const oldDefinition = definitionOf(old);
          const granted = applyGrants(baseRoles(), [contensisFromNeutral(old, { grants: "write" }).grants]);
          const roles0 = granted.roles.map((role) => structuredClone(role));
          for (const [index, state, event] of leftovers) {
            const role = roles0[index]!;
            role.permissions = {
              ...role.permissions,
              entries: [
                ...(role.permissions?.entries ?? []),
                { id: "*", languages: ["*"], actions: [`${WORKFLOW}.s${state}.e${event}`] },
              ],
            };
          }
          const snapshot = snapshotFromNative({
            projectId: "perm",
            definitions: [oldDefinition],
            published: [oldDefinition],
            contentTypes: [],
            roles: roles0,
          });
          const planned = contensis.planPermissions([desired], snapshot);
          const through = { through: ["archived" as const] };
          const before = read(oldDefinition, roles0);

          // 1. grants taken away, old definition: never more than the target allowed before.
          const roles1 = put(roles0, planned.narrowing);
          expect(widenedMoves(before, read(oldDefinition, roles1))).toEqual([]);
          // 2. the new definition, before any grant is added: never more than the source.
          const newDefinition = definitionOf(desired);
          expect(widenedMoves(desired, read(newDefinition, roles1), through)).toEqual([]);
          // Without step 1 the old grants would stay on the reused ids (counted: the case is exercised).
          if (widenedMoves(desired, read(newDefinition, roles0), through).length > 0) unguarded++;
          // 3. each grant write in turn, and the end.
          let roles = roles1;
          for (const request of planned.value) {
            roles = put(roles, [request]);
            expect(widenedMoves(desired, read(newDefinition, roles), through)).toEqual([]);
          }
        },
      ),
      { numRuns: RUNS },
    );
    expect(unguarded).toBeGreaterThan(0);
  });
});
