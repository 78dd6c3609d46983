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
import { formatLocatedIssue, readWorkflowFiles } from "../sources/files.ts";
import { workflowDocument, workflowYaml } from "../sources/workflow-yaml.ts";
import { mergeIntoYaml } from "../sources/yaml-merge.ts";
import type { Environment, Snapshot } from "./types.ts";

/** A folder of workflow files as an environment: workflows as code, reviewed in git. */
export class FilesEnvironment implements Environment {
  readonly vendor = "files" as const;
  readonly name: string;
  readonly protected: boolean;
  readonly label: string;
  readonly #folder: string;
  readonly #cwd: string;
  /** The file each workflow key was read from (an update rewrites that file). */
  readonly #files = new Map<string, string>();
  /** The text of each YAML file read: an update is written into it (its comments and `$schema` stay). */
  readonly #texts = new Map<string, string>();
  #writes = 0;

  constructor(options: { name: string; folder: string; cwd: string; protected?: boolean }) {
    this.name = options.name;
    this.#folder = resolve(options.cwd, options.folder);
    this.#cwd = options.cwd;
    this.label = relative(options.cwd, this.#folder) || ".";
    this.protected = options.protected ?? false;
  }

  async read(): Promise<Snapshot> {
    const exists = await lstat(this.#folder).catch(() => undefined);
    if (exists && !exists.isDirectory()) {
      throw new CliError("not_a_folder", `${this.label}: a files environment must be a folder`);
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
    this.#texts.clear();
    for (const entry of result?.files ?? []) {
      this.#files.set(entry.workflow.key, basename(entry.file));
      if (/\.ya?ml$/i.test(entry.file)) {
        const text = await readFile(join(this.#folder, basename(entry.file)), "utf8").catch(() => undefined);
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
    return this.#files.get(key) ?? `${key}.yaml`;
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
    const path = await this.#safePath(request.path);
    this.#writes++;
    if (request.method === "DELETE") {
      await rm(path, { force: true });
      return;
    }
    // A random suffix: a temporary file left by a crash (same pid in a container) or planted as a
    // link cannot block or redirect the write.
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(temporary, String(request.body), { flag: "wx" });
    await rename(temporary, path);
  }

  stats() {
    return { requests: this.#writes, throttled: 0, retries: 0, waitedMs: 0 };
  }
}
