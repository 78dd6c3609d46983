import { NO_ROLE, Workflow, type WorkflowInput } from "@workflow-sync/core";
import { describe, expect, it } from "vitest";
import { fromNeutral } from "./from-neutral.ts";

/* Kontent.ai's implicit transitions get the roles the source allows, never more (implicit-roles.ts). */

const roles = [
  { id: "r-editor", name: "Editor" },
  { id: "r-legal", name: "Legal" },
];
const context = { roles, contentTypes: [], collections: [] };
const text = (value: string) => ({ "en-US": value });

function workflow(publishedRoles: string[], unpublishRoles: string[]): Workflow {
  const input: WorkflowInput = {
    key: "wf",
    name: text("Wf"),
    initial: "draft",
    states: [
      { key: "draft", name: text("Draft"), kind: "initial" },
      { key: "published", name: text("Published"), kind: "published", roles: publishedRoles },
      { key: "archived", name: text("Archived"), kind: "archived" },
    ],
    transitions: [
      { key: "published", from: "draft", to: "published", name: text("Published") },
      { key: "unpublish", from: "published", to: "archived", name: text("Unpublish"), roles: unpublishRoles },
    ],
  };
  return Workflow.parse(input);
}

describe("Kontent.ai implicit transitions: the roles the source allows", () => {
  it("unpublish_role_ids are the transition's roles", () => {
    const { value } = fromNeutral(workflow([], ["Legal", "Editor"]), context);
    expect(value.published_step.unpublish_role_ids).toEqual(["r-legal", "r-editor"]);
  });

  it("the published state's roles restrict too (both must allow)", () => {
    const { value } = fromNeutral(workflow(["Editor"], []), context);
    expect(value.published_step.unpublish_role_ids).toEqual(["r-editor"]);
    const both = fromNeutral(workflow(["Editor"], ["Editor", "Legal"]), context).value;
    expect(both.published_step.unpublish_role_ids).toEqual(["r-editor"]);
  });

  it("granted to nobody (a Contensis sysUnpublish no role holds): every role, reported, never a missing role", () => {
    const { value, losses } = fromNeutral(workflow([], [NO_ROLE]), context);
    expect(value.published_step.unpublish_role_ids).toEqual([]);
    expect(losses).toContainEqual(
      expect.objectContaining({
        code: "implicit_transition",
        message: expect.stringContaining('nobody may "unpublish" in the source'),
      }),
    );
  });
});
