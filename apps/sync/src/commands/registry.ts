import type { CommandResult, Context } from "../context.ts";
import type { WriteKind } from "../write-gate.ts";
import { reviewCommands, WORKFLOW_FLAG } from "./review-commands.ts";

/** A flag of a command, as node:util parseArgs takes it, with its help line. */
export interface FlagSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  value?: string;
  description: string;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
}

/** A command: light metadata here, its code loaded only when it runs (fast `--help`). */
export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  description: string;
  /** Positional argument names; `?` marks optional ones, `...` a list. */
  args: string[];
  flags: Record<string, FlagSpec>;
  /**
   * What the command writes: "environments" (every write passes the one write gate: protected
   * environments, the prompt, --yes; such a command takes --yes and --confirm-env), "output" (its
   * own output folder), or nothing. An environment refuses any write this declaration does not allow.
   */
  writes?: WriteKind;
  examples: string[];
  load(): Promise<{ run(ctx: Context, args: ParsedArgs): Promise<CommandResult> }>;
}

export const globalFlags: Record<string, FlagSpec> = {
  config: {
    type: "string",
    value: "FILE",
    description:
      "the config file (default: workflow-sync.config.yaml or .json here or above, up to the repository root)",
  },
  json: { type: "boolean", description: "unattended: print one JSON document on stdout, never prompt" },
  verbose: {
    type: "boolean",
    description: "log requests and decisions on stderr (secrets are never printed)",
  },
  "no-color": { type: "boolean", description: "no colour (also: NO_COLOR=1)" },
  help: { type: "boolean", short: "h", description: "show help" },
};

const diffFormats = "text|json|markdown";

/** The language names are written in when a target holds one (Kontent.ai); default: the source's primary one. */
const LOCALE_FLAG: FlagSpec = {
  type: "string",
  value: "LOCALE",
  description: "the language of names written to Kontent.ai (default: the source's primary language)",
};

const PLAN_FLAGS: Record<string, FlagSpec> = {
  locale: LOCALE_FLAG,
  to: {
    type: "string",
    multiple: true,
    value: "ENV",
    description: "target(s), also as arguments; a,b plans several side by side",
  },
  prune: {
    type: "boolean",
    description: "also delete whole workflows that exist only in the target (not needed for states)",
  },
  "accept-loss": {
    type: "boolean",
    description: "accept what the target vendor cannot hold (listed in the plan)",
  },
  map: {
    type: "string",
    value: "FILE",
    description: "rename roles, states or locales between the two sides (mapping.yaml)",
  },
  "allow-empty-source": {
    type: "boolean",
    description: "with --prune: accept a source with no workflows (it empties the target)",
  },
  workflow: WORKFLOW_FLAG,
};

const APPLY_FLAGS: Record<string, FlagSpec> = {
  yes: { type: "boolean", short: "y", description: "do not ask before writing" },
  "confirm-env": {
    type: "string",
    multiple: true,
    value: "NAME",
    description: "confirm a protected environment by name",
  },
};

