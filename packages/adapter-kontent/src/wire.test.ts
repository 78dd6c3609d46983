import { describe, expect, it } from "vitest";
import { KontentResponseError } from "./errors.ts";
import { documentedExample } from "./test-support/wire.ts";
import {
  KontentContentTypePageSchema,
  KontentErrorBodySchema,
  KontentWorkflowListSchema,
  parseWire,
} from "./wire.ts";

describe("wire schemas", () => {
  it("accept the documented example (and fields they do not know)", () => {
    const list = parseWire(
      KontentWorkflowListSchema,
      [{ ...documentedExample, added_later: true }],
      "GET /workflows",
    );
    expect(list[0]?.codename).toBe("my_workflow");
  });

  it("name the request and the field path of an unexpected answer", () => {
    const broken = [documentedExample, documentedExample, structuredClone(documentedExample)];
    (broken[2]!.steps[0] as { color: string }).color = "ultraviolet";
    let error: unknown;
    try {
      parseWire(KontentWorkflowListSchema, broken, "GET /workflows");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KontentResponseError);
    expect((error as Error).message).toMatch(
      /^GET \/workflows: \[2\]\.steps\[0\]\.color: expected one of gray, red, rose/,
    );
  });

  it("report a missing field and a wrong type", () => {
    expect(() =>
      parseWire(KontentContentTypePageSchema, { types: [{ id: "x", name: "X", codename: 1 }] }, "GET /types"),
    ).toThrow(
      /GET \/types: types\[0\]\.codename: expected string, received number; pagination: expected object, received undefined/,
    );
  });

  it("read the vendor's error body", () => {
    const parsed = KontentErrorBodySchema.parse({
      request_id: "4df10acd",
      error_code: 5,
      message: "The provided request body is invalid.",
      validation_errors: [{ message: "Provide a nonempty name which fits within 50 characters." }],
    });
    expect(parsed.validation_errors?.[0]?.message).toMatch(/nonempty name/);
  });
});
