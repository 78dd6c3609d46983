import {
  formatPath,
  type Issue,
  type LengthLimit,
  type LocalizedText,
  lengthIssues,
  notPortable,
  type Path,
  type State,
  type Transition,
  type Vendor,
  type Workflow,
} from "@workflow-sync/core";

/*
 * Kontent.ai's documented rules for what a workflow may hold: its length limits, its step palette,
 * its codename pattern and the portability checks built from them (the profile in profile.ts runs
 * them for core's checks and the CLI's `validate --vendor kontent`). Each names its public source;
 * docs/vendors/kontent.md explains them.
 */

/**
 * The 16 step colours: the `color` enum of a workflow step (SDK `WorkflowContracts.WorkflowColor`,
 * https://github.com/kontent-ai/management-sdk-js `lib/contracts/workflow-contracts.ts`). The one
 * list of them: the profile, the mapping and the wire schema use it.
 */
export const KONTENT_COLORS = [
  "gray",
  "red",
  "rose",
  "light-purple",
  "dark-purple",
  "dark-blue",
  "light-blue",
  "sky-blue",
  "mint-green",
  "persian-green",
  "dark-green",
  "light-green",
  "yellow",
  "pink",
  "orange",
  "brown",
] as const;
export type KontentColor = (typeof KONTENT_COLORS)[number];

/**
 * Codenames: lowercase letters, digits and `_`, starting with a letter or `_` ("Rules for codenames",
 * https://kontent.ai/learn/docs/apis/management-api-v2/references).
 */
export const CODENAME_PATTERN = /^[a-z_][a-z0-9_]*$/;

/**
 * Length limits of the workflow object: workflow name 1–200, codename 1–60; step name 1–30, codename
 * 1–40 (the workflow object, https://kontent.ai/learn/docs/apis/management-api-v2/workflows).
 */
export const KONTENT_LIMITS = {
  workflowName: 200,
  workflowCodename: 60,
  stepName: 30,
  stepCodename: 40,
} as const;

const WORKFLOWS_SOURCE = "https://kontent.ai/learn/docs/apis/management-api-v2/workflows";

/** The documented length limits of the workflow object (the workflow object schema). */
export const LENGTH_LIMITS = {
  workflowName: { what: "workflow name", min: 1, max: KONTENT_LIMITS.workflowName, source: WORKFLOWS_SOURCE },
  workflowCodename: {
    what: "workflow codename",
    min: 1,
    max: KONTENT_LIMITS.workflowCodename,
    source: WORKFLOWS_SOURCE,
  },
  stepName: { what: "step name", min: 1, max: KONTENT_LIMITS.stepName, source: WORKFLOWS_SOURCE },
  stepCodename: { what: "step codename", min: 1, max: KONTENT_LIMITS.stepCodename, source: WORKFLOWS_SOURCE },
} as const satisfies Record<string, LengthLimit>;

const range = (limit: LengthLimit) => `${limit.min}–${limit.max}`;
const quoted = (values: readonly string[]) => values.map((value) => `"${value}"`).join(", ");
const isStep = (state: State) => state.kind === "initial" || state.kind === "step";

const VENDOR: Vendor = "kontent";

/** The issues found so far, and `note` to add one that says what Kontent.ai cannot hold. */
interface Findings {
  issues: Issue[];
  note(path: Path, message: string): void;
}

/** What of a neutral workflow Kontent.ai cannot hold (the profile's `checkPortability`). */
export function kontentIssues(workflow: Workflow): Issue[] {
  const issues: Issue[] = [];
  const found: Findings = {
    issues,
    note: (path, message) => issues.push(notPortable(VENDOR, path, `Kontent.ai: ${message}`)),
  };
  workflowNameIssues(workflow, found);
  workflow.states.forEach((state, index) => {
    stateIssues(state, ["states", index], found);
  });
  onePredefinedStepIssues(workflow, found);
  localeIssues(workflow, found);
  transitionIssues(workflow, found);
  return issues;
}

