import { randomBytes } from "node:crypto";
import { lstat, mkdir, readFile, realpath, rename, rm, writeFile } from "node:fs/promises";
import { basename, join, relative, resolve, sep } from "node:path";
import {
  checkWorkflow,
  hasErrors,
  KEY_PATTERN,
  type VendorRequest,
  type Workflow,
} from "@workflow-sync/core";
import { CliError } from "../errors.ts";
import { parseDocumentText } from "../sources/documents.ts";
import { formatLocatedIssue, readWorkflowFiles } from "../sources/files.ts";
import { workflowDocument, workflowYaml } from "../sources/workflow-yaml.ts";
import { mergeIntoYaml } from "../sources/yaml-merge.ts";
import type { WriteGate } from "../write-gate.ts";
import type { Environment, Snapshot } from "./types.ts";

/** A folder of workflow files as an environment: workflows as code, reviewed in git. */
export class FilesEnvironment implements Environment {
  readonly vendor = "files" as const;
  readonly name: string;
  readonly protected: boolean;
  readonly label: string;
  readonly #folder: string;
  readonly #cwd: string;
  readonly #gate: WriteGate;
  readonly #createIfMissing: boolean;
  readonly #origin: string | undefined;
  /** The file each workflow key was read from (an update rewrites that file). */
  readonly #files = new Map<string, string>();
  /** The workflow keys each file holds (a file is replaced only when it holds just the key written). */
  readonly #keysByFile = new Map<string, string[]>();
  /** The text of each YAML file read: an update is written into it (its comments and `$schema` stay). */
  readonly #texts = new Map<string, string>();
  #writes = 0;

