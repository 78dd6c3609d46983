import { NO_ROLE, Workflow as WorkflowSchema } from "@workflow-sync/core";
import { describe, expect, it } from "vitest";
import { grantsFromRoles } from "../roles.ts";
import { CUSTOM_ENTRY_APPROVAL, DMH_APPROVAL, RICH_DEFINITION } from "../test-support/seeds.ts";
import { WireWorkflowDefinition } from "../wire.ts";
import { isSystemWorkflow } from "./context.ts";
import { toNeutral } from "./to-neutral.ts";

describe("toNeutral", () => {
  it("maps the CustomEntryApproval as the mapping decisions say", () => {
    const { value } = toNeutral(WireWorkflowDefinition.parse(CUSTOM_ENTRY_APPROVAL));
    expect(value.key).toBe("CustomEntryApproval");
    expect(value.initial).toBe("draft");
    expect(value.states.map((s) => [s.key, s.kind])).toEqual([
      ["draft", "initial"],
      ["awaitingApproval", "step"],
      ["declined", "step"],
      ["published", "published"],
    ]);
    const published = value.states.at(-1);
    expect(published).toMatchObject({
      name: { "en-GB": "Published" },
      extensions: { contensis: { system: "sysWorkflow" } },
    });
    const awaiting = value.states[1];
    expect(awaiting).toMatchObject({ editable: false, color: "yellow" });
    expect(awaiting?.extensions.contensis).toMatchObject({ uiEditorView: "previousPublishedVersionCompare" });
    const approve = value.transitions.find((t) => t.key === "approve");
    expect(approve).toMatchObject({
      from: "awaitingApproval",
      to: "published",
      group: "approveDecline",
      validate: false,
      guard: { all: [{ field: "isScheduledForPublish()", equals: false }] },
      auditText: { "en-GB": "Approved" },
    });
    expect(approve?.extensions.contensis).toMatchObject({
      color: "green",
      uiAction: "navigateToEntryListing",
    });
    const decline = value.transitions.find((t) => t.key === "decline");
    expect(decline?.parameters[0]).toMatchObject({
      key: "message",
      required: true,
      requiredMessage: { "en-GB": "The decline reason is required" },
      editor: {
        key: "multiline",
        instructions: { "en-GB": "Include a message to let an approver know your changes" },
      },
    });
    // the docs' custom example says `isSystem: true`; only the predefined definitions are system ones
    expect(value.extensions.contensis?.isSystem).toBeUndefined();
    expect(isSystemWorkflow(value)).toBe(false);
    expect(WorkflowSchema.safeParse(value).success).toBe(true);
  });

  it("maps the DMH approval: publishEntry marks the published state, validateEntry means validate", () => {
    const { value } = toNeutral(WireWorkflowDefinition.parse(DMH_APPROVAL));
    expect(value.states.map((s) => [s.key, s.kind])).toEqual([
      ["draft", "initial"],
      ["awaitingApproval", "step"],
      ["declined", "step"],
      ["versionComplete", "published"],
    ]);
    const submit = value.transitions.find((t) => t.from === "draft" && t.key === "submit");
    expect(submit?.validate).toBe(true);
    const sysDelete = value.transitions.find((t) => t.from === "draft" && t.key === "sysDelete");
    // `{}` names get a placeholder; the original `{}` is kept for the way back.
    expect(sysDelete?.name).toEqual({ "en-GB": "sysDelete" });
    expect(sysDelete?.to).toBeNull();
    // the `{"en-GB": ""}` name is kept as it is
    expect(value.states[3]?.name).toEqual({ "en-GB": "" });
    // an off-palette colour is kept (and remembered as read)
    expect(value.states[0]).toMatchObject({ color: "cyan", extensions: { contensis: { color: "cyan" } } });
  });

  it("reports ids that are not neutral keys and role grants narrower than neutral roles", () => {
    const grants = grantsFromRoles([
      {
        id: "r",
        name: { "en-GB": "Legal" },
        permissions: {
          entries: [{ id: "article", languages: ["en-GB"], actions: ["newsReview.legal-check.*"] }],
        },
      },
      {
        id: "off",
        name: "Disabled",
        enabled: false,
        permissions: { entries: [{ id: "*", actions: ["*"] }] },
      },
    ]);
    const { value, losses } = toNeutral(WireWorkflowDefinition.parse(RICH_DEFINITION), {
      roleGrants: grants,
    });
    expect(value.states[1]?.key).toBe("legal_check");
    expect(losses.map((l) => [l.code, l.path.join(".")])).toEqual(
      expect.arrayContaining([
        ["invalid_key", "states.1.id"],
        ["invalid_key", "states.0.events.0.parameters.1.id"],
        ["role_granularity", "states.1.events.0"],
      ]),
    );
    const approve = value.transitions.find((t) => t.key === "approve");
    expect(approve?.roles).toEqual(["Legal"]);
    // Granted to no role (the disabled role grants nothing): nobody may fire it, not anyone.
    expect(value.transitions[0]?.roles).toEqual([NO_ROLE]);
    expect(
      losses.some((l) => l.path.join(".") === "states.0.events.0" && l.code === "role_granularity"),
    ).toBe(false);
    expect(losses.find((l) => l.path.join(".") === "states.1.events.0")?.message).toContain(
      "only for content types article and languages en-GB",
    );
    // sysDelete is not invoked through events: no "no role grants it" loss for it
    expect(losses.some((l) => l.path.join(".") === "states.0.events.1")).toBe(false);
  });
});
