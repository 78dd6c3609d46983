import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { closedPort, json, startServer, type TestServer } from "./test-support/server.ts";
import { loadOnce, requestsWritten, send, TransportError } from "./transport.ts";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const base = { headers: {}, connectTimeoutMs: 2_000, timeoutMs: 5_000, freshConnection: false };

describe("transport", () => {
  it("sends the body with its length and gives the answer's status, headers and text", async () => {
    const server = await startServer((_req, res) => json(res, 201, { ok: true }));
    servers.push(server);
    const answer = await send({ ...base, method: "POST", url: `${server.url}/a`, body: '{"n":"é"}' });
    expect(answer.status).toBe(201);
    expect(answer.headers["content-type"]).toContain("application/json");
    expect(answer.text).toBe('{"ok":true}');
    expect(server.log[0]!.headers["content-length"]).toBe(String(Buffer.byteLength('{"n":"é"}')));
    expect(server.log[0]!.body).toBe('{"n":"é"}');
    expect(answer.sentAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it("says when the answer's headers came, before a slow body ended (the pace counts the request from then)", async () => {
    let bodyEndedAt = 0;
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      setTimeout(() => {
        bodyEndedAt = Date.now();
        res.end("1]");
      }, 150);
    });
    servers.push(server);
    const answer = await send({ ...base, method: "GET", url: `${server.url}/slow-body` });
    expect(answer.text).toBe("[1]");
    expect(answer.answeredAt).toBeGreaterThanOrEqual(answer.sentAt!);
    expect(answer.answeredAt).toBeLessThan(bodyEndedAt);
  });

  it("a write goes on a connection of its own; reads may share one", async () => {
    const server = await startServer((_req, res) => json(res, 200, {}));
    servers.push(server);
    await send({ ...base, method: "GET", url: `${server.url}/r` });
    await send({ ...base, method: "PUT", url: `${server.url}/w`, body: "{}", freshConnection: true });
    expect(server.log[0]!.headers.connection).toBe("keep-alive");
    expect(server.log[1]!.headers.connection).toBe("close");
  });

  it("decodes an answer the server compressed without being asked", async () => {
    const server = await startServer((req, res) => {
      expect(req.headers["accept-encoding"]).toBeUndefined();
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync('{"zipped":true}'));
    });
    servers.push(server);
    const answer = await send({ ...base, method: "GET", url: `${server.url}/z` });
    expect(answer.text).toBe('{"zipped":true}');
  });

  it("a refused connection is an error that says no connection was made", async () => {
    const error = await send({ ...base, method: "POST", url: `${await closedPort()}/x`, body: "{}" }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: "ECONNREFUSED", connected: false, timedOut: false });
  });

  it("a server that takes too long: ETIMEDOUT after the connection was made", async () => {
    const server = await startServer(() => undefined); // never answers
    servers.push(server);
    const error = await send({
      ...base,
      method: "POST",
      url: `${server.url}/slow`,
      body: "{}",
      timeoutMs: 150,
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "ETIMEDOUT", connected: true, timedOut: true, name: "TimeoutError" });
  });

  it("a connection dropped after the request was sent: connected, not timed out", async () => {
    const server = await startServer((req) => {
      req.socket.destroy();
    });
    servers.push(server);
    const error = await send({ ...base, method: "POST", url: `${server.url}/drop`, body: "{}" }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: "ECONNRESET", connected: true, timedOut: false });
  });
});

describe("requestsWritten", () => {
  it("resolves once the request's last byte is with the socket, not before, and not after the answer", async () => {
    // The server reads nothing for 200 ms: a 32 MB body cannot all be handed to the socket before.
    let readingFrom = 0;
    let answered = 0;
    const server = createServer((req, res) => {
      req.pause();
      setTimeout(() => {
        readingFrom = Date.now();
        req.resume();
        req.on("end", () =>
          setTimeout(() => {
            answered = Date.now();
            res.end("{}");
          }, 200),
        );
      }, 200);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const answer = send({
        ...base,
        method: "PUT",
        url: `http://127.0.0.1:${port}/big`,
        body: "x".repeat(32 * 1024 * 1024),
      });
      await requestsWritten();
      const writtenAt = Date.now();
      expect(readingFrom).toBeGreaterThan(0);
      expect(writtenAt).toBeGreaterThanOrEqual(readingFrom);
      expect(answered).toBe(0);
      expect((await answer).sentAt).toBeLessThanOrEqual(writtenAt);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("resolves when the request fails before it could be written", async () => {
    // The failure is caught at once: it comes while requestsWritten() is awaited.
    const failed = send({ ...base, method: "GET", url: await closedPort() }).catch((error: unknown) => error);
    await requestsWritten();
    expect(await failed).toBeInstanceOf(TransportError);
  });

  it("resolves at once when nothing is being sent", async () => {
    await expect(requestsWritten()).resolves.toBeUndefined();
  });
});

describe("loadOnce", () => {
  it("loads once, whether asked for or prefetched", async () => {
    let loads = 0;
    const loaded = loadOnce(async () => ++loads);
    loaded.prefetch();
    expect(await loaded()).toBe(1);
    loaded.prefetch();
    expect(await loaded()).toBe(1);
    expect(loads).toBe(1);
  });

  it("a prefetch starts the load only once the requests on their way are written", async () => {
    // As in requestsWritten's test: the server reads nothing of a 32 MB body for 200 ms.
    let readingFrom = 0;
    const server = createServer((req, res) => {
      req.pause();
      setTimeout(() => {
        readingFrom = Date.now();
        req.resume();
        req.on("end", () => setTimeout(() => res.end("{}"), 200));
      }, 200);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      let loadedAt = 0;
      const loaded = loadOnce(async () => {
        loadedAt = Date.now();
      });
      const answer = send({
        ...base,
        method: "PUT",
        url: `http://127.0.0.1:${port}/big`,
        body: "x".repeat(32 * 1024 * 1024),
      });
      loaded.prefetch();
      await answer; // answered 200 ms after the body was read: the prefetch has loaded by then
      expect(readingFrom).toBeGreaterThan(0);
      expect(loadedAt).toBeGreaterThanOrEqual(readingFrom);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
