// Bundles the built CLI (apps/sync/dist, from tsc) into apps/sync/dist/bundle: the same modules in a few
// files, so that a run resolves and reads a handful of files instead of about 280 (each resolution of a
// module walks package.json files on disk). Each command, each adapter and the report renderer stay in
// chunks of their own, loaded only when a run needs them. `npm ci` (postinstall) and `npm run build`
// run this after tsc. bin/workflow-sync.js runs the bundle only while it is at least as new as every
// package's build, else the plain dist: a stale bundle never runs (apps/sync/bin/entry.js).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "rolldown";

const root = new URL("../", import.meta.url).pathname;

/**
 * Node's built-in modules taken from `process.getBuiltinModule` (Node >= 22.3; `require` before)
 * instead of `import … from "node:…"`: an ESM import of a built-in builds its ESM facade, which reads
 * every export, and reading the lazy ones loads what a run never uses (node:fs and node:util took
 * 10 to 20 ms each before the first request). node:crypto (about 10 ms to load) is loaded on its first
 * use: its imports here are functions, called through a wrapper. Only `import { … } from "node:…"`
 * lines are rewritten (what tsc emits); any other form is left as it is.
 */
function builtinsWithoutFacade() {
  const onFirstUse = { "node:crypto": ["createHash", "randomBytes"] };
  const line = /^import \{([^}]*)\} from "(node:[a-z_/]+)";$/gm;
  return {
    name: "builtins-without-facade",
    transform(code, id) {
      if (id.includes("/node_modules/") || !code.includes('from "node:')) return null;
      let rewritten = false;
      const next = code.replace(line, (_all, names, builtin) => {
        if (builtin === "node:module") return _all;
        rewritten = true;
        const bindings = names
          .split(",")
          .map((name) => name.trim())
          .filter(Boolean)
          .map((name) => name.split(/\s+as\s+/));
        if (onFirstUse[builtin]) {
          return bindings
            .map(([name, local = name]) => {
              if (!onFirstUse[builtin].includes(name))
                throw new Error(
                  `bundle-cli: ${id} imports ${name} from ${builtin}: add it to onFirstUse if it is a function`,
                );
              return `const ${local} = (...args) => __builtin(${JSON.stringify(builtin)}).${name}(...args);`;
            })
            .join("\n");
        }
        const list = bindings.map(([name, local = name]) => (local === name ? name : `${name}: ${local}`));
        return `const { ${list.join(", ")} } = __builtin(${JSON.stringify(builtin)});`;
      });
      if (!rewritten) return null;
      return {
        code: `import { createRequire as __createRequire } from "node:module";\nconst __builtin = process.getBuiltinModule ? (id) => process.getBuiltinModule(id) : __createRequire(import.meta.url);\n${next}`,
      };
    },
  };
}
// Arguments (apps/sync/test/bundle-chunks.test.ts): an output folder instead of apps/sync/dist/bundle,
// and `--manifest`: also write chunks.json there (each chunk's modules and imports).
const args = process.argv.slice(2);
const manifest = args.includes("--manifest");
const out = args.find((arg) => !arg.startsWith("--")) ?? join(root, "apps/sync/dist/bundle");
const version = join(root, "apps/sync/dist/version.js");
rmSync(out, { recursive: true, force: true });
const built = await build({
  input: join(root, "apps/sync/dist/main.js"),
  cwd: root,
  platform: "node",
  logLevel: "warn",
  preserveEntrySignatures: "allow-extension",
  // dagre's module only defines things: a run that draws no graph need not load it.
  treeshake: { moduleSideEffects: (id) => !/\/@dagrejs\/|packages\/core\/dist\/render\//.test(id) },
  output: {
    dir: out,
    format: "esm",
    entryFileNames: "main.js",
    chunkFileNames: "[name]-[hash].js",
    // Less to read, decode and hash at every start: ASCII (Node decodes it to one byte per character)
    // and without comments or whitespace. Names are kept (mangle off), so stack traces still read.
    charset: "ascii",
    minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } },
    codeSplitting: {
      groups: [
        {
          name: "render-graph",
          test: /@dagrejs|packages\/core\/dist\/render\/(svg|html|mermaid|markdown)\.js/,
          includeDependenciesRecursively: false,
        },
      ],
    },
  },
  plugins: [
    builtinsWithoutFacade(),
    {
      // version.js reads ../package.json next to its own file: one folder deeper in the bundle.
      name: "package-json-path",
      transform(code, id) {
        if (id !== version) return null;
        const moved = code.replace('"../package.json"', '"../../package.json"');
        if (moved === code) throw new Error(`bundle-cli: ${id} no longer reads "../package.json"`);
        return { code: moved };
      },
    },
  ],
});
if (manifest) {
  const chunks = built.output
    .filter((file) => file.type === "chunk")
    .map((chunk) => ({
      file: chunk.fileName,
      modules: chunk.moduleIds.map((id) => relative(root, id)),
      imports: chunk.imports,
      dynamicImports: chunk.dynamicImports,
    }));
  writeFileSync(join(out, "chunks.json"), `${JSON.stringify(chunks, null, 2)}\n`);
}
const bundled = readFileSync(join(out, "main.js"), "utf8");
if (!bundled.includes("export")) throw new Error("bundle-cli: the bundle's main.js exports nothing");