  constructor(options: {
    name: string;
    /** Absolute, or relative to `cwd`. */
    folder: string;
    cwd: string;
    /** Every write asks it for this environment's approval (write-gate.ts). */
    gate: WriteGate;
    protected?: boolean;
    /**
     * A folder that may not exist yet (an export's --out, a bare folder named as a target): read
     * as empty and created at the first write. Otherwise a missing folder is an error, never an
     * empty environment (with --prune, an empty source would delete everything in the target).
     */
    createIfMissing?: boolean;
    /** Where the folder was configured, for messages (e.g. "path: ./wf in workflow-sync.config.yaml"). */
    origin?: string;
  }) {
    this.name = options.name;
    this.#folder = resolve(options.cwd, options.folder);
    this.#cwd = options.cwd;
    this.#gate = options.gate;
    this.#createIfMissing = options.createIfMissing ?? false;
    this.#origin = options.origin;
    this.label = relative(options.cwd, this.#folder) || ".";
    this.protected = options.protected ?? false;
  }

  /** The folder, resolved (absolute): what is printed as the place being written. */
  get folder(): string {
    return this.#folder;
  }

  async read(): Promise<Snapshot> {
    const exists = await lstat(this.#folder).catch(() => undefined);
    if (exists && !exists.isDirectory()) {
      throw new CliError("not_a_folder", `${this.label}: a files environment must be a folder`);
    }
    if (!exists && !this.#createIfMissing) {
      throw new CliError(
        "folder_not_found",
        `${this.name}: the folder ${this.#folder} does not exist${this.#origin ? ` (${this.#origin})` : ""}; nothing was read or written`,
        {
          suggestions: [
            "a files environment's path is absolute or relative to the config file; create the folder or fix the path",
          ],
          details: { environment: this.name, folder: this.#folder },
        },
      );
    }
    const result = exists
      ? await readWorkflowFiles(relative(this.#cwd, this.#folder) || ".", this.#cwd)
      : undefined;
    const issues = [
      ...(result?.issues ?? []),
      ...(result?.files ?? []).flatMap((entry) =>
        checkWorkflow(entry.workflow)
          .filter((issue) => issue.severity === "error")
          .map((issue) => ({ ...issue, file: entry.file, ...entry.document?.locate(issue.path) })),
      ),
    ];
    if (hasErrors(issues)) {
      throw new CliError(
        "invalid_workflow",
        `${this.label}: ${issues.length} problem(s):\n${issues.map((issue) => `  ${formatLocatedIssue(issue)}`).join("\n")}`,
        { details: { issues } },
      );
    }
    this.#files.clear();
    this.#keysByFile.clear();
    this.#texts.clear();
    for (const entry of result?.files ?? []) {
      const file = basename(entry.file);
      this.#files.set(entry.workflow.key, file);
      this.#keysByFile.set(file, [...(this.#keysByFile.get(file) ?? []), entry.workflow.key]);
      if (/\.ya?ml$/i.test(entry.file)) {
        const text = await readFile(join(this.#folder, file), "utf8").catch(() => undefined);
        if (text !== undefined) this.#texts.set(entry.workflow.key, text);
      }
    }
    const workflows = (result?.files ?? []).map((entry) => entry.workflow);
    return {
      vendor: "files",
      workflows,
      losses: [],
      roles: [],
      contentTypes: [],
      collections: [],
      readOnly: [],
      native: undefined,
    };
  }

  #fileOf(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new CliError("unsafe_path", `workflow key "${key}" cannot name a file`);
    const file = this.#files.get(key) ?? `${key}.yaml`;
    // Checked when planning, so that nothing at all is written when one file would be clobbered.
    const held = this.#keysByFile.get(file);
    if (held && (held.length !== 1 || held[0] !== key)) throw this.#notSameKey(file, key, held);
    return file;
  }

  /** The file a workflow was read from (undefined: not in the folder). */
  fileOf(key: string): string | undefined {
    return this.#files.get(key);
  }

  /** `key` undefined: a delete, which removes a file only when it holds exactly one workflow. */
  #notSameKey(file: string, key: string | undefined, held: readonly string[]): CliError {
    const path = join(this.#folder, file);
    const holds =
      held.length === 0 ? "no workflow" : `workflow ${held.map((entry) => `"${entry}"`).join(", ")}`;
    return new CliError(
      "file_holds_another_workflow",
      key === undefined
        ? `${this.name}: refusing to delete ${path}: it holds ${holds}, not one workflow; nothing was written`
        : `${this.name}: refusing to replace ${path}: it holds ${holds}, not "${key}"; nothing was written`,
      {
        suggestions: [`rename or move ${path}, then run again`],
        details: {
          environment: this.name,
          file: path,
          ...(key === undefined ? {} : { key }),
          holds: [...held],
        },
      },
    );
  }

  project(desired: Workflow) {
    return { value: desired, losses: [] };
  }

  planCreate(desired: Workflow) {
    return {
      value: [
        {
          method: "PUT" as const,
          path: this.#fileOf(desired.key),
          body: this.#yamlOf(desired),
          description: `write ${this.#fileOf(desired.key)}`,
        },
      ],
      losses: [],
    };
  }

  /** The file's new text: written into the old YAML document when there is one, else canonical. */
  #yamlOf(desired: Workflow): string {
    const previous = this.#texts.get(desired.key);
    return (
      (previous !== undefined && mergeIntoYaml(previous, workflowDocument(desired))) || workflowYaml(desired)
    );
  }

  planUpdate(desired: Workflow) {
    return this.planCreate(desired);
  }

  planDelete(current: Workflow): VendorRequest[] {
    return [
      {
        method: "DELETE",
        path: this.#fileOf(current.key),
        description: `delete ${this.#fileOf(current.key)}`,
      },
    ];
  }

  /** Writes stay inside the folder: no `..`, no absolute path, no link followed out of it. */
  async #safePath(name: string): Promise<string> {
    if (
      name !== basename(name) ||
      name.startsWith(".") ||
      !/^[A-Za-z0-9_][A-Za-z0-9_.-]*\.(ya?ml|json)$/.test(name)
    ) {
      throw new CliError("unsafe_path", `refusing to write "${name}": not a plain workflow file name`);
    }
    await mkdir(this.#folder, { recursive: true });
    const root = await realpath(this.#folder);
    const path = join(root, name);
    const stats = await lstat(path).catch(() => undefined);
    if (stats?.isSymbolicLink()) {
      throw new CliError(
        "unsafe_path",
        `refusing to write ${name}: it is a link (workflow-sync never follows links)`,
      );
    }
    if (!path.startsWith(root + sep))
      throw new CliError("unsafe_path", `refusing to write outside ${this.label}`);
    return path;
  }

  async execute(request: VendorRequest): Promise<void> {
    this.#gate.assertApproved(this);
    const path = await this.#safePath(request.path);
    // Second line of defence (the first is #fileOf when planning): a file is replaced or deleted
    // only when it holds exactly the workflow being written, whatever the plan says.
    const held = await this.#keysIn(path);
    if (request.method === "DELETE") {
      if (held && held.length !== 1) throw this.#notSameKey(request.path, undefined, held);
      this.#writes++;
      await rm(path, { force: true });
      return;
    }
    if (held) {
      const key = (parseDocumentText(String(request.body), request.path).value as { key?: unknown } | null)
        ?.key;
      if (held.length !== 1 || held[0] !== key) throw this.#notSameKey(request.path, String(key), held);
    }
    this.#writes++;
    // A random suffix: a temporary file left by a crash (same pid in a container) or planted as a
    // link cannot block or redirect the write.
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(temporary, String(request.body), { flag: "wx" });
    await rename(temporary, path);
  }

  /** The workflow keys a file holds; undefined when there is no such file. */
  async #keysIn(path: string): Promise<string[] | undefined> {
    if (!(await lstat(path).catch(() => undefined))) return undefined;
    const found = await readWorkflowFiles(path, this.#cwd).catch(() => undefined);
    return found ? found.files.map((entry) => entry.workflow.key) : [];
  }

  stats() {
    return { requests: this.#writes, throttled: 0, retries: 0, waitedMs: 0 };
  }
}
