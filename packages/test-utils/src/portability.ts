import { type TransitionInput, Workflow, type WorkflowInput } from "@workflow-sync/core";

/*
 * The small workflow that the vendor profiles' tests (each adapter's profile.test.ts) change one
 * thing at a time.
 */

/** A small valid workflow: draft → review → published, published → archived → draft. */
export function simpleWorkflowInput(): WorkflowInput {
  return {
    key: "simple",
    name: { "en-GB": "Simple" },
    initial: "draft",
    states: [
      { key: "draft", name: { "en-GB": "Draft" }, kind: "initial", color: "gray" },
      { key: "review", name: { "en-GB": "Review" }, kind: "step", color: "yellow" },
      { key: "published", name: { "en-GB": "Published" }, kind: "published" },
      { key: "archived", name: { "en-GB": "Archived" }, kind: "archived" },
    ],
    transitions: [
      { key: "submit", from: "draft", to: "review", name: { "en-GB": "Submit" } },
      { key: "approve", from: "review", to: "published", name: { "en-GB": "Approve" } },
      { key: "unpublish", from: "published", to: "archived", name: { "en-GB": "Unpublish" } },
      { key: "restore", from: "archived", to: "draft", name: { "en-GB": "Restore" } },
    ],
    groups: [{ key: "decision", name: { "en-GB": "Decision" } }],
  };
}

export type EditableWorkflowInput = WorkflowInput & { states: unknown[]; transitions: TransitionInput[] };

/** `simpleWorkflowInput()` changed by `edit`, parsed. */
export function editedWorkflow(edit: (input: EditableWorkflowInput) => void): Workflow {
  const input = structuredClone(simpleWorkflowInput()) as EditableWorkflowInput;
  edit(input);
  return Workflow.parse(input);
}

/** A transition input named by its key. */
export function transitionInput(
  key: string,
  from: string,
  to: string | null,
  extra: Partial<TransitionInput> = {},
): TransitionInput {
  return { key, from, to, name: { "en-GB": key }, ...extra };
}
