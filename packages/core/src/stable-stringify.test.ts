import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stableStringify } from "./canonical.ts";

/** The reference: the straightforward form (entries filtered, sorted by code units, mapped, joined). */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object")
    return value === undefined ? "null" : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${reference(member)}`).join(",")}}`;
}

describe("stableStringify", () => {
  it("is JSON with keys sorted (code units) at every level, as the straightforward form gives", () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.dictionary(fc.string(), fc.option(fc.jsonValue(), { nil: undefined })),
        (json, withUndefined) => {
          for (const value of [json, withUndefined, [json, undefined, withUndefined]]) {
            expect(stableStringify(value)).toBe(reference(value));
            if (value !== undefined)
              expect(JSON.parse(stableStringify(value))).toEqual(JSON.parse(JSON.stringify(value)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("orders keys by code units and drops undefined members", () => {
    expect(
      stableStringify({ b: 1, a: { d: undefined, c: [2, undefined] }, B: "x", é: 0, "10": 1, "9": 2 }),
    ).toBe('{"10":1,"9":2,"B":"x","a":{"c":[2,null]},"b":1,"é":0}');
  });
});
