import type {
  Condition,
  Extensions,
  Group,
  LocalizedText,
  Parameter,
  State,
  Transition,
  Workflow,
} from "./model.ts";
import { KEY_PATTERN, STATE_KINDS, VENDORS } from "./model.ts";

/*
 * A fast path for `parseWorkflow`: it accepts exactly the documents the zod schema accepts in their
 * plain form and builds the same value (defaults filled in), or returns `undefined` for anything
 * else, including anything unusual it does not try to judge. `parseWorkflow` then asks zod, which
 * names every problem. Equivalence with the zod schema is property-tested in fast-parse.test.ts.
 *
 * Why: zod's general machinery costs about 0.5 ms per large workflow; this costs a few µs.
 */

type Plain = Record<string, unknown>;

const LOCALE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;
const STATE_KIND_SET = new Set<string>(STATE_KINDS);
const VENDOR_SET = new Set<string>(VENDORS);
const PARAMETER_TYPES = new Set(["string", "number", "boolean"]);

const isPlain = (value: unknown): value is Plain => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** Every own key is allowed and no present value is `undefined` (zod and JSON differ there). */
function onlyKeys(value: Plain, allowed: ReadonlySet<string>): boolean {
  for (const key in value) {
    if (!allowed.has(key) || value[key] === undefined) return false;
  }
  return true;
}

/** Keys and locales repeat a lot: remember the ones already judged good (bounded). */
const goodKeys = new Set<string>();
const goodLocales = new Set<string>();
function remember(cache: Set<string>, value: string): void {
  if (cache.size > 50_000) cache.clear();
  cache.add(value);
}

function isKey(value: unknown): value is string {
  if (typeof value !== "string") return false;
  if (goodKeys.has(value)) return true;
  if (value.length < 1 || value.length > 100 || !KEY_PATTERN.test(value)) return false;
  remember(goodKeys, value);
  return true;
}

function text(value: unknown): LocalizedText | undefined {
  if (!isPlain(value)) return undefined;
  const out: LocalizedText = {};
  let count = 0;
  for (const locale in value) {
    const entry = value[locale];
    if (typeof entry !== "string") return undefined;
    if (!goodLocales.has(locale)) {
      if (!LOCALE.test(locale)) return undefined;
      remember(goodLocales, locale);
    }
    out[locale] = entry;
    count++;
  }
  return count > 0 ? out : undefined;
}

function optionalText(value: Plain, key: string): LocalizedText | undefined | false {
  if (!(key in value)) return undefined;
  return text(value[key]) ?? false;
}

function roles(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  for (const role of value) {
    // zod trims role names: anything to trim goes the slow way.
    if (typeof role !== "string" || role.length === 0 || role.trim() !== role) return undefined;
  }
  return [...(value as string[])];
}

function extensions(value: unknown): Extensions | undefined {
  if (value === undefined) return {};
  if (!isPlain(value)) return undefined;
  const out: Extensions = {};
  for (const vendor in value) {
    const entry = value[vendor];
    if (!VENDOR_SET.has(vendor) || !isPlain(entry)) return undefined;
    out[vendor as keyof Extensions] = { ...entry };
  }
  return out;
}

const scalar = (value: unknown) =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null;

const STATE_KEYS = new Set([
  "key",
  "name",
  "kind",
  "description",
  "color",
  "editable",
  "roles",
  "extensions",
]);
function state(value: unknown): State | undefined {
  if (!isPlain(value) || !onlyKeys(value, STATE_KEYS)) return undefined;
  const name = text(value.name);
  const description = optionalText(value, "description");
  const stateRoles = roles(value.roles);
  const ext = extensions(value.extensions);
  if (!isKey(value.key) || !name || description === false || !stateRoles || !ext) return undefined;
  if (typeof value.kind !== "string" || !STATE_KIND_SET.has(value.kind)) return undefined;
  if ("color" in value && (typeof value.color !== "string" || value.color.length === 0)) return undefined;
  if ("editable" in value && typeof value.editable !== "boolean") return undefined;
  // Built in the schema's key order, as zod builds it.
  const out = { key: value.key, name, kind: value.kind } as State;
  if (description) out.description = description;
  if ("color" in value) out.color = value.color as string;
  out.editable = (value.editable as boolean | undefined) ?? true;
  out.roles = stateRoles;
  out.extensions = ext;
  return out;
}

