import { ExitCode } from "./exit-codes.ts";

/**
 * An error meant for the person at the terminal: a stable `code`, the exit code, and suggestions.
 * Commands throw it; only `main` turns it into output and an exit code.
 */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly suggestions: string[];
  /** Extra data for the `--json` envelope (issues, losses, paths). Never secrets. */
  readonly details: Record<string, unknown> | undefined;
  constructor(
    code: string,
    message: string,
    options: {
      exitCode?: ExitCode;
      suggestions?: string[];
      details?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.error;
    this.suggestions = options.suggestions ?? [];
    this.details = options.details;
  }
}

export class UsageError extends CliError {
  constructor(message: string, suggestions: string[] = []) {
    super("usage", message, { exitCode: ExitCode.usage, suggestions });
    this.name = "UsageError";
  }
}

/** A refusal (exit 4): stale plan, drift, lossy plan, protected environment. */
export class RefusedError extends CliError {
  constructor(
    code: string,
    message: string,
    options: { suggestions?: string[]; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, { ...options, exitCode: ExitCode.refused });
    this.name = "RefusedError";
  }
}
