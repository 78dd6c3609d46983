import type {
  Condition,
  Extensions,
  Group,
  Guard,
  LocalizedText,
  Parameter,
  State,
  StateKind,
  Transition,
  Workflow,
} from "@workflow-sync/core";
import fc from "fast-check";
import { workflowProblems } from "./generate.ts";

/*
 * fast-check arbitraries for valid neutral workflows (in parsed form: defaults filled in, absent
 * optional fields absent). Valid means what `workflowProblems` checks: the zod schema, unique keys,
 * one initial state named by `initial`, a published state, transitions between existing states
 * with keys unique per source state (and one transition per source and target), groups that
 * exist, every state reachable from the initial state and able to reach a published state.
 */

const LOCALES = ["en-GB", "en-US", "de-DE", "fr", "cs-CZ"] as const;
const COLORS = ["red", "green", "orange", "yellow", "pink", "gray", "dark-blue", "cobalt"] as const;
const ROLE_NAMES = ["Administrator", "Editor", "Author", "Reviewer", "Legal", "Publisher"] as const;

/** A key: `^[A-Za-z_][A-Za-z0-9_]*$`, short. */
export const keyArb: fc.Arbitrary<string> = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,9}$/);

/** Display text, sometimes with characters that renderers must escape. */
export const displayTextArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("Draft", "Review", "Legal review", "Published", "Archived") },
  { weight: 2, arbitrary: fc.string({ maxLength: 16 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'Say "hi"',
      "a | b",
      "<b>bold</b>",
      "*star* _under_",
      "line\nbreak",
      "#1; x:y",
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 8, unit: "grapheme" }) },
);

/** Text in 1–2 locales. */
export const localizedTextArb: fc.Arbitrary<LocalizedText> = fc.dictionary(
  fc.constantFrom(...LOCALES),
  displayTextArb,
  { minKeys: 1, maxKeys: 2, noNullPrototype: true },
);

const roleArb = fc.oneof(fc.constantFrom(...ROLE_NAMES), fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,10}[a-z]$/));
/** Role names (duplicates and any order: the model treats them as a set). */
export const rolesArb: fc.Arbitrary<string[]> = fc.array(roleArb, { maxLength: 3 });

const jsonLeafArb = fc.oneof(
  fc.boolean(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.string({ maxLength: 8 }),
  fc.constant(null),
);
const extensionValueArb = fc.oneof(
  { weight: 3, arbitrary: jsonLeafArb },
  { weight: 1, arbitrary: fc.array(jsonLeafArb, { maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom("a", "b", "id"), jsonLeafArb, {
      maxKeys: 2,
      noNullPrototype: true,
    }),
  },
);
const extensionNamespaceArb = fc.dictionary(
  fc.constantFrom("implicit", "id", "color", "uiAction", "isSystem", "scopes", "entryActions"),
  extensionValueArb,
  { maxKeys: 3, noNullPrototype: true },
);
/** Vendor extensions: usually none, sometimes one or both namespaces. */
export const extensionsArb: fc.Arbitrary<Extensions> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.record(
      { kontent: extensionNamespaceArb, contensis: extensionNamespaceArb },
      { requiredKeys: [], noNullPrototype: true },
    ),
  },
);

/** `{...base, ...optional}` without the optional members that are undefined (absent, as zod gives them). */
function withOptional<T extends object>(base: T, optional: Record<string, unknown>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) out[key] = value;
  return out as T;
}

const maybe = <T>(arb: fc.Arbitrary<T>, freq = 3) => fc.option(arb, { nil: undefined, freq });

const conditionArb: fc.Arbitrary<Condition> = fc.record({
  field: fc.constantFrom("isScheduledForPublish()", "entry.sys.isPublished", "entry.language"),
  equals: fc.oneof(
    fc.boolean(),
    fc.string({ maxLength: 6 }),
    fc.integer({ min: 0, max: 9 }),
    fc.constant(null),
  ),
});
export const guardArb: fc.Arbitrary<Guard> = fc.record({
  all: fc.array(conditionArb, { minLength: 1, maxLength: 3 }),
});

