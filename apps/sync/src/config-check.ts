import type { z } from "zod";
import type { Concurrency, RateLimit } from "./config-fields.ts";

/*
 * The config file's fast path: checks of its fields written by hand, so that a valid config is
 * loaded without evaluating the schema library (a large share of a run's start-up). Each check gives
 * exactly the value the zod schema of the same field gives (config-fields.ts, config-schema.ts, the
 * sections in vendors.ts: same defaults, same key order), or `undefined` when it is not sure; then
 * config.ts loads the schemas and they decide, with their messages. A check never accepts what zod
 * refuses (config-check.test.ts compares both on thousands of generated configs).
 */

/** A field's check: the value zod gives for `value`, or undefined (not sure: the schemas decide). */
export type Check<T> = (value: unknown) => T | undefined;

/** How a field may be absent: never, left out of the value, or replaced by a default. */
export type Field<T> =
  | { readonly check: Check<T>; readonly absent: "required" | "omitted" }
  | { readonly check: Check<T>; readonly absent: "defaulted"; readonly value: T };

export const required = <T>(check: Check<T>): Field<T> => ({ check, absent: "required" });
export const optional = <T>(check: Check<T>): Field<T> => ({ check, absent: "omitted" });
export const defaulted = <T>(check: Check<T>, value: T): Field<T> => ({ check, absent: "defaulted", value });

/**
 * A plain object holding only own, enumerable string keys (what YAML and JSON give). Anything else
 * (arrays, class instances, symbols, hidden or inherited keys) is left to the schemas.
 */
export function plainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const keys = Reflect.ownKeys(value);
  let enumerable = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    enumerable++;
  }
  return enumerable === keys.length;
}

/**
 * `z.strictObject(shape)`: no unknown key; the output holds the fields in the shape's order, an
 * absent optional field left out and an absent defaulted one set. A key present with the value
 * `undefined` (never in YAML or JSON) is left to the schemas.
 */
export function strictObject<T>(shape: { readonly [K in keyof T]-?: Field<T[K]> }): Check<T> {
  const fields = Object.entries(shape) as Array<[string, Field<unknown>]>;
  return (value) => {
    if (!plainObject(value)) return undefined;
    for (const key in value) if (!Object.hasOwn(shape, key) || key === "__proto__") return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, field] of fields) {
      if (!Object.hasOwn(value, key)) {
        if (field.absent === "required") return undefined;
        if (field.absent === "defaulted") out[key] = field.value;
        continue;
      }
      const checked = field.check(value[key]);
      if (checked === undefined) return undefined;
      out[key] = checked;
    }
    return out as T;
  };
}

/** `z.string()`, with `.min(min)`. */
export const string =
  (min = 0): Check<string> =>
  (value) =>
    typeof value === "string" && value.length >= min ? value : undefined;

/** `z.string().regex(pattern)` (a pattern without the g or y flag). */
export const matching =
  (pattern: RegExp): Check<string> =>
  (value) =>
    typeof value === "string" && pattern.test(value) ? value : undefined;

/** `z.boolean()`. */
export const boolean: Check<boolean> = (value) => (typeof value === "boolean" ? value : undefined);

/** `z.literal(...)` / `z.enum([...])` of strings. */
export const oneOf =
  <const T extends string>(...values: T[]): Check<T> =>
  (value) =>
    values.includes(value as T) ? (value as T) : undefined;

/**
 * `z.number()` (finite), `.int()` (a safe integer), `.positive()` (above 0), `.min(min)` and
 * `.max(max)` (inclusive).
 */
export const number =
  (rules: { int?: true; positive?: true; min?: number; max?: number } = {}): Check<number> =>
  (value) => {
    if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
    if (rules.int && !Number.isSafeInteger(value)) return undefined;
    if (rules.positive && !(value > 0)) return undefined;
    if (rules.min !== undefined && !(value >= rules.min)) return undefined;
    if (rules.max !== undefined && !(value <= rules.max)) return undefined;
    return value;
  };

/**
 * `z.url()` as zod 4 checks it: the string trimmed (String.prototype.trim) must parse as a URL
 * (URL.canParse), and the value is the trimmed string with every tab, CR and LF removed (what the
 * URL parser itself ignores). Nothing else is normalized.
 */
export const url: Check<string> = (value) => {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return URL.canParse(trimmed) ? trimmed.replace(/[\t\n\r]/g, "") : undefined;
};

/** `z.array(element)`. */
export const array =
  <T>(element: Check<T>): Check<T[]> =>
  (value) => {
    if (!Array.isArray(value)) return undefined;
    const out: T[] = [];
    for (let index = 0; index < value.length; index++) {
      if (!Object.hasOwn(value, index)) return undefined; // a hole
      const checked = element(value[index]);
      if (checked === undefined) return undefined;
      out.push(checked);
    }
    return out;
  };

/** An environment's name in the config (zod's record key and the name of its state folder). */
export const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

// The shared fields (config-fields.ts), one for one.

/** SecretRef: `{ env: NAME }` (a string, the secret itself, is refused by the schema). */
export const secretRef = strictObject<{ env: string }>({
  env: required(matching(/^[A-Za-z_][A-Za-z0-9_]*$/)),
});

/** RateLimit. */
export const rateLimit = strictObject<z.infer<typeof RateLimit>>({
  perSecond: optional(number({ positive: true })),
  perMinute: optional(number({ positive: true })),
  windows: optional(
    array(
      strictObject({
        requests: required(number({ int: true, positive: true })),
        seconds: required(number({ positive: true })),
      }),
    ),
  ),
});

/** Concurrency. */
export const concurrency = strictObject<z.infer<typeof Concurrency>>({
  reads: optional(number({ int: true, min: 1, max: 64 })),
  writes: optional(number({ int: true, min: 1, max: 64 })),
});

/** `common`: the fields every environment section ends with. */
export const common = {
  protected: defaulted(boolean, false),
  timeoutMs: optional(number({ int: true, positive: true })),
  description: optional(string()),
} as const;
