import { diffWorkflow, Workflow } from "@workflow-sync/core";
import { kontentExampleWorkflow } from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { ContensisEnvironment } from "./environment.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { snapshotFromNative } from "./mapping/to-neutral.ts";
import type { ContensisWorkflowDefinition } from "./wire.ts";

/*
 * Issue 12, item 5: a Kontent.ai → Contensis re-sync converges. A workflow from Kontent.ai has no
 * description; the definition written for it has none, and the server may answer it back as
 * `description: {}` or `null` (the docs' model always shows the field). The projection of the same
 * workflow must then equal what was read, or every sync writes a new draft version.
 */

const environment = new ContensisEnvironment({
  rootUrl: "http://127.0.0.1:9",
  projectId: "website",
  clientId: "id",
  clientSecret: "secret",
});

describe("cross-vendor re-sync finds nothing to change", () => {
  it.each([{}, null, undefined])("when the server spells the empty description as %j", (description) => {
    // (roles aside: they are role grants in Contensis, issue 11's business)
    const parsed = Workflow.parse(kontentExampleWorkflow);
    const desired: Workflow = {
      ...parsed,
      states: parsed.states.map((state) => ({ ...state, roles: [] })),
      transitions: parsed.transitions.map((transition) => ({ ...transition, roles: [] })),
    };
    const written = fromNeutral(desired).value;
    const stored: ContensisWorkflowDefinition = {
      ...written,
      ...(description === undefined ? {} : { description }),
      uuid: "e7d8611a-88d6-44b3-8910-c894f1d6a42a",
      projectId: "website",
      isSystem: false,
      version: { versionNo: "1.0", published: "2026-01-01T00:00:00Z" },
    };
    const snapshot = snapshotFromNative({
      projectId: "website",
      definitions: [stored],
      published: [stored],
      contentTypes: desired.scope.contentTypes.map((id) => ({ id, workflowId: written.id })),
      roles: [],
    });
    const current = snapshot.workflows[0]!;
    const projected = environment.project(desired, snapshot).value;
    expect(diffWorkflow(current, projected, { extensions: "shared" })).toEqual([]);
    const update = environment.planUpdate(desired, current, snapshot).value;
    expect(update).toEqual([]);
  });
});
