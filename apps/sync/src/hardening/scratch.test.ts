import { it } from "vitest";
import { testCommand } from "../test-support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../test-support/workspace.ts";

const cases: Array<[string, Record<string, string | object>, string[], Record<string, string>?]> = [
  ["empty name value", { "wf.json": smallWorkflow({ name: { "en-GB": "" } }) }, ["validate", "wf.json"]],
  ["empty name obj", { "wf.json": smallWorkflow({ name: {} }) }, ["validate", "wf.json"]],
  ["bad locale", { "wf.json": smallWorkflow({ name: { x: "a" } }) }, ["validate", "wf.json"]],
  [
    "dup state keys",
    {
      "wf.json": smallWorkflow({
        states: [...smallWorkflow().states, { key: "draft", name: { en: "D" }, kind: "step" }],
      }),
    },
    ["validate", "wf.json"],
  ],
  [
    "dup yaml key",
    { "wf.yaml": "key: a\nname: {en: x}\nname: {en: y}\n" },
    ["validate", "wf.yaml", "--json"],
  ],
  ["states string", { "wf.json": { ...smallWorkflow(), states: "x" } }, ["validate", "wf.json", "--json"]],
  ["top-level array", { "wf.json": "[1,2]" }, ["validate", "wf.json"]],
  ["top-level scalar", { "wf.yaml": "hello" }, ["validate", "wf.yaml"]],
  [
    "yaml alias bomb",
    {
      "wf.yaml":
        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
    },
    ["validate", "wf.yaml"],
  ],
  ["yaml tag", { "wf.yaml": "key: !!js/function 'x'\n" }, ["validate", "wf.yaml"]],
  ["BOM json", { "wf.json": "\ufeff" + JSON.stringify(smallWorkflow()) }, ["validate", "wf.json"]],
  [
    "config unknown vendor",
    { "workflow-sync.config.yaml": "environments:\n  x:\n    vendor: sitecore\n" },
    ["diff", "x", "y"],
  ],
  [
    "config literal secret",
    {
      "workflow-sync.config.yaml":
        "environments:\n  x:\n    vendor: kontent\n    environmentId: abc\n    apiKey: sk-live-123456\n",
    },
    ["diff", "x", "x", "--json"],
  ],
  [
    "config http",
    {
      "workflow-sync.config.yaml":
        "environments:\n  x:\n    vendor: kontent\n    environmentId: abc\n    apiKey: {env: K}\n    baseUrl: http://example.com/v2\n",
    },
    ["validate", "x"],
    { K: "secret-value-1" },
  ],
  [
    "config http user info",
    {
      "workflow-sync.config.yaml":
        "environments:\n  x:\n    vendor: kontent\n    environmentId: abc\n    apiKey: {env: K}\n    baseUrl: https://user:pw@example.invalid/v2\n",
    },
    ["validate", "x"],
    { K: "secret-value-1" },
  ],
  [
    "config ftp",
    {
      "workflow-sync.config.yaml":
        "environments:\n  x:\n    vendor: contensis\n    rootUrl: ftp://example.com\n    projectId: p\n    clientId: {env: A}\n    clientSecret: {env: B}\n",
    },
    ["validate", "x"],
    { A: "aaaa", B: "bbbbbb" },
  ],
  [
    "config bad env name",
    { "workflow-sync.config.yaml": "environments:\n  ../x:\n    vendor: files\n    path: wf\n" },
    ["validate", "x"],
  ],
  [
    "config bad rate",
    {
      "workflow-sync.config.yaml":
        "environments:\n  x:\n    vendor: kontent\n    environmentId: abc\n    apiKey: {env: K}\n    rateLimit: {perSecond: -1}\n",
    },
    ["validate", "x"],
  ],
  [
    "config missing env",
    {
      "workflow-sync.config.yaml":
        "environments:\n  x:\n    vendor: kontent\n    environmentId: abc\n    apiKey: {env: K}\n",
    },
    ["validate", "x", "--json"],
  ],
  ["plan newer", { "plan.json": { formatVersion: 2 } }, ["apply", "plan.json", "--json"]],
  ["plan truncated", { "plan.json": '{"formatVersion": 1, "id": "ab' }, ["apply", "plan.json"]],
];
for (const [name, files, argv, env] of cases) {
  it(name, async () => {
    const ws = tempWorkspace(files);
    const o = await testCommand(argv, { cwd: ws.root, env: env ?? {} });
    console.log(
      `=== ${name}: exit ${o.exitCode}\nSTDOUT:${o.stdout.slice(0, 800)}\nSTDERR:${o.stderr.slice(0, 800)}`,
    );
    ws.cleanup();
  });
}