const EDITOR_KEYS = new Set(["key", "instructions", "properties"]);
const PARAMETER_KEYS = new Set([
  "key",
  "name",
  "description",
  "type",
  "format",
  "required",
  "requiredMessage",
  "default",
  "editor",
]);
function parameter(value: unknown): Parameter | undefined {
  if (!isPlain(value) || !onlyKeys(value, PARAMETER_KEYS)) return undefined;
  const name = text(value.name);
  const description = optionalText(value, "description");
  const requiredMessage = optionalText(value, "requiredMessage");
  if (!isKey(value.key) || !name || description === false || requiredMessage === false) return undefined;
  const type = "type" in value ? value.type : "string";
  if (typeof type !== "string" || !PARAMETER_TYPES.has(type)) return undefined;
  if ("format" in value && value.format !== null && typeof value.format !== "string") return undefined;
  if ("required" in value && typeof value.required !== "boolean") return undefined;
  if ("default" in value && !scalar(value.default)) return undefined;
  const out = { key: value.key, name } as Parameter;
  if (description) out.description = description;
  out.type = type as Parameter["type"];
  if ("format" in value) out.format = value.format as string | null;
  out.required = (value.required as boolean | undefined) ?? false;
  if (requiredMessage) out.requiredMessage = requiredMessage;
  out.default = (value.default as Parameter["default"] | undefined) ?? null;
  if ("editor" in value) {
    const editor = value.editor;
    if (!isPlain(editor) || !onlyKeys(editor, EDITOR_KEYS)) return undefined;
    if (typeof editor.key !== "string" || editor.key.length === 0) return undefined;
    const instructions = optionalText(editor, "instructions");
    if (instructions === false) return undefined;
    if ("properties" in editor && editor.properties !== null && !isPlain(editor.properties)) return undefined;
    out.editor = { key: editor.key };
    if (instructions) out.editor.instructions = instructions;
    if ("properties" in editor) {
      out.editor.properties = editor.properties === null ? null : { ...(editor.properties as Plain) };
    }
  }
  return out;
}

const CONDITION_KEYS = new Set(["field", "equals"]);
const TRANSITION_KEYS = new Set([
  "key",
  "from",
  "to",
  "name",
  "description",
  "auditText",
  "group",
  "roles",
  "parameters",
  "guard",
  "validate",
  "extensions",
]);
function transition(value: unknown): Transition | undefined {
  if (!isPlain(value) || !onlyKeys(value, TRANSITION_KEYS)) return undefined;
  const name = text(value.name);
  const description = optionalText(value, "description");
  const auditText = optionalText(value, "auditText");
  const transitionRoles = roles(value.roles);
  const ext = extensions(value.extensions);
  if (!isKey(value.key) || !isKey(value.from) || !name || description === false || auditText === false)
    return undefined;
  if (!transitionRoles || !ext) return undefined;
  if (value.to !== null && !isKey(value.to)) return undefined;
  if ("group" in value && !isKey(value.group)) return undefined;
  if ("validate" in value && typeof value.validate !== "boolean") return undefined;
  const parameters: Parameter[] = [];
  if ("parameters" in value) {
    if (!Array.isArray(value.parameters)) return undefined;
    for (const entry of value.parameters) {
      const parsed = parameter(entry);
      if (!parsed) return undefined;
      parameters.push(parsed);
    }
  }
  const out = { key: value.key, from: value.from, to: value.to as string | null, name } as Transition;
  if (description) out.description = description;
  if (auditText) out.auditText = auditText;
  if ("group" in value) out.group = value.group as string;
  out.roles = transitionRoles;
  out.parameters = parameters;
  if ("guard" in value) {
    const guard = value.guard;
    if (
      !isPlain(guard) ||
      !onlyKeys(guard, new Set(["all"])) ||
      !Array.isArray(guard.all) ||
      guard.all.length === 0
    ) {
      return undefined;
    }
    const all: Condition[] = [];
    for (const condition of guard.all) {
      if (!isPlain(condition) || !onlyKeys(condition, CONDITION_KEYS)) return undefined;
      if (typeof condition.field !== "string" || condition.field.length === 0 || !("equals" in condition))
        return undefined;
      if (!scalar(condition.equals)) return undefined;
      all.push({ field: condition.field, equals: condition.equals as Condition["equals"] });
    }
    out.guard = { all };
  }
  out.validate = (value.validate as boolean | undefined) ?? false;
  out.extensions = ext;
  return out;
}

