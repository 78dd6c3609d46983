import { stableStringify } from "../canonical.ts";
import type { Guard, Parameter, Scope, State, Transition, Workflow } from "../model.ts";
import type {
  StateField,
  StateFieldValues,
  TransitionField,
  TransitionFieldValues,
  WorkflowField,
  WorkflowFieldValues,
} from "./changes.ts";

/*
 * Values in canonical form: set-like arrays sorted (roles, scope lists, parameters by key, guard
 * conditions), absent fields as `null`. A change carries these, and equality compares these.
 */

export const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
export const sortedSet = (values: readonly string[]): string[] => {
  if (values.length === 0) return [];
  if (values.length === 1) return [values[0] as string];
  return [...new Set(values)].sort(compare);
};

export function canonicalParameters(parameters: readonly Parameter[]): Parameter[] {
  return parameters.length < 2 ? [...parameters] : [...parameters].sort((a, b) => compare(a.key, b.key));
}

export function canonicalGuard(guard: Guard | undefined): Guard | null {
  if (!guard) return null;
  if (guard.all.length < 2) return { all: [...guard.all] };
  const keyed = guard.all.map((condition) => [stableStringify(condition), condition] as const);
  keyed.sort((a, b) => compare(a[0], b[0]));
  return { all: keyed.map(([, condition]) => condition) };
}

export function canonicalScope(scope: Scope | undefined): Scope {
  return {
    contentTypes: sortedSet(scope?.contentTypes ?? []),
    collections: sortedSet(scope?.collections ?? []),
  };
}

// ---------------------------------------------------------------------------------------------
// Field values in canonical form

export function workflowFields(workflow: Workflow): { [F in WorkflowField]: () => WorkflowFieldValues[F] } {
  return {
    name: () => workflow.name,
    description: () => workflow.description ?? null,
    scope: () => canonicalScope(workflow.scope),
    initial: () => workflow.initial,
    extensions: () => null,
  };
}

export function stateFields(state: State): { [F in StateField]: () => StateFieldValues[F] } {
  return {
    name: () => state.name,
    kind: () => state.kind,
    description: () => state.description ?? null,
    color: () => state.color ?? null,
    editable: () => state.editable !== false,
    roles: () => sortedSet(state.roles ?? []),
    extensions: () => null,
  };
}

export function transitionFields(transition: Transition): {
  [F in TransitionField]: () => TransitionFieldValues[F];
} {
  return {
    to: () => transition.to ?? null,
    name: () => transition.name,
    description: () => transition.description ?? null,
    auditText: () => transition.auditText ?? null,
    group: () => transition.group ?? null,
    roles: () => sortedSet(transition.roles ?? []),
    parameters: () => canonicalParameters(transition.parameters ?? []),
    guard: () => canonicalGuard(transition.guard),
    validate: () => transition.validate === true,
    extensions: () => null,
  };
}

export const WORKFLOW_FIELDS = ["name", "description", "scope", "initial"] as const;
export const STATE_FIELDS = ["name", "kind", "description", "color", "editable", "roles"] as const;
export const TRANSITION_FIELDS = [
  "to",
  "name",
  "description",
  "auditText",
  "group",
  "roles",
  "parameters",
  "guard",
  "validate",
] as const;

export function canonicalState(state: State): State {
  return { ...state, roles: sortedSet(state.roles ?? []) };
}

export function canonicalTransition(transition: Transition): Transition {
  const guard = canonicalGuard(transition.guard);
  return {
    ...transition,
    roles: sortedSet(transition.roles ?? []),
    parameters: canonicalParameters(transition.parameters ?? []),
    ...(guard ? { guard } : {}),
  };
}
