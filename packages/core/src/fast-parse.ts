import type { Extensions, Group, LocalizedText, Parameter, State, Transition, Workflow } from "./model.ts";
import { KEY_PATTERN, STATE_KINDS, VENDORS } from "./model.ts";

/*
 * A fast path for `parseWorkflow`: it accepts exactly the documents the zod schema accepts in their
 * plain form, or returns `undefined` for anything else (including anything unusual it does not try
 * to judge); `parseWorkflow` then asks zod, which names every problem. Equivalence with the zod
 * schema is property-tested in fast-parse.test.ts.
 *
 * It allocates only where a default has to be filled in: a part of the document that is already
 * complete is returned as it is (the input is never modified). Parsing a thousand large, complete
 * workflows therefore costs a validation pass and no copy; zod's general machinery costs about
 * 0.5 ms per large workflow and copies everything.
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

/** Locales repeat a lot: remember the ones already judged good (bounded). */
const goodLocales = new Set<string>();
function remember(cache: Set<string>, value: string): void {
  if (cache.size > 50_000) cache.clear();
  cache.add(value);
}

/**
 * KEY_PATTERN, one character at a time: 1 for a character that may start a key (a letter or `_`),
 * 2 for one that may follow (a digit), 0 for any other ASCII character. Keys are the most common
 * values in a document; this loop is cheaper than the regular expression or a cache lookup.
 */
const KEY_CHARS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  KEY_CHARS[code] = KEY_PATTERN.test(char) ? 1 : KEY_PATTERN.test(`a${char}`) ? 2 : 0;
}

/** Whether `value` is a valid key (the `Key` schema); exported for its property test. */
export function isKey(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const length = value.length;
  if (length < 1 || length > 100) return false;
  const first = value.charCodeAt(0);
  if (first >= 128 || KEY_CHARS[first] !== 1) return false;
  for (let index = 1; index < length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 128 || KEY_CHARS[code] === 0) return false;
  }
  return true;
}

function isText(value: unknown): value is LocalizedText {
  if (!isPlain(value)) return false;
  let count = 0;
  for (const locale in value) {
    if (typeof value[locale] !== "string") return false;
    if (!goodLocales.has(locale)) {
      if (!LOCALE.test(locale)) return false;
      remember(goodLocales, locale);
    }
    count++;
  }
  return count > 0;
}

/** Absent, or a valid localized text. */
const optionalText = (value: Plain, key: string) => value[key] === undefined || isText(value[key]);

/** Whether `code` is printable ASCII other than a space (nothing `trim` removes). */
const isPrintable = (code: number) => code > 32 && code < 127;

/** zod trims role names: a name that needs trimming goes the slow way. */
function isRoles(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const role of value) {
    if (typeof role !== "string" || role.length === 0) return false;
    // `trim` only when an end is not printable ASCII (the usual name needs no call)
    if (
      !(isPrintable(role.charCodeAt(0)) && isPrintable(role.charCodeAt(role.length - 1))) &&
      role.trim() !== role
    )
      return false;
  }
  return true;
}

function isExtensions(value: unknown): value is Extensions {
  if (!isPlain(value)) return false;
  for (const vendor in value) {
    if (!VENDOR_SET.has(vendor) || !isPlain(value[vendor])) return false;
  }
  return true;
}

const scalar = (value: unknown) =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null;

/**
 * The elements of an array through `parse`: the same array when every element came back as it
 * was, a new one when some were completed, `undefined` when one is invalid.
 */
