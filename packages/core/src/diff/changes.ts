import { WorkflowSyncError } from "../errors.ts";
import type {
  Group,
  Guard,
  LocalizedText,
  Parameter,
  Scope,
  State,
  StateKind,
  Transition,
  Vendor,
  Workflow,
} from "../model.ts";

/*
 * What a diff is made of: one change per added, removed or changed entity (workflow, state,
 * transition, group), keyed by `kind`, and the errors of diffing and applying.
 */

/** The version of the diff's JSON shape (`renderDiffJson`, `--json`). */
export const DIFF_FORMAT_VERSION = 1;

export type ChangeKind =
  | "workflow_added"
  | "workflow_removed"
  | "workflow_changed"
  | "state_added"
  | "state_removed"
  | "state_changed"
  | "transition_added"
  | "transition_removed"
  | "transition_changed"
  | "group_added"
  | "group_removed"
  | "group_changed";

/** A vendor's extension namespace: opaque data, compared as a whole. */
export type ExtensionValue = Record<string, unknown>;

/** The value of each field that a change can carry (`null`: the field is absent). */
export interface WorkflowFieldValues {
  name: LocalizedText;
  description: LocalizedText | null;
  scope: Scope;
  initial: string;
  extensions: ExtensionValue | null;
}
export interface StateFieldValues {
  name: LocalizedText;
  kind: StateKind;
  description: LocalizedText | null;
  color: string | null;
  editable: boolean;
  roles: string[];
  extensions: ExtensionValue | null;
}
export interface TransitionFieldValues {
  to: string | null;
  name: LocalizedText;
  description: LocalizedText | null;
  auditText: LocalizedText | null;
  group: string | null;
  roles: string[];
  parameters: Parameter[];
  guard: Guard | null;
  validate: boolean;
  extensions: ExtensionValue | null;
}
export interface GroupFieldValues {
  name: LocalizedText;
}

export type WorkflowField = keyof WorkflowFieldValues;
export type StateField = keyof StateFieldValues;
export type TransitionField = keyof TransitionFieldValues;
export type GroupField = keyof GroupFieldValues;

/** A transition is identified by its source state and its key (unique per source state). */
export type TransitionId = { from: string; key: string };

export interface ChangeBase {
  /**
   * Where, by keys: `["editorial"]`, `["editorial", "name"]`, `["editorial", "states", "draft", "color"]`,
   * `["editorial", "states", "draft", "transitions", "submit", "to"]`, `["editorial", "groups", "g", "name"]`;
   * an extension namespace ends with the vendor: `[..., "extensions", "kontent"]`.
   */
  path: string[];
  /** The workflow's key. */
  workflow: string;
}

/**
 * One field of one entity changed. `before`/`after` are the field's values in canonical form
 * (`null` where absent). For `extensions`, one change per vendor namespace, named in `vendor`.
 */
export type FieldChange<K extends ChangeKind, Values, Extra> = {
  [F in keyof Values & string]: ChangeBase &
    Extra & {
      kind: K;
      field: F;
      before: Values[F];
      after: Values[F];
    } & (F extends "extensions" ? { vendor: Vendor } : { vendor?: undefined });
}[keyof Values & string];

export type WorkflowAdded = ChangeBase & { kind: "workflow_added"; before: null; after: Workflow };
export type WorkflowRemoved = ChangeBase & { kind: "workflow_removed"; before: Workflow; after: null };
export type WorkflowChanged = FieldChange<"workflow_changed", WorkflowFieldValues, object>;
export type StateAdded = ChangeBase & { kind: "state_added"; state: string; before: null; after: State };
export type StateRemoved = ChangeBase & { kind: "state_removed"; state: string; before: State; after: null };
export type StateChanged = FieldChange<"state_changed", StateFieldValues, { state: string }>;
/** Transitions carry `state` (= `transition.from`) so that a reader can group them under their state. */
export type TransitionAdded = ChangeBase & {
  kind: "transition_added";
  state: string;
  transition: TransitionId;
  before: null;
  after: Transition;
};
export type TransitionRemoved = ChangeBase & {
  kind: "transition_removed";
  state: string;
  transition: TransitionId;
  before: Transition;
  after: null;
};
export type TransitionChanged = FieldChange<
  "transition_changed",
  TransitionFieldValues,
  { state: string; transition: TransitionId }
>;
export type GroupAdded = ChangeBase & { kind: "group_added"; group: string; before: null; after: Group };
export type GroupRemoved = ChangeBase & { kind: "group_removed"; group: string; before: Group; after: null };
export type GroupChanged = FieldChange<"group_changed", GroupFieldValues, { group: string }>;

/** One change, keyed by `kind` (zod's shape), with its `path`, `before` and `after`. */
export type Change =
  | WorkflowAdded
  | WorkflowRemoved
  | WorkflowChanged
  | StateAdded
  | StateRemoved
  | StateChanged
  | TransitionAdded
  | TransitionRemoved
  | TransitionChanged
  | GroupAdded
  | GroupRemoved
  | GroupChanged;

export interface WorkflowDiff {
  formatVersion: typeof DIFF_FORMAT_VERSION;
  /** Sorted by path: deterministic whatever the order of the inputs. */
  changes: Change[];
}

export interface DiffOptions {
  /**
   * Which vendor extension namespaces to compare. `"shared"` (default): a namespace only when both
   * sides carry it, so that a cross-vendor diff does not report one vendor's data against the
   * other's absence. `"all"`: every namespace (a namespace present on one side only is a change).
   * `"none"`: extensions are ignored.
   */
  extensions?: "all" | "shared" | "none";
}

export type ExtensionMode = NonNullable<DiffOptions["extensions"]>;

/** The two sides of a diff repeat a key (two workflows, states, transitions or groups share it). */
export class DiffInputError extends WorkflowSyncError {
  readonly path: string[];
  constructor(message: string, path: string[]) {
    super("diff_duplicate_key", message);
    this.path = path;
  }
}

/** A diff does not fit the workflows it is applied to (stale diff, or the wrong target). */
export class DiffConflictError extends WorkflowSyncError {
  readonly path: string[];
  constructor(message: string, path: string[]) {
    super("diff_conflict", `${path.join(".")}: ${message}`);
    this.path = path;
  }
}
