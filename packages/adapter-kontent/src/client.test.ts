import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readErrorBody } from "./client.ts";
import { KontentErrorBodySchema } from "./wire.ts";

/*
 * client.ts reads error bodies without zod (the HTTP client describes an error as soon as it
 * arrives, possibly before wire.ts is loaded): it must read exactly what wire.ts's schema reads.
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
const entry = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      { message: mostly(fc.string()), path: mostly(fc.string()), other: anyValue },
      { requiredKeys: ["message"] },
    ),
  },
  fc.record({ message: mostly(fc.string()), path: mostly(fc.string()) }, { requiredKeys: [] }),
  anyValue,
);
/** Mostly near the documented shape, with each field sometimes absent or of another kind. */
const body = fc
  .oneof(
    { weight: 6, arbitrary: fc.record({ message: mostly(fc.string()) }) },
    fc.record({ message: mostly(fc.string()) }, { requiredKeys: [] }),
  )
  .chain((start) =>
    fc
      .record(
        {
          request_id: mostly(fc.string()),
          error_code: mostly(fc.oneof(fc.integer(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 1.5))),
          validation_errors: mostly(fc.array(entry, { maxLength: 3 })),
          extra: anyValue,
        },
        { requiredKeys: [] },
      )
      .map((rest) => ({ ...start, ...rest })),
  );
const bodies = fc.oneof(
  { weight: 8, arbitrary: body },
  fc.array(anyValue, { maxLength: 2 }),
  anyValue,
  fc.jsonValue(),
);

describe("readErrorBody (client.ts, without zod)", () => {
  it("reads what KontentErrorBodySchema reads, and refuses what it refuses", () => {
    fc.assert(
      fc.property(bodies, (value) => {
        const parsed = KontentErrorBodySchema.safeParse(value);
        const read = readErrorBody(value);
        expect(read !== undefined).toBe(parsed.success);
        if (parsed.success && read) {
          const used = (body: typeof read) => ({
            message: body.message,
            request_id: body.request_id,
            error_code: body.error_code,
            validation_errors: body.validation_errors?.map(({ message, path }) => ({ message, path })),
          });
          expect(used(read)).toEqual(used(parsed.data));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("reads the documented error body", () => {
    const documented = {
      request_id: "0d8c4d7a9e2f4b1c",
      error_code: 5,
      message: "The provided request body is invalid. See 'validation_errors' for more information.",
      validation_errors: [{ message: "The workflow's name is required.", path: "name" }],
    };
    expect(readErrorBody(documented)).toEqual(documented);
    expect(readErrorBody({ ...documented, message: undefined })).toBeUndefined();
  });
});
