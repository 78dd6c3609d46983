import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface LoggedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** performance.now() when the server saw the request. */
  at: number;
  index: number;
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  logged: LoggedRequest,
) => void | Promise<void>;

export interface TestServer {
  /** http://127.0.0.1:PORT */
  url: string;
  log: LoggedRequest[];
  /** Requests being handled right now, and the most seen at once. */
  inFlight: { now: number; max: number };
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 for one test; the handler answers (or drops) each request. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const log: LoggedRequest[] = [];
  const inFlight = { now: 0, max: 0 };
  const server = createServer((req, res) => {
    const logged: LoggedRequest = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: "",
      at: performance.now(),
      index: log.length,
    };
    log.push(logged);
    inFlight.now++;
    inFlight.max = Math.max(inFlight.max, inFlight.now);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight.now--;
      }
    };
    res.on("close", finish);
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      logged.body = Buffer.concat(chunks).toString("utf8");
      Promise.resolve(handler(req, res, logged)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 with nothing listening (connections are refused). */
export async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(text);
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