export const parameterArb: fc.Arbitrary<Parameter> = fc
  .record({
    key: keyArb,
    name: localizedTextArb,
    description: maybe(localizedTextArb),
    type: fc.constantFrom("string", "number", "boolean"),
    format: maybe(fc.option(fc.constantFrom("email", "date", "uri"), { nil: null })),
    required: fc.boolean(),
    requiredMessage: maybe(localizedTextArb),
    editor: maybe(
      fc.record(
        {
          key: fc.constantFrom("multiline", "text", "checkbox"),
          instructions: localizedTextArb,
          properties: fc.option(
            fc.dictionary(fc.constantFrom("rows", "max"), jsonLeafArb, { maxKeys: 2, noNullPrototype: true }),
            { nil: null },
          ),
        },
        { requiredKeys: ["key"], noNullPrototype: true },
      ),
    ),
  })
  .map(({ key, name, type, required, ...optional }) => {
    const defaults = { string: "", number: 0, boolean: false } as const;
    const parameter = withOptional<Parameter>(
      { key, name, type, required, default: required ? null : defaults[type] },
      optional,
    );
    // core's rules warn about a required parameter without a message: keep generated ones clean
    if (required && parameter.requiredMessage === undefined)
      parameter.requiredMessage = { "en-GB": "Required" };
    return parameter;
  });

interface StateDetails {
  name: LocalizedText;
  description: LocalizedText | undefined;
  color: string | undefined;
  editable: boolean;
  roles: string[];
  extensions: Extensions;
}
const stateDetailsArb: fc.Arbitrary<StateDetails> = fc.record({
  name: localizedTextArb,
  description: maybe(localizedTextArb),
  color: maybe(fc.constantFrom(...COLORS), 4),
  editable: fc.boolean(),
  roles: rolesArb,
  extensions: extensionsArb,
});

interface TransitionDetails {
  name: LocalizedText;
  description: LocalizedText | undefined;
  auditText: LocalizedText | undefined;
  /** Index into the groups (modulo), or none. */
  group: number | undefined;
  roles: string[];
  parameters: Parameter[];
  guard: Guard | undefined;
  validate: boolean;
  extensions: Extensions;
}
const transitionDetailsArb: fc.Arbitrary<TransitionDetails> = fc.record({
  name: localizedTextArb,
  description: maybe(localizedTextArb),
  auditText: maybe(localizedTextArb),
  group: maybe(fc.nat(5), 2),
  roles: rolesArb,
  parameters: fc.uniqueArray(parameterArb, { selector: (p) => p.key, maxLength: 2 }),
  guard: maybe(guardArb),
  validate: fc.boolean(),
  extensions: extensionsArb,
});

const groupArb: fc.Arbitrary<Group> = fc.record({ key: keyArb, name: localizedTextArb });

function makeState(key: string, kind: StateKind, details: StateDetails): State {
  const { description, color, ...rest } = details;
  return withOptional<State>({ key, kind, ...rest }, { description, color });
}

function makeTransition(
  key: string,
  from: string,
  to: string | null,
  details: TransitionDetails,
  groups: readonly Group[],
): Transition {
  const { description, auditText, group, guard, ...rest } = details;
  const groupKey = group !== undefined && groups.length > 0 ? groups[group % groups.length]?.key : undefined;
  return withOptional<Transition>(
    { key, from, to, ...rest },
    { description, auditText, group: groupKey, guard },
  );
}

const extraTransitionArb = fc.record({
  from: fc.nat(),
  to: fc.option(fc.nat(), { nil: null, freq: 6 }),
  key: keyArb,
  details: transitionDetailsArb,
});

