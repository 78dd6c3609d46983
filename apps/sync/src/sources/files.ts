import { lstat, readdir, realpath } from "node:fs/promises";
import { extname, join, relative, resolve, sep } from "node:path";
import { formatPath, type Issue, type Loss, parseWorkflow, type Workflow } from "@workflow-sync/core";
import { CliError } from "../errors.ts";
import { type LoadedDocument, readDocument, WORKFLOW_FILE_EXTENSIONS } from "./documents.ts";
import { detectNative, nativeToNeutral } from "./native.ts";
import type { LoadedSource } from "./source.ts";

/** An issue found in a file, with where it sits (1-based line and column when known). */
export interface LocatedIssue extends Issue {
  file: string;
  line?: number;
  column?: number;
}

export interface WorkflowFile {
  file: string;
  /** The parsed file, for neutral files (to locate issues); vendor-native files have none. */
  document?: LoadedDocument;
  workflow: Workflow;
}

export interface FileSourceResult {
  files: WorkflowFile[];
  /** Losses of vendor-native files mapped to the neutral form. */
  losses: Array<Loss & { workflow: string }>;
  /** Parse issues (files that are not workflows); semantic checks come later. */
  issues: LocatedIssue[];
}

export function locateIssues(document: LoadedDocument, issues: readonly Issue[]): LocatedIssue[] {
  return issues.map((issue) => ({ ...issue, file: document.file, ...document.locate(issue.path) }));
}

/** The workflow files of a folder (not recursive), sorted; links that lead outside it are refused. */
export async function listWorkflowFiles(folder: string): Promise<string[]> {
  const root = await realpath(folder);
  const names = (await readdir(folder)).filter((name) =>
    WORKFLOW_FILE_EXTENSIONS.includes(extname(name).toLowerCase()),
  );
  const files: string[] = [];
  for (const name of names.sort()) {
    const path = join(folder, name);
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) {
      const target = await realpath(path).catch(() => undefined);
      if (!target || (target !== root && !target.startsWith(root + sep))) {
        throw new CliError(
          "unsafe_path",
          `${path}: a link that leads outside ${folder}; workflow-sync never follows it`,
        );
      }
    } else if (!stats.isFile()) {
      continue;
    }
    files.push(path);
  }
  return files;
}

/** Read a workflow file or a folder of them, in the neutral form. */
export async function readWorkflowFiles(
  path: string,
  cwd: string,
  options: { locale?: string } = {},
): Promise<FileSourceResult> {
  const absolute = resolve(cwd, path);
  const stats = await lstat(absolute).catch(() => undefined);
  if (!stats)
    throw new CliError(
      "source_not_found",
      `${path}: no such file or folder${absolute === path ? "" : ` (${absolute})`}`,
      { details: { path: absolute } },
    );
  const targets = stats.isDirectory() ? await listWorkflowFiles(absolute) : [absolute];
  const result: FileSourceResult = { files: [], issues: [], losses: [] };
  for (const file of targets) {
    const display = relative(cwd, file) || file;
    const document = await readDocument(file, display);
    const parsed = parseWorkflow(document.value);
    if (parsed.ok) {
      result.files.push({ file: display, document, workflow: parsed.value });
      continue;
    }
    const native = await detectNative(document.value);
    if (!native) {
      result.issues.push(...locateIssues(document, parsed.issues));
      continue;
    }
    const mapped = await nativeToNeutral(native, display, options).catch((error: Error) => {
      throw new CliError(
        "invalid_document",
        `${display}: a ${native.kind} document that does not fit: ${error.message}`,
      );
    });
    for (const workflow of mapped.workflows) result.files.push({ file: display, workflow });
    result.losses.push(...mapped.losses);
    result.issues.push(...locateIssues(document, mapped.issues));
  }
  // Workflow keys are unique in a set: a second workflow with a key already read is an error naming
  // both files (never planned twice, never one silently winning).
  const seen = new Map<string, string>();
  result.files = result.files.filter((entry) => {
    const first = seen.get(entry.workflow.key);
    if (first === undefined) {
      seen.set(entry.workflow.key, entry.file);
      return true;
    }
    result.issues.push({
      code: "duplicate_key",
      path: ["key"],
      message: `workflow key "${entry.workflow.key}" is already used by ${first}; workflow keys must be unique in a set`,
      severity: "error",
      file: entry.file,
      ...entry.document?.locate(["key"]),
    });
    return false;
  });
  return result;
}

export function formatLocatedIssue(issue: LocatedIssue): string {
  const where = issue.line ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
  const path = issue.path.length ? `${formatPath(issue.path)}: ` : "";
  const vendor = issue.vendor ? ` [${issue.vendor}]` : "";
  return `${where}: ${issue.severity} ${path}${issue.message} (${issue.code}${vendor})`;
}

/** Give issues found in a workflow of a source their file, line and column. */
export function locateInSource(
  source: LoadedSource,
  workflowKey: string,
  issues: readonly Issue[],
): LocatedIssue[] {
  const origin = source.origins.get(workflowKey);
  if (origin?.document) return locateIssues(origin.document, issues);
  return issues.map((issue) => ({ ...issue, file: origin?.file ?? source.label }));
}
