import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands, globalFlags } from "../../src/commands/registry.ts";
import { testCommand } from "../support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../support/workspace.ts";
import { configYaml, KONTENT_DEV, SECRET_ENV } from "./support.ts";

/*
 * TLS: credentials go only over https, or plain http to a loopback host (127.0.0.0/8, localhost,
 * [::1]); certificates are always checked, and nothing in the code or the options can turn that off.
 */

const ROOT = new URL("../../../../", import.meta.url).pathname;

const kontent = (baseUrl: string) => ({
  "workflow-sync.config.yaml": configYaml({
    x: { vendor: "kontent", environmentId: KONTENT_DEV, apiKey: { env: "KONTENT_DEV_API_KEY" }, baseUrl },
  }),
  "wf/article.json": smallWorkflow(),
});
const contensis = (rootUrl: string) => ({
  "workflow-sync.config.yaml": configYaml({
    x: {
      vendor: "contensis",
      rootUrl,
      projectId: "website",
      clientId: { env: "CONTENSIS_CLIENT_ID" },
      clientSecret: { env: "CONTENSIS_CLIENT_SECRET" },
    },
  }),
  "wf/article.json": smallWorkflow(),
});

/** Runs `validate wf` (a folder: the config is read and checked, no vendor is asked). */
async function checkConfig(files: Record<string, string | object>) {
  const ws = tempWorkspace(files);
  try {
    return await testCommand(["validate", "wf"], { cwd: ws.root, env: SECRET_ENV });
  } finally {
    ws.cleanup();
  }
}

describe("plain http only to a loopback host", () => {
  const allowed = [
    "http://127.0.0.1:4010/v2",
    "http://127.8.9.10/v2",
    "http://localhost:4010/v2",
    "http://LOCALHOST./v2",
    "http://[::1]:4010/v2",
    "http://2130706433/v2", // the URL parser reads this as 127.0.0.1
    "https://manage.kontent.ai/v2",
    "https://10.0.0.8/v2",
  ];
  for (const url of allowed) {
    it(`allows ${url}`, async () => {
      for (const files of [kontent(url), contensis(url)]) {
        const outcome = await checkConfig(files);
        expect(outcome.exitCode, outcome.stderr).toBe(0);
      }
    });
  }
  const refused = [
    "http://manage.kontent.ai/v2",
    "HTTP://EXAMPLE.COM/v2",
    "http://10.0.0.1/v2",
    "http://192.168.1.20:8080/v2",
    "http://0.0.0.0:4010/v2",
    "http://[::2]/v2",
    "http://[::ffff:a00:1]/v2",
    "http://[fe80::1]/v2",
    "http://127.0.0.1.nip.io/v2",
    "http://localhost.example.com/v2",
    "ws://127.0.0.1:4010/v2",
    "file:///etc/passwd",
    "ftp://cms.example.com/",
  ];
  for (const url of refused) {
    it(`refuses ${url}, naming the config, the field and the rule`, async () => {
      for (const [files, field] of [
        [kontent(url), "baseUrl"],
        [contensis(url), "rootUrl"],
      ] as const) {
        const outcome = await checkConfig(files);
        expect(outcome.exitCode).toBe(1);
        expect(outcome.stderr).toMatch(
          new RegExp(
            `workflow-sync\\.config\\.yaml:\\d+:\\d+: environments\\.x\\.${field}: ${field} must (use https|be an https URL)`,
          ),
        );
      }
    });
  }
});

describe("certificates are checked", () => {
  let dir: string;
  let server: https.Server | undefined;
  let hits = 0;
  const haveOpenssl = (() => {
    try {
      execFileSync("openssl", ["version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();

  beforeAll(async () => {
    if (!haveOpenssl) return;
    // A throwaway self-signed certificate for 127.0.0.1, made for this test only.
    dir = mkdtempSync(join(tmpdir(), "workflow-sync-tls-"));
    execFileSync(
      "openssl",
      // prettier-ignore
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    server = https.createServer(
      { key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) },
      (_req, res) => {
        hits++;
        res.writeHead(200, { "content-type": "application/json" });
        res.end("[]");
      },
    );
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!haveOpenssl)(
    "a self-signed certificate is refused: no request is answered, no secret sent",
    async () => {
      expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
      const port = (server!.address() as AddressInfo).port;
      for (const files of [kontent(`https://127.0.0.1:${port}/v2`), contensis(`https://127.0.0.1:${port}`)]) {
        const ws = tempWorkspace(files);
        try {
          const outcome = await testCommand(["validate", "x"], { cwd: ws.root, env: SECRET_ENV });
          expect(outcome.exitCode).toBe(1);
          expect(outcome.stderr).toMatch(/self[- ]signed certificate|certificate/i);
        } finally {
          ws.cleanup();
        }
      }
      expect(hits).toBe(0);
    },
    30_000,
  );
});

describe("nothing turns certificate checks off", () => {
  const sourceFiles = (): string[] => {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|mts|cts|js|mjs|cjs)$/.test(name) && !/\.test\.ts$/.test(name)) out.push(path);
      }
    };
    for (const area of ["packages", "apps", "tools", "scripts"]) {
      if (existsSync(join(ROOT, area))) walk(join(ROOT, area));
    }
    return out;
  };

  it("no source sets rejectUnauthorized, NODE_TLS_REJECT_UNAUTHORIZED, checkServerIdentity or the like", () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((file) => file.endsWith("packages/http/src/client.ts"))).toBe(true);
    const forbidden =
      /rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|checkServerIdentity|strictSSL|insecureHTTPParser|https\.globalAgent|setDefaultCACertificates|ignoreHTTPSErrors|allowInsecure/;
    const hits = files
      .filter((file) => forbidden.test(readFileSync(file, "utf8")))
      .map((file) => relative(ROOT, file));
    expect(hits).toEqual([]);
  });

  it("no flag or config field offers to skip TLS checks", async () => {
    const flags = [...Object.keys(globalFlags), ...commands.flatMap((command) => Object.keys(command.flags))];
    expect(flags.filter((flag) => /insecure|verify|tls|ssl|cert|unauthori[sz]ed/i.test(flag))).toEqual([]);
    for (const field of [
      { insecure: true },
      { rejectUnauthorized: false },
      { tls: { rejectUnauthorized: false } },
      { strictSSL: false },
    ]) {
      const ws = tempWorkspace({
        "workflow-sync.config.yaml": configYaml({
          x: {
            vendor: "kontent",
            environmentId: KONTENT_DEV,
            apiKey: { env: "KONTENT_DEV_API_KEY" },
            baseUrl: "https://manage.kontent.ai/v2",
            ...field,
          },
        }),
        "wf/article.json": smallWorkflow(),
      });
      try {
        const outcome = await testCommand(["validate", "wf"], { cwd: ws.root, env: SECRET_ENV });
        expect(outcome.exitCode).toBe(1);
        expect(outcome.stderr).toMatch(
          new RegExp(`environments\\.x\\.${Object.keys(field)[0]}: unknown field`),
        );
      } finally {
        ws.cleanup();
      }
    }
  });
});
