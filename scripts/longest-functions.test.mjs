// node --test scripts/longest-functions.test.mjs
import assert from "node:assert/strict";
import { test } from "node:test";
import { functionsOf } from "./longest-functions.mjs";

const SOURCE = `export function outer(a: number): number {
  const inner = (b: number) => {
    return b + 1;
  };
  return inner(a);
}

class Box {
  get size(): number {
    return 1;
  }
  #hidden() {}
}

const message = '{ a } in a string';
[1, 2].map((n) => n * 2);
`;

test("names every function after where it stands, with its first line and its length", () => {
  const found = functionsOf("example.ts", SOURCE).map(({ name, line, lines }) => [name, line, lines]);
  assert.deepEqual(found, [
    ["outer", 1, 6],
    ["outer > inner", 2, 3],
    ["Box > get size", 9, 3],
    ["Box > #hidden", 12, 1],
    ["<callback of map>", 16, 1],
  ]);
});
