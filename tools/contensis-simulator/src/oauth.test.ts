import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ContensisSimulator, startContensisSimulator } from "./index.ts";
import { ADMIN, call, DEV, ENTRY, GUID, sleep, tokenFor } from "./test-support/http.ts";

const DENIED = "Authorization has been denied for this request.";
const entryPath = `/api/management/projects/${DEV}/entries/${ENTRY.blogDraft}`;

function tokenRequest(
  sim: ContensisSimulator,
  form: Record<string, string>,
  contentType = "application/x-www-form-urlencoded",
) {
  return fetch(`${sim.url}/authenticate/connect/token`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: new URLSearchParams(form).toString(),
  });
}

const good = {
  grant_type: "client_credentials",
  client_id: ADMIN.clientId,
  client_secret: ADMIN.clientSecret,
  scope: "Entry_Read",
};

describe("OAuth client credentials", () => {
  let sim: ContensisSimulator;
  beforeAll(async () => {
    sim = await startContensisSimulator({ tokenLifetimeSeconds: 120 });
  });
  afterAll(() => sim.close());

  it("issues a bearer token with the configured lifetime", async () => {
    const response = await tokenRequest(sim, good);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ access_token: expect.any(String), expires_in: 120, token_type: "Bearer" });
    expect((await call(sim, String(body.access_token), "GET", entryPath)).status).toBe(200);
  });

  it.each([
    ["a wrong secret", { ...good, client_secret: "nope" }, "invalid_client"],
    ["an unknown client", { ...good, client_id: "someone" }, "invalid_client"],
    ["another grant type", { ...good, grant_type: "password" }, "unsupported_grant_type"],
    ["no grant type", { client_id: ADMIN.clientId, client_secret: ADMIN.clientSecret }, "invalid_request"],
    ["an unknown scope", { ...good, scope: "Entry_Read Everything" }, "invalid_scope"],
  ])("answers 400 for %s", async (_name, form, error) => {
    const response = await tokenRequest(sim, form as Record<string, string>);
    expect(response.status).toBe(400);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe(error);
    expect(body.logId).toMatch(GUID);
  });

  it("wants a form body", async () => {
    const response = await tokenRequest(sim, good, "application/json");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("denies API calls without a valid bearer token", async () => {
    for (const authorization of [undefined, "Bearer unknown-token", "Basic abc", "Bearer"]) {
      const response = await fetch(`${sim.url}${entryPath}`, {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.message).toBe(DENIED);
      expect(body.logId).toMatch(GUID);
    }
  });

  it("accepts the scheme in any case", async () => {
    const token = await tokenFor(sim);
    for (const scheme of ["bearer", "BEARER", "Bearer"]) {
      const response = await fetch(`${sim.url}${entryPath}`, {
        headers: { authorization: `${scheme} ${token}` },
      });
      expect(response.status).toBe(200);
    }
  });

  it("expireTokens() invalidates every issued token; a new one works", async () => {
    const first = await tokenFor(sim);
    const second = await tokenFor(sim);
    sim.expireTokens();
    expect((await call(sim, first, "GET", entryPath)).status).toBe(401);
    expect((await call(sim, second, "GET", entryPath)).status).toBe(401);
    expect((await call(sim, await tokenFor(sim), "GET", entryPath)).status).toBe(200);
  });
});

describe("token lifetime", () => {
  it("expires a token after tokenLifetimeSeconds", async () => {
    const sim = await startContensisSimulator({ tokenLifetimeSeconds: 1 });
    try {
      const token = await tokenFor(sim);
      expect((await call(sim, token, "GET", entryPath)).status).toBe(200);
      await sleep(1100);
      const expired = await call(sim, token, "GET", entryPath);
      expect(expired.status).toBe(401);
      expect(expired.body.message).toBe(DENIED);
    } finally {
      await sim.close();
    }
  });
});
