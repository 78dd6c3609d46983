import { formatPath as coreFormatPath } from "@workflow-sync/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatPath } from "./documents.ts";

/*
 * documents.ts writes paths itself (so that reading a valid document loads neither core nor zod):
 * the same text as core's formatPath, which every other message uses.
 */
describe("formatPath", () => {
  it("writes every path as core's formatPath does", () => {
    const part = fc.oneof(
      fc.nat({ max: 20 }),
      fc.constantFrom("environments", "dev", "-bad", "a b", "$schema", "_x", "1a", "é", "", 'q"uote', "x.y"),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 5 }), (path) => {
        expect(formatPath(path)).toBe(coreFormatPath(path));
      }),
      { numRuns: 2000, seed: 20_261_206 },
    );
    expect(formatPath([])).toBe("(root)");
    expect(formatPath(["environments", "-bad", 0, "env"])).toBe('environments["-bad"][0].env');
  });
});
