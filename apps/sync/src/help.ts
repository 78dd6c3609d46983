import { type CommandSpec, commands, type FlagSpec, globalFlags } from "./commands/registry.ts";

function flagLines(flags: Record<string, FlagSpec>): string[] {
  const rows = Object.entries(flags).map(([name, flag]) => {
    const short = flag.short ? `-${flag.short}, ` : "";
    const value = flag.type === "string" ? ` ${flag.value ?? "VALUE"}` : "";
    return [`  ${short}--${name}${value}`, flag.description] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => left.padEnd(width) + right);
}

export function globalHelp(version: string): string {
  const width = Math.max(...commands.map((command) => command.name.length)) + 4;
  return [
    `workflow-sync ${version}: CMS workflow definitions as code (Kontent.ai, Contensis)`,
    "",
    "Usage: workflow-sync <command> [arguments] [flags]",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.name.padEnd(width)}${command.summary}`),
    "",
    "A <source> is a workflow file (YAML or JSON, neutral or vendor-native), a folder of workflow",
    "files, or the name of an environment in workflow-sync.config.yaml.",
    "",
    "Global flags:",
    ...flagLines(globalFlags),
    "",
    "Exit codes: 0 ok, 1 error, 2 changes (--detailed-exitcode), 3 aborted, 4 refused, 64 usage.",
    "Run `workflow-sync <command> --help` for a command's flags and examples; `workflow-sync --version`",
    "prints the version; `workflow-sync completion bash|zsh|fish` prints a completion script.",
    "",
  ].join("\n");
}

export function commandHelp(command: CommandSpec): string {
  return [
    `Usage: ${command.usage}`,
    "",
    command.description,
    "",
    ...(Object.keys(command.flags).length ? ["Flags:", ...flagLines(command.flags), ""] : []),
    "Global flags:",
    ...flagLines(globalFlags),
    "",
    "Examples:",
    ...command.examples.map((example) => `  ${example}`),
    "",
  ].join("\n");
}
