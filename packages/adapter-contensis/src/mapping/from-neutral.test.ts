import {
  parseWorkflow,
  type Workflow,
  type WorkflowInput,
  Workflow as WorkflowSchema,
} from "@workflow-sync/core";
import { describe, expect, it } from "vitest";
import { grantsFromRoles } from "../roles.ts";
import { CUSTOM_ENTRY_APPROVAL, DMH_APPROVAL, RICH_DEFINITION } from "../test-support/seeds.ts";
import { type ContensisWorkflowDefinition, WireWorkflowDefinition } from "../wire.ts";
import { fromNeutral } from "./from-neutral.ts";
import { toNeutral } from "./to-neutral.ts";

/** The definition without server-managed fields: what a round trip must give back. */
function withoutServerFields(definition: Record<string, unknown>) {
  const { uuid: _uuid, version: _version, projectId: _projectId, isSystem: _isSystem, ...rest } = definition;
  return rest;
}

/** A round trip through neutral JSON (as a file would hold it) and back. */
function roundTrip(definition: unknown) {
  const wire = WireWorkflowDefinition.parse(definition);
  const neutral = toNeutral(wire);
  const parsed = parseWorkflow(JSON.parse(JSON.stringify(neutral.value)));
  expect(parsed.issues).toEqual([]);
  if (!parsed.ok) throw new Error("not a neutral workflow");
  const back = fromNeutral(parsed.value);
  return { neutral, back, parsed: parsed.value };
}

describe("Contensis → neutral → Contensis", () => {
  it.each([
    ["DMH approval definition (older shape)", DMH_APPROVAL],
    ["CustomEntryApproval (newer shape)", CUSTOM_ENTRY_APPROVAL],
    ["a richer definition (locales, null/{}/absent fields, unknown fields, non-key ids)", RICH_DEFINITION],
  ])("is lossless for the %s", (_name, definition) => {
    const { back } = roundTrip(definition);
    expect(back.losses).toEqual([]);
    expect(back.value).toEqual(withoutServerFields(definition as Record<string, unknown>));
    // Exactly: no extra `undefined` members and nothing reordered inside arrays.
    expect(JSON.stringify(sortKeys(back.value))).toBe(
      JSON.stringify(sortKeys(withoutServerFields(definition as Record<string, unknown>))),
    );
  });

  it("is lossless with role grants read from the environment", () => {
    const roles = [
      {
        id: "r1",
        name: "Approvers",
        enabled: true,
        permissions: {
          entries: [{ id: "*", languages: ["*"], actions: ["CustomEntryApproval.awaitingApproval.*"] }],
        },
      },
      {
        id: "r2",
        name: "Authors",
        permissions: {
          entries: [
            {
              id: "*",
              languages: ["*"],
              actions: ["CustomEntryApproval.draft.submit", "CustomEntryApproval.declined.*"],
            },
          ],
        },
      },
      { id: "r3", name: "Admins", permissions: { entries: [{ id: "*", languages: ["*"], actions: ["*"] }] } },
    ];
    const grants = grantsFromRoles(roles);
    const wire = WireWorkflowDefinition.parse(CUSTOM_ENTRY_APPROVAL);
    const neutral = toNeutral(wire, { roleGrants: grants, contentTypes: ["article"] });
    expect(neutral.losses).toEqual([]);
    const approve = neutral.value.transitions.find(
      (t) => t.from === "awaitingApproval" && t.key === "approve",
    );
    expect(approve?.roles).toEqual(["Admins", "Approvers"]);
    const submit = neutral.value.transitions.find((t) => t.from === "draft" && t.key === "submit");
    expect(submit?.roles).toEqual(["Admins", "Authors"]);
    expect(neutral.value.scope).toEqual({ contentTypes: ["article"], collections: [] });
    const back = fromNeutral(neutral.value, { roleGrants: grants });
    expect(back.losses).toEqual([]);
    expect(back.value).toEqual(withoutServerFields(CUSTOM_ENTRY_APPROVAL));
  });
});