/** Names and codenames. */
function workflowNameIssues(workflow: Workflow, { issues, note }: Findings): void {
  issues.push(
    ...lengthIssues(
      VENDOR,
      workflow.name,
      ["name"],
      "Kontent.ai: a workflow name",
      LENGTH_LIMITS.workflowName.min,
      LENGTH_LIMITS.workflowName.max,
    ),
  );
  if (workflow.key.length > LENGTH_LIMITS.workflowCodename.max) {
    note(
      ["key"],
      `a workflow codename is ${range(LENGTH_LIMITS.workflowCodename)} characters; "${workflow.key}" has ${workflow.key.length}`,
    );
  }
  if (!CODENAME_PATTERN.test(workflow.key)) {
    note(
      ["key"],
      `a workflow codename holds lowercase letters, digits and _ and starts with a letter or _; "${workflow.key}" does not`,
    );
  }
}

function stateIssues(state: State, at: Path, found: Findings): void {
  const { note } = found;
  if (isStep(state)) {
    stepIssues(state, at, found);
  } else if (state.roles.length > 0) {
    note(
      [...at, "roles"],
      `the ${state.kind} step has no roles of its own (its roles live on the implicit transitions); ` +
        `state "${state.key}" has roles ${quoted(state.roles)}`,
    );
  }
  if (!state.editable) {
    note([...at, "editable"], `steps are always editable; state "${state.key}" has editable: false`);
  }
}

/** An ordinary step: its name and codename lengths, its codename pattern and its colour. */
function stepIssues(state: State, at: Path, { issues, note }: Findings): void {
  issues.push(
    ...lengthIssues(
      VENDOR,
      state.name,
      [...at, "name"],
      `Kontent.ai: a step name (state "${state.key}")`,
      LENGTH_LIMITS.stepName.min,
      LENGTH_LIMITS.stepName.max,
    ),
  );
  if (state.key.length > LENGTH_LIMITS.stepCodename.max) {
    note(
      [...at, "key"],
      `a step codename is ${range(LENGTH_LIMITS.stepCodename)} characters; "${state.key}" has ${state.key.length}`,
    );
  }
  if (!CODENAME_PATTERN.test(state.key)) {
    note(
      [...at, "key"],
      `a step codename holds lowercase letters, digits and _ and starts with a letter or _; "${state.key}" does not`,
    );
  }
  if (state.color === undefined) {
    note(
      [...at],
      `every step has a colour (one of ${KONTENT_COLORS.join(", ")}); state "${state.key}" has none`,
    );
  } else if (!(KONTENT_COLORS as readonly string[]).includes(state.color)) {
    note(
      [...at, "color"],
      `a step colour is one of ${KONTENT_COLORS.join(", ")}; state "${state.key}" has "${state.color}"`,
    );
  }
}

/** A workflow has exactly one published, scheduled and archived step. */
function onePredefinedStepIssues(workflow: Workflow, { note }: Findings): void {
  const byKind = new Map<string, number[]>();
  workflow.states.forEach((state, index) => {
    byKind.set(state.kind, [...(byKind.get(state.kind) ?? []), index]);
  });
  for (const kind of ["published", "scheduled", "archived"] as const) {
    for (const index of (byKind.get(kind) ?? []).slice(1)) {
      note(
        ["states", index, "kind"],
        `a workflow has exactly one ${kind} step; state "${workflow.states[index]!.key}" is a second state of kind "${kind}"`,
      );
    }
  }
}