/** A valid workflow with 2–7 states (an initial and a published state at least) and some transitions. */
export function workflowArb(options: { key?: fc.Arbitrary<string> } = {}): fc.Arbitrary<Workflow> {
  return fc
    .record({
      key: options.key ?? keyArb,
      name: localizedTextArb,
      description: maybe(localizedTextArb),
      contentTypes: fc.array(keyArb, { maxLength: 3 }),
      collections: fc.array(keyArb, { maxLength: 2 }),
      extensions: extensionsArb,
      stateKeys: fc.uniqueArray(keyArb, { minLength: 2, maxLength: 7 }),
      withArchived: fc.boolean(),
      stateDetails: fc.array(stateDetailsArb, { minLength: 7, maxLength: 7 }),
      spineDetails: fc.array(transitionDetailsArb, { minLength: 8, maxLength: 8 }),
      extra: fc.array(extraTransitionArb, { maxLength: 8 }),
      groups: fc.uniqueArray(groupArb, { selector: (g) => g.key, maxLength: 3 }),
    })
    .map((input) => {
      const keys = input.stateKeys;
      const n = keys.length;
      const archived = input.withArchived && n >= 4;
      const kindOf = (index: number): StateKind =>
        index === 0
          ? "initial"
          : index === n - 1
            ? "published"
            : archived && index === n - 2
              ? "archived"
              : "step";
      const states = keys.map((key, index) =>
        makeState(key, kindOf(index), input.stateDetails[index] as StateDetails),
      );
      const initialKey = keys[0] as string;
      const publishedKey = keys[n - 1] as string;
      const spine = keys.filter((_, index) => kindOf(index) === "initial" || kindOf(index) === "step");

      const transitions: Transition[] = [];
      const ids = new Set<string>();
      const pairs = new Set<string>();
      const add = (key: string, from: string, to: string | null, details: TransitionDetails) => {
        const id = `${from}\u0000${key}`;
        const pair = `${from}\u0000${to ?? ""}`;
        if (ids.has(id) || pairs.has(pair)) return;
        ids.add(id);
        pairs.add(pair);
        transitions.push(makeTransition(key, from, to, details, input.groups));
      };
      let detail = 0;
      const nextDetails = () => input.spineDetails[detail++ % input.spineDetails.length] as TransitionDetails;
      spine.forEach((from, index) => {
        add(`t_${index}`, from, spine[index + 1] ?? publishedKey, nextDetails());
      });
      if (archived) {
        const archivedKey = keys[n - 2] as string;
        add("unpublish", publishedKey, archivedKey, nextDetails());
        add("restore", archivedKey, initialKey, nextDetails());
      }
      for (const extra of input.extra) {
        const from = keys[extra.from % n] as string;
        const to = extra.to === null ? null : (keys[extra.to % n] as string);
        if (to === from) continue;
        add(extra.key, from, to, extra.details);
      }
      return withOptional<Workflow>(
        {
          key: input.key,
          name: input.name,
          scope: { contentTypes: input.contentTypes, collections: input.collections },
          initial: initialKey,
          states,
          transitions,
          groups: input.groups,
          extensions: input.extensions,
        },
        { description: input.description },
      );
    });
}

/** 0–`maxLength` valid workflows with unique keys. */
export function workflowSetArb(
  options: { minLength?: number; maxLength?: number } = {},
): fc.Arbitrary<Workflow[]> {
  return fc.uniqueArray(workflowArb(), {
    selector: (workflow) => workflow.key,
    minLength: options.minLength ?? 0,
    maxLength: options.maxLength ?? 4,
  });
}

// ---------------------------------------------------------------------------------------------
// Mutations

