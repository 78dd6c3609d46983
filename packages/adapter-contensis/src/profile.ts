import {
  type Issue,
  type LengthLimit,
  notPortable,
  type Path,
  type Vendor,
  type VendorProfile,
  type Workflow,
} from "@workflow-sync/core";
import {
  BUTTON_COLORS,
  EVENT_ID_RULE,
  GROUP_ID_RULE,
  type IdRule,
  PARAMETER_ID_RULE,
  STATE_COLORS,
  STATE_ID_RULE,
  WORKFLOW_ID_RULE,
} from "./rules.ts";

/*
 * Contensis's rules for what a workflow definition may hold, as the profile that core's checks and
 * the CLI's `validate --vendor contensis` run. The limits and palettes live in rules.ts with
 * their sources; docs/vendors/contensis.md explains them.
 */

const limit = (rule: IdRule): LengthLimit => ({
  what: rule.what,
  min: 1,
  max: rule.max,
  source: rule.source,
});

const quoted = (values: readonly string[]) => values.map((value) => `"${value}"`).join(", ");

/** Reports one issue: what Contensis cannot hold, at `path` of the neutral workflow. */
type Note = (path: Path, message: string) => void;

function contensisIssues(workflow: Workflow): Issue[] {
  const vendor: Vendor = "contensis";
  const issues: Issue[] = [];
  const note: Note = (path, message) => issues.push(notPortable(vendor, path, `Contensis: ${message}`));
  workflowIdIssues(workflow, note);
  stateIssues(workflow, note);
  eventIssues(workflow, note);
  groupIssues(workflow, note);
  return issues;
}

function workflowIdIssues(workflow: Workflow, note: Note): void {
  if (workflow.key.length > WORKFLOW_ID_RULE.max) {
    note(
      ["key"],
      `a workflow id is at most ${WORKFLOW_ID_RULE.max} characters; "${workflow.key}" has ${workflow.key.length}`,
    );
  }
  if (!WORKFLOW_ID_RULE.pattern.test(workflow.key)) {
    note(["key"], `a workflow id is alphanumeric and starts with a letter; "${workflow.key}" is not`);
  }
}

function stateIssues(workflow: Workflow, note: Note): void {
  workflow.states.forEach((state, index) => {
    const at: Path = ["states", index];
    if (state.key.length > STATE_ID_RULE.max) {
      note(
        [...at, "key"],
        `a state id is at most ${STATE_ID_RULE.max} characters; "${state.key}" has ${state.key.length}`,
      );
    }
    if (state.color !== undefined && !(STATE_COLORS as readonly string[]).includes(state.color)) {
      note(
        [...at, "color"],
        `a state colour is one of ${STATE_COLORS.join(", ")}; state "${state.key}" has "${state.color}"`,
      );
    }
    if (state.roles.length > 0) {
      note(
        [...at, "roles"],
        `permissions live on roles, per event (workflowId.stateId.eventId), not on states; state "${state.key}" ` +
          `has roles ${quoted(state.roles)}`,
      );
    }
    if (state.kind === "archived") {
      note(
        [...at, "kind"],
        `there is no archived state (content is unpublished with sysUnpublish); state "${state.key}" has kind "archived"`,
      );
    }
  });
}

/** Transitions are events of their source state: ids, button colours, parameter ids. */
function eventIssues(workflow: Workflow, note: Note): void {
  workflow.transitions.forEach((transition, index) => {
    const at: Path = ["transitions", index];
    const name = `event "${transition.key}" of state "${transition.from}"`;
    if (transition.key.length > EVENT_ID_RULE.max) {
      note(
        [...at, "key"],
        `an event id is at most ${EVENT_ID_RULE.max} characters; ${name} has ${transition.key.length}`,
      );
    }
    const color = transition.extensions.contensis?.color;
    if (color !== undefined && color !== null && !(BUTTON_COLORS as readonly unknown[]).includes(color)) {
      note(
        [...at, "extensions", "contensis", "color"],
        `an event button colour is one of ${BUTTON_COLORS.join(", ")}; ${name} has ${JSON.stringify(color)}`,
      );
    }
    transition.parameters.forEach((parameter, position) => {
      if (parameter.key.length > PARAMETER_ID_RULE.max) {
        note(
          [...at, "parameters", position, "key"],
          `a parameter id is at most ${PARAMETER_ID_RULE.max} characters; "${parameter.key}" of ${name} has ${parameter.key.length}`,
        );
      }
    });
  });
}

function groupIssues(workflow: Workflow, note: Note): void {
  workflow.groups.forEach((group, index) => {
    if (group.key.length > GROUP_ID_RULE.max) {
      note(
        ["groups", index, "key"],
        `an event group id is at most ${GROUP_ID_RULE.max} characters; "${group.key}" has ${group.key.length}`,
      );
    }
  });
}

/** Contensis's profile: its id limits, its state and event button palettes and what it cannot hold. */
export const contensisProfile: VendorProfile = {
  vendor: "contensis",
  displayName: "Contensis",
  limits: {
    workflowId: limit(WORKFLOW_ID_RULE),
    stateId: limit(STATE_ID_RULE),
    eventId: limit(EVENT_ID_RULE),
    parameterId: limit(PARAMETER_ID_RULE),
    eventGroupId: limit(GROUP_ID_RULE),
  },
  palettes: { state: STATE_COLORS, eventButton: BUTTON_COLORS },
  checkPortability: contensisIssues,
};
