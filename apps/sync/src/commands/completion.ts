import type { CommandResult, Context } from "../context.ts";
import { UsageError } from "../errors.ts";
import { commands, globalFlags, type ParsedArgs } from "./registry.ts";

/** `completion bash|zsh|fish`: commands and each command's flags, from the registry. */
export async function run(ctx: Context, args: ParsedArgs): Promise<CommandResult> {
  const shell = args.positionals[0]!;
  const script = completionScript(shell);
  ctx.io.stdout.write(script);
  return { result: { shell } };
}

const flagsOf = (name: string) => {
  const command = commands.find((entry) => entry.name === name);
  return Object.keys({ ...globalFlags, ...(command?.flags ?? {}) }).map((flag) => `--${flag}`);
};

export function completionScript(shell: string): string {
  const names = commands.map((command) => command.name);
  if (shell === "bash" || shell === "zsh") {
    const cases = names.map((name) => `    ${name}) flags="${flagsOf(name).join(" ")}" ;;`).join("\n");
    const body = `_workflow_sync() {
  local cur cmd flags
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names.join(" ")} help --help --version" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases}
    *) flags="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$flags" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _workflow_sync workflow-sync
`;
    // zsh runs the bash function through bashcompinit.
    return shell === "zsh"
      ? `# workflow-sync completion for zsh\nautoload -U +X bashcompinit && bashcompinit\n${body}`
      : `# workflow-sync completion for bash\n${body}`;
  }
  if (shell === "fish") {
    const lines = [
      "# workflow-sync completion for fish",
      "complete -c workflow-sync -f",
      ...commands.map(
        (command) =>
          `complete -c workflow-sync -n __fish_use_subcommand -a ${command.name} -d ${JSON.stringify(command.summary).replace(/\$/g, "\\$")}`,
      ),
    ];
    for (const command of commands) {
      for (const [flag, spec] of Object.entries({ ...globalFlags, ...command.flags })) {
        lines.push(
          `complete -c workflow-sync -n "__fish_seen_subcommand_from ${command.name}" -l ${flag}${spec.type === "string" ? " -r" : ""} -d ${JSON.stringify(spec.description).replace(/\$/g, "\\$")}`,
        );
      }
    }
    return `${lines.join("\n")}\n`;
  }
  throw new UsageError(`completion: the shell is bash, zsh or fish, not "${shell}"`);
}
