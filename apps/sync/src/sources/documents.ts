import { extname } from "node:path";
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { CliError } from "../errors.ts";
import { readInputText } from "./input-file.ts";

/** A parsed YAML or JSON file that can say where a path inside it sits. */
export interface LoadedDocument {
  file: string;
  value: unknown;
  /** 1-based line and column of the node at `path`, or of its nearest existing parent. */
  locate(path: ReadonlyArray<string | number>): { line: number; column: number } | undefined;
}

export const WORKFLOW_FILE_EXTENSIONS = [".yaml", ".yml", ".json"];

/** Read and parse one file. Syntax errors, duplicate keys and empty files are CliErrors naming the file and line. */
export async function readDocument(file: string, displayName = file): Promise<LoadedDocument> {
  // Size limit and UTF-8 are checked before anything is parsed (input-file.ts).
  return parseDocumentText(await readInputText(file, displayName), displayName);
}

export function parseDocumentText(text: string, displayName: string): LoadedDocument {
  if (text.trim() === "") {
    throw new CliError(
      "invalid_document",
      `${displayName}: the file is empty (expected a workflow in YAML or JSON)`,
    );
  }
  const lineCounter = new LineCounter();
  // JSON is YAML: one parser gives line numbers and refuses duplicate keys in both.
  const document = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    // A JSON file keeps JSON's rules; YAML files use YAML 1.2 core schema (no yes/no booleans).
    schema: "core",
  });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const position = lineCounter.linePos(syntaxError.pos[0]);
    const kind = extname(displayName).toLowerCase() === ".json" ? "JSON" : "YAML";
    const what = syntaxError.code === "DUPLICATE_KEY" ? "duplicate key" : `invalid ${kind}`;
    const detail = syntaxError.message.split("\n")[0];
    throw new CliError(
      syntaxError.code === "DUPLICATE_KEY" ? "duplicate_key" : "invalid_syntax",
      `${displayName}:${position.line}:${position.col}: ${what}: ${detail}`,
      { details: { file: displayName, line: position.line, column: position.col } },
    );
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    // e.g. "Excessive alias count" (a YAML alias bomb): refused, naming the file.
    throw new CliError("invalid_syntax", `${displayName}: invalid YAML: ${(error as Error).message}`, {
      details: { file: displayName },
    });
  }
  return {
    file: displayName,
    value,
    locate(path) {
      let node: unknown = document.contents;
      let found: unknown = node;
      for (const part of path) {
        if (isMap(node)) node = node.get(part, true);
        else if (isSeq(node) && typeof part === "number") node = node.get(part, true);
        else break;
        if (node === undefined) break;
        found = node;
      }
      const range = (found as { range?: [number, number, number] } | undefined)?.range;
      if (!range) return undefined;
      const position = lineCounter.linePos(range[0]);
      return { line: position.line, column: position.col };
    },
  };
}

/**
 * A path as core's `formatPath` writes it (`environments.dev.apiKey`, `states[0]`, `["a b"]`), written
 * here so that reading a valid document loads neither core nor its schema library (documents.test.ts
 * checks that both agree).
 */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out || "(root)";
}

/** One indented line per issue, `file:line:column: path: message`, for a CliError's message. */
export function issueLines(
  display: string,
  issues: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }>,
  document?: LoadedDocument,
): string[] {
  return issues.map((issue) => {
    const at = document?.locate(issue.path);
    return `  ${display}${at ? `:${at.line}:${at.column}` : ""}: ${formatPath(issue.path)}: ${issue.message}`;
  });
}
