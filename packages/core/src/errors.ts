/** The base of every error workflow-sync throws on purpose: a stable `code` and a clear message. */
export class WorkflowSyncError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A write found that what it was about to replace is no longer what the plan saw (another writer,
 * a person's edit): nothing was overwritten. The sync app refuses with exit 4 and asks for a new
 * plan. Adapters throw subclasses with their own stable `code`.
 */
export class StaleTargetError extends WorkflowSyncError {}
