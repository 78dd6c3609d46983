import type { Group } from "../model.ts";
import type { Change } from "./changes.ts";
import { indexBy } from "./keyed.ts";
import { sameText } from "./same.ts";

export function diffGroups(
  out: Change[],
  workflow: string,
  current: readonly Group[],
  desired: readonly Group[],
): void {
  if (current.length === 0 && desired.length === 0) return;
  const where = (g: Group) => [workflow, "groups", g.key];
  const currentGroups = indexBy(current, (g) => g.key, where);
  const desiredGroups = indexBy(desired, (g) => g.key, where);
  for (const [key, after] of desiredGroups) {
    const before = currentGroups.get(key);
    if (!before) {
      out.push({ kind: "group_added", path: where(after), workflow, group: key, before: null, after });
    } else if (!sameText(before.name, after.name)) {
      out.push({
        kind: "group_changed",
        path: [...where(after), "name"],
        workflow,
        group: key,
        field: "name",
        before: before.name,
        after: after.name,
      });
    }
  }
  for (const [key, before] of currentGroups) {
    if (desiredGroups.has(key)) continue;
    out.push({ kind: "group_removed", path: where(before), workflow, group: key, before, after: null });
  }
}
