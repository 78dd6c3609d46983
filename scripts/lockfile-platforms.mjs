#!/usr/bin/env node
// The registry this project is developed against lacks some platform binaries of nx and Biome
// (see CONTRIBUTING.md, "Setup and checks"). `npm install` then leaves them out of package-lock.json and
// `npm ci` refuses the lockfile. This adds the entries npm writes on a full registry for optional
// platform packages (version, os, cpu, libc, optional), inferred from the package name.
// Usage: node scripts/lockfile-platforms.mjs [--check-only]
import fs from "node:fs";

const lockPath = new URL("../package-lock.json", import.meta.url);
if (!fs.existsSync(lockPath)) process.exit(0);
const lock = JSON.parse(fs.readFileSync(lockPath, "utf8"));
const packages = lock.packages;

function platformOf(name) {
  const os = ["darwin", "linux", "win32", "freebsd", "android", "openbsd", "sunos", "aix"].find((o) =>
    name.includes(o),
  );
  const cpu = ["arm64", "x64", "ia32", "arm", "ppc64", "s390x", "riscv64", "loong64"].find((c) =>
    new RegExp(`-${c}(-|$)`).test(name),
  );
  const libc = name.includes("musl") ? "musl" : os === "linux" ? "glibc" : undefined;
  return { os, cpu, libc };
}

const added = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (!/[-/](darwin|linux|win32|freebsd|android|openbsd|sunos|aix)-/.test(dep)) continue;
    const key = `node_modules/${dep}`;
    if (packages[key] || packages[`${path}/${key}`]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os || !cpu) continue;
    packages[key] = {
      version,
      cpu: [cpu],
      ...(libc ? { libc: [libc] } : {}),
      dev: entry.dev || undefined,
      license: entry.license,
      optional: true,
      os: [os],
    };
    added.push(`${dep}@${version}`);
  }
}
if (process.argv.includes("--check-only")) {
  if (added.length)
    console.warn(
      `lockfile: ${added.length} platform entries missing; run node scripts/lockfile-platforms.mjs`,
    );
  process.exit(0);
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
fs.writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
console.log(added.length ? `lockfile: added ${added.join(", ")}` : "lockfile: complete");
