/** The exit codes of workflow-sync (README.md, "Commands"; apps/sync/README.md). A fixed table: scripts rely on it. */
export const ExitCode = {
  /** Success: no changes, or applied. */
  ok: 0,
  /** An error. */
  error: 1,
  /** Changes present (only with --detailed-exitcode). */
  changes: 2,
  /** Aborted at the prompt. */
  aborted: 3,
  /** Refused: stale plan, drift, lossy plan without --accept-loss, protected environment without confirmation. */
  refused: 4,
  /** Usage error: unknown command or flag, missing argument. */
  usage: 64,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
