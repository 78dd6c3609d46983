import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

/*
 * A package's module bundled the way the CLI ships it (scripts/bundle-cli.mjs: rolldown over the tsc
 * build), for tests that check what loads before a run's first request. rolldown and tsc are loaded
 * only when a test bundles.
 */

const root = new URL("../../../", import.meta.url).pathname;

export interface BundledChunk {
  file: string;
  isEntry: boolean;
  /** Source modules, relative to the repository. */
  modules: string[];
  /** Chunks it imports statically (Node's built-ins left out). */
  imports: string[];
  dynamicImports: string[];
}

export interface BundledEntry {
  /** The folder the bundle was written to; the entry is `<dir>/<module>.js`. */
  dir: string;
  entry: BundledChunk;
  /** The modules loaded before the entry's code runs: its chunk and its static imports, transitively. */
  staticModules(): string[];
  /** Every module the entry can load: static and dynamic imports, transitively. */
  reachableModules(): string[];
  dispose(): void;
}

/**
 * Builds `packageDir` (relative to the repository) with `tsc -b`, then bundles its `dist/<module>.js`
 * as `<module>.js` with the CLI bundle's tree-shaking (only dagre and core's renderers count as free of
 * side effects).
 */
export async function bundlePackageEntry(packageDir: string, module: string): Promise<BundledEntry> {
  const tsc = join(dirname(createRequire(import.meta.url).resolve("typescript/package.json")), "bin/tsc");
  execFileSync(process.execPath, [tsc, "-b", join(root, packageDir, "tsconfig.json")], { stdio: "pipe" });
  const { build } = await import("rolldown");
  const dir = mkdtempSync(join(tmpdir(), "workflow-sync-bundle-"));
  const built = await build({
    input: { [module]: join(root, packageDir, "dist", `${module}.js`) },
    cwd: root,
    platform: "node",
    logLevel: "warn",
    treeshake: { moduleSideEffects: (id) => !/\/@dagrejs\/|packages\/core\/dist\/render\//.test(id) },
    output: { dir, format: "esm", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js" },
  });
  const chunks = new Map<string, BundledChunk>();
  for (const file of built.output) {
    if (file.type !== "chunk") continue;
    chunks.set(file.fileName, {
      file: file.fileName,
      isEntry: file.isEntry,
      modules: file.moduleIds.map((id) => relative(root, id)),
      imports: file.imports.filter((imported) => !imported.startsWith("node:")),
      dynamicImports: file.dynamicImports,
    });
  }
  const entry = [...chunks.values()].find((chunk) => chunk.isEntry)!;
  const closure = (next: (chunk: BundledChunk) => string[]) => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      const chunk = chunks.get(file);
      if (seen.has(file) || !chunk) return;
      seen.add(file);
      for (const imported of next(chunk)) visit(imported);
    };
    visit(entry.file);
    return [...seen].flatMap((file) => chunks.get(file)!.modules);
  };
  return {
    dir,
    entry,
    staticModules: () => closure((chunk) => chunk.imports),
    reachableModules: () => closure((chunk) => [...chunk.imports, ...chunk.dynamicImports]),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
