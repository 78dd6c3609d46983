import type { Io } from "./io.ts";
import type { WriteGate } from "./write-gate.ts";

/** What every command gets: the io, the global flags and a few printing helpers. */
export interface Context {
  io: Io;
  command: string;
  json: boolean;
  verbose: boolean;
  color: boolean;
  configPath: string | undefined;
  /** The one gate every write to an environment passes (write-gate.ts). */
  gate: WriteGate;
  /** `--locale` of convert, plan and sync: the language names are read and written in (Kontent.ai). */
  locale?: string;
  /** A line on stdout (human mode only; in --json mode stdout holds one JSON document). */
  out(text: string): void;
  /** A line on stderr: warnings, progress, losses. */
  err(text: string): void;
  /** A line on stderr with --verbose only. */
  debug(text: string): void;
  /** Remember a secret: every later line of output is scrubbed of it (a last line of defence). */
  registerSecret(value: string): void;
  /** Scrub every registered secret from a text. */
  redact(text: string): string;
}

export interface ContextOptions {
  command: string;
  json: boolean;
  verbose: boolean;
  color: boolean;
  configPath: string | undefined;
  gate: WriteGate;
}

export function createContext(io: Io, options: ContextOptions): Context {
  const secrets = new Set<string>();
  const redact = (text: string) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join("[redacted]");
    return out;
  };
  const line = (text: string) => redact(text.endsWith("\n") ? text : `${text}\n`);
  return {
    io,
    ...options,
    out(text) {
      if (!options.json) io.stdout.write(line(text));
    },
    err(text) {
      io.stderr.write(line(text));
    },
    debug(text) {
      if (options.verbose) io.stderr.write(line(`[verbose] ${text}`));
    },
    registerSecret(value) {
      // Very short values would scrub ordinary words; secrets are never that short.
      if (value.length >= 4) secrets.add(value);
    },
    redact,
  };
}

export interface CommandResult {
  /** Exit code; default 0. */
  exitCode?: number;
  /** The `result` of the --json envelope. */
  result: unknown;
}
