/** The base of every error workflow-sync throws on purpose: a stable `code` and a clear message. */
export class WorkflowSyncError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}
