export { CliError, RefusedError, UsageError } from "./errors.ts";
export { ExitCode } from "./exit-codes.ts";
export type { Io } from "./io.ts";
export { main } from "./main.ts";
