import type { CommandSpec, FlagSpec } from "./registry.ts";

/*
 * Commands for reviewing a change (report, show) and for getting started (init, completion). Kept
 * apart from registry.ts so that the registry stays a short list; they join it there.
 */

/** `--workflow KEY`: repeatable, `*` and `?` globs; on diff, plan, sync and export. */
export const WORKFLOW_FLAG: FlagSpec = {
  type: "string",
  multiple: true,
  value: "KEY",
  description: "only workflows whose key matches (repeatable; * and ? as in a shell glob)",
};

const showFormats = "text|markdown|json";

export const reviewCommands: CommandSpec[] = [
  {
    name: "report",
    summary: "a self-contained HTML review of a plan or of a sync from <from> to <to>",
    usage: "workflow-sync report <plan.json> | <from> <to> [--out report.html] [--workflow KEY]",
    description:
      "One HTML file that opens offline and reads without JavaScript: for each workflow the plan writes, before\n" +
      "and after diagrams (added, removed and changed states and transitions marked by colour, line style and\n" +
      "symbol), the field-level changes, role changes, losses by rule and the requests the apply sends; the\n" +
      "environments, fingerprints and plan checksum; unchanged workflows folded. With <from> <to>, the plan is\n" +
      "made as `plan` makes it (nothing is written to any environment). Without --out the page goes to stdout.",
    args: ["plan-or-from", "to?"],
    flags: {
      out: { type: "string", value: "FILE", description: "the HTML file to write" },
      prune: { type: "boolean", description: "with <from> <to>: as plan --prune" },
      "accept-loss": { type: "boolean", description: "with <from> <to>: as plan --accept-loss" },
      map: { type: "string", value: "FILE", description: "with <from> <to>: as plan --map" },
      workflow: WORKFLOW_FLAG,
    },
    examples: [
      "workflow-sync report plan.json --out report.html",
      "workflow-sync report examples/workflows examples/workflows-prod --out report.html",
    ],
    load: () => import("./report.ts"),
  },
  {
    name: "show",
    summary: "print a plan file for review: text, Markdown (with diagrams) or JSON",
    usage: `workflow-sync show <plan.json> [--format ${showFormats}]`,
    description:
      "Reads a plan file (checked as apply checks it: a hand-edited plan is refused) and prints it: the\n" +
      "changes per target, losses by rule, skipped workflows. Markdown suits a pull-request comment and\n" +
      "embeds a Mermaid diagram of each changed workflow with the changes marked. Reads no environment.",
    args: ["plan"],
    flags: {
      format: {
        type: "string",
        value: "FORMAT",
        description: `output format: ${showFormats} (default text)`,
      },
    },
    examples: ["workflow-sync show plan.json", "workflow-sync show plan.json --format markdown > plan.md"],
    load: () => import("./show.ts"),
  },
  {
    name: "init",
    summary: "write a commented starter config (and a .gitignore line for the state folder)",
    usage: "workflow-sync init [--vendor kontent|contensis|files ...]",
    description:
      "Writes workflow-sync.config.yaml in this folder with a commented example environment for each vendor\n" +
      "named (default: all), and adds the state folder (.workflow-sync/) to .gitignore. An existing config\n" +
      "is never overwritten.",
    args: [],
    flags: {
      vendor: {
        type: "string",
        multiple: true,
        value: "VENDOR",
        description: "kontent, contensis or files (repeatable; default: all three)",
      },
    },
    examples: ["workflow-sync init --vendor kontent --vendor files"],
    load: () => import("./init.ts"),
  },
  {
    name: "completion",
    summary: "print a shell completion script: bash, zsh or fish",
    usage: "workflow-sync completion bash|zsh|fish",
    description:
      "Prints a completion script for commands and flags. Load it from your shell's startup file:\n" +
      '  bash: eval "$(workflow-sync completion bash)"   (in ~/.bashrc)\n' +
      '  zsh:  eval "$(workflow-sync completion zsh)"    (in ~/.zshrc)\n' +
      "  fish: workflow-sync completion fish > ~/.config/fish/completions/workflow-sync.fish",
    args: ["shell"],
    flags: {},
    examples: ["workflow-sync completion bash"],
    load: () => import("./completion.ts"),
  },
];