function parseArray<T>(value: unknown, parse: (entry: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  let out: T[] | undefined;
  for (let index = 0; index < value.length; index++) {
    const entry = value[index];
    const parsed = parse(entry);
    if (parsed === undefined) return undefined;
    if (parsed !== entry && out === undefined) out = value.slice(0, index) as T[];
    if (out !== undefined) out.push(parsed);
  }
  return out ?? (value as T[]);
}

/** The object with the missing defaults filled in (a copy), or the object itself when none is missing. */
function withDefaults<T>(value: Plain, defaults: Plain): T {
  let missing = false;
  for (const key in defaults) {
    if (value[key] === undefined) {
      missing = true;
      break;
    }
  }
  if (!missing) return value as T;
  const out: Plain = { ...value };
  for (const key in defaults) {
    if (value[key] === undefined) {
      const fallback = defaults[key];
      out[key] = typeof fallback === "object" && fallback !== null ? structuredClone(fallback) : fallback;
    }
  }
  return out as T;
}

/*
 * States and transitions are most of a document: their field names are checked by a switch (no
 * Set lookup per field) and their defaults by name (no loop over a defaults object).
 */

/** Every own key is a state field and holds a value (zod and JSON differ on `undefined`). */
function onlyStateKeys(value: Plain): boolean {
  for (const key in value) {
    switch (key) {
      case "key":
      case "name":
      case "kind":
      case "description":
      case "color":
      case "editable":
      case "roles":
      case "extensions":
        if (value[key] === undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
const STATE_DEFAULTS = { editable: true, roles: [], extensions: {} };
function state(value: unknown): State | undefined {
  if (!isPlain(value) || !onlyStateKeys(value)) return undefined;
  // Each field is read once: documents mix many object shapes, so every property read is a generic one.
  const { key, name, kind, description, color, editable, roles, extensions } = value;
  if (!isKey(key) || !isText(name) || (description !== undefined && !isText(description))) return undefined;
  if (typeof kind !== "string" || !STATE_KIND_SET.has(kind)) return undefined;
  if (color !== undefined && (typeof color !== "string" || color.length === 0)) return undefined;
  if (editable !== undefined && typeof editable !== "boolean") return undefined;
  if (roles !== undefined && !isRoles(roles)) return undefined;
  if (extensions !== undefined && !isExtensions(extensions)) return undefined;
  const complete = editable !== undefined && roles !== undefined && extensions !== undefined;
  return complete ? (value as State) : withDefaults<State>(value, STATE_DEFAULTS);
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
const PARAMETER_DEFAULTS = { type: "string", required: false, default: null };
function parameter(value: unknown): Parameter | undefined {
  if (!isPlain(value) || !onlyKeys(value, PARAMETER_KEYS)) return undefined;
  if (!isKey(value.key) || !isText(value.name)) return undefined;
  if (!optionalText(value, "description") || !optionalText(value, "requiredMessage")) return undefined;
  if (value.type !== undefined && (typeof value.type !== "string" || !PARAMETER_TYPES.has(value.type)))
    return undefined;
  if (value.format !== undefined && value.format !== null && typeof value.format !== "string")
    return undefined;
  if (value.required !== undefined && typeof value.required !== "boolean") return undefined;
  if (value.default !== undefined && !scalar(value.default)) return undefined;
  if (value.editor !== undefined) {
    const editor = value.editor;
    if (!isPlain(editor) || !onlyKeys(editor, EDITOR_KEYS)) return undefined;
    if (typeof editor.key !== "string" || editor.key.length === 0 || !optionalText(editor, "instructions")) {
      return undefined;
    }
    if (editor.properties !== undefined && editor.properties !== null && !isPlain(editor.properties))
      return undefined;
  }
  return withDefaults<Parameter>(value, PARAMETER_DEFAULTS);
}

const CONDITION_KEYS = new Set(["field", "equals"]);
const GUARD_KEYS = new Set(["all"]);
function isGuard(value: unknown): boolean {
  if (
    !isPlain(value) ||
    !onlyKeys(value, GUARD_KEYS) ||
    !Array.isArray(value.all) ||
    value.all.length === 0
  ) {
    return false;
  }
  for (const condition of value.all) {
    if (!isPlain(condition) || !onlyKeys(condition, CONDITION_KEYS)) return false;
    if (typeof condition.field !== "string" || condition.field.length === 0 || !("equals" in condition))
      return false;
    if (!scalar(condition.equals)) return false;
  }
  return true;
}

/** Every own key is a transition field and holds a value. */
function onlyTransitionKeys(value: Plain): boolean {
  for (const key in value) {
    switch (key) {
      case "key":
      case "from":
      case "to":
      case "name":
      case "description":
      case "auditText":
      case "group":
      case "roles":
      case "parameters":
      case "guard":
      case "validate":
      case "extensions":
        if (value[key] === undefined) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
const TRANSITION_DEFAULTS = { roles: [], parameters: [], validate: false, extensions: {} };
function transition(value: unknown): Transition | undefined {
  if (!isPlain(value) || !onlyTransitionKeys(value)) return undefined;
  // Each field is read once (as in `state`).
  const { key, from, to, name, description, auditText, roles, parameters, guard, validate, extensions } =
    value;
  if (!isKey(key) || !isKey(from) || (to !== null && !isKey(to)) || !isText(name)) return undefined;
  if (description !== undefined && !isText(description)) return undefined;
  if (auditText !== undefined && !isText(auditText)) return undefined;
  if (value.group !== undefined && !isKey(value.group)) return undefined;
  if (validate !== undefined && typeof validate !== "boolean") return undefined;
  if (roles !== undefined && !isRoles(roles)) return undefined;
  if (extensions !== undefined && !isExtensions(extensions)) return undefined;
  if (guard !== undefined && !isGuard(guard)) return undefined;
  let parsed: Plain = value;
  if (parameters !== undefined) {
    const list = parseArray(parameters, parameter);
    if (!list) return undefined;
    if (list !== parameters) parsed = { ...value, parameters: list };
  }
  const complete =
    roles !== undefined && parameters !== undefined && validate !== undefined && extensions !== undefined;
  return complete ? (parsed as Transition) : withDefaults<Transition>(parsed, TRANSITION_DEFAULTS);
}

const GROUP_KEYS = new Set(["key", "name"]);
function group(value: unknown): Group | undefined {
  if (!isPlain(value) || !onlyKeys(value, GROUP_KEYS)) return undefined;
  return isKey(value.key) && isText(value.name) ? (value as Group) : undefined;
}

const SCOPE_KEYS = new Set(["contentTypes", "collections"]);
const SCOPE_DEFAULTS = { contentTypes: [], collections: [] };
function scope(value: unknown): Workflow["scope"] | undefined {
  if (!isPlain(value) || !onlyKeys(value, SCOPE_KEYS)) return undefined;
  for (const key of ["contentTypes", "collections"] as const) {
    if (value[key] !== undefined && (!Array.isArray(value[key]) || !(value[key] as unknown[]).every(isKey)))
      return undefined;
  }
  return withDefaults<Workflow["scope"]>(value, SCOPE_DEFAULTS);
}

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
const WORKFLOW_DEFAULTS = { scope: SCOPE_DEFAULTS, transitions: [], groups: [], extensions: {} };

const LISTS = [
  ["states", state],
  ["transitions", transition],
  ["groups", group],
] as const;

/**
 * The workflow, if `input` is a plain, valid workflow document; else `undefined` (ask zod).
 * The result shares every part of `input` that needed no default: treat both as read-only.
 */
export function parseWorkflowFast(input: unknown): Workflow | undefined {
  if (!isPlain(input) || !onlyKeys(input, WORKFLOW_KEYS)) return undefined;
  if (!isKey(input.key) || !isKey(input.initial) || !isText(input.name)) return undefined;
  if (
    !optionalText(input, "description") ||
    (input.extensions !== undefined && !isExtensions(input.extensions))
  ) {
    return undefined;
  }
  if ("$schema" in input && typeof input.$schema !== "string") return undefined;
  const replaced: Plain = {};
  let changed = false;
  if (input.scope !== undefined) {
    const parsed = scope(input.scope);
    if (!parsed) return undefined;
    if (parsed !== input.scope) {
      replaced.scope = parsed;
      changed = true;
    }
  }
  if (!Array.isArray(input.states) || input.states.length === 0) return undefined;
  for (const [key, parse] of LISTS) {
    if (input[key] === undefined) continue;
    const parsed = parseArray<unknown>(input[key], parse as (entry: unknown) => unknown);
    if (!parsed) return undefined;
    if (parsed !== input[key]) {
      replaced[key] = parsed;
      changed = true;
    }
  }
  return withDefaults<Workflow>(changed ? { ...input, ...replaced } : input, WORKFLOW_DEFAULTS);
}
