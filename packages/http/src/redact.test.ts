import { describe, expect, it } from "vitest";
import { REDACTED, redact, redactHeaders, redactUrl, redactValue, truncate } from "./redact.ts";

describe("redact", () => {
  it("replaces every secret, and its URL-, form- and JSON-encoded forms", () => {
    const secret = 's3cr/et key"x';
    const text = `raw ${secret} url ${encodeURIComponent(secret)} form ${encodeURIComponent(secret).replace(/%20/g, "+")} json ${JSON.stringify(secret)}`;
    const out = redact(text, [secret]);
    expect(out).not.toContain("s3cr");
    expect(out.match(/\[redacted\]/g)).toHaveLength(4);
  });

  it("prefers the longest secret and ignores empty ones", () => {
    expect(redact("token abcdef and abc", ["abc", "abcdef", "", "  "])).toBe(
      `token ${REDACTED} and ${REDACTED}`,
    );
    expect(redact("nothing here", [])).toBe("nothing here");
  });
});

describe("redact with a list of secrets that changes", () => {
  it("scrubs a secret added to the same list later (a renewed token), and no longer one removed", () => {
    const secrets = ["first-token"];
    expect(redact("a first-token b", secrets)).toBe(`a ${REDACTED} b`);
    secrets.push("second-token");
    expect(redact("first-token second-token", secrets)).toBe(`${REDACTED} ${REDACTED}`);
    secrets.splice(0, 2, "third token");
    expect(redact("first-token third+token third%20token", secrets)).toBe(
      `first-token ${REDACTED} ${REDACTED}`,
    );
  });
});

describe("redactHeaders", () => {
  it("redacts credential headers by name and secrets in the others", () => {
    const headers = redactHeaders(
      {
        Authorization: "Bearer abc",
        cookie: "a=b",
        "set-cookie": ["x=1", "y=2"],
        "X-Api-Key": "k",
        "x-auth-token": "t",
        "client-secret": "s",
        "x-echo": "value with SECRET1",
        accept: "application/json",
        "content-length": 12,
        empty: undefined,
      },
      ["SECRET1"],
    );
    expect(headers).toEqual({
      authorization: REDACTED,
      cookie: REDACTED,
      "set-cookie": REDACTED,
      "x-api-key": REDACTED,
      "x-auth-token": REDACTED,
      "client-secret": REDACTED,
      "x-echo": `value with ${REDACTED}`,
      accept: "application/json",
      "content-length": "12",
    });
  });
});

describe("redactUrl", () => {
  it("scrubs user info, credential parameters and secrets", () => {
    expect(redactUrl("https://user:pw@example.com/a?access_token=xyz&page=2&api_key=k#f", [])).toBe(
      `https://${REDACTED}@example.com/a?access_token=${REDACTED}&page=2&api_key=${REDACTED}#f`,
    );
    expect(redactUrl("https://example.com/projects/ENV-SECRET/items", ["ENV-SECRET"])).toBe(
      `https://example.com/projects/${REDACTED}/items`,
    );
  });
});

describe("redactValue", () => {
  it("redacts credential fields and secrets deeply, without changing the input", () => {
    const input = {
      grant_type: "client_credentials",
      client_id: "id",
      client_secret: "cs",
      nested: [{ access_token: "t", note: "contains SECRET" }],
      count: 3,
      empty: null,
    };
    const out = redactValue(input, ["SECRET"]);
    expect(out).toEqual({
      grant_type: "client_credentials",
      client_id: "id",
      client_secret: REDACTED,
      nested: [{ access_token: REDACTED, note: `contains ${REDACTED}` }],
      count: 3,
      empty: null,
    });
    expect(input.client_secret).toBe("cs");
  });

  it("survives cycles", () => {
    const a: Record<string, unknown> = { name: "a" };
    a.self = a;
    expect(redactValue(a, [])).toEqual({ name: "a", self: "[…]" });
  });
});

describe("truncate", () => {
  it("keeps short text and says how much was cut", () => {
    expect(truncate("abc", 5)).toBe("abc");
    expect(truncate("abcdefgh", 3)).toBe("abc… [5 more characters]");
  });
});