/** One edit; picks are indexes taken modulo the number of candidates. */
type Edit =
  | { op: "workflow_name"; text: LocalizedText }
  | { op: "workflow_description"; text: LocalizedText | undefined }
  | { op: "workflow_scope"; contentTypes: string[]; collections: string[] }
  | { op: "workflow_extensions"; extensions: Extensions }
  | { op: "initial"; pick: number }
  | { op: "state_name"; pick: number; text: LocalizedText }
  | { op: "state_description"; pick: number; text: LocalizedText | undefined }
  | { op: "state_color"; pick: number; color: string | undefined }
  | { op: "state_roles"; pick: number; roles: string[] }
  | { op: "state_editable"; pick: number }
  | { op: "state_kind"; pick: number }
  | { op: "state_extensions"; pick: number; extensions: Extensions }
  | { op: "add_state"; key: string; details: StateDetails; from: number; to: number; keys: [string, string] }
  | { op: "remove_state"; pick: number }
  | { op: "transition_to"; pick: number; to: number | null }
  | { op: "transition_details"; pick: number; details: TransitionDetails; fields: number }
  | { op: "add_transition"; from: number; to: number | null; key: string; details: TransitionDetails }
  | { op: "remove_transition"; pick: number }
  | { op: "add_group"; group: Group; assign: number }
  | { op: "remove_group"; pick: number }
  | { op: "group_name"; pick: number; text: LocalizedText };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant("workflow_name"), text: localizedTextArb }),
  fc.record({ op: fc.constant("workflow_description"), text: maybe(localizedTextArb, 2) }),
  fc.record({
    op: fc.constant("workflow_scope"),
    contentTypes: fc.array(keyArb, { maxLength: 3 }),
    collections: fc.array(keyArb, { maxLength: 2 }),
  }),
  fc.record({ op: fc.constant("workflow_extensions"), extensions: extensionsArb }),
  fc.record({ op: fc.constant("initial"), pick: fc.nat() }),
  fc.record({ op: fc.constant("state_name"), pick: fc.nat(), text: localizedTextArb }),
  fc.record({ op: fc.constant("state_description"), pick: fc.nat(), text: maybe(localizedTextArb, 2) }),
  fc.record({ op: fc.constant("state_color"), pick: fc.nat(), color: maybe(fc.constantFrom(...COLORS), 5) }),
  fc.record({ op: fc.constant("state_roles"), pick: fc.nat(), roles: rolesArb }),
  fc.record({ op: fc.constant("state_editable"), pick: fc.nat() }),
  fc.record({ op: fc.constant("state_kind"), pick: fc.nat() }),
  fc.record({ op: fc.constant("state_extensions"), pick: fc.nat(), extensions: extensionsArb }),
  fc.record({
    op: fc.constant("add_state"),
    key: keyArb,
    details: stateDetailsArb,
    from: fc.nat(),
    to: fc.nat(),
    keys: fc.tuple(keyArb, keyArb),
  }),
  fc.record({ op: fc.constant("remove_state"), pick: fc.nat() }),
  fc.record({
    op: fc.constant("transition_to"),
    pick: fc.nat(),
    to: fc.option(fc.nat(), { nil: null, freq: 6 }),
  }),
  fc.record({
    op: fc.constant("transition_details"),
    pick: fc.nat(),
    details: transitionDetailsArb,
    fields: fc.integer({ min: 1, max: 511 }),
  }),
  fc.record({
    op: fc.constant("add_transition"),
    from: fc.nat(),
    to: fc.option(fc.nat(), { nil: null, freq: 6 }),
    key: keyArb,
    details: transitionDetailsArb,
  }),
  fc.record({ op: fc.constant("remove_transition"), pick: fc.nat() }),
  fc.record({ op: fc.constant("add_group"), group: groupArb, assign: fc.nat() }),
  fc.record({ op: fc.constant("remove_group"), pick: fc.nat() }),
  fc.record({ op: fc.constant("group_name"), pick: fc.nat(), text: localizedTextArb }),
) as fc.Arbitrary<Edit>;

const at = <T>(items: readonly T[], pick: number): T | undefined =>
  items.length === 0 ? undefined : items[pick % items.length];

function setOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** Apply one edit to `w` in place (`w` is a private copy). */
function applyEdit(w: Workflow, edit: Edit): void {
  const stateAt = (pick: number) => at(w.states, pick);
  switch (edit.op) {
    case "workflow_name":
      w.name = edit.text;
      return;
    case "workflow_description":
      setOptional(w, "description", edit.text);
      return;
    case "workflow_scope":
      w.scope = { contentTypes: edit.contentTypes, collections: edit.collections };
      return;
    case "workflow_extensions":
      w.extensions = edit.extensions;
      return;
    case "initial": {
      const next = at(
        w.states.filter((s) => s.kind === "step"),
        edit.pick,
      );
      const current = w.states.find((s) => s.key === w.initial);
      if (!next || !current) return;
      current.kind = "step";
      next.kind = "initial";
      w.initial = next.key;
      return;
    }
    case "state_name": {
      const state = stateAt(edit.pick);
      if (state) state.name = edit.text;
      return;
    }
    case "state_description": {
      const state = stateAt(edit.pick);
      if (state) setOptional(state, "description", edit.text);
      return;
    }
    case "state_color": {
      const state = stateAt(edit.pick);
      if (state) setOptional(state, "color", edit.color);
      return;
    }
    case "state_roles": {
      const state = stateAt(edit.pick);
      if (state) state.roles = edit.roles;
      return;
    }
    case "state_editable": {
      const state = stateAt(edit.pick);
      if (state) state.editable = !state.editable;
      return;
    }
    case "state_kind": {
      const state = at(
        w.states.filter((s) => s.kind === "step" || s.kind === "archived"),
        edit.pick,
      );
      if (state) state.kind = state.kind === "step" ? "archived" : "step";
      return;
    }
    case "state_extensions": {
      const state = stateAt(edit.pick);
      if (state) state.extensions = edit.extensions;
      return;
    }
    case "add_state": {
      if (w.states.some((s) => s.key === edit.key)) return;
      const from = stateAt(edit.from);
      const to = stateAt(edit.to);
      if (!from || !to) return;
      w.states.push(makeState(edit.key, "step", edit.details));
      w.transitions.push(
        makeTransition(edit.keys[0], from.key, edit.key, transitionBasics(edit.keys[0]), w.groups),
        makeTransition(edit.keys[1], edit.key, to.key, transitionBasics(edit.keys[1]), w.groups),
      );
      return;
    }
    case "remove_state": {
      const state = at(
        w.states.filter((s) => s.kind === "step" || s.kind === "archived"),
        edit.pick,
      );
      if (!state) return;
      w.states = w.states.filter((s) => s !== state);
      w.transitions = w.transitions.filter((t) => t.from !== state.key && t.to !== state.key);
      return;
    }
    case "transition_to": {
      const transition = at(w.transitions, edit.pick);
      if (!transition) return;
      const to = edit.to === null ? null : (stateAt(edit.to)?.key ?? null);
      transition.to = to === transition.from ? null : to;
      return;
    }
    case "transition_details": {
      const transition = at(w.transitions, edit.pick);
      if (!transition) return;
      const d = edit.details;
      const fields = edit.fields;
      const groupKey = d.group !== undefined && w.groups.length > 0 ? at(w.groups, d.group)?.key : undefined;
      if (fields & 1) transition.name = d.name;
      if (fields & 2) setOptional(transition, "description", d.description);
      if (fields & 4) setOptional(transition, "auditText", d.auditText);
      if (fields & 8) setOptional(transition, "group", groupKey);
      if (fields & 16) transition.roles = d.roles;
      if (fields & 32) transition.parameters = d.parameters;
      if (fields & 64) setOptional(transition, "guard", d.guard);
      if (fields & 128) transition.validate = !transition.validate;
      if (fields & 256) transition.extensions = d.extensions;
      return;
    }
    case "add_transition": {
      const from = stateAt(edit.from);
      if (!from) return;
      const to = edit.to === null ? null : (stateAt(edit.to)?.key ?? null);
      w.transitions.push(
        makeTransition(edit.key, from.key, to === from.key ? null : to, edit.details, w.groups),
      );
      return;
    }
    case "remove_transition": {
      const transition = at(w.transitions, edit.pick);
      if (transition) w.transitions = w.transitions.filter((t) => t !== transition);
      return;
    }
    case "add_group": {
      if (w.groups.some((g) => g.key === edit.group.key)) return;
      w.groups.push(edit.group);
      const transition = at(w.transitions, edit.assign);
      if (transition) transition.group = edit.group.key;
      return;
    }
    case "remove_group": {
      const group = at(w.groups, edit.pick);
      if (!group) return;
      w.groups = w.groups.filter((g) => g !== group);
      for (const t of w.transitions) if (t.group === group.key) delete t.group;
      return;
    }
    case "group_name": {
      const group = at(w.groups, edit.pick);
      if (group) group.name = edit.text;
      return;
    }
  }
}

