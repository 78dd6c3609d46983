import { afterAll, beforeAll, it } from "vitest";
import { testCommand } from "../test-support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../test-support/workspace.ts";
import {
  configYaml,
  type Rewrite,
  SECRET_ENV,
  type Servers,
  startServers,
  vendorEnvironments,
} from "./support.ts";

let s: Servers;
beforeAll(async () => {
  s = await startServers();
});
afterAll(async () => {
  await s.close();
});

const show = (name: string, o: { exitCode: number; stdout: string; stderr: string }) =>
  console.log(
    `=== ${name}: exit ${o.exitCode}\nSTDOUT:${o.stdout.slice(0, 1500)}\nSTDERR:${o.stderr.slice(0, 1500)}`,
  );

const drift: Array<[string, "k" | "c", Rewrite, string[]]> = [
  [
    "k missing steps",
    "k",
    ({ method, path }) =>
      method === "GET" && path.endsWith("/workflows")
        ? (u) => ({
            status: 200,
            body: JSON.stringify(
              (JSON.parse(u.body) as Array<Record<string, unknown>>).map(({ steps, ...w }) => w),
            ),
          })
        : undefined,
    ["validate", "kontent-dev"],
  ],
  [
    "k wrong type",
    "k",
    ({ method, path }) =>
      method === "GET" && path.endsWith("/workflows")
        ? (u) => ({
            status: 200,
            body: JSON.stringify(
              (JSON.parse(u.body) as Array<Record<string, unknown>>).map((w) => ({ ...w, steps: "many" })),
            ),
          })
        : undefined,
    ["validate", "kontent-dev", "--json"],
  ],
  [
    "k unknown color",
    "k",
    ({ method, path }) =>
      method === "GET" && path.endsWith("/workflows")
        ? (u) => ({ status: 200, body: u.body.replace(/"color":"[a-z-]+"/, '"color":"ultraviolet"') })
        : undefined,
    ["validate", "kontent-dev"],
  ],
  [
    "k html",
    "k",
    ({ method, path }) =>
      method === "GET" && path.endsWith("/roles")
        ? { status: 200, contentType: "text/html", body: "<html><body>Service Unavailable</body></html>" }
        : undefined,
    ["validate", "kontent-dev"],
  ],
  [
    "k html 404",
    "k",
    ({ method, path }) =>
      method === "GET" && path.endsWith("/roles")
        ? { status: 404, contentType: "text/html", body: "<html><body>Not found</body></html>" }
        : undefined,
    ["validate", "kontent-dev"],
  ],
  [
    "k empty",
    "k",
    ({ method, path }) =>
      method === "GET" && path.endsWith("/collections") ? { status: 200, body: "" } : undefined,
    ["validate", "kontent-dev"],
  ],
  [
    "k null",
    "k",
    ({ method, path }) =>
      method === "GET" && path.endsWith("/workflows") ? { status: 200, body: "null" } : undefined,
    ["validate", "kontent-dev"],
  ],
  [
    "c missing",
    "c",
    ({ method, path }) =>
      method === "GET" && path.endsWith("/workflow/definitions")
        ? (u) => ({ status: 200, body: u.body.replace(/"states":/g, '"statez":') })
        : undefined,
    ["validate", "contensis-dev"],
  ],
  [
    "c wrong type",
    "c",
    ({ method, path }) =>
      method === "GET" && path.endsWith("/workflow/definitions")
        ? (u) => ({ status: 200, body: u.body.replace(/"totalCount":\d+/, '"totalCount":"many"') })
        : undefined,
    ["validate", "contensis-dev"],
  ],
  [
    "c html token",
    "c",
    ({ method, path }) =>
      method === "POST" && path.endsWith("/connect/token")
        ? { status: 200, contentType: "text/html", body: "<!doctype html><h1>Login</h1>" }
        : undefined,
    ["validate", "contensis-dev"],
  ],
  [
    "c empty",
    "c",
    ({ method, path }) =>
      method === "GET" && path.endsWith("/contenttypes") ? { status: 200, body: "" } : undefined,
    ["validate", "contensis-dev"],
  ],
  [
    "c unknown enum",
    "c",
    ({ method, path }) =>
      method === "GET" && path.endsWith("/workflow/definitions")
        ? (u) => ({ status: 200, body: u.body.replace(/"type":"[A-Za-z]+"/, '"type":"teleport"') })
        : undefined,
    ["validate", "contensis-dev"],
  ],
];
for (const [name, v, rewrite, argv] of drift) {
  it(name, async () => {
    const ws = tempWorkspace({ "workflow-sync.config.yaml": configYaml(vendorEnvironments(s)) });
    const p = v === "k" ? s.kontentProxy : s.contensisProxy;
    p.rewrite = rewrite;
    const o = await testCommand(argv, { cwd: ws.root, env: SECRET_ENV });
    p.rewrite = undefined;
    show(name, o);
    ws.cleanup();
  });
}
it("c body sample", async () => {
  const r = await fetch(`${s.contensis.url}/authenticate/connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&client_id=workflow-sync-demo&client_secret=demo-secret-not-for-production",
  });
  const t = ((await r.json()) as { access_token: string }).access_token;
  const d = await fetch(
    `${s.contensis.url}/api/management/projects/website-dev/workflow/definitions?pageSize=1`,
    { headers: { authorization: `Bearer ${t}` } },
  );
  console.log((await d.text()).slice(0, 1500));
});
it("mapping unknown role", async () => {
  const ws = tempWorkspace({
    "workflow-sync.config.yaml": configYaml(vendorEnvironments(s)),
    "wf/article.json": smallWorkflow(),
    "map.yaml": "roles:\n  Reviewer: Ghost role\n",
  });
  show(
    "map",
    await testCommand(["plan", "wf", "kontent-dev", "--out", "p.json", "--map", "map.yaml"], {
      cwd: ws.root,
      env: SECRET_ENV,
    }),
  );
  show(
    "nomap",
    await testCommand(["plan", "wf", "kontent-dev", "--out", "p.json"], { cwd: ws.root, env: SECRET_ENV }),
  );
  show(
    "diffmap",
    await testCommand(["diff", "wf", "kontent-dev", "--map", "map.yaml"], { cwd: ws.root, env: SECRET_ENV }),
  );
  show(
    "plan k->c",
    await testCommand(["plan", "kontent-dev", "contensis-dev", "--out", "p2.json"], {
      cwd: ws.root,
      env: SECRET_ENV,
    }),
  );
  show("apply lossy", await testCommand(["apply", "p2.json", "--yes"], { cwd: ws.root, env: SECRET_ENV }));
  console.log("writes", s.writes());
});
