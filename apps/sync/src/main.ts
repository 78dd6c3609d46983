import { parseArgs } from "node:util";
import {
  type CommandSpec,
  commands,
  findCommand,
  globalFlags,
  type ParsedArgs,
} from "./commands/registry.ts";
import { type CommandResult, type Context, createContext } from "./context.ts";
import { CliError, UsageError } from "./errors.ts";
import { ExitCode } from "./exit-codes.ts";
import { commandHelp, globalHelp } from "./help.ts";
import { type Io, processIo, useColor } from "./io.ts";
import { closest } from "./suggest.ts";
import { toolVersion } from "./version.ts";
import { WriteGate } from "./write-gate.ts";

/** The command name: the first argument that is neither a flag nor the value of --config. */
function splitCommand(argv: readonly string[]): { name: string | undefined; rest: string[] } {
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index]!;
    if (token === "--config") {
      index++;
      continue;
    }
    if (!token.startsWith("-"))
      return { name: token, rest: [...argv.slice(0, index), ...argv.slice(index + 1)] };
  }
  return { name: undefined, rest: [...argv] };
}

function parseCommandArgs(command: CommandSpec, argv: string[]): ParsedArgs {
  const options = Object.fromEntries(
    Object.entries({ ...globalFlags, ...command.flags }).map(([name, flag]) => [
      name,
      {
        type: flag.type,
        ...(flag.short ? { short: flag.short } : {}),
        ...(flag.multiple ? { multiple: true } : {}),
      },
    ]),
  );
  checkFlagNames(command, argv);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${command.name}: ${flagErrorMessage(error as Error & { code?: string })}`, [
      `workflow-sync ${command.name} --help`,
    ]);
  }
  return { positionals: parsed.positionals, flags: parsed.values as ParsedArgs["flags"] };
}

/** An unknown flag, with the closest known one ("did you mean"), before the parser's own message. */
function checkFlagNames(command: CommandSpec, argv: readonly string[]): void {
  const names = Object.keys({ ...globalFlags, ...command.flags });
  const shorts = Object.values({ ...globalFlags, ...command.flags }).flatMap((flag) => flag.short ?? []);
  for (const token of argv) {
    if (token === "--") break;
    const name = token.startsWith("--") ? token.slice(2).split("=")[0]! : undefined;
    const unknown =
      name !== undefined
        ? name !== "" && !names.includes(name)
        : /^-[A-Za-z]/.test(token) && ![...token.slice(1)].every((letter) => shorts.includes(letter));
    if (!unknown) continue;
    const guess = name !== undefined ? closest(name, names) : undefined;
    throw new UsageError(`${command.name}: unknown flag ${name !== undefined ? `--${name}` : token}`, [
      ...(guess ? [`did you mean --${guess}?`] : []),
      `workflow-sync ${command.name} --help lists its flags`,
    ]);
  }
}

/** node:util's parse errors in plain words (its own messages carry quoting meant for a shell). */
function flagErrorMessage(error: Error & { code?: string }): string {
  const flag = /'(-[^' ]+)/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && flag) {
    return /argument missing/.test(error.message) ? `${flag} needs a value` : `${flag} takes no value`;
  }
  return error.message.replace(/["']/g, "");
}

function checkPositionals(command: CommandSpec, positionals: string[]): void {
  const required = command.args.filter((arg) => !arg.endsWith("?") && !arg.endsWith("..."));
  const variadic = command.args.some((arg) => arg.endsWith("..."));
  if (positionals.length < required.length) {
    const missing = required.slice(positionals.length).map((arg) => `<${arg}>`);
    throw new UsageError(`${command.name}: missing ${missing.join(" ")}`, [`usage: ${command.usage}`]);
  }
  if (!variadic && positionals.length > command.args.length) {
    throw new UsageError(`${command.name}: unexpected argument "${positionals[command.args.length]}"`, [
      `usage: ${command.usage}`,
    ]);
  }
}

/** The JSON form of any error: `{ code, message, ...details }` (never a stack, never a secret). */
function errorPayload(error: unknown): Record<string, unknown> {
  if (error instanceof CliError) {
    return {
      code: error.code,
      message: error.message,
      exitCode: error.exitCode,
      ...(error.suggestions.length ? { suggestions: error.suggestions } : {}),
      ...(error.details ?? {}),
    };
  }
  if (error instanceof Error) {
    const coded = error as Error & { code?: unknown; status?: unknown; requestId?: unknown };
    return {
      code: typeof coded.code === "string" ? coded.code : "internal",
      message: error.message,
      ...(typeof coded.status === "number" ? { status: coded.status } : {}),
      ...(typeof coded.requestId === "string" ? { requestId: coded.requestId } : {}),
    };
  }
  return { code: "internal", message: String(error) };
}

function exitCodeOf(error: unknown): number {
  return error instanceof CliError ? error.exitCode : ExitCode.error;
}

/**
 * Runs workflow-sync with these arguments and returns the exit code. Never calls process.exit:
 * the bin sets process.exitCode, tests call it in-process with their own Io.
 */
// Over a screen on purpose: the entry point reads top to bottom (help, lookup, context, run, envelope, failure).
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const { name, rest } = splitCommand(argv);
  const wantsJson = rest.includes("--json");
  const write = (ctx: Context | undefined, text: string) => io.stdout.write(ctx ? ctx.redact(text) : text);

  if (name === undefined || name === "help") {
    if (name === "help" && rest[0] && findCommand(rest[0])) {
      io.stdout.write(commandHelp(findCommand(rest[0])!));
      return ExitCode.ok;
    }
    if (rest.includes("--version") || rest.includes("-v")) {
      io.stdout.write(`${toolVersion()}\n`);
      return ExitCode.ok;
    }
    if (name === undefined && !rest.includes("--help") && !rest.includes("-h") && rest.length > 0) {
      return fail(
        undefined,
        new UsageError("no command given", ["workflow-sync --help"]),
        "workflow-sync",
        wantsJson,
      );
    }
    io.stdout.write(globalHelp(toolVersion()));
    return name === undefined && rest.length === 0 ? ExitCode.usage : ExitCode.ok;
  }

  const command = findCommand(name);
  if (!command) {
    return fail(
      undefined,
      new UsageError(`unknown command "${name}"`, [
        ...((guess) => (guess ? [`did you mean "${guess}"?`] : []))(
          closest(
            name,
            commands.map((entry) => entry.name),
          ),
        ),
        "workflow-sync --help lists the commands",
      ]),
      name,
      wantsJson,
    );
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(commandHelp(command));
    return ExitCode.ok;
  }

  let ctx: Context | undefined;
  try {
    const args = parseCommandArgs(command, rest);
    ctx = createContext(io, {
      command: command.name,
      gate: new WriteGate({
        command: command.name,
        kind: command.writes,
        yes: args.flags.yes === true,
        confirmEnv: (args.flags["confirm-env"] as string[] | undefined) ?? [],
        json: Boolean(args.flags.json),
        prompt: io.prompt,
      }),
      json: Boolean(args.flags.json),
      verbose: Boolean(args.flags.verbose),
      color: !args.flags.json && useColor(io, Boolean(args.flags["no-color"])),
      configPath: typeof args.flags.config === "string" ? args.flags.config : undefined,
    });
    checkPositionals(command, args.positionals);
    const implementation = await command.load();
    const outcome: CommandResult = await implementation.run(ctx, args);
    const exitCode = outcome.exitCode ?? ExitCode.ok;
    if (ctx.json) {
      write(
        ctx,
        `${JSON.stringify({ ok: exitCode === ExitCode.ok || exitCode === ExitCode.changes, command: command.name, exitCode, result: outcome.result }, null, 2)}\n`,
      );
    }
    return exitCode;
  } catch (error) {
    return fail(ctx, error, command.name, wantsJson);
  }

  function fail(ctx: Context | undefined, error: unknown, commandName: string, json: boolean): number {
    const exitCode = exitCodeOf(error);
    const redact = (text: string) => (ctx ? ctx.redact(text) : text);
    if (json) {
      write(
        ctx,
        `${JSON.stringify({ ok: false, command: commandName, exitCode, error: errorPayload(error) }, null, 2)}\n`,
      );
      return exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(redact(`error: ${message}\n`));
    if (error instanceof CliError) {
      for (const suggestion of error.suggestions) io.stderr.write(redact(`  → ${suggestion}\n`));
    }
    if (ctx?.verbose && error instanceof Error && error.stack && !(error instanceof CliError)) {
      io.stderr.write(redact(`${error.stack}\n`));
    }
    return exitCode;
  }
}