export const commands: CommandSpec[] = [
  {
    name: "validate",
    summary: "check workflow files or an environment: schema, semantics, portability",
    usage: "workflow-sync validate <source> [--vendor kontent|contensis]",
    description:
      "Reads every workflow of <source> (a file, a folder of workflow files, or an environment of the config)\n" +
      "and reports each problem with the file, the path inside it and the rule. Portability warnings say\n" +
      "what a vendor would refuse. Exit 1 when there is an error; warnings alone exit 0.",
    args: ["source"],
    flags: {
      vendor: {
        type: "string",
        multiple: true,
        value: "VENDOR",
        description: "also check portability to kontent or contensis (repeatable; default: both)",
      },
      strict: { type: "boolean", description: "treat warnings as errors" },
    },
    examples: [
      "workflow-sync validate examples/workflows",
      "workflow-sync validate examples/workflows/editorial.yaml --vendor contensis --json",
    ],
    load: () => import("./validate.ts"),
  },
  {
    name: "diff",
    summary: "show what a sync from <from> to <to> would change in <to>",
    usage: `workflow-sync diff <from> <to> [--format ${diffFormats}] [--detailed-exitcode] [--workflow KEY]`,
    description:
      "Compares workflows by key (workflow, state, transition), never by position. Lines read as changes\n" +
      "to <to>: + would be added, ~ changed, - removed. --prune covers whole workflows only: a workflow\n" +
      "that exists only in <to> is deleted only with --prune, while states and transitions removed inside\n" +
      "an updated workflow are removed by any sync (that is what the update means).\n" +
      "Across vendors, <from> is first put in <to>'s terms; what cannot be carried is listed as losses.\n" +
      "With --detailed-exitcode: exit 0 when equal, 2 when there are changes.",
    args: ["from", "to"],
    flags: {
      format: {
        type: "string",
        value: "FORMAT",
        description: `output format: ${diffFormats} (default text)`,
      },
      "detailed-exitcode": { type: "boolean", description: "exit 2 when there are changes" },
      map: {
        type: "string",
        value: "FILE",
        description: "rename roles, states, locales, content types (mapping.yaml)",
      },
      workflow: WORKFLOW_FLAG,
    },
    examples: [
      "workflow-sync diff examples/workflows examples/workflows-prod",
      "workflow-sync diff kontent-dev kontent-prod --format markdown > diff.md",
    ],
    load: () => import("./diff.ts"),
  },
  {
    name: "export",
    writes: "output",
    summary: "write the workflows of a source as canonical YAML files",
    usage: "workflow-sync export <source> --out <dir> [--workflow KEY]",
    description:
      "Writes one YAML file per workflow (stable key order: re-exporting an unchanged source changes no byte).\n" +
      "Files of workflows no longer in the source are left in place and listed.",
    args: ["source"],
    flags: {
      out: { type: "string", value: "DIR", description: "the folder to write (created if missing)" },
      workflow: WORKFLOW_FLAG,
    },
    examples: ["workflow-sync export kontent-prod --out workflows/"],
    load: () => import("./export.ts"),
  },
  {
    name: "convert",
    summary: "convert a workflow file offline: neutral, Kontent.ai or Contensis form",
    usage: "workflow-sync convert <file> --to neutral|kontent|contensis",
    description:
      "Reads a workflow file (neutral YAML/JSON, or vendor-native JSON: detected) and prints it in the\n" +
      "requested form as JSON on stdout; each thing the target form cannot hold is one line on stderr\n" +
      "(loss: <path>: <reason>). Offline: nothing is read from or written to any environment.",
    args: ["file"],
    flags: {
      to: { type: "string", value: "FORM", description: "neutral, kontent or contensis" },
      locale: LOCALE_FLAG,
    },
    examples: [
      "workflow-sync convert examples/workflows/editorial.yaml --to contensis > editorial.contensis.json",
      "workflow-sync convert kontent-workflow.json --to neutral",
    ],
    load: () => import("./convert.ts"),
  },
  {
    name: "plan",
    summary: "plan a sync from <from> to one or more targets into a plan file",
    usage:
      "workflow-sync plan <from> <to>[,<to>...] [--out plan.json] [--prune] [--accept-loss] [--map mapping.yaml] [--workflow KEY]",
    description:
      "Reads the source and every target (nothing is written) and writes a plan: the ordered operations with\n" +
      "their vendor requests, the target fingerprints, the role/content type/collection mappings, losses and\n" +
      "warnings. Review it, then run `workflow-sync apply plan.json`. Without --out the plan is printed and no\n" +
      "file is written. With --detailed-exitcode: exit 0 when there is nothing to do, 2 when there is.",
    args: ["from", "to..."],
    flags: {
      ...PLAN_FLAGS,
      out: {
        type: "string",
        value: "FILE",
        description: "the plan file to write (without it: printed only)",
      },
      "detailed-exitcode": {
        type: "boolean",
        description: "exit 0 when there is nothing to do, 2 when there is",
      },
    },
    examples: [
      "workflow-sync plan kontent-dev kontent-prod --out plan.json",
      "workflow-sync plan examples/workflows examples/workflows-prod --workflow 'editor*' --detailed-exitcode",
      "workflow-sync plan contensis-dev kontent-dev --out migrate.json --map mapping.yaml",
    ],
    load: () => import("./plan.ts"),
  },
  {
    name: "apply",
    writes: "environments",
    summary: "apply a plan file (refuses a stale plan; backs up first; resumable)",
    usage: "workflow-sync apply <plan.json> [--yes] [--confirm-env NAME] [--accept-loss] [--prune]",
    description:
      "Re-reads each target and refuses a plan whose target changed (exit 4, nothing written). Backs the\n" +
      "target up before the first write and keeps a journal: an interrupted apply resumes, a re-run converges.\n" +
      "Asks before writing unless --yes; with --json it never asks.",
    args: ["plan"],
    flags: { ...APPLY_FLAGS, "accept-loss": PLAN_FLAGS["accept-loss"]!, prune: PLAN_FLAGS.prune! },
    examples: ["workflow-sync apply plan.json --yes --confirm-env kontent-prod"],
    load: () => import("./apply.ts"),
  },
  {
    name: "sync",
    writes: "environments",
    summary: "plan and apply in one go (for CI)",
    usage: "workflow-sync sync <from> <to>[,<to>...] [plan and apply flags]",
    description: "The same as plan followed by apply of that plan, with the same checks and refusals.",
    args: ["from", "to..."],
    flags: { ...PLAN_FLAGS, ...APPLY_FLAGS },
    examples: ["workflow-sync sync repo kontent-prod --yes --confirm-env kontent-prod --json"],
    load: () => import("./sync.ts"),
  },
  {
    name: "restore",
    writes: "environments",
    summary: "put an environment back exactly as a backup holds it",
    usage: "workflow-sync restore <backup.json> --to <env> [--yes] [--confirm-env NAME]",
    description:
      "Plans and applies what turns the environment back into the backup (deletes included) and checks that\n" +
      "its fingerprint then equals the backup's. A backup of another environment is refused.",
    args: ["backup"],
    flags: {
      to: { type: "string", multiple: true, value: "ENV", description: "the environment to restore" },
      ...APPLY_FLAGS,
    },
    examples: [
      "workflow-sync restore .workflow-sync/backups/kontent-prod-….json --to kontent-prod --yes --confirm-env kontent-prod",
    ],
    load: () => import("./restore.ts"),
  },
  {
    name: "transition",
    writes: "environments",
    summary: "invoke a workflow transition on an entry or language variant (checked locally first)",
    usage:
      "workflow-sync transition <env> --item REF --language LANG --event KEY [--data k=v ...] [--role NAME ...] [--yes] [--confirm-env NAME]",
    description:
      "Moves one piece of content through its workflow: a Contensis entry (--event state.event or a bare event,\n" +
      "e.g. sysUnpublish) or a Kontent.ai language variant (--event the transition key: the target step's codename,\n" +
      "e.g. review, published or archived; from Published: unpublish or create_new_version; from Archived:\n" +
      "restore). The move is checked against the workflow first (the\n" +
      "event exists in the current state, required data is given, the guard holds, --role may fire it): an invalid\n" +
      "move fails with the reason and sends nothing. It writes: asks first unless --yes (--json never asks), and a\n" +
      "protected environment needs --confirm-env NAME.",
    args: ["env"],
    flags: {
      item: {
        type: "string",
        value: "REF",
        description: "entry id (Contensis); item id or codename (Kontent.ai)",
      },
      language: {
        type: "string",
        value: "LANG",
        description: "language (en-GB; Kontent.ai: language codename or id)",
      },
      event: { type: "string", value: "KEY", description: "the transition or event to invoke" },
      data: {
        type: "string",
        multiple: true,
        value: "k=v",
        description: 'event data, e.g. message="needs a source"',
      },
      role: {
        type: "string",
        multiple: true,
        value: "NAME",
        description: "check permissions as these roles",
      },
      ...APPLY_FLAGS,
    },
    examples: [
      'workflow-sync transition contensis-prod --item 6a1f… --language en-GB --event awaitingApproval.decline --data message="Needs a source"',
      "workflow-sync transition kontent-dev --item home --language en-US --event create_new_version --yes",
    ],
    load: () => import("./transition.ts"),
  },
  {
    name: "graph",
    summary: "print a workflow as a Mermaid stateDiagram-v2",
    usage: "workflow-sync graph <source> [--workflow KEY] [--locale LOCALE]",
    description: "Prints one Mermaid diagram per workflow of <source> (or just --workflow KEY).",
    args: ["source"],
    flags: {
      workflow: { type: "string", value: "KEY", description: "only this workflow" },
      locale: { type: "string", value: "LOCALE", description: "the locale of state and transition names" },
    },
    examples: ["workflow-sync graph examples/workflows --workflow editorial"],
    load: () => import("./graph.ts"),
  },
  ...reviewCommands,
];

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((command) => command.name === name);
}
