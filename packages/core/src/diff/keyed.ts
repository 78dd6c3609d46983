import { type Change, type ChangeKind, DiffInputError } from "./changes.ts";
import { same } from "./same.ts";

/* Matching by key on both sides of a diff, and recording the fields that differ. */

export const transitionId = (from: string, key: string) => `${from}\u0000${key}`;

export const duplicate = (path: string[]) =>
  new DiffInputError(`${path.join(".")} appears twice: a keyed diff needs unique keys`, path);

/** Items by id; ids must be unique, and not among `taken` (ids already seen on both sides). */
export function indexBy<T>(
  items: readonly T[],
  id: (item: T) => string,
  what: (item: T) => string[],
  taken?: { has(id: string): boolean },
): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const key = id(item);
    if (map.has(key) || taken?.has(key)) throw duplicate(what(item));
    map.set(key, item);
  }
  return map;
}

export function pushFieldChanges<F extends string>(
  out: Change[],
  fields: readonly F[],
  beforeValues: Record<F, () => unknown>,
  afterValues: Record<F, () => unknown>,
  base: Record<string, unknown> & { path: string[] },
  kind: ChangeKind,
): void {
  for (const field of fields) {
    const before = beforeValues[field]();
    const after = afterValues[field]();
    if (same(before, after)) continue;
    out.push({ ...base, kind, path: [...base.path, field], field, before, after } as unknown as Change);
  }
}