describe("neutral → Contensis (foreign workflows)", () => {
  const kontentLike: WorkflowInput = {
    key: "content_approval_for_the_newsroom",
    name: { "en-US": "Content approval" },
    scope: { contentTypes: ["article"], collections: ["news"] },
    initial: "draft",
    states: [
      { key: "review", name: { "en-US": "Review" }, kind: "step", color: "sky-blue", roles: ["Editor"] },
      { key: "draft", name: { "en-US": "Draft" }, kind: "initial", color: "red" },
      { key: "published", name: { "en-US": "Published" }, kind: "published" },
      { key: "scheduled", name: { "en-US": "Scheduled" }, kind: "scheduled" },
      { key: "archived", name: { "en-US": "Archived" }, kind: "archived" },
      {
        key: "a_state_key_that_is_much_too_long_for_contensis",
        name: { "en-US": "Long" },
        kind: "step",
        description: { "en-US": "a step" },
      },
    ],
    transitions: [
      { key: "review", from: "draft", to: "review", name: { "en-US": "Review" }, roles: ["Author"] },
      {
        key: "published",
        from: "review",
        to: "published",
        name: { "en-US": "Publish" },
        extensions: { kontent: { note: "x" } },
      },
      {
        key: "unpublish",
        from: "published",
        to: "archived",
        name: { "en-US": "Unpublish" },
        extensions: { kontent: { implicit: true } },
      },
      {
        key: "create_new_version",
        from: "published",
        to: "draft",
        name: { "en-US": "Create new version" },
        extensions: { kontent: { implicit: true } },
      },
      {
        key: "restore",
        from: "archived",
        to: "draft",
        name: { "en-US": "Restore" },
        extensions: { kontent: { implicit: true } },
      },
      { key: "archive", from: "review", to: "archived", name: { "en-US": "Archive" } },
      { key: "promote", from: "published", to: "review", name: { "en-US": "Back to review" } },
      {
        key: "an_event_key_that_is_far_too_long_for_it",
        from: "draft",
        to: "a_state_key_that_is_much_too_long_for_contensis",
        name: { "en-US": "Long" },
      },
    ],
    extensions: { kontent: { scopes: [], id: "x" } },
  };

  it("reports every loss with a path into the neutral document", () => {
    const workflow = WorkflowSchema.parse(kontentLike) as Workflow;
    const { value, losses } = fromNeutral(workflow);
    const found = losses.map((l) => `${l.code} ${l.path.join(".")}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "unsupported_field extensions.kontent",
        "invalid_key key",
        "unsupported_field scope.collections",
        "role_granularity states.0.roles",
        "unsupported_value states.0.color",
        "structure states.2",
        "unsupported_value states.3.kind",
        "unsupported_value states.4.kind",
        "invalid_key states.5.key",
        "unsupported_field states.5.description",
        "role_granularity transitions.0.roles",
        "unsupported_field transitions.1.extensions.kontent",
        "implicit_transition transitions.2",
        "implicit_transition transitions.3",
        "implicit_transition transitions.4",
        "structure transitions.5",
        "structure transitions.6",
        "invalid_key transitions.7.key",
      ]),
    );
    expect(losses.every((l) => l.vendor === "contensis" && l.message.length > 0)).toBe(true);
    expect(losses.find((l) => l.path.join(".") === "key")?.message).toContain("at most 25 characters");
    // a Kontent.ai colour maps to the nearest Contensis one, and says so
    expect(losses.find((l) => l.path.join(".") === "states.0.color")?.message).toContain(
      'mapped to the nearest, "blue"',
    );

    expect(value.id).toBe("contentApprovalForTheNews");
    expect(value.id.length).toBeLessThanOrEqual(25);
    // the initial state comes first; published → sysWorkflow; scheduled/archived dropped
    expect(value.states.map((s) => s.id)).toEqual(["draft", "review", "aStateKeyThatIsMuchTooLongForC"]);
    const review = value.states[1];
    expect(review?.color).toBe("blue"); // sky-blue, nearest
    // archive, then restore (Kontent.ai) becomes one event back to the first state
    expect(review?.events?.map((e) => [e.id, e.transitionTo])).toEqual([
      ["published", "sysWorkflow"],
      ["archive", "draft"],
    ]);
    const draft = value.states[0];
    expect(draft?.color).toBe("red");
    expect(draft?.events?.map((e) => [e.id, e.transitionTo])).toEqual([
      ["review", "review"],
      ["anEventKeyThatIsFarTooLongForI", "aStateKeyThatIsMuchTooLongForC"],
    ]);
    expect(WireWorkflowDefinition.safeParse(value).success).toBe(true);
  });

  it("writes a neutral-authored workflow with defaults Contensis understands", () => {
    const workflow = WorkflowSchema.parse({
      key: "simple",
      name: { "en-GB": "Simple" },
      initial: "draft",
      states: [
        { key: "draft", name: { "en-GB": "Draft" }, kind: "initial" },
        { key: "live", name: { "en-GB": "Live" }, kind: "published" },
      ],
      transitions: [
        {
          key: "publish",
          from: "draft",
          to: "live",
          name: { "en-GB": "Publish" },
          validate: true,
          parameters: [{ key: "why", name: { "en-GB": "Why" }, required: true }],
          guard: { all: [{ field: "isScheduledForPublish()", equals: false }] },
        },
      ],
    });
    const { value, losses } = fromNeutral(workflow);
    expect(losses.map((l) => l.code)).toEqual(["structure"]); // the published state becomes sysWorkflow
    expect(value).toEqual({
      id: "simple",
      name: { "en-GB": "Simple" },
      states: [
        {
          id: "draft",
          name: { "en-GB": "Draft" },
          events: [
            {
              id: "publish",
              name: { "en-GB": "Publish" },
              transitionTo: "sysWorkflow",
              groupId: "transitions",
              validate: true,
              parameters: [
                {
                  id: "why",
                  name: { "en-GB": "Why" },
                  dataType: "string",
                  default: null,
                  validations: { required: { message: {} } },
                },
              ],
              invokableWhen: [{ field: "isScheduledForPublish()", equalTo: false }],
            },
          ],
          allowUpdates: true,
        },
      ],
      eventGroups: [{ id: "transitions", name: { "en-GB": "Transitions" } }],
    } satisfies ContensisWorkflowDefinition);
  });

  it("lets an edit of the neutral document win over the representation kept for the round trip", () => {
    const wire = WireWorkflowDefinition.parse(DMH_APPROVAL);
    const neutral = toNeutral(wire).value;
    const edited = structuredClone(neutral);
    const sysDelete = edited.transitions.find((t) => t.from === "draft" && t.key === "sysDelete");
    if (!sysDelete) throw new Error("no sysDelete");
    sysDelete.name = { "en-GB": "Delete" };
    const draft = edited.states[0];
    if (!draft) throw new Error("no draft");
    draft.color = "teal";
    const back = fromNeutral(edited).value;
    expect(back.states[0]?.events?.find((e) => e.id === "sysDelete")?.name).toEqual({ "en-GB": "Delete" });
    expect(back.states[0]?.color).toBe("teal");
    // untouched: still the `{}` as read
    expect(back.states[1]?.events?.find((e) => e.id === "sysDelete")?.name).toEqual({});
  });
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, member]) => [key, sortKeys(member)]),
    );
  }
  return value;
}

describe("colours", () => {
  it("keeps the legacy colours Contensis itself returns, refuses others with the palette", () => {
    const wire = WireWorkflowDefinition.parse(DMH_APPROVAL);
    const neutral = toNeutral(wire).value;
    const edited = structuredClone(neutral);
    const submit = edited.transitions.find((t) => t.from === "draft" && t.key === "submit");
    if (!submit?.extensions.contensis) throw new Error("no submit");
    submit.extensions.contensis.color = "purple";
    const declined = edited.states.find((s) => s.key === "declined");
    if (!declined) throw new Error("no declined");
    declined.color = "cyan"; // off-palette and not what was read for this state
    const { value, losses } = fromNeutral(edited);
    expect(losses.map((l) => `${l.code} ${l.path.join(".")}`).sort()).toEqual([
      "unsupported_value states.2.color",
      "unsupported_value transitions.1.extensions.contensis.color",
    ]);
    expect(losses.find((l) => l.path.includes("extensions"))?.message).toContain("red, green, white");
    expect(value.states[0]?.events?.[1]?.color).toBeUndefined();
    expect(value.states[0]?.color).toBe("cyan"); // as read
  });
});
