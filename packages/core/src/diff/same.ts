import { stableStringify } from "../canonical.ts";
import type { Guard, LocalizedText, Parameter, State, Transition } from "../model.ts";
import { canonicalGuard, canonicalParameters, sortedSet } from "./values.ts";

/*
 * Fast equality of whole entities (extensions aside), the same relation as comparing canonical
 * JSON: no string is built unless an order-free collection is out of order.
 */

export function sameText(a: LocalizedText | undefined, b: LocalizedText | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  let count = 0;
  for (const locale in a) {
    const value = a[locale];
    if (value === undefined) continue;
    if (b[locale] !== value) return false;
    count++;
  }
  for (const locale in b) if (b[locale] !== undefined) count--;
  return count === 0;
}

export function sameRoles(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length === y.length) {
    let i = 0;
    while (i < x.length && x[i] === y[i]) i++;
    if (i === x.length) return true;
  }
  const sx = sortedSet(x);
  const sy = sortedSet(y);
  return sx.length === sy.length && sx.every((role, index) => role === sy[index]);
}

export const orNull = <T>(value: T | undefined | null): T | null => (value === undefined ? null : value);

export function sameState(a: State, b: State): boolean {
  return (
    a.kind === b.kind &&
    orNull(a.color) === orNull(b.color) &&
    (a.editable !== false) === (b.editable !== false) &&
    sameText(a.name, b.name) &&
    sameText(a.description, b.description) &&
    sameRoles(a.roles, b.roles)
  );
}

export function sameTransition(a: Transition, b: Transition): boolean {
  return (
    orNull(a.to) === orNull(b.to) &&
    orNull(a.group) === orNull(b.group) &&
    (a.validate === true) === (b.validate === true) &&
    sameText(a.name, b.name) &&
    sameText(a.description, b.description) &&
    sameText(a.auditText, b.auditText) &&
    sameRoles(a.roles, b.roles) &&
    sameParameters(a.parameters ?? [], b.parameters ?? []) &&
    sameGuard(a.guard, b.guard)
  );
}

/** `same` of the canonical parameter lists; a list of one is in canonical order already (no copy). */
export function sameParameters(a: readonly Parameter[], b: readonly Parameter[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length === 0) return true;
  if (a.length === 1) return same(a[0], b[0]);
  return same(canonicalParameters(a), canonicalParameters(b));
}

/** `same` of the canonical guards; a guard of one condition is in canonical order already (no copy). */
export function sameGuard(a: Guard | undefined, b: Guard | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.all.length === 1 && b.all.length === 1) return same(a.all[0], b.all[0]);
  return same(canonicalGuard(a), canonicalGuard(b));
}

export function isEmptyObject(value: object | undefined): boolean {
  if (value === undefined) return true;
  for (const key in value) if ((value as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

/**
 * Whether two JSON-like values are equal as `stableStringify` sees them (object key order free,
 * `undefined` members absent), without building strings.
 */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    // only values that JSON writes alike although they differ: NaN, Infinity, undefined (all "null")
    return (
      (typeof a === "number" || typeof b === "number" || a === undefined || b === undefined) &&
      stableStringify(a) === stableStringify(b)
    );
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // own enumerable keys (as Object.keys, without building its arrays)
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(x, key)) continue;
    const value = x[key];
    if (value === undefined) continue;
    if (!Object.hasOwn(y, key) || !same(value, y[key])) return false;
    count++;
  }
  for (const key in y) if (Object.hasOwn(y, key) && y[key] !== undefined) count--;
  return count === 0;
}