/** Locales: Kontent.ai names are plain strings in one language. */
function localeIssues(workflow: Workflow, { note }: Findings): void {
  const texts: Array<[Path, LocalizedText]> = [
    [["name"], workflow.name],
    ...workflow.states.map((state, index): [Path, LocalizedText] => [["states", index, "name"], state.name]),
    ...workflow.transitions.map((transition, index): [Path, LocalizedText] => [
      ["transitions", index, "name"],
      transition.name,
    ]),
  ];
  for (const [path, text] of texts) {
    const locales = Object.keys(text);
    if (locales.length > 1) {
      note(
        path,
        `names are plain strings in one locale; ${formatPath(path)} has ${locales.length} (${locales.join(", ")})`,
      );
    }
  }
}

function transitionIssues(workflow: Workflow, found: Findings): void {
  const stateByKey = new Map(workflow.states.map((state) => [state.key, state]));
  /** Implicit transition → the index of the first transition that is it. */
  const slots = new Map<string, number>();
  workflow.transitions.forEach((transition, index) => {
    const at: Path = ["transitions", index];
    const name = `transition "${transition.key}" from "${transition.from}"`;
    const source = stateByKey.get(transition.from);
    const target = transition.to === null ? undefined : stateByKey.get(transition.to);
    destinationIssues(transition, target, at, name, found);
    const implicit =
      source !== undefined &&
      !isStep(source) &&
      transition.to !== null &&
      implicitSlotIssues(workflow, source, target, transition, index, slots, name, found);
    transitionFieldIssues(transition, implicit, at, name, found);
  });
}

/** Every transition moves to another step, and none into the scheduled step. */
function destinationIssues(
  transition: Transition,
  target: State | undefined,
  at: Path,
  name: string,
  { note }: Findings,
): void {
  if (transition.to === null) {
    note([...at, "to"], `every transition moves to another step; ${name} stays (to: null)`);
  } else if (target?.kind === "scheduled") {
    note(
      [...at, "to"],
      `nothing transitions into the scheduled step (the scheduler moves content there); ${name} does`,
    );
  }
}

/**
 * From a predefined step content moves only by the implicit transitions, one of each; true when
 * this transition is the first of its implicit kind.
 */
function implicitSlotIssues(
  workflow: Workflow,
  source: State,
  target: State | undefined,
  transition: Transition,
  index: number,
  slots: Map<string, number>,
  name: string,
  { note }: Findings,
): boolean {
  const at: Path = ["transitions", index];
  const slot =
    source.kind === "published" && target?.kind === "archived"
      ? "unpublish"
      : source.kind === "published" && transition.to === workflow.initial
        ? "create_new_version"
        : source.kind === "archived" && transition.to === workflow.initial
          ? "restore"
          : undefined;
  if (slot === undefined) {
    note(
      at,
      `from the ${source.kind} step content moves only by the implicit transitions (published → archived: ` +
        `unpublish; published → initial: create new version; archived → initial: restore); ${name} to ` +
        `"${transition.to}" is none of them`,
    );
    return false;
  }
  if (slots.has(slot)) {
    note(
      at,
      `there is one implicit "${slot}" transition; ${name} is a second one (the first is transitions[${slots.get(slot)}])`,
    );
    return false;
  }
  slots.set(slot, index);
  return true;
}

/** What a transition holds that Kontent.ai transitions have not: roles (except implicit ones), parameters, guards, groups. */
function transitionFieldIssues(
  transition: Transition,
  implicit: boolean,
  at: Path,
  name: string,
  { note }: Findings,
): void {
  if (transition.roles.length > 0 && !implicit) {
    note(
      [...at, "roles"],
      `roles live on steps, not on transitions (except unpublish, create new version and restore); ${name} has ` +
        `roles ${quoted(transition.roles)}`,
    );
  }
  if (transition.parameters.length > 0) {
    note(
      [...at, "parameters"],
      `transitions take no parameters; ${name} has ${transition.parameters.length}`,
    );
  }
  if (transition.guard !== undefined) {
    note([...at, "guard"], `transitions have no guards (conditions); ${name} has one`);
  }
  if (transition.group !== undefined) {
    note([...at, "group"], `transitions have no groups; ${name} is in group "${transition.group}"`);
  }
}
