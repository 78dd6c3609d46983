import type { KontentWorkflow } from "@workflow-sync/adapter-kontent";

/*
 * A person's edits through another client, as the suites make them while (or after) the CLI
 * applies a plan.
 */

/** The body of a Kontent.ai workflow update that changes only the workflow's name. */
export function renamedKontentWorkflow(workflow: KontentWorkflow, name: string) {
  return {
    name,
    codename: workflow.codename,
    scopes: workflow.scopes.map((scope) => ({
      content_types: scope.content_types.map((ref) => ({ id: ref.id })),
      collections: scope.collections.map((ref) => ({ id: ref.id })),
    })),
    steps: workflow.steps.map((step) => ({
      id: step.id,
      name: step.name,
      codename: step.codename,
      color: step.color,
      transitions_to: step.transitions_to.map((t) => ({ step: { id: t.step.id } })),
      role_ids: step.role_ids,
    })),
    published_step: {
      unpublish_role_ids: workflow.published_step.unpublish_role_ids,
      create_new_version_role_ids: workflow.published_step.create_new_version_role_ids,
    },
    archived_step: { role_ids: workflow.archived_step.role_ids },
  };
}
