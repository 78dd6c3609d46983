#!/usr/bin/env node
/*
 * The package boundaries of workflow-sync, checked on every `npm test` (docs/architecture.md):
 *
 *   core-pure             core's code imports no I/O: no Node built-in but node:crypto (hashing),
 *                         no HTTP client, and no other package of ours
 *   http-standalone       packages/http's code imports no other package of ours
 *   adapter-isolation     an adapter imports no other adapter and not the CLI (tests included)
 *   simulator-standalone  a simulator (tools/*) imports no project code (@workflow-sync/*)
 *   cli-entry-point       the CLI imports a package of ours through its entry point, never a
 *                         path inside it
 *   entry-point           any import of a package of ours names one of its declared exports
 *   package-boundary      a relative import stays inside its own package
 *   undeclared-dependency a package imports only what its package.json declares (code that ships:
 *                         dependencies; tests and scripts: also devDependencies and the root's)
 *   citation-key          no string literal in shipped code holds an internal citation key such
 *                         as `[REF]` or `[Q:…]`: messages cite public URLs or nothing
 *   outside-pointer       no source file or Markdown page points at files a clone does not have
 *                         (the notes folder beside the repository, or an absolute path of the
 *                         machine it was written on): cite a repository path or a public URL
 *
 * "Code that ships" is what the package's tsconfig.json compiles (its include minus its exclude)
 * and what its package.json `files` lists besides dist (e.g. bin/). Everything else in a package
 * (tests, test-support, scripts, configs) is development code.
 *
 * Usage: node scripts/check-boundaries.mjs [--root <dir>]   (exit 0: clean; 1: violations)
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { scanSource } from "../packages/test-utils/src/source-scan.ts";

const SOURCE_FILE = /\.(?:[cm]?ts|[cm]?js)$/;
const SKIPPED_DIRS = new Set(["node_modules", "dist", "coverage", ".nx", ".git"]);
/** Node built-ins that do no I/O, allowed in core. */
const PURE_BUILTINS = new Set(["node:crypto", "crypto"]);
/** HTTP and socket clients: never in core. */
const IO_PACKAGES = new Set([
  "got",
  "undici",
  "axios",
  "node-fetch",
  "ky",
  "cross-fetch",
  "ws",
  "superagent",
]);
/** `[REF]`, `[W]`, `[Q:…/add-a-workflow]`: the citation keys of the vendor notes. */
const CITATION_KEY = /\[[A-Z]{1,6}(?::[^\]]*)?\]/;
/** A path outside the repository: the notes folder beside it, or the machine's work folder. */
const OUTSIDE_POINTER = /(?:\.\.\/)+shared\/|(?<![\w.-])\/work\//;
const TEXT_FILE = /\.(?:[cm]?ts|[cm]?js|md|ya?ml)$/;

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const posix = (path) => path.split(sep).join("/");
const BUILTINS = new Set(builtinModules);
const isBuiltin = (specifier) => specifier.startsWith("node:") || BUILTINS.has(specifier.split("/")[0]);

/** `@scope/name/sub` → [`@scope/name`, `./sub`]; `name/sub` → [`name`, `./sub`]. */
function splitSpecifier(specifier) {
  const parts = specifier.split("/");
  const size = specifier.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, size).join("/");
  const rest = parts.slice(size).join("/");
  return [name, rest === "" ? "." : `./${rest}`];
}

/** A tsconfig include/exclude entry as a test on a path relative to the package. */
function globTest(pattern) {
  const clean = pattern.replace(/^\.\//, "").replace(/\/$/, "");
  if (!/[*?]/.test(clean)) return (path) => path === clean || path.startsWith(`${clean}/`);
  let source = "";
  for (let index = 0; index < clean.length; index++) {
    const char = clean[index];
    if (char === "*" && clean[index + 1] === "*") {
      source += "(?:.*/)?";
      index += clean[index + 2] === "/" ? 2 : 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  const regex = new RegExp(`^${source}(?:/.*)?$`);
  return (path) => regex.test(path);
}

function walk(dir, out = [], pattern = SOURCE_FILE) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if ((entry.name.startsWith(".") && entry.name !== ".changeset") || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out, pattern);
    else if (pattern.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** The workspaces of the root package.json (`dir/*` and plain paths). */
function workspaceDirs(root, patterns) {
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return existsSync(join(root, pattern, "package.json")) ? [pattern] : [];
    const parent = pattern.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent))
      .map((name) => `${parent}/${name}`)
      .filter((dir) => existsSync(join(root, dir, "package.json")));
  });
}

