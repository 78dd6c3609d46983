import { InsecureUrlError } from "@workflow-sync/http";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CLIENT_CREDENTIALS_SCOPE, createContensisClient, readErrorBody, readToken } from "./client.ts";
import { ContensisApiError, ContensisAuthError, ContensisResponseError } from "./errors.ts";
import {
  ADMIN,
  type ContensisSimulator,
  clientFor,
  DEV,
  lines,
  startContensisSimulator,
} from "./test-support/sim.ts";
import { WireErrorBody, WireToken, WireWorkflowDefinition } from "./wire.ts";
import { createDefinition } from "./write.ts";

let sim: ContensisSimulator;
beforeAll(async () => {
  sim = await startContensisSimulator();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.setFaults(undefined);
});

const tokenRequests = () =>
  lines(sim).filter((line) => line.startsWith("POST /authenticate/connect/token")).length;

describe("token", () => {
  it("is fetched once and reused", async () => {
    const client = clientFor(sim);
    for (let i = 0; i < 3; i++) {
      await client.getAllPages("/security/roles", WireWorkflowDefinition.pick({ id: true }), "roles");
    }
    expect(tokenRequests()).toBe(1);
    expect(client.stats().requests).toBe(4);
  });

  it("sends the official client's scope", () => {
    // CMA src/client/scopes.ts getResourcesScopes(), in that order.
    expect(CLIENT_CREDENTIALS_SCOPE.split(" ")).toEqual([
      "Security_Administrator",
      "ContentType_Read",
      "ContentType_Write",
      "ContentType_Delete",
      "Entry_Read",
      "Entry_Write",
      "Entry_Delete",
      "Project_Read",
      "Project_Write",
      "Project_Delete",
      "Workflow_Administrator",
    ]);
  });

  it("is renewed once on a 401 when tokens expire in the middle of a run", async () => {
    const client = clientFor(sim);
    await client.getAllPages("/security/roles", WireWorkflowDefinition.pick({ id: true }), "roles");
    sim.expireTokens();
    await client.getAllPages("/security/roles", WireWorkflowDefinition.pick({ id: true }), "roles");
    expect(lines(sim)).toEqual([
      "POST /authenticate/connect/token",
      `GET /api/management/projects/${DEV}/security/roles`,
      `GET /api/management/projects/${DEV}/security/roles`, // 401
      "POST /authenticate/connect/token",
      `GET /api/management/projects/${DEV}/security/roles`,
    ]);
    expect(sim.requests()[2]?.status).toBe(401);
  });

  it("is renewed on a token-expiry fault", async () => {
    const client = clientFor(sim);
    sim.setFaults({ script: [{ method: "GET", path: "/security/roles", kind: "token-expiry" }] });
    const roles = await client.getAllPages(
      "/security/roles",
      WireWorkflowDefinition.pick({ id: true }),
      "roles",
    );
    expect(roles.length).toBeGreaterThan(0);
    expect(tokenRequests()).toBe(2);
  });

  it("is renewed shortly before it expires, without waiting for a 401", async () => {
    const short = await startContensisSimulator({ tokenLifetimeSeconds: 1 });
    try {
      const client = clientFor(short);
      await client.getAllPages("/security/roles", WireWorkflowDefinition.pick({ id: true }), "roles");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await client.getAllPages("/security/roles", WireWorkflowDefinition.pick({ id: true }), "roles");
      const statuses = short
        .requests()
        .map((request) => `${request.method} ${request.path} ${request.status}`);
      expect(statuses.filter((line) => line.endsWith(" 401"))).toEqual([]);
      expect(statuses.filter((line) => line.startsWith("POST /authenticate"))).toHaveLength(2);
    } finally {
      await short.close();
    }
  });

  it("refused credentials are a ContensisAuthError that does not show the secret", async () => {
    const client = clientFor(sim, DEV, { clientSecret: "wrong-secret-value-123" });
    const error = await client
      .getAllPages("/security/roles", WireWorkflowDefinition.pick({ id: true }), "roles")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContensisAuthError);
    expect((error as ContensisAuthError).vendorError).toBe("invalid_client");
    expect(JSON.stringify(error)).not.toContain("wrong-secret-value-123");
    expect(String((error as Error).message)).not.toContain("wrong-secret-value-123");
  });
});