function transitionBasics(key: string): TransitionDetails {
  return {
    name: { "en-GB": key },
    description: undefined,
    auditText: undefined,
    group: undefined,
    roles: [],
    parameters: [],
    guard: undefined,
    validate: false,
    extensions: {},
  };
}

/**
 * A changed copy of `workflow`: 1–`maxEdits` edits of fields, states, transitions and groups (so
 * that most differences are field-level). An edit that would make the workflow invalid is skipped;
 * the result is always valid (when the input is) and may equal the input.
 */
export function mutateWorkflow(
  workflow: Workflow,
  options: { maxEdits?: number } = {},
): fc.Arbitrary<Workflow> {
  return fc.array(editArb, { minLength: 1, maxLength: options.maxEdits ?? 5 }).map((edits) => {
    let current = structuredClone(workflow);
    for (const edit of edits) {
      const next = structuredClone(current);
      applyEdit(next, edit);
      if (workflowProblems(next).length === 0) current = next;
    }
    return current;
  });
}

/**
 * A changed copy of a set: each workflow kept, mutated (`mutateWorkflow`) or removed, and a few new
 * workflows (keys not in the set) added.
 */
export function mutateWorkflowSet(set: readonly Workflow[]): fc.Arbitrary<Workflow[]> {
  const taken = new Set(set.map((w) => w.key));
  const fates = set.map((workflow) =>
    fc.oneof(
      { weight: 2, arbitrary: fc.constant<Workflow | null>(workflow) },
      { weight: 5, arbitrary: mutateWorkflow(workflow) as fc.Arbitrary<Workflow | null> },
      { weight: 1, arbitrary: fc.constant<Workflow | null>(null) },
    ),
  );
  const added = fc.oneof(
    { weight: 3, arbitrary: fc.constant<Workflow[]>([]) },
    {
      weight: 1,
      arbitrary: fc.uniqueArray(workflowArb({ key: keyArb.filter((key) => !taken.has(key)) }), {
        selector: (w) => w.key,
        minLength: 1,
        maxLength: 2,
      }),
    },
  );
  return fc
    .tuple(fc.tuple(...fates), added)
    .map(([kept, extra]) => [...kept.filter((w): w is Workflow => w !== null), ...extra]);
}

/**
 * The same meaning in another form: every keyed or set-like array (workflows, states, transitions,
 * groups, parameters, roles, scope lists, guard conditions) shuffled and object keys in another
 * order. Arrays inside opaque values (`extensions`, an editor's `properties`) keep their order.
 * For tests that a diff or a fingerprint ignores order.
 */
