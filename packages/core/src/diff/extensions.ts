import { type Extensions, VENDORS, type Vendor } from "../model.ts";
import type { Change, ChangeKind, ExtensionMode, ExtensionValue } from "./changes.ts";
import { isEmptyObject, same } from "./same.ts";
import { compare } from "./values.ts";

/*
 * Vendor extension namespaces: opaque data, one change per namespace that differs, under the
 * extension mode (`DiffOptions.extensions`).
 */

export type ExtensionChange = { vendor: Vendor; before: ExtensionValue | null; after: ExtensionValue | null };
export const NO_EXTENSION_CHANGES: readonly ExtensionChange[] = [];
/** The vendor namespaces in sorted order (the order of their changes). */
export const VENDOR_ORDER: readonly string[] = [...VENDORS].sort(compare);
export const KNOWN_VENDORS = new Set<string>(VENDORS);

/** Namespaces in both objects, sorted: the known vendors unless an unknown key shows up. */
export function namespaces(a: Record<string, unknown>, b: Record<string, unknown>): readonly string[] {
  for (const key in a)
    if (!KNOWN_VENDORS.has(key)) return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare);
  for (const key in b)
    if (!KNOWN_VENDORS.has(key)) return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compare);
  return VENDOR_ORDER;
}

/** Per vendor namespace: the namespaces that differ, under the extension mode. Allocates only for changes. */
export function extensionChanges(
  before: Extensions | undefined,
  after: Extensions | undefined,
  mode: ExtensionMode,
): readonly ExtensionChange[] {
  if (mode === "none" || (isEmptyObject(before) && isEmptyObject(after))) return NO_EXTENSION_CHANGES;
  const a = (before ?? {}) as Record<string, ExtensionValue | undefined>;
  const b = (after ?? {}) as Record<string, ExtensionValue | undefined>;
  let out: ExtensionChange[] | undefined;
  for (const vendor of namespaces(a, b)) {
    const x = a[vendor];
    const y = b[vendor];
    if (x === undefined && y === undefined) continue;
    if (mode === "shared" && (x === undefined || y === undefined)) continue;
    if (x !== undefined && y !== undefined && same(x, y)) continue;
    out ??= [];
    out.push({ vendor: vendor as Vendor, before: x ?? null, after: y ?? null });
  }
  return out ?? NO_EXTENSION_CHANGES;
}

export function pushExtensionChanges(
  out: Change[],
  changes: readonly ExtensionChange[],
  base: Record<string, unknown> & { path: string[] },
  kind: ChangeKind,
): void {
  for (const change of changes) {
    out.push({
      ...base,
      kind,
      path: [...base.path, "extensions", change.vendor],
      field: "extensions",
      vendor: change.vendor,
      before: change.before,
      after: change.after,
    } as unknown as Change);
  }
}
