import type { Io } from "../../src/io.ts";
import { main } from "../../src/main.ts";

export interface CommandOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json<T = Record<string, unknown>>(): T;
}

/** Run workflow-sync in-process with captured output: assert stdout, stderr and the exit code. */
export async function testCommand(
  argv: string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    isTTY?: boolean;
    answers?: string[];
  } = {},
): Promise<CommandOutcome> {
  let stdout = "";
  let stderr = "";
  const answers = [...(options.answers ?? [])];
  const io: Io = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.isTTY ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.isTTY ?? false },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    ...(options.answers ? { prompt: async () => answers.shift() } : {}),
  };
  const exitCode = await main(argv, io);
  return {
    exitCode,
    stdout,
    stderr,
    json: <T>() => JSON.parse(stdout) as T,
  };
}