export function shuffledArb<T>(value: T): fc.Arbitrary<T> {
  return fc.infiniteStream(fc.nat()).map((stream) => {
    const iterator = stream[Symbol.iterator]();
    const permute = <U>(items: U[]): U[] => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = (iterator.next().value as number) % (i + 1);
        const item = items[i] as U;
        items[i] = items[j] as U;
        items[j] = item;
      }
      return items;
    };
    const walk = (node: unknown, opaque: boolean): unknown => {
      if (Array.isArray(node)) {
        const items = node.map((item) => walk(item, opaque));
        return opaque ? items : permute(items);
      }
      if (node !== null && typeof node === "object") {
        const entries = Object.entries(node).map(
          ([key, member]) =>
            [key, walk(member, opaque || key === "extensions" || key === "properties")] as const,
        );
        return Object.fromEntries(permute(entries));
      }
      return node;
    };
    return walk(value, false) as T;
  });
}

/** The role names `permissionWorkflowArb` draws from (a target environment can hold all of them). */
export const PERMISSION_ROLES = ["Author", "Editor", "Reviewer", "Legal"] as const;

const permissionRolesArb: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 2, arbitrary: fc.constant([] as string[]) },
  { weight: 3, arbitrary: fc.subarray([...PERMISSION_ROLES], { minLength: 1 }) },
);

/**
 * Valid workflows for permission properties, with keys every vendor keeps (`s0`…: lowercase
 * letters and digits): an initial state, 1–4 steps, a published state, sometimes an archived one
 * (unpublish and restore, as Kontent.ai has them); every step reaches published; roles on states
 * and on transitions drawn from `PERMISSION_ROLES` (empty: anyone).
 */
export function permissionWorkflowArb(): fc.Arbitrary<Workflow> {
  return fc
    .record({
      steps: fc.integer({ min: 1, max: 4 }),
      archived: fc.boolean(),
      stateRoles: fc.array(permissionRolesArb, { minLength: 5, maxLength: 5 }),
      extra: fc.array(fc.tuple(fc.nat(4), fc.nat(5), permissionRolesArb), { maxLength: 5 }),
      chainRoles: fc.array(permissionRolesArb, { minLength: 5, maxLength: 5 }),
      unpublishRoles: permissionRolesArb,
      restoreRoles: permissionRolesArb,
    })
    .map(({ steps, archived, stateRoles, extra, chainRoles, unpublishRoles, restoreRoles }) => {
      const keys = Array.from({ length: steps }, (_, index) => `s${index}`);
      const name = (text: string) => ({ "en-GB": text });
      const states: State[] = [
        ...keys.map(
          (key, index): State => ({
            key,
            name: name(`Step ${index}`),
            kind: index === 0 ? "initial" : "step",
            editable: true,
            roles: stateRoles[index] ?? [],
            extensions: {},
          }),
        ),
        {
          key: "published",
          name: name("Published"),
          kind: "published",
          editable: true,
          roles: [],
          extensions: {},
        },
      ];
      if (archived) {
        states.push({
          key: "archived",
          name: name("Archived"),
          kind: "archived",
          editable: true,
          roles: [],
          extensions: {},
        });
      }
      const transition = (from: string, to: string, roles: string[]): Transition => ({
        key: to,
        from,
        to,
        name: name(to),
        roles,
        parameters: [],
        validate: false,
        extensions: {},
      });
      // A chain s0 → s1 → … → published: every step reaches published and is reachable.
      const transitions = keys.map((key, index) =>
        transition(key, keys[index + 1] ?? "published", chainRoles[index] ?? []),
      );
      const targets = [...keys, "published", ...(archived ? ["archived"] : [])];
      for (const [from, to, roles] of extra) {
        const source = keys[from % keys.length]!;
        const target = targets[to % targets.length]!;
        if (target === source || transitions.some((t) => t.from === source && t.to === target)) continue;
        transitions.push(transition(source, target, roles));
      }
      if (archived) {
        transitions.push({ ...transition("published", "archived", unpublishRoles), key: "unpublish" });
        transitions.push({ ...transition("archived", "s0", restoreRoles), key: "restore" });
      }
      return {
        key: "perm",
        name: name("Permissions"),
        scope: { contentTypes: [], collections: [] },
        initial: "s0",
        states,
        transitions,
        groups: [],
        extensions: {},
      };
    });
}
