/** What a command may touch of the outside world: injected so tests run commands in-process. */
export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Reads one answer line at a prompt; undefined when there is no terminal to ask. */
  prompt?: ((question: string) => Promise<string | undefined>) | undefined;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export function processIo(): Io {
  const stdinIsTTY = Boolean(process.stdin.isTTY);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    prompt: stdinIsTTY
      ? async (question) => {
          const { createInterface } = await import("node:readline/promises");
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return await rl.question(question);
          } finally {
            rl.close();
          }
        }
      : undefined,
  };
}

/** Colour on a terminal unless NO_COLOR (https://no-color.org) or --no-color; FORCE_COLOR forces it. */
export function useColor(io: Io, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0") return true;
  return Boolean(io.stdout.isTTY);
}
