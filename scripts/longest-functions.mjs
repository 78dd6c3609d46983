#!/usr/bin/env node
/*
 * The N longest functions of some folders or files (TypeScript and JavaScript), longest first:
 * declarations, methods, getters, function expressions and arrow functions, each measured from
 * its first line (`function`, the method's name, the arrow's parameters) to its closing brace.
 * A nested function is named after its parents (`checkWorkflow > keysOf.states`) and is also
 * counted inside them. Test files (`*.test.*`, `test/`, `test-support/`) are left out unless
 * `--tests` is given.
 *
 * Usage: node scripts/longest-functions.mjs [-n 20] [--over 60] [--tests] [--json] <folder|file>...
 *   -n N       list N functions (default 20)
 *   --over L   list only functions longer than L lines
 *
 * It parses with `rolldown/parseAst` (the Oxc parser that vite ships; installed with the repo's
 * devDependencies), so it sees functions, not patterns.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAst } from "rolldown/parseAst";

const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js)$/;
const TEST = /(?:\.test\.[cm]?[jt]sx?$)|(?:^|\/)(?:test|test-support|__tests__)\//;
const SKIPPED = new Set(["node_modules", "dist", "coverage", ".nx", ".git"]);

function parseArgs(argv) {
  const options = { count: 20, over: 0, tests: false, json: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-n") options.count = Number(argv[++i]);
    else if (arg === "--over") options.over = Number(argv[++i]);
    else if (arg === "--tests") options.tests = true;
    else if (arg === "--json") options.json = true;
    else if (arg === "-h" || arg === "--help") options.help = true;
    else options.paths.push(arg);
  }
  return options;
}

function* sourceFiles(path, tests) {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (!SKIPPED.has(entry)) yield* sourceFiles(join(path, entry), tests);
    }
  } else if (SOURCE.test(path) && !path.endsWith(".d.ts") && (tests || !TEST.test(path))) {
    yield path;
  }
}

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

function keyName(key) {
  if (!key) return undefined;
  if (key.type === "Identifier") return key.name;
  if (key.type === "PrivateIdentifier") return `#${key.name}`;
  if (key.type === "Literal") return String(key.value);
  return "[computed]";
}

/** The name a function gets from where it stands, and the offset where its text starts. */
function nameOf(node, parent) {
  if (node.id?.name)
    return { name: node.id.name, start: parent?.type?.startsWith("Export") ? parent.start : node.start };
  if (!parent) return { name: "<anonymous>", start: node.start };
  switch (parent.type) {
    case "VariableDeclarator":
      return { name: keyName(parent.id) ?? "<anonymous>", start: parent.start };
    case "MethodDefinition":
    case "Property":
    case "PropertyDefinition": {
      const name = keyName(parent.key) ?? "<anonymous>";
      const prefix = parent.kind === "get" || parent.kind === "set" ? `${parent.kind} ` : "";
      return { name: `${prefix}${name}`, start: parent.start };
    }
    case "AssignmentExpression":
      return { name: keyName(parent.left.property ?? parent.left) ?? "<anonymous>", start: parent.start };
    case "CallExpression":
      return {
        name: `<callback of ${keyName(parent.callee.property ?? parent.callee) ?? "call"}>`,
        start: node.start,
      };
    default:
      return { name: "<anonymous>", start: node.start };
  }
}

/** Every function of one file: `{ name, file, line, lines }`. */
export function functionsOf(file, text = readFileSync(file, "utf8")) {
  const program = parseAst(text, { lang: /\.[cm]?js$/.test(file) ? "js" : "ts" }, file);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const lineOf = (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  const found = [];
  const visit = (node, parent, owners) => {
    if (!node || typeof node.type !== "string") return;
    let inner = owners;
    if (node.type === "ClassDeclaration" || node.type === "ClassExpression") {
      inner = [...owners, node.id?.name ?? keyName(parent?.id) ?? "<class>"];
    } else if (FUNCTION_TYPES.has(node.type)) {
      const { name, start } = nameOf(node, parent);
      const line = lineOf(start);
      found.push({ name: [...owners, name].join(" > "), file, line, lines: lineOf(node.end - 1) - line + 1 });
      inner = [...owners, name];
    }
    for (const key in node) {
      if (key === "type" || key === "start" || key === "end") continue;
      const value = node[key];
      if (Array.isArray(value)) for (const child of value) visit(child, node, inner);
      else if (value && typeof value === "object") visit(value, node, inner);
    }
  };
  visit(program, undefined, []);
  return found;
}

/** The `count` longest functions under `paths`, longest first (ties: by file and line). */
export function longestFunctions(paths, { count = 20, over = 0, tests = false } = {}) {
  const all = [];
  for (const path of paths) for (const file of sourceFiles(path, tests)) all.push(...functionsOf(file));
  all.sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line);
  return all.filter((entry) => entry.lines > over).slice(0, count);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseArgs(process.argv.slice(2));
  if (options.help || options.paths.length === 0) {
    console.error(
      "usage: node scripts/longest-functions.mjs [-n 20] [--over 60] [--tests] [--json] <folder|file>...",
    );
    process.exit(options.help ? 0 : 64);
  }
  const list = longestFunctions(options.paths, options).map((entry) => ({
    ...entry,
    file: relative(process.cwd(), entry.file),
  }));
  if (options.json) console.log(JSON.stringify(list, null, 2));
  else
    for (const entry of list)
      console.log(`${String(entry.lines).padStart(5)}  ${entry.name}  ${entry.file}:${entry.line}`);
}