function roleOf(dir, name) {
  if (dir.startsWith("tools/")) return "simulator";
  if (dir.startsWith("apps/")) return "cli";
  if (name === "@workflow-sync/core") return "core";
  if (name === "@workflow-sync/http") return "http";
  if (/^@workflow-sync\/adapter-/.test(name)) return "adapter";
  return "package";
}

function loadPackage(root, dir) {
  const json = readJson(join(root, dir, "package.json"));
  const tsconfigFile = join(root, dir, "tsconfig.json");
  const tsconfig = existsSync(tsconfigFile) ? readJson(tsconfigFile) : { include: [] };
  const include = (tsconfig.include ?? []).map(globTest);
  const exclude = (tsconfig.exclude ?? []).map(globTest);
  const shipped = (json.files ?? [])
    .filter((entry) => !entry.startsWith("!") && !/^dist\b/.test(entry) && !/\.md$/i.test(entry))
    .map(globTest);
  const exportsField = json.exports ?? { ".": json.main ?? "./index.js" };
  const exports =
    typeof exportsField === "string" || !Object.keys(exportsField).some((key) => key.startsWith("."))
      ? ["."]
      : Object.keys(exportsField);
  return {
    dir,
    name: json.name,
    role: roleOf(dir, json.name),
    exports,
    runtime: new Set([
      ...Object.keys(json.dependencies ?? {}),
      ...Object.keys(json.peerDependencies ?? {}),
      ...Object.keys(json.optionalDependencies ?? {}),
    ]),
    dev: new Set(Object.keys(json.devDependencies ?? {})),
    ships: (path) =>
      (include.some((test) => test(path)) && !exclude.some((test) => test(path))) ||
      shipped.some((test) => test(path)),
  };
}

function exportDeclared(target, subpath) {
  return target.exports.some((key) => {
    if (key === subpath) return true;
    if (!key.includes("*")) return false;
    const [head, tail] = key.split("*");
    return subpath.startsWith(head) && subpath.endsWith(tail);
  });
}

