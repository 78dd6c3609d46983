// One HTTP exchange over Node's own http/https modules: the request, its text answer, and enough about
// a failure to tell whether anything can have reached the server. Everything else (retries, pacing,
// auth, redaction, error bodies) is HttpClient's.
//
// Why not a library: a CLI run pays for every module it loads before its first request. The client
// needs a fraction of what a general HTTP library carries (no redirects, no caching, no streams, no
// hooks), and loading one cost more than a third of the time from process start to the first request.
import type * as HttpModule from "node:http";
import type * as HttpsModule from "node:https";
import { createRequire } from "node:module";

// Through require, not `import`: an ESM import of node:http builds the module's ESM facade, which
// evaluates every export, including the lazy ones that load Node's bundled fetch (undici). A CLI run
// that never calls fetch would pay for it at every start.
// node:https (with TLS) costs about twice what node:http does to load: it is loaded for the first https URL.
const require = createRequire(import.meta.url);
let httpModule: typeof HttpModule | undefined;
let httpsModule: typeof HttpsModule | undefined;
function nodeHttp(): typeof HttpModule {
  httpModule ??= require("node:http") as typeof HttpModule;
  return httpModule;
}
function nodeHttps(): typeof HttpsModule {
  httpsModule ??= require("node:https") as typeof HttpsModule;
  return httpsModule;
}

/** The reason phrase of a status code (`404` → `Not Found`). */
export function statusText(status: number): string | undefined {
  return nodeHttp().STATUS_CODES[status];
}

export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Connecting (DNS, TCP, TLS) must finish within this many ms. */
  connectTimeoutMs: number;
  /** The whole exchange, from the call to the answer's last byte. */
  timeoutMs: number;
  /**
   * A connection of its own, closed after the answer (writes): a pooled keep-alive connection the server
   * has just closed would turn a harmless reset into an unclear write.
   */
  freshConnection: boolean;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Epoch ms when the request's last byte was handed to the socket. */
  sentAt: number | undefined;
  /**
   * Epoch ms when the answer's status line and headers were read: the server counted the request before
   * then. Taken before the body is read and decoded, so work queued on the event loop in between does not
   * make the answer look later than it was.
   */
  answeredAt: number;
}

/** A failed exchange: the system error code and how far it got. */
export class TransportError extends Error {
  readonly code: string;
  /** A connection to the server was made (a reused keep-alive connection counts). */
  readonly connected: boolean;
  /** For https: the TLS handshake finished. */
  readonly secured: boolean;
  readonly timedOut: boolean;