const GROUP_KEYS = new Set(["key", "name"]);
function group(value: unknown): Group | undefined {
  if (!isPlain(value) || !onlyKeys(value, GROUP_KEYS)) return undefined;
  const name = text(value.name);
  if (!isKey(value.key) || !name) return undefined;
  return { key: value.key, name };
}

const SCOPE_KEYS = new Set(["contentTypes", "collections"]);
const WORKFLOW_KEYS = new Set([
  "$schema",
  "key",
  "name",
  "description",
  "scope",
  "initial",
  "states",
  "transitions",
  "groups",
  "extensions",
]);

/** The workflow, if `input` is a plain, valid workflow document; else `undefined` (ask zod). */
export function parseWorkflowFast(input: unknown): Workflow | undefined {
  if (!isPlain(input) || !onlyKeys(input, WORKFLOW_KEYS)) return undefined;
  const name = text(input.name);
  const description = optionalText(input, "description");
  const ext = extensions(input.extensions);
  if (!isKey(input.key) || !isKey(input.initial) || !name || description === false || !ext) return undefined;
  if ("$schema" in input && typeof input.$schema !== "string") return undefined;
  let scope: Workflow["scope"] = { contentTypes: [], collections: [] };
  if ("scope" in input) {
    const value = input.scope;
    if (!isPlain(value) || !onlyKeys(value, SCOPE_KEYS)) return undefined;
    const contentTypes = "contentTypes" in value ? value.contentTypes : [];
    const collections = "collections" in value ? value.collections : [];
    if (!Array.isArray(contentTypes) || !contentTypes.every(isKey)) return undefined;
    if (!Array.isArray(collections) || !collections.every(isKey)) return undefined;
    scope = { contentTypes: [...contentTypes], collections: [...collections] };
  }
  if (!Array.isArray(input.states) || input.states.length === 0) return undefined;
  const states: State[] = [];
  for (const entry of input.states) {
    const parsed = state(entry);
    if (!parsed) return undefined;
    states.push(parsed);
  }
  const transitions: Transition[] = [];
  if ("transitions" in input) {
    if (!Array.isArray(input.transitions)) return undefined;
    for (const entry of input.transitions) {
      const parsed = transition(entry);
      if (!parsed) return undefined;
      transitions.push(parsed);
    }
  }
  const groups: Group[] = [];
  if ("groups" in input) {
    if (!Array.isArray(input.groups)) return undefined;
    for (const entry of input.groups) {
      const parsed = group(entry);
      if (!parsed) return undefined;
      groups.push(parsed);
    }
  }
  const out = {} as Workflow;
  if ("$schema" in input) out.$schema = input.$schema as string;
  out.key = input.key;
  out.name = name;
  if (description) out.description = description;
  out.scope = scope;
  out.initial = input.initial;
  out.states = states;
  out.transitions = transitions;
  out.groups = groups;
  out.extensions = ext;
  return out;
}