describe("requests", () => {
  it("refuses a root URL that would send credentials in clear text", () => {
    expect(() =>
      createContensisClient({ rootUrl: "http://cms.example.com", projectId: DEV, ...ADMIN }),
    ).toThrow(InsecureUrlError);
  });

  it("reads every page of a paged list", async () => {
    const client = clientFor(sim, DEV, { pageSize: 2 });
    const definitions = await client.getAllPages(
      "/workflow/definitions",
      WireWorkflowDefinition,
      "definitions",
    );
    expect(definitions.map((definition) => definition.id).sort()).toEqual([
      "CustomEntryApproval",
      "contensisEntryApproval",
      "contensisEntryBasic",
      "legalReview",
    ]);
    expect(lines(sim).filter((line) => line.includes("/workflow/definitions"))).toHaveLength(2);
  });

  it("an unexpected response names the field path", async () => {
    const client = clientFor(sim);
    const error = await client
      .get("/workflow/definitions", WireWorkflowDefinition, "a definition")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContensisResponseError);
    expect((error as Error).message).toMatch(/^unexpected response for a definition: (id|name|states): /);
  });

  it("a validation error carries status, logId, type and the vendor's field messages; no secret anywhere", async () => {
    const client = clientFor(sim);
    const error = await createDefinition(
      client,
      WireWorkflowDefinition.parse({
        id: "bad-id",
        name: { "en-GB": "Bad" },
        states: [{ id: "draft", name: { "en-GB": "Draft" }, events: [] }],
      }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContensisApiError);
    const apiError = error as ContensisApiError;
    expect(apiError.status).toBe(422);
    expect(apiError.type).toBe("Validation");
    expect(apiError.logId).toMatch(/^[0-9a-f-]{36}$/);
    expect(apiError.validation).toContainEqual({
      field: "id",
      message:
        "The workflow definition id must begin with a letter and only contain alphanumeric characters.",
    });
    expect(apiError.message).toContain("must begin with a letter and only contain alphanumeric characters");
    expect(apiError.message).toContain(apiError.logId);
    const everything = JSON.stringify({ error: apiError, cause: apiError.cause, stack: apiError.stack });
    expect(everything).not.toContain(ADMIN.clientSecret);
    const token = (apiError.cause as { request?: { headers?: Record<string, string> } }).request?.headers
      ?.authorization;
    expect(token).toMatch(/redacted/i);
  });
});

/*
 * client.ts reads token answers and error bodies without zod (the reads wait for the token and must
 * not wait for zod; the HTTP client describes an error as soon as it arrives, possibly before
 * wire.ts is loaded): each reader must read exactly what its wire.ts schema reads.
 */

/** A value of each JSON kind, and a few that only JavaScript has. */
const anyValue = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 2 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);
/** Mostly `valid`, sometimes another kind of value. */
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, anyValue);
/** Records of `fields`, each sometimes absent, with an extra field; sometimes not a record at all. */
const near = <F extends Record<string, fc.Arbitrary<unknown>>>(fields: F) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record(
        { ...fields, extra: anyValue },
        { requiredKeys: Object.keys(fields) as Array<keyof F & string> },
      ),
    },
    { weight: 2, arbitrary: fc.record({ ...fields, extra: anyValue }, { requiredKeys: [] }) },
    fc.array(anyValue, { maxLength: 2 }),
    anyValue,
    fc.jsonValue(),
  );

describe("readErrorBody (client.ts, without zod)", () => {
  it("reads what WireErrorBody reads, and refuses what it refuses", () => {
    const text = () => mostly(fc.oneof(fc.string(), fc.constant(null)));
    const bodies = near({ logId: text(), message: text(), type: text(), data: anyValue });
    fc.assert(
      fc.property(bodies, (value) => {
        const parsed = WireErrorBody.safeParse(value);
        const read = readErrorBody(value);
        expect(read !== undefined).toBe(parsed.success);
        if (parsed.success && read) {
          const used = ({ logId, message, type, data }: typeof read) => ({ logId, message, type, data });
          expect(used(read)).toEqual(used(parsed.data));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("reads the documented validation error body", () => {
    const documented = {
      logId: "00000000-0000-0000-0000-000000000000",
      message: "Validation failed",
      data: [{ field: "id", message: "The workflow definition id must begin with a letter" }],
      type: "Validation",
    };
    expect(readErrorBody(documented)).toEqual(documented);
    expect(readErrorBody({ ...documented, type: 5 })).toBeUndefined();
  });
});

describe("readToken (client.ts, without zod)", () => {
  it("reads what WireToken reads, and refuses what it refuses", () => {
    const bodies = near({
      access_token: mostly(fc.string({ maxLength: 3 })),
      expires_in: mostly(
        fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity)),
      ),
      token_type: mostly(fc.string()),
    });
    fc.assert(
      fc.property(bodies, (value) => {
        const parsed = WireToken.safeParse(value);
        const read = readToken(value);
        expect(read !== undefined).toBe(parsed.success);
        if (parsed.success && read) {
          expect(read).toEqual({
            access_token: parsed.data.access_token,
            expires_in: parsed.data.expires_in,
          });
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("reads the documented token answer", () => {
    const documented = { access_token: "eyJhbGciOi", expires_in: 3600, token_type: "Bearer" };
    expect(readToken(documented)).toEqual({ access_token: "eyJhbGciOi", expires_in: 3600 });
    expect(readToken({ ...documented, access_token: "" })).toBeUndefined();
  });
});
