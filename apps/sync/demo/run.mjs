#!/usr/bin/env node
// npm run demo: both simulators on loopback with dev and prod data, then the real CLI through
// validate, diff, plan, apply, a cross-vendor migration with its losses, and a Mermaid graph.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../../", import.meta.url).pathname;
const bin = join(root, "apps/sync/bin/workflow-sync.js");
const { startKontentSimulator } = await import(join(root, "tools/kontent-simulator/dist/index.js"));
const { startContensisSimulator } = await import(join(root, "tools/contensis-simulator/dist/index.js"));

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (text) => (color ? `\u001b[1m${text}\u001b[0m` : text);
const dim = (text) => (color ? `\u001b[2m${text}\u001b[0m` : text);

const kontent = await startKontentSimulator(); // the vendor's default limits: 10 requests/s, 400/min
const contensis = await startContensisSimulator();
const work = mkdtempSync(join(tmpdir(), "workflow-sync-demo-"));
const env = {
  ...process.env,
  KONTENT_DEV_API_KEY: "dev-secret-key",
  KONTENT_PROD_API_KEY: "prod-secret-key",
  CONTENSIS_CLIENT_ID: "workflow-sync-demo",
  CONTENSIS_CLIENT_SECRET: "demo-secret-not-for-production",
};

writeFileSync(
  join(work, "workflow-sync.config.yaml"),
  `# The demo's environments: simulators on loopback. Secrets come from environment variables.
environments:
  kontent-dev:
    vendor: kontent
    environmentId: 7c9f0e4e-0000-0000-0000-000000000001
    apiKey: { env: KONTENT_DEV_API_KEY }
    baseUrl: ${kontent.baseUrl}
  kontent-prod:
    vendor: kontent
    environmentId: 7c9f0e4e-0000-0000-0000-000000000002
    apiKey: { env: KONTENT_PROD_API_KEY }
    baseUrl: ${kontent.baseUrl}
    protected: true
  contensis-dev:
    vendor: contensis
    rootUrl: ${contensis.url}
    projectId: website-dev
    clientId: { env: CONTENSIS_CLIENT_ID }
    clientSecret: { env: CONTENSIS_CLIENT_SECRET }
  repo:
    vendor: files
    path: ./workflows
`,
);
writeFileSync(
  join(work, "mapping.yaml"),
  `# Contensis role and content type names → Kontent.ai ones
roles:
  Authors: Contributor
  Approvers: Reviewer
  Legal reviewers: Legal
  Editors-in-chief: Project manager
contentTypes:
  pressRelease: article
  legalNotice: product
`,
);

function run(title, args, { filter } = {}) {
  return new Promise((resolve, reject) => {
    console.log(`\n${bold(`## ${title}`)}\n${dim(`$ workflow-sync ${args.join(" ")}`)}`);
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: work,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const lines = out.trimEnd().split("\n");
      console.log((filter ? filter(lines) : lines).join("\n"));
      console.log(dim(`(exit ${code})`));
      resolve(code);
    });
  });
}

try {
  console.log(
    bold("workflow-sync demo") +
      dim(`  (simulators: Kontent.ai ${kontent.baseUrl}, Contensis ${contensis.url})`),
  );
  await run("Export Kontent.ai dev as workflow files (workflows as code)", [
    "export",
    "kontent-dev",
    "--out",
    "workflows",
  ]);
  await run(
    "Validate them (schema, semantics, portability to Contensis)",
    ["validate", "workflows", "--vendor", "contensis"],
    {
      filter: (lines) => [
        ...lines.slice(0, 4),
        ...(lines.length > 5 ? [`  … ${lines.length - 5} more`] : []),
        lines.at(-1),
      ],
    },
  );
  await run("What a promotion dev → prod would change", ["diff", "kontent-dev", "kontent-prod"]);
  await run("Plan it, deletions included (nothing is written)", [
    "plan",
    "kontent-dev",
    "kontent-prod",
    "--prune",
    "--out",
    "plan.json",
  ]);
  await run("A review page for the pull request: before and after diagrams, changes, requests", [
    "report",
    "plan.json",
    "--out",
    "promotion.html",
  ]);
  await run("Apply refuses a protected environment without confirmation", [
    "apply",
    "plan.json",
    "--yes",
    "--prune",
  ]);
  await run("Apply, confirmed: backup first, then paced writes", [
    "apply",
    "plan.json",
    "--yes",
    "--prune",
    "--confirm-env",
    "kontent-prod",
  ]);
  await run("Promoted: dev and prod now agree", [
    "diff",
    "kontent-dev",
    "kontent-prod",
    "--detailed-exitcode",
  ]);
  await run(
    "Migration Contensis → Kontent.ai: planned first, every loss reported before anything is written",
    ["plan", "contensis-dev", "kontent-prod", "--map", "mapping.yaml", "--out", "migrate.json"],
  );
  await run("Its review page", ["report", "migrate.json", "--out", "migration.html"]);
  await run("Applied once the losses are accepted", [
    "apply",
    "migrate.json",
    "--yes",
    "--accept-loss",
    "--confirm-env",
    "kontent-prod",
  ]);
  await run("A workflow as a Mermaid diagram", ["graph", "kontent-dev", "--workflow", "editorial_review"]);
  const writes = (environmentId) =>
    kontent.requests().filter((entry) => entry.write && entry.environmentId === environmentId).length;
  const throttled = kontent.requests().filter((entry) => entry.status === 429).length;
  console.log(
    `\n${bold("Requests")}: Kontent.ai ${kontent.requests().length} (writes to prod ${writes("7c9f0e4e-0000-0000-0000-000000000002")}, ` +
      `to dev ${writes("7c9f0e4e-0000-0000-0000-000000000001")}, 429s ${throttled}); Contensis ${contensis.requests().length}.`,
  );
} finally {
  await kontent.close();
  await contensis.close();
  // The workspace stays, so the plans, review pages, backups and workflow files can be explored.
  console.log(
    `\n${bold("The demo's workspace stays")} at ${work}\n` +
      "  plans: plan.json, migrate.json · review pages: promotion.html, migration.html · workflow files: workflows/\n" +
      "  backups and journals: .workflow-sync/ · config: workflow-sync.config.yaml (its simulators have stopped)\n" +
      `  try: cd ${work} && node ${bin} show plan.json --format markdown\n` +
      `  remove it with: rm -rf ${work}`,
  );
}
