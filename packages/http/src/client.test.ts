import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { HttpClient, type HttpClientOptions, type HttpEvent } from "./client.ts";
import { HttpError, NetworkError, UnclearWriteError } from "./errors.ts";
import { Pacer } from "./pacer.ts";
import {
  closedPort,
  delay,
  type Handler,
  json,
  startServer,
  type TestServer,
} from "./test-support/server.ts";
import { InsecureUrlError } from "./url.ts";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

function clientFor(baseUrl: string, options: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({
    baseUrl,
    retry: { limit: 3, baseDelayMs: 20, maxDelayMs: 200, ...options.retry },
    ...options,
  });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

/** Every way an error can end up in a log or an output. */
function renderings(error: unknown): string[] {
  const e = error as Error;
  return [
    e.message,
    String(e),
    JSON.stringify(e),
    inspect(e, { depth: Number.POSITIVE_INFINITY }),
    e.stack ?? "",
  ];
}

describe("HttpClient: requests and responses", () => {
  it("sends JSON with auth and default headers, and parses the answer", async () => {
    const server = await serve((_req, res) => json(res, 200, { ok: true }));
    const client = clientFor(`${server.url}/v2/`, {
      headers: async () => ({ Authorization: "Bearer key-1" }),
      userAgent: "test-agent",
    });
    const response = await client.request<{ ok: boolean }>({
      method: "PUT",
      path: "projects/env/workflows/codename/a",
      searchParams: { page: 2, draft: true, skip: undefined },
      json: { name: "A" },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
    expect(response.text).toBe('{"ok":true}');
    const seen = server.log[0]!;
    expect(seen.method).toBe("PUT");
    expect(seen.url).toBe("/v2/projects/env/workflows/codename/a?page=2&draft=true");
    expect(seen.headers.authorization).toBe("Bearer key-1");
    expect(seen.headers["user-agent"]).toBe("test-agent");
    expect(seen.headers.accept).toBe("application/json");
    expect(seen.headers["content-type"]).toContain("application/json");
    expect(JSON.parse(seen.body)).toEqual({ name: "A" });
    expect(response.request.headers.authorization).toBe("[redacted]");
    expect(response.request.body).toEqual({ name: "A" });
  });

  it("sends a form without auth headers when auth is false", async () => {
    const server = await serve((_req, res) => json(res, 200, { access_token: "t", expires_in: 3600 }));
    const client = clientFor(server.url, { headers: () => ({ authorization: "Bearer nope" }) });
    const response = await client.request({
      method: "POST",
      path: "/authenticate/connect/token",
      form: { grant_type: "client_credentials", client_id: "id", client_secret: "cs" },
      auth: false,
    });
    expect(response.status).toBe(200);
    const seen = server.log[0]!;
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen.body).toBe("grant_type=client_credentials&client_id=id&client_secret=cs");
    expect(response.request.body).toEqual({
      grant_type: "client_credentials",
      client_id: "id",
      client_secret: "[redacted]",
    });
  });

  it("gives undefined for an empty body and the text for a non-JSON body", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/empty") {
        res.statusCode = 204;
        res.end();
      } else {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("plain words");
      }
    });
    const client = clientFor(server.url);
    const empty = await client.request({ method: "DELETE", path: "/empty" });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeUndefined();
    const text = await client.request({ method: "GET", path: "/text" });
    expect(text.body).toBe("plain words");
  });

  it("accepts an absolute path on the same origin only", async () => {
    const server = await serve((_req, res) => json(res, 200, []));
    const client = clientFor(`${server.url}/v2`);
    await expect(
      client.request({ method: "GET", path: `${server.url}/v2/next?page=2` }),
    ).resolves.toMatchObject({
      status: 200,
    });
    expect(server.log[0]!.url).toBe("/v2/next?page=2");
    await expect(client.request({ method: "GET", path: "https://elsewhere.example.com/x" })).rejects.toThrow(
      /another origin/,
    );
  });

  it("refuses an insecure base URL", () => {
    expect(() => new HttpClient({ baseUrl: "http://manage.kontent.ai/v2" })).toThrow(InsecureUrlError);
  });

  it("reports each attempt through onEvent, and ignores a failing hook", async () => {
    const server = await serve((_req, res, logged) =>
      logged.index === 0 ? json(res, 503, { message: "busy" }) : json(res, 200, {}),
    );
    const events: HttpEvent[] = [];
    const client = clientFor(server.url, {
      onEvent: (event) => {
        events.push(event);
        throw new Error("hook failed");
      },
    });
    await client.request({ method: "GET", path: "/x" });
    expect(events.map((event) => event.type)).toEqual([
      "request",
      "response",
      "retry",
      "request",
      "response",
    ]);
    expect(events[2]).toMatchObject({ type: "retry", reason: "server_error", status: 503, attempt: 1 });
    expect(client.stats()).toMatchObject({ requests: 2, retries: 1, throttled: 0 });
  });
});

