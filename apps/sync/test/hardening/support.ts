import { lstatSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join, relative } from "node:path";
import { type ContensisSimulator, startContensisSimulator } from "@workflow-sync/contensis-simulator";
import { type KontentSimulator, startKontentSimulator } from "@workflow-sync/kontent-simulator";
import {
  CONTENSIS_DEV,
  CONTENSIS_PROD,
  DEMO_SECRETS,
  KONTENT_DEV,
  KONTENT_PROD,
} from "@workflow-sync/test-utils";
import { stringify } from "yaml";

/*
 * Shared by the hardening suites: the two simulators, a recording proxy in front of each (it can
 * rewrite an answer, to play a vendor whose responses drift from the schema, and it captures the
 * OAuth access tokens that Contensis issues), config builders and a file-tree snapshot.
 * Everything listens on 127.0.0.1 only.
 */

export { KONTENT_DEV, KONTENT_PROD };

/** Every secret the suites use, by environment variable (the demo's, from @workflow-sync/test-utils). */
export const SECRET_ENV = DEMO_SECRETS;

/** Secret values to search output and files for: the API keys and the client secret (a client id is not a secret). */
export const SECRET_VALUES: readonly string[] = [
  SECRET_ENV.KONTENT_DEV_API_KEY,
  SECRET_ENV.KONTENT_PROD_API_KEY,
  SECRET_ENV.CONTENSIS_CLIENT_SECRET,
];

/** What a proxy answers instead of the upstream: a reply, or "drop" (destroy the socket). */
export type Rewrite = (request: {
  method: string;
  path: string;
}) =>
  | { status: number; contentType?: string; body: string }
  | ((upstream: { status: number; body: string }) => { status: number; contentType?: string; body: string })
  | "drop"
  | undefined;

export interface RecordingProxy {
  url: string;
  /** Requests seen, in order (path without query). */
  seen: Array<{ method: string; path: string }>;
  /** Every OAuth access token an upstream token endpoint handed out through this proxy. */
  tokens: string[];
  rewrite: Rewrite | undefined;
  close(): Promise<void>;
}

/** A proxy on 127.0.0.1 in front of `upstream` (origin only), recording requests and tokens. */
export async function startProxy(upstream: string): Promise<RecordingProxy> {
  const target = new URL(upstream);
  const proxy: RecordingProxy = {
    url: "",
    seen: [],
    tokens: [],
    rewrite: undefined,
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0]!;
      proxy.seen.push({ method: req.method ?? "GET", path });
      const rewritten = proxy.rewrite?.({ method: req.method ?? "GET", path });
      if (rewritten === "drop") {
        req.socket.destroy();
        return;
      }
      if (rewritten && typeof rewritten !== "function") {
        res.writeHead(rewritten.status, { "content-type": rewritten.contentType ?? "application/json" });
        res.end(rewritten.body);
        return;
      }
      const headers = { ...req.headers, host: target.host };
      delete headers["accept-encoding"];
      const forward = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => body.push(chunk));
          answer.on("end", () => {
            const text = Buffer.concat(body).toString("utf8");
            if (path.endsWith("/connect/token")) {
              try {
                const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
                if (typeof token === "string") proxy.tokens.push(token);
              } catch {}
            }
            const replaced =
              typeof rewritten === "function"
                ? rewritten({ status: answer.statusCode ?? 0, body: text })
                : undefined;
            const outHeaders = { ...answer.headers };
            delete outHeaders["content-length"];
            delete outHeaders["transfer-encoding"];
            if (replaced) {
              res.writeHead(replaced.status, {
                ...outHeaders,
                "content-type": replaced.contentType ?? "application/json",
              });
              res.end(replaced.body);
            } else {
              res.writeHead(answer.statusCode ?? 502, outHeaders);
              res.end(text);
            }
          });
        },
      );
      forward.on("error", () => req.socket.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

export interface Servers {
  kontent: KontentSimulator;
  contensis: ContensisSimulator;
  /** Proxies in front of them (the configs point here). */
  kontentProxy: RecordingProxy;
  contensisProxy: RecordingProxy;
  /** Writes either simulator has logged so far. */
  writes(): number;
  close(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  const [kontent, contensis] = await Promise.all([
    startKontentSimulator({ rateLimit: false }),
    startContensisSimulator(),
  ]);
  const [kontentProxy, contensisProxy] = await Promise.all([
    startProxy(kontent.url),
    startProxy(contensis.url),
  ]);
  return {
    kontent,
    contensis,
    kontentProxy,
    contensisProxy,
    writes: () =>
      kontent.requests().filter((entry) => entry.write).length +
      contensis.requests().filter((entry) => entry.write).length,
    close: async () => {
      await Promise.all([kontentProxy.close(), contensisProxy.close(), kontent.close(), contensis.close()]);
    },
  };
}

/** The simulators run without a rate limit: no pacing needed in tests. */
const FAST = { perSecond: 1000, perMinute: 60000 };

/** The four vendor environments of the suites (dev/prod on each vendor), through the proxies. */
export function vendorEnvironments(servers: Pick<Servers, "kontentProxy" | "contensisProxy">) {
  const kontent = (environmentId: string, variable: string) => ({
    vendor: "kontent",
    environmentId,
    apiKey: { env: variable },
    baseUrl: `${servers.kontentProxy.url}/v2`,
    rateLimit: FAST,
  });
  const contensis = (projectId: string) => ({
    vendor: "contensis",
    rootUrl: servers.contensisProxy.url,
    projectId,
    clientId: { env: "CONTENSIS_CLIENT_ID" },
    clientSecret: { env: "CONTENSIS_CLIENT_SECRET" },
    rateLimit: FAST,
  });
  return {
    "kontent-dev": kontent(KONTENT_DEV, "KONTENT_DEV_API_KEY"),
    "kontent-prod": { ...kontent(KONTENT_PROD, "KONTENT_PROD_API_KEY"), protected: true },
    "contensis-dev": contensis(CONTENSIS_DEV),
    "contensis-prod": contensis(CONTENSIS_PROD),
  };
}

/** A config file's YAML text. */
export function configYaml(
  environments: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): string {
  return stringify({ environments, ...extra });
}

/**
 * Every file under `root`, relative, with its size and mtime (and, with `dirs`, every folder): to
 * prove nothing was written.
 */
export function fileTree(root: string, options: { dirs?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stats = lstatSync(path);
      if (stats.isDirectory()) {
        if (options.dirs) out.push(`${relative(root, path)}/`);
        walk(path);
      } else out.push(`${relative(root, path)} ${stats.size} ${stats.mtimeMs}`);
    }
  };
  walk(root);
  return out.sort();
}

/** Every file under `root` as text (for secret searches). */
export function allFiles(root: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stats = lstatSync(path);
      if (stats.isDirectory()) walk(path);
      else if (stats.isFile()) out.push({ path: relative(root, path), text: readFileSync(path, "utf8") });
    }
  };
  walk(root);
  return out;
}