/** Every boundary violation under `root`, as `{ file, line, specifier, rule, message }`. */
export function checkBoundaries(root) {
  const rootJson = readJson(join(root, "package.json"));
  const rootDeclared = new Set([
    ...Object.keys(rootJson.dependencies ?? {}),
    ...Object.keys(rootJson.devDependencies ?? {}),
    ...Object.keys(rootJson.optionalDependencies ?? {}),
  ]);
  const packages = workspaceDirs(root, rootJson.workspaces ?? []).map((dir) => loadPackage(root, dir));
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  const violations = [];
  let files = 0;

  for (const pkg of packages) {
    const base = join(root, pkg.dir);
    for (const file of walk(base)) {
      files++;
      const path = posix(relative(base, file));
      const shown = posix(relative(root, file));
      const ships = pkg.ships(path);
      const scanned = scanSource(readFileSync(file, "utf8"));
      const report = (line, specifier, rule, message) =>
        violations.push({ file: shown, line, specifier, rule, message });

      for (const { specifier, line } of scanned.imports) {
        if (specifier.startsWith(".") || specifier.startsWith("/")) {
          const target = resolve(dirname(file), specifier);
          const inside = (dir) => target === dir || target.startsWith(dir + sep);
          if (inside(base)) continue;
          // Development code may use the repository's shared tooling (vitest.shared.ts); nothing
          // reaches into another package's files.
          const other = packages.find((candidate) => inside(join(root, candidate.dir)));
          if (ships || other) {
            report(
              line,
              specifier,
              "package-boundary",
              other
                ? `a relative import reaches into ${other.dir}; import "${other.name}" by its name`
                : `shipped code imports a file outside ${pkg.dir}`,
            );
          }
          continue;
        }
        if (isBuiltin(specifier)) {
          if (pkg.role === "core" && ships && !PURE_BUILTINS.has(specifier)) {
            report(
              line,
              specifier,
              "core-pure",
              "core does no I/O: the only Node built-in it may use is node:crypto",
            );
          }
          continue;
        }
        const [name, subpath] = splitSpecifier(specifier);
        const target = byName.get(name);
        if (pkg.role === "core" && ships && (IO_PACKAGES.has(name) || (target && target !== pkg))) {
          report(
            line,
            specifier,
            "core-pure",
            target
              ? `core imports no other package of ours (${name}): it is pure and vendor-neutral`
              : `core does no I/O: ${name} is an HTTP client`,
          );
          continue;
        }
        if (target && target !== pkg) {
          if (pkg.role === "simulator") {
            report(
              line,
              specifier,
              "simulator-standalone",
              "a simulator imports no project code: it follows the vendor's documentation, not our code",
            );
            continue;
          }
          if (pkg.role === "http" && ships) {
            report(
              line,
              specifier,
              "http-standalone",
              `packages/http imports no other package of ours (${name})`,
            );
            continue;
          }
          if (pkg.role === "adapter" && (target.role === "adapter" || target.role === "cli")) {
            report(
              line,
              specifier,
              "adapter-isolation",
              `an adapter imports neither another adapter nor the CLI (${name})`,
            );
            continue;
          }
        }
        if (target && !exportDeclared(target, subpath)) {
          report(
            line,
            specifier,
            pkg.role === "cli" ? "cli-entry-point" : "entry-point",
            `${subpath} is not an entry point of ${name} (its package.json exports ${target.exports.join(", ")}); import "${name}"`,
          );
          continue;
        }
        if (name === pkg.name) continue;
        if (ships && !pkg.runtime.has(name)) {
          report(
            line,
            specifier,
            "undeclared-dependency",
            pkg.dev.has(name)
              ? `${name} is only a devDependency of ${pkg.dir}/package.json, but shipped code imports it`
              : `${name} is not declared in ${pkg.dir}/package.json dependencies`,
          );
        } else if (!ships && !pkg.runtime.has(name) && !pkg.dev.has(name) && !rootDeclared.has(name)) {
          report(
            line,
            specifier,
            "undeclared-dependency",
            `${name} is declared neither in ${pkg.dir}/package.json nor in the root package.json`,
          );
        }
      }

      if (ships) {
        for (const { value, line } of scanned.strings) {
          const key = CITATION_KEY.exec(value);
          if (key) {
            report(
              line,
              key[0],
              "citation-key",
              "an internal citation key in a string reaches users: cite the public URL or nothing",
            );
          }
        }
      }
    }
  }
  for (const file of walk(root, [], TEXT_FILE)) {
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((text, index) => {
      const found = OUTSIDE_POINTER.exec(text);
      if (found) {
        violations.push({
          file: posix(relative(root, file)),
          line: index + 1,
          specifier: found[0],
          rule: "outside-pointer",
          message: "points at a file a clone does not have: cite a repository path or a public URL",
        });
      }
    });
  }
  return { packages: packages.length, files, violations };
}

function main(argv) {
  const at = argv.indexOf("--root");
  const root = resolve(at === -1 ? join(dirname(fileURLToPath(import.meta.url)), "..") : argv[at + 1]);
  if (!statSync(root).isDirectory()) throw new Error(`--root ${root} is not a folder`);
  const { packages, files, violations } = checkBoundaries(root);
  if (violations.length === 0) {
    console.log(`check-boundaries: ${packages} packages, ${files} files, no violation`);
    return 0;
  }
  console.error(`check-boundaries: ${violations.length} violation${violations.length === 1 ? "" : "s"}`);
  for (const violation of violations) {
    console.error(
      `${violation.file}:${violation.line}: "${violation.specifier}": ${violation.rule}: ${violation.message}`,
    );
  }
  console.error("(the rules: scripts/check-boundaries.mjs; the architecture: docs/architecture.md)");
  return 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
