import { formatPath, Workflow } from "@workflow-sync/core";
import { editorialWorkflow, kontentExampleWorkflow } from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { DefinitionRulesError } from "./errors.ts";
import { isSystemWorkflow } from "./mapping/context.ts";
import { fromNeutral } from "./mapping/from-neutral.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { assertDefinition, checkDefinition, isReadOnlyDefinition } from "./rules.ts";
import { CUSTOM_ENTRY_APPROVAL, DMH_APPROVAL, RICH_DEFINITION } from "./test-support/seeds.ts";
import { type ContensisWorkflowDefinition, WireWorkflowDefinition } from "./wire.ts";

const custom = () =>
  WireWorkflowDefinition.parse(structuredClone(CUSTOM_ENTRY_APPROVAL)) as ContensisWorkflowDefinition & {
    states: Array<{
      events: Array<Record<string, unknown> & { parameters: Array<Record<string, unknown>> }>;
    }>;
  };
const broken = (definition: ContensisWorkflowDefinition) =>
  checkDefinition(definition).map((issue) => `${formatPath(issue.path)}: ${issue.code}`);

describe("checkDefinition: Contensis's rules with the vendor's field paths", () => {
  it("passes the docs' definitions (custom example, DMH approval with its legacy colours)", () => {
    expect(checkDefinition(custom())).toEqual([]);
    expect(checkDefinition(WireWorkflowDefinition.parse(DMH_APPROVAL))).toEqual([]);
  });

  it("refuses a duplicate event id in one state (never renamed to approve2)", () => {
    const definition = custom();
    const events = definition.states[1]!.events;
    events.push({ ...structuredClone(events[2]!) }); // a second "approve"
    expect(broken(definition)).toEqual(["states[1].events[4].id: duplicate_key"]);
    expect(checkDefinition(definition)[0]?.message).toContain('"approve"');
  });

  it("refuses ids with _ and over the length limits", () => {
    const definition = custom();
    definition.states[0]!.events[0]!.id = "send_for_approval";
    definition.states[1]!.events[0]!.id = "r".repeat(31);
    definition.states[0]!.events[0]!.parameters[0]!.id = "p".repeat(51);
    expect(broken(definition)).toEqual([
      "states[0].events[0].id: vendor_rule",
      "states[0].events[0].parameters[0].id: vendor_rule",
      "states[1].events[0].id: vendor_rule",
    ]);
    const workflow = custom();
    (workflow as { id: string }).id = "w".repeat(26);
    expect(broken(workflow)).toEqual(["id: vendor_rule"]);
  });

  it("refuses an event without groupId, or with a group that is not defined", () => {
    const definition = custom();
    delete definition.states[0]!.events[0]!.groupId;
    definition.states[1]!.events[0]!.groupId = "nowhere";
    expect(broken(definition)).toEqual([
      "states[0].events[0].groupId: vendor_rule",
      "states[1].events[0].groupId: dangling_reference",
    ]);
  });

  it("refuses an editor other than multiline, an unknown colour and an unknown exit action", () => {
    const definition = custom();
    (definition.states[0]!.events[0]!.parameters[0]!.editor as { id: string }).id = "richtext";
    definition.states[1]!.events[0]!.color = "purple";
    definition.states[1]!.events[1]!.exitActions = [{ invokeAction: "sendEmail" }];
    expect(broken(definition)).toEqual([
      "states[0].events[0].parameters[0].editor.id: vendor_rule",
      "states[1].events[0].color: vendor_rule",
      "states[1].events[1].exitActions[0].invokeAction: vendor_rule",
    ]);
  });

  it("refuses a transitionTo that names no state", () => {
    const definition = custom();
    definition.states[0]!.events[0]!.transitionTo = "review";
    expect(broken(definition)).toEqual(["states[0].events[0].transitionTo: dangling_reference"]);
  });

  it("assertDefinition throws one error listing every rule, before any request", () => {
    const definition = custom();
    delete definition.states[0]!.events[0]!.groupId;
    definition.states[1]!.events[0]!.color = "purple";
    expect(() => assertDefinition(definition)).toThrow(DefinitionRulesError);
    expect(() => assertDefinition(definition)).toThrow(/states\[0\]\.events\[0\]\.groupId[\s\S]*purple/);
  });

  it("what fromNeutral writes passes the rules: a Contensis definition, and workflows of the other vendor", () => {
    const written = fromNeutral(toNeutral(WireWorkflowDefinition.parse(CUSTOM_ENTRY_APPROVAL)).value).value;
    expect(checkDefinition(written)).toEqual([]);
    for (const fixture of [kontentExampleWorkflow, editorialWorkflow]) {
      const converted = fromNeutral(Workflow.parse(fixture));
      expect(checkDefinition(converted.value)).toEqual([]);
    }
  });

  it("a definition read with ids Contensis refuses is reported, not renamed", () => {
    // RICH_DEFINITION (a test seed) has ids with "-" and events without a group
    const issues = checkDefinition(WireWorkflowDefinition.parse(RICH_DEFINITION));
    expect(issues.map((issue) => issue.message).join("\n")).toContain('"legal-check"');
  });
});

describe("isSystem is the server's", () => {
  it("the docs' custom example (isSystem: true) is a custom definition, and isSystem is not written", () => {
    const definition = WireWorkflowDefinition.parse(CUSTOM_ENTRY_APPROVAL);
    expect(definition.isSystem).toBe(true);
    expect(isReadOnlyDefinition(definition)).toBe(false);
    const neutral = toNeutral(definition).value;
    expect(isSystemWorkflow(neutral)).toBe(false);
    expect(fromNeutral(neutral).value).not.toHaveProperty("isSystem");
  });

  it("only the predefined definitions are system ones, whatever a document says", () => {
    const basic = {
      ...WireWorkflowDefinition.parse(CUSTOM_ENTRY_APPROVAL),
      id: "contensisEntryBasic",
      isSystem: false,
    };
    expect(isReadOnlyDefinition(basic)).toBe(true);
    expect(isSystemWorkflow(toNeutral(basic).value)).toBe(true);
    expect(fromNeutral(toNeutral(basic).value).value).not.toHaveProperty("isSystem");
  });
});
