import { ContensisEnvironment, snapshotFromNative } from "@workflow-sync/adapter-contensis";
import {
  KontentMappingError,
  type KontentNativeSnapshot,
  type KontentWorkflow,
  fromNeutral as kontentFromNeutral,
  projectWorkflow,
  updateBodies,
} from "@workflow-sync/adapter-kontent";
import { type Loss, type Move, permissionRelation, type Workflow, widenedMoves } from "@workflow-sync/core";
import { PERMISSION_ROLES, permissionWorkflowArb } from "@workflow-sync/test-utils";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/*
 * Least privilege, proven over generated workflows and role sets: every mapping, same vendor and
 * across vendors, gives a target whose permission relation (core `permissionRelation`: who may
 * move content from which state to which) is a subset of the source's. Narrowing is reported as a
 * loss; widening never happens. Also the intermediate state of the two-request Kontent.ai update.
 *
 * The only moves a target may add are the ones a vendor always has and that the source lacks
 * (Kontent.ai always lets someone unpublish, create a new version and restore): each is reported
 * as a loss, and listed here explicitly.
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

/** Moves Kontent.ai has whatever the source says (unpublish, new version, restore) when the source has no such transition. */
function kontentImplicit(source: Workflow, move: Move): boolean {
  const initial = source.initial;
  const pairs = [
    ["published", "archived"],
    ["published", initial],
    ["archived", initial],
  ];
  return (
    pairs.some(([from, to]) => move.from === from && move.to === to) &&
    !source.transitions.some((t) => t.from === move.from && (t.to ?? t.from) === move.to)
  );
}

function expectSubset(source: Workflow, target: Projection, vendor: "kontent" | "contensis") {
  if (target === "refused") return;
  const widened = widenedMoves(source, target.value, { through: vendor === "contensis" ? ["archived"] : [] });
  const unexplained = widened.filter((move) => !(vendor === "kontent" && kontentImplicit(source, move)));
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
