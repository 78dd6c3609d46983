import type { Parameter, State, Transition, Workflow } from "@workflow-sync/core";
import { stringify } from "yaml";

/*
 * The canonical file form of a workflow: fixed key order, defaults left out, the vendor's order of
 * states and transitions kept. The same workflow always gives the same bytes, so a re-export of an
 * unchanged environment changes nothing in git.
 */

type Plain = Record<string, unknown>;

function compact(entries: Array<[string, unknown]>): Plain {
  const out: Plain = {};
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      Object.keys(value).length === 0
    )
      continue;
    out[key] = value;
  }
  return out;
}

function sortedObject(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedObject);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value as Plain)
      .sort()
      .map((key) => [key, sortedObject((value as Plain)[key])]),
  );
}

function stateDocument(state: State): Plain {
  return compact([
    ["key", state.key],
    ["name", sortedObject(state.name)],
    ["kind", state.kind],
    ["description", state.description && sortedObject(state.description)],
    ["color", state.color],
    ["editable", state.editable ? undefined : false],
    ["roles", state.roles],
    ["extensions", sortedObject(state.extensions)],
  ]);
}

function parameterDocument(parameter: Parameter): Plain {
  return compact([
    ["key", parameter.key],
    ["name", sortedObject(parameter.name)],
    ["description", parameter.description && sortedObject(parameter.description)],
    ["type", parameter.type === "string" ? undefined : parameter.type],
    ["format", parameter.format ?? undefined],
    ["required", parameter.required ? true : undefined],
    ["requiredMessage", parameter.requiredMessage && sortedObject(parameter.requiredMessage)],
    ["default", parameter.default === null ? undefined : parameter.default],
    ["editor", parameter.editor && sortedObject(parameter.editor)],
  ]);
}

function transitionDocument(transition: Transition): Plain {
  const document = compact([
    ["key", transition.key],
    ["from", transition.from],
    ["to", transition.to],
    ["name", sortedObject(transition.name)],
    ["description", transition.description && sortedObject(transition.description)],
    ["auditText", transition.auditText && sortedObject(transition.auditText)],
    ["group", transition.group],
    ["roles", transition.roles],
    ["parameters", transition.parameters.map(parameterDocument)],
    ["guard", transition.guard && sortedObject(transition.guard)],
    ["validate", transition.validate ? true : undefined],
    ["extensions", sortedObject(transition.extensions)],
  ]);
  // `to: null` (stays) is meaningful: keep it.
  if (transition.to === null) return { key: document.key, from: document.from, to: null, ...document };
  return document;
}

/** The workflow as a plain object in file order. */
export function workflowDocument(workflow: Workflow): Plain {
  return compact([
    ["key", workflow.key],
    ["name", sortedObject(workflow.name)],
    ["description", workflow.description && sortedObject(workflow.description)],
    [
      "scope",
      compact([
        ["contentTypes", [...workflow.scope.contentTypes].sort()],
        ["collections", [...workflow.scope.collections].sort()],
      ]),
    ],
    ["initial", workflow.initial],
    ["states", workflow.states.map(stateDocument)],
    ["transitions", workflow.transitions.map(transitionDocument)],
    ["groups", workflow.groups.map((group) => ({ key: group.key, name: sortedObject(group.name) }))],
    ["extensions", sortedObject(workflow.extensions)],
  ]);
}

/** The YAML text of a workflow file. */
export function workflowYaml(workflow: Workflow): string {
  return stringify(workflowDocument(workflow), { lineWidth: 0, aliasDuplicateObjects: false });
}