describe("HttpClient: 429 and Retry-After", () => {
  it("waits Retry-After seconds, tells the Pacer and retries", async () => {
    const server = await serve((_req, res, logged) =>
      logged.index === 0
        ? json(res, 429, { error_code: 10000, message: "API rate limit exceeded." }, { "retry-after": "1" })
        : json(res, 200, { ok: 1 }),
    );
    const pacer = new Pacer();
    const events: HttpEvent[] = [];
    const client = clientFor(server.url, { pacer, onEvent: (event) => events.push(event) });
    const response = await client.request({ method: "GET", path: "/workflows" });
    expect(response.body).toEqual({ ok: 1 });
    expect(server.log).toHaveLength(2);
    expect(server.log[1]!.at - server.log[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(events.find((event) => event.type === "throttled")).toMatchObject({
      status: 429,
      retryAfterMs: 1000,
      waitMs: 1000,
    });
    expect(client.stats()).toMatchObject({ requests: 2, throttled: 1, retries: 1 });
    expect(client.stats().waitedMs).toBeGreaterThanOrEqual(900);
    expect(pacer.stats()).toMatchObject({ requests: 2, throttled: 1 });
  });

  it("waits until a Retry-After HTTP date", async () => {
    const server = await serve((_req, res, logged) =>
      logged.index === 0
        ? json(res, 429, {}, { "retry-after": new Date(Date.now() + 2000).toUTCString() })
        : json(res, 200, {}),
    );
    const client = clientFor(server.url);
    await client.request({ method: "GET", path: "/x" });
    expect(server.log).toHaveLength(2);
    // An HTTP date has whole seconds: the wait is between 1 and 2 s.
    expect(server.log[1]!.at - server.log[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("retries a POST after a 429 (the request was not processed)", async () => {
    const server = await serve((_req, res, logged) =>
      logged.index === 0 ? json(res, 429, {}, { "retry-after": "0" }) : json(res, 201, { id: "new" }),
    );
    const client = clientFor(server.url);
    const response = await client.request({ method: "POST", path: "/workflows", json: { name: "W" } });
    expect(response.status).toBe(201);
    expect(server.log.map((request) => request.method)).toEqual(["POST", "POST"]);
    expect(server.log[1]!.body).toBe(server.log[0]!.body);
  });

  it("backs off when a 429 has no Retry-After", async () => {
    const server = await serve((_req, res, logged) =>
      logged.index === 0 ? json(res, 429, {}) : json(res, 200, {}),
    );
    const client = clientFor(server.url, { retry: { baseDelayMs: 200 } });
    await client.request({ method: "GET", path: "/x" });
    expect(server.log[1]!.at - server.log[0]!.at).toBeGreaterThanOrEqual(100);
  });

  it("gives up when Retry-After is longer than maxRetryAfterMs", async () => {
    const server = await serve((_req, res) =>
      json(res, 429, { message: "quota" }, { "retry-after": "3600" }),
    );
    const client = clientFor(server.url, { retry: { maxRetryAfterMs: 60_000 } });
    const error = await caught(client.request({ method: "GET", path: "/x" }));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(429);
    expect((error as HttpError).message).toContain("Retry-After 3600 s exceeds the 60 s");
    expect(server.log).toHaveLength(1);
  });

  it("gives up after the retry limit", async () => {
    const server = await serve((_req, res) => json(res, 429, {}, { "retry-after": "0" }));
    const client = clientFor(server.url, { retry: { limit: 2 } });
    const error = (await caught(client.request({ method: "POST", path: "/x", json: {} }))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(429);
    expect(error.attempts).toBe(3);
    expect(server.log).toHaveLength(3);
  });

  it("a 429 pauses every request of the environment, not just the one that got it", async () => {
    const server = await serve((req, res) =>
      req.url === "/first" ? json(res, 429, {}, { "retry-after": "1" }) : json(res, 200, {}),
    );
    const pacer = new Pacer();
    let other: Promise<unknown> | undefined;
    const b = clientFor(server.url, { pacer });
    const a = clientFor(server.url, {
      pacer,
      retry: { limit: 0 },
      onEvent: (event) => {
        if (event.type === "throttled") other = b.request({ method: "GET", path: "/other" });
      },
    });
    await expect(a.request({ method: "GET", path: "/first" })).rejects.toBeInstanceOf(HttpError);
    await other;
    const first = server.log.find((request) => request.url === "/first")!;
    const second = server.log.find((request) => request.url === "/other")!;
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000);
  });
});

describe("HttpClient: 5xx, timeouts and network errors", () => {
  it.each(["GET", "PUT", "DELETE"] as const)(
    "retries %s after a 5xx with growing backoff, up to the limit",
    async (method) => {
      const server = await serve((_req, res) => json(res, 503, { message: "Service Unavailable" }));
      const client = clientFor(server.url, { retry: { limit: 3, baseDelayMs: 40, maxDelayMs: 1000 } });
      const error = (await caught(
        client.request({ method, path: "/workflows/a", json: method === "PUT" ? {} : undefined }),
      )) as HttpError;
      expect(error).toBeInstanceOf(HttpError);
      expect(error.code).toBe("http_error");
      expect(error.status).toBe(503);
      expect(error.attempts).toBe(4);
      expect(error.message).toContain("4 attempts");
      expect(server.log).toHaveLength(4);
      const gaps = server.log.slice(1).map((request, i) => request.at - server.log[i]!.at);
      // Jittered between half and all of 40, 80, 160 ms.
      expect(gaps[0]!).toBeGreaterThanOrEqual(19);
      expect(gaps[1]!).toBeGreaterThanOrEqual(39);
      expect(gaps[2]!).toBeGreaterThanOrEqual(79);
      expect(client.stats()).toMatchObject({ requests: 4, retries: 3 });
    },
  );

  it("returns the answer when a retry succeeds", async () => {
    const server = await serve((_req, res, logged) =>
      logged.index < 2 ? json(res, 502, {}) : json(res, 200, { fine: true }),
    );
    const response = await clientFor(server.url).request({ method: "GET", path: "/x" });
    expect(response.body).toEqual({ fine: true });
    expect(server.log).toHaveLength(3);
  });

  it("does not retry a POST after a 5xx: UnclearWriteError, exactly one request", async () => {
    const server = await serve((_req, res) =>
      json(res, 500, { message: "Something broke", request_id: "req-42", error_code: 0 }),
    );
    const error = (await caught(
      clientFor(server.url).request({ method: "POST", path: "/workflows", json: { name: "W" } }),
    )) as UnclearWriteError;
    expect(error).toBeInstanceOf(UnclearWriteError);
    expect(error.code).toBe("unclear_write");
    expect(error.reason).toBe("server_error");
    expect(error.status).toBe(500);
    expect(error.requestId).toBe("req-42");
    expect(error.message).toContain("POST");
    expect(error.message).toContain("500 Internal Server Error: Something broke");
    expect(error.request.body).toEqual({ name: "W" });
    expect(server.log).toHaveLength(1);
  });

  it("does not retry a POST whose connection dropped after sending: UnclearWriteError", async () => {
    const server = await serve((req) => {
      req.socket.destroy();
    });
    const error = (await caught(
      clientFor(server.url).request({ method: "POST", path: "/workflows", json: { name: "W" } }),
    )) as UnclearWriteError;
    expect(error).toBeInstanceOf(UnclearWriteError);
    expect(error.reason).toBe("connection");
    expect(error.message).toMatch(/unclear whether the write landed/);
    expect(server.log).toHaveLength(1);
  });

  it("does not retry a POST that timed out: UnclearWriteError", async () => {
    const server = await serve(() => {
      // never answers
    });
    const client = clientFor(server.url, { timeoutMs: 200 });
    const error = (await caught(
      client.request({ method: "POST", path: "/workflows", json: {} }),
    )) as UnclearWriteError;
    expect(error).toBeInstanceOf(UnclearWriteError);
    expect(error.reason).toBe("timeout");
    expect(error.message).toContain("timed out after 200 ms");
    expect(server.log).toHaveLength(1);
  });

  it("retries a POST marked idempotent like any idempotent request", async () => {
    const server = await serve((_req, res, logged) =>
      logged.index === 0 ? json(res, 503, {}) : json(res, 200, {}),
    );
    await clientFor(server.url).request({ method: "POST", path: "/search", json: {}, idempotent: true });
    expect(server.log).toHaveLength(2);
  });

  it("retries a GET whose connection dropped, and one that timed out", async () => {
    const server = await serve((req, res, logged) => {
      if (logged.index === 0) req.socket.destroy();
      else if (logged.index === 1) {
        // hangs: times out
      } else json(res, 200, { third: true });
    });
    const client = clientFor(server.url, { timeoutMs: 300 });
    const response = await client.request({ method: "GET", path: "/x" });
    expect(response.body).toEqual({ third: true });
    expect(server.log).toHaveLength(3);
    expect(client.stats().retries).toBe(2);
  });

  it("ECONNREFUSED: retries then throws NetworkError", async () => {
    const baseUrl = await closedPort();
    const client = clientFor(baseUrl, { retry: { limit: 2 } });
    const error = (await caught(client.request({ method: "GET", path: "/x" }))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe("network_error");
    expect(error.errorCode).toBe("ECONNREFUSED");
    expect(error.attempts).toBe(3);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toContain("(after 3 attempts)");
    expect(client.stats().requests).toBe(3);
  });

  it("ECONNREFUSED on a POST is retried too (nothing was sent), then NetworkError", async () => {
    const baseUrl = await closedPort();
    const client = clientFor(baseUrl, { retry: { limit: 1 } });
    const error = (await caught(client.request({ method: "POST", path: "/x", json: {} }))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.attempts).toBe(2);
  });
});

describe("HttpClient: 401", () => {
  it("calls onUnauthorized once, then retries with the new credentials", async () => {
    let token = "old";
    let renewals = 0;
    const server = await serve((req, res) =>
      req.headers.authorization === "Bearer new"
        ? json(res, 200, { ok: true })
        : json(res, 401, { message: "Denied" }),
    );
    const client = clientFor(server.url, {
      headers: () => ({ Authorization: `Bearer ${token}` }),
      onUnauthorized: async () => {
        renewals++;
        token = "new";
      },
    });
    const response = await client.request({ method: "POST", path: "/entries", json: {} });
    expect(response.body).toEqual({ ok: true });
    expect(renewals).toBe(1);
    expect(server.log.map((request) => request.headers.authorization)).toEqual(["Bearer old", "Bearer new"]);
  });

  it("throws HttpError when the retry is refused too", async () => {
    let renewals = 0;
    const server = await serve((_req, res) =>
      json(res, 401, { message: "Authorization has been denied for this request." }),
    );
    const client = clientFor(server.url, {
      headers: () => ({ authorization: "Bearer x" }),
      onUnauthorized: async () => {
        renewals++;
      },
    });
    const error = (await caught(client.request({ method: "GET", path: "/x" }))) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(401);
    expect(error.message).toContain("401 Unauthorized: Authorization has been denied for this request.");
    expect(renewals).toBe(1);
    expect(server.log).toHaveLength(2);
  });

  it("throws HttpError at once without onUnauthorized", async () => {
    const server = await serve((_req, res) => json(res, 401, {}));
    const error = await caught(clientFor(server.url).request({ method: "GET", path: "/x" }));
    expect(error).toBeInstanceOf(HttpError);
    expect(server.log).toHaveLength(1);
  });

  it("passes on a failure of onUnauthorized, and renews again next time", async () => {
    let calls = 0;
    const server = await serve((_req, res) => json(res, 401, {}));
    const client = clientFor(server.url, {
      onUnauthorized: () => {
        calls++;
        throw new Error("token endpoint down");
      },
    });
    await expect(client.request({ method: "GET", path: "/x" })).rejects.toThrow("token endpoint down");
    await expect(client.request({ method: "GET", path: "/x" })).rejects.toThrow("token endpoint down");
    expect(calls).toBe(2);
  });

  it("renews once for several requests refused at the same time", async () => {
    let token = "old";
    let renewals = 0;
    const server = await serve(async (req, res) => {
      await delay(20);
      if (req.headers.authorization === "Bearer new") json(res, 200, {});
      else json(res, 401, {});
    });
    const client = clientFor(server.url, {
      headers: () => ({ authorization: `Bearer ${token}` }),
      onUnauthorized: async () => {
        renewals++;
        await delay(50);
        token = "new";
      },
    });
    await Promise.all(Array.from({ length: 4 }, () => client.request({ method: "GET", path: "/x" })));
    expect(renewals).toBe(1);
  });
});

describe("HttpClient: errors", () => {
  it("reads a Kontent.ai error body: vendor message, code, request id, validation errors", async () => {
    const server = await serve((_req, res) =>
      json(res, 400, {
        request_id: "4df10acd",
        error_code: 5,
        message: "The provided request body is invalid. See the 'validation_errors' attribute.",
        validation_errors: [{ message: "Provide a nonempty name which fits within 50 characters." }],
      }),
    );
    const error = (await caught(
      clientFor(server.url).request({ method: "POST", path: "/workflows", json: { name: "" } }),
    )) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(400);
    expect(error.vendorCode).toBe(5);
    expect(error.requestId).toBe("4df10acd");
    expect(error.details).toEqual([{ message: "Provide a nonempty name which fits within 50 characters." }]);
    expect(error.message).toBe(
      `POST ${server.url}/workflows failed with 400 Bad Request: The provided request body is invalid. ` +
        "See the 'validation_errors' attribute.: Provide a nonempty name which fits within 50 characters. " +
        "(code 5, request id 4df10acd)",
    );
    expect(error.message).not.toContain("\n");
    expect(server.log).toHaveLength(1);
  });

  it("reads a Contensis error body, and lets describeError override", async () => {
    const server = await serve((_req, res) =>
      json(res, 422, {
        logId: "7b3c",
        message: "Validation failed",
        type: "Validation",
        data: [{ field: "id", message: "must be at most 25 characters" }],
      }),
    );
    const plain = (await caught(
      clientFor(server.url).request({ method: "PUT", path: "/w", json: {} }),
    )) as HttpError;
    expect(plain.message).toContain(
      "422 Unprocessable Entity: Validation failed: id: must be at most 25 characters",
    );
    expect(plain.message).toContain("(code Validation, request id 7b3c)");
    const custom = (await caught(
      clientFor(server.url, { describeError: () => ({ message: "Workflow rejected", code: "wf" }) }).request({
        method: "PUT",
        path: "/w",
        json: {},
      }),
    )) as HttpError;
    expect(custom.message).toContain("Workflow rejected");
    expect(custom.vendorCode).toBe("wf");
    expect(custom.requestId).toBe("7b3c");
  });

  it("keeps an HTML error page as truncated text and does not crash", async () => {
    const page = `<!DOCTYPE html><html><head><title>Upstream unavailable | CDN</title></head><body>${"x".repeat(5000)}</body></html>`;
    const server = await serve((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end(page);
    });
    const error = (await caught(
      clientFor(server.url, { retry: { limit: 0 } }).request({ method: "GET", path: "/x" }),
    )) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(502);
    expect(error.message).toBe(`GET ${server.url}/x failed with 502 Bad Gateway: Upstream unavailable | CDN`);
    expect(typeof error.response.body).toBe("string");
    expect(error.response.text.length).toBeLessThan(2100);
    expect(error.response.text).toContain("more characters]");
  });

  it("survives a body that claims JSON but is not", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end("{not json");
    });
    const error = (await caught(clientFor(server.url).request({ method: "GET", path: "/x" }))) as HttpError;
    expect(error.response.body).toBe("{not json");
    expect(error.message).toContain("400 Bad Request: {not json");
  });
});

describe("HttpClient: secrets never leak", () => {
  const apiKey = "KEY-0123456789abcdef";
  const clientSecret = "CLIENT-SECRET-xyz";
  const secrets = () => [apiKey, clientSecret];

  function expectClean(error: unknown) {
    for (const text of renderings(error)) {
      expect(text).not.toContain(apiKey);
      expect(text).not.toContain(clientSecret);
      expect(text).not.toContain(encodeURIComponent(clientSecret));
    }
  }

  it("from an HttpError whose body, headers and URL echo them", async () => {
    const server = await serve((req, res) =>
      json(
        res,
        400,
        {
          message: `bad key ${apiKey}`,
          echo: req.headers.authorization,
          client_secret: clientSecret,
          url: req.url,
        },
        { "x-echo": `key=${apiKey}`, "set-cookie": "session=abc" },
      ),
    );
    const events: HttpEvent[] = [];
    const client = clientFor(server.url, {
      headers: () => ({ Authorization: `Bearer ${apiKey}` }),
      secrets,
      onEvent: (event) => events.push(event),
    });
    const error = await caught(
      client.request({
        method: "POST",
        path: `/projects/${apiKey}/x`,
        searchParams: { token: "query-token", other: clientSecret },
        json: { apiKey, nested: { password: "pw", note: clientSecret } },
      }),
    );
    expect(error).toBeInstanceOf(HttpError);
    expectClean(error);
    for (const text of renderings(error)) expect(text).not.toContain("query-token");
    expect((error as HttpError).message).toContain("bad key [redacted]");
    expect((error as HttpError).request.headers.authorization).toBe("[redacted]");
    expect((error as HttpError).response.headers["set-cookie"]).toBe("[redacted]");
    const eventText = JSON.stringify(events);
    expect(eventText).not.toContain(apiKey);
    expect(eventText).not.toContain(clientSecret);
  });

  it("from a NetworkError and its cause", async () => {
    const baseUrl = await closedPort();
    const client = clientFor(baseUrl, { secrets, retry: { limit: 0 } });
    const error = await caught(client.request({ method: "GET", path: `/projects/${apiKey}` }));
    expect(error).toBeInstanceOf(NetworkError);
    expectClean(error);
    expect((error as NetworkError).cause).toBeInstanceOf(Error);
  });

  it("from an UnclearWriteError with a form body", async () => {
    const server = await serve((req) => {
      req.socket.destroy();
    });
    const client = clientFor(server.url, { secrets });
    const error = await caught(
      client.request({
        method: "POST",
        path: "/authenticate/connect/token",
        form: { grant_type: "client_credentials", client_id: "id", client_secret: clientSecret },
        auth: false,
      }),
    );
    expect(error).toBeInstanceOf(UnclearWriteError);
    expectClean(error);
    expect((error as UnclearWriteError).request.body).toMatchObject({ client_secret: "[redacted]" });
  });

  it("scrubs the auth header's token even when secrets() does not list it", async () => {
    const server = await serve((req, res) =>
      json(res, 403, { message: `token ${req.headers.authorization} refused` }),
    );
    const client = clientFor(server.url, { headers: () => ({ authorization: "Bearer only-in-header" }) });
    const error = await caught(client.request({ method: "GET", path: "/x" }));
    for (const text of renderings(error)) expect(text).not.toContain("only-in-header");
  });
});

describe("HttpClient: pacing as the server sees it", () => {
  /** The most requests the server saw inside any window [t, t + windowMs). */
  function busiestWindow(times: number[], windowMs: number): number {
    const sorted = [...times].sort((a, b) => a - b);
    let most = 0;
    let first = 0;
    for (let last = 0; last < sorted.length; last++) {
      while (sorted[last]! - sorted[first]! >= windowMs) first++;
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  it("N requests at perSecond p: never more than p in any 1 s window the server sees, bursts at once", async () => {
    const server = await serve(async (_req, res) => {
      await delay(5);
      json(res, 200, {});
    });
    const pacer = new Pacer({ rateLimit: { perSecond: 10, perMinute: 400 }, readConcurrency: 10 });
    const client = clientFor(server.url, { pacer });
    const n = 25;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        client.request(
          i % 5 === 4 ? { method: "PUT", path: `/w/${i}`, json: {} } : { method: "GET", path: `/r/${i}` },
        ),
      ),
    );
    const times = server.log.map((request) => request.at).sort((a, b) => a - b);
    expect(times).toHaveLength(n);
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(10);
    // The limit allows #11 at 1 s and #21 at 2 s; the pacer waits for each window (no sooner)…
    expect(times[10]! - times[0]!).toBeGreaterThanOrEqual(1000);
    expect(times[20]! - times[0]!).toBeGreaterThanOrEqual(2000);
    // …and does not spread a window's requests out: the first window's ten arrive together (the writes one
    // after another; a generous bound for a busy machine, where even spacing would take 900 ms).
    expect(times[9]! - times[0]!).toBeLessThan(600);
    expect(pacer.stats().requests).toBe(n);
  });

  it("runs reads side by side and writes one at a time", async () => {
    let reads = 0;
    let writes = 0;
    let maxReads = 0;
    let maxWrites = 0;
    const server = await serve(async (req, res) => {
      const write = req.method !== "GET";
      if (write) maxWrites = Math.max(maxWrites, ++writes);
      else maxReads = Math.max(maxReads, ++reads);
      await delay(40);
      if (write) writes--;
      else reads--;
      json(res, 200, {});
    });
    const client = clientFor(server.url, { pacer: new Pacer({ readConcurrency: 4 }) });
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => client.request({ method: "GET", path: `/r/${i}` })),
      ...Array.from({ length: 4 }, (_, i) => client.request({ method: "PUT", path: `/w/${i}`, json: { i } })),
    ]);
    expect(maxReads).toBe(4);
    expect(maxWrites).toBe(1);
    expect(server.inFlight.max).toBe(5);
    const writeOrder = server.log.filter((request) => request.method === "PUT").map((request) => request.url);
    expect(writeOrder).toEqual(["/w/0", "/w/1", "/w/2", "/w/3"]);
  });
});