  constructor(
    message: string,
    options: { code: string; connected: boolean; secured: boolean; timedOut: boolean; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.timedOut ? "TimeoutError" : "RequestError";
    this.code = options.code;
    this.connected = options.connected;
    this.secured = options.secured;
    this.timedOut = options.timedOut;
  }
}

/** The agents of writes (`freshConnection`): no keep-alive. One per protocol, made on first use. */
const freshAgents: { http?: HttpModule.Agent; https?: HttpsModule.Agent } = {};
function freshAgent(secure: boolean): HttpModule.Agent {
  if (secure) {
    freshAgents.https ??= new (nodeHttps().Agent)({ keepAlive: false });
    return freshAgents.https;
  }
  freshAgents.http ??= new (nodeHttp().Agent)({ keepAlive: false });
  return freshAgents.http;
}

/** Requests handed to the transport whose last byte has not been handed to the socket yet. */
const unwritten = new Set<Promise<void>>();

/**
 * Resolves once every request sent so far in this process has had its last byte handed to its socket,
 * or has failed. Work that holds the event loop for a while (loading and compiling code) waits for it,
 * so as not to hold back the requests already on their way: a request whose connection opens while
 * the loop is busy is written only when the loop is free again.
 */
export async function requestsWritten(): Promise<void> {
  // A request started a few promise steps ago (through the pacer) reaches the transport first.
  await new Promise((resolve) => setImmediate(resolve));
  while (unwritten.size > 0) await Promise.all(unwritten);
}

/** Something loaded once: when first needed (a call), or ahead of need (`prefetch()`). */
export interface LoadedOnce<T> {
  (): Promise<T>;
  /** Starts the load once the requests on their way have been written (`requestsWritten`). */
  prefetch(): void;
}

/**
 * `load`, run once. For what the answer of a request needs (its schemas, its error classes):
 * `import()` reads and compiles before it returns, so a prefetch waits until the request itself is
 * with its socket. A prefetch that fails surfaces where the result is awaited.
 */
export function loadOnce<T>(load: () => Promise<T>): LoadedOnce<T> {
  let loading: Promise<T> | undefined;
  let prefetching = false;
  const loaded = () => {
    loading ??= load();
    return loading;
  };
  return Object.assign(loaded, {
    prefetch() {
      if (loading || prefetching) return;
      prefetching = true;
      void requestsWritten().then(() => loaded().catch(() => {}));
    },
  });
}

/** Sends one request and resolves with its answer, whatever its status; rejects with a TransportError. */
// Over ~60 lines on purpose: one promise whose event handlers share the request's state (connected, timers, settled).
export function send(request: TransportRequest): Promise<TransportResponse> {
  const url = new URL(request.url);
  const secure = url.protocol === "https:";
  const protocol = secure ? nodeHttps() : nodeHttp();
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
  const agent = request.freshConnection ? freshAgent(secure) : undefined;

  let written: () => void = () => {};
  const writing = new Promise<void>((resolve) => {
    written = () => {
      unwritten.delete(writing);
      resolve();
    };
  });
  unwritten.add(writing);

  return new Promise<TransportResponse>((resolve, reject) => {
    let connected = false;
    let secured = false;
    let sentAt: number | undefined;
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const clearTimers = () => {
      clearTimeout(totalTimer);
      clearTimeout(connectTimer);
    };
    const fail = (error: unknown, timedOut = false) => {
      if (settled) return;
      settled = true;
      written();
      clearTimers();
      const cause = error as Error & { code?: unknown };
      const code = timedOut ? "ETIMEDOUT" : typeof cause?.code === "string" ? cause.code : "ERR_REQUEST";
      reject(
        new TransportError(cause?.message ?? String(error), { code, connected, secured, timedOut, cause }),
      );
      outgoing.destroy();
    };
    const timeout = (what: string, ms: number) => () =>
      fail(Object.assign(new Error(`timed out ${what} after ${ms} ms`), { code: "ETIMEDOUT" }), true);

    const outgoing = protocol.request(url, {
      method: request.method,
      headers,
      ...(agent ? { agent } : {}),
    });
    const totalTimer = setTimeout(timeout("awaiting the answer", request.timeoutMs), request.timeoutMs);
    outgoing.on("socket", (socket) => {
      const tls = socket as typeof socket & { encrypted?: boolean; authorized?: boolean };
      if (!socket.connecting) {
        // A pooled keep-alive connection: already open (and, for https, already secured).
        connected = true;
        secured = secure;
        return;
      }
      connectTimer = setTimeout(timeout("connecting", request.connectTimeoutMs), request.connectTimeoutMs);
      socket.once("connect", () => {
        connected = true;
        if (!secure) clearTimeout(connectTimer);
      });
      if (secure) {
        socket.once("secureConnect", () => {
          connected = true;
          secured = tls.encrypted !== false;
          clearTimeout(connectTimer);
        });
      }
    });
    outgoing.on("finish", () => {
      sentAt = Date.now();
      written();
    });
    outgoing.on("error", (error) => fail(error));
    outgoing.on("response", (incoming) => {
      const answeredAt = Date.now();
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", (error) => fail(error));
      incoming.on("aborted", () =>
        fail(
          Object.assign(new Error("the connection closed before the answer ended"), { code: "ECONNRESET" }),
        ),
      );
      incoming.on("end", () => {
        if (settled) return;
        if (!incoming.complete) {
          fail(
            Object.assign(new Error("the connection closed before the answer ended"), { code: "ECONNRESET" }),
          );
          return;
        }
        let text: string;
        try {
          text = decode(Buffer.concat(chunks), incoming.headers["content-encoding"]);
        } catch (error) {
          fail(error);
          return;
        }
        settled = true;
        written(); // a server may answer before it has read the whole request
        clearTimers();
        const response = {
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          text,
          sentAt,
          answeredAt,
        };
        // Handed over after the other sockets that were ready at the same time have been read: what the
        // caller does next (parsing, mapping) must not make their answers look later than they came.
        setImmediate(() => resolve(response));
      });
    });
    outgoing.end(request.body);
  });
}

/** The answer's text. No compression is asked for; a server that compresses anyway is decoded. */
function decode(body: Buffer, encoding: string | undefined): string {
  const kind = encoding?.trim().toLowerCase();
  if (!kind || kind === "identity") return body.toString("utf8");
  const zlib: typeof import("node:zlib") = require("node:zlib");
  if (kind === "gzip" || kind === "x-gzip") return zlib.gunzipSync(body).toString("utf8");
  if (kind === "deflate") return zlib.inflateSync(body).toString("utf8");
  if (kind === "br") return zlib.brotliDecompressSync(body).toString("utf8");
  throw Object.assign(new Error(`unsupported content-encoding "${encoding}"`), {
    code: "ERR_CONTENT_ENCODING",
  });
}
