import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/* What an apply leaves in a workspace's state folder (`.workflow-sync/`): journals, backups, locks. */

export interface Journal {
  planId: string;
  completed: string[];
  inflight?: unknown;
  finishedAt?: string;
  backup: string;
}

/** The journals of the state folder, parsed. */
export function journals(root: string): Journal[] {
  const dir = join(root, ".workflow-sync", "journals");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .map((name) => JSON.parse(readFileSync(join(dir, name), "utf8")) as Journal);
}

/** The backups' paths, oldest first. */
export function backups(root: string): string[] {
  const dir = join(root, ".workflow-sync", "backups");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(dir, name));
}

/** The locks held (or left by a dead process). */
export function locks(root: string): string[] {
  const dir = join(root, ".workflow-sync", "locks");
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** A plan file's first target: its fingerprint and operations. */
export interface PlannedTarget {
  fingerprint: string;
  operations: Array<{ id: string; action: string; workflow: string; source?: string; requests: unknown[] }>;
}

export function plannedTarget(file: string): PlannedTarget {
  return (JSON.parse(readFileSync(file, "utf8")) as { targets: PlannedTarget[] }).targets[0]!;
}

/** How many requests a plan file's first target plans. */
export function plannedRequests(file: string): number {
  return plannedTarget(file).operations.reduce((sum, op) => sum + op.requests.length, 0);
}
