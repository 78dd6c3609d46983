import { EmbeddedWorkflow, VENDORS } from "@workflow-sync/core";
import { z } from "zod";
import type { Environment, Snapshot } from "../environments/types.ts";

/** A backup: everything read from an environment before the first write, enough to put it back. */
export const BACKUP_FORMAT_VERSION = 1;

export const Backup = z.strictObject({
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  kind: z.literal("workflow-sync-backup"),
  createdAt: z.string(),
  environment: z.string(),
  vendor: z.enum([...VENDORS, "files"]),
  label: z.string(),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  workflows: z.array(EmbeddedWorkflow),
  readOnly: z.array(z.string()),
  /** The vendor's own answers, as read (no secrets: adapters read none into them). */
  native: z.unknown().optional(),
});
export type Backup = z.infer<typeof Backup>;

/** `fingerprint`: the snapshot's (fingerprint(snapshot.workflows)), which the caller has already checked. */
export function createBackup(environment: Environment, snapshot: Snapshot, fingerprint: string): Backup {
  return {
    formatVersion: BACKUP_FORMAT_VERSION,
    kind: "workflow-sync-backup",
    createdAt: new Date().toISOString(),
    environment: environment.name,
    vendor: environment.vendor,
    label: environment.label,
    fingerprint,
    workflows: snapshot.workflows,
    readOnly: snapshot.readOnly,
    ...(snapshot.native === undefined ? {} : { native: snapshot.native }),
  };
}
