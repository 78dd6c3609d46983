/*
 * A small lexer for our TypeScript and JavaScript sources, for the checks that read code as text:
 * the boundary check (scripts/check-boundaries.mjs) and the tests that keep vendor literals out of
 * core. It knows comments, string and template literals (with `${…}` nested to any depth) and
 * regular expression literals, so that an import specifier, a string or a comment is found for
 * what it is, not by a pattern that a message like `from "${state}"` would fool.
 *
 * Erasable syntax only: scripts/check-boundaries.mjs imports this file directly under Node.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";

/** A string literal, or one literal part of a template (`${…}` parts are not included). */
export interface SourceString {
  value: string;
  /** 1-based line where the literal (part) starts. */
  line: number;
  kind: "quote" | "template";
}

/** A module specifier: `from "x"`, `import "x"`, `import("x")`, `require("x")`. */
export interface SourceImport {
  specifier: string;
  line: number;
}

export interface ScannedSource {
  /** The source with every comment replaced by spaces (line breaks kept). */
  code: string;
  strings: SourceString[];
  imports: SourceImport[];
}

/** Keywords after which a `/` starts a regular expression, not a division. */
const REGEX_AFTER_WORD = new Set([
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "instanceof",
  "yield",
  "await",
]);
const IMPORT_BEFORE = /(?:^|[^.\w$])(?:from|import)\s*$|(?:^|[^.\w$])(?:import|require)\s*\(\s*$/;

/** Comments, strings, templates and regular expressions of `text`, told apart. */
export function scanSource(text: string): ScannedSource {
  const code: string[] = [];
  const strings: SourceString[] = [];
  const imports: SourceImport[] = [];
  let line = 1;
  let i = 0;
  /** Open `${` of templates: the brace depth at which each one closes. */
  const templates: number[] = [];
  let depth = 0;
  /** The code since the last string, without comments: what precedes a literal. */
  let before = "";

  const emit = (chunk: string) => {
    code.push(chunk);
    before += chunk;
    if (before.length > 200) before = before.slice(-100);
  };
  const blank = (chunk: string) => {
    const kept = chunk.replace(/[^\n]/g, " ");
    code.push(kept);
    before += " ";
  };
  const countLines = (chunk: string) => {
    for (const char of chunk) if (char === "\n") line++;
  };

  /** Reads a template's literal parts from `i` (just after a backtick or a closing `}`). */
  const readTemplate = (): void => {
    let value = "";
    const start = line;
    let raw = "";
    while (i < text.length) {
      const char = text[i]!;
      if (char === "\\") {
        value += text.slice(i, i + 2);
        raw += text.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (char === "`") {
        raw += char;
        i++;
        strings.push({ value, line: start, kind: "template" });
        countLines(raw);
        code.push(raw);
        before = "";
        return;
      }
      if (char === "$" && text[i + 1] === "{") {
        raw += "${";
        i += 2;
        strings.push({ value, line: start, kind: "template" });
        countLines(raw);
        code.push(raw);
        before = "";
        templates.push(depth);
        depth++;
        return;
      }
      value += char;
      raw += char;
      i++;
    }
    strings.push({ value, line: start, kind: "template" });
    countLines(raw);
    code.push(raw);
  };

  const regexAllowed = (): boolean => {
    const trimmed = before.trimEnd();
    if (trimmed === "") return true;
    const last = trimmed[trimmed.length - 1]!;
    if ("(,=:[!&|?{};+-*%<>~^".includes(last)) return true;
    const word = /[\w$]+$/.exec(trimmed)?.[0];
    return word !== undefined && REGEX_AFTER_WORD.has(word);
  };

  while (i < text.length) {
    const char = text[i]!;
    const next = text[i + 1];
    if (char === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      blank(text.slice(i, stop));
      i = stop;
      continue;
    }
    if (char === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      const chunk = text.slice(i, stop);
      blank(chunk);
      countLines(chunk);
      i = stop;
      continue;
    }
    if (char === '"' || char === "'") {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== char && text[j] !== "\n") {
        if (text[j] === "\\") {
          value += text.slice(j, j + 2);
          j += 2;
        } else value += text[j++];
      }
      if (IMPORT_BEFORE.test(before)) imports.push({ specifier: value, line });
      strings.push({ value, line, kind: "quote" });
      code.push(text.slice(i, j + 1));
      before = "";
      i = j + 1;
      continue;
    }
    if (char === "`") {
      i++;
      code.push("`");
      readTemplate();
      continue;
    }
    if (char === "{") depth++;
    if (char === "}") {
      depth--;
      if (templates.length > 0 && templates[templates.length - 1] === depth) {
        templates.pop();
        code.push("}");
        i++;
        readTemplate();
        continue;
      }
    }
    if (char === "/" && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== "\n") {
        const c = text[j]!;
        if (c === "\\") {
          j += 2;
          continue;
        }
        if (c === "[") inClass = true;
        else if (c === "]") inClass = false;
        else if (c === "/" && !inClass) break;
        j++;
      }
      j++;
      while (j < text.length && /[a-z]/.test(text[j]!)) j++;
      emit(text.slice(i, j));
      i = j;
      continue;
    }
    if (char === "\n") line++;
    emit(char);
    i++;
  }
  return { code: code.join(""), strings, imports };
}

/** A shipped source file of a package: its path under `src/`, its text, and its scan. */
export interface PackageSource {
  path: string;
  text: string;
  scanned: ScannedSource;
}

/**
 * The shipped sources of @workflow-sync/core (`src/**` without tests and test-support), for the
 * tests that keep vendor rules out of core: core's own, and each adapter's for its palettes.
 */
export function coreSources(): PackageSource[] {
  const manifest = createRequire(import.meta.url).resolve("@workflow-sync/core/package.json");
  const src = join(dirname(manifest), "src");
  const files: PackageSource[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "test-support") walk(path);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        const text = readFileSync(path, "utf8");
        files.push({ path: relative(src, path).split(sep).join("/"), text, scanned: scanSource(text) });
      }
    }
  };
  walk(src);
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}
