export { main } from "./main.ts";
export { ExitCode } from "./exit-codes.ts";
export { CliError, RefusedError, UsageError } from "./errors.ts";
export type { Io } from "./io.ts";
