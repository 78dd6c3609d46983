import { describe, expect, it } from "vitest";
import { scanSource } from "./source-scan.ts";

describe("scanSource", () => {
  it("finds static, re-export, side-effect, dynamic and require imports with their lines", () => {
    const text = [
      'import { a } from "./a.ts";',
      'import type { B } from "@scope/b";',
      'export * from "./c.ts";',
      'import "./side-effect.ts";',
      'const d = await import("d");',
      'const e = require("e");',
    ].join("\n");
    expect(scanSource(text).imports).toEqual([
      { specifier: "./a.ts", line: 1 },
      { specifier: "@scope/b", line: 2 },
      { specifier: "./c.ts", line: 3 },
      { specifier: "./side-effect.ts", line: 4 },
      { specifier: "d", line: 5 },
      { specifier: "e", line: 6 },
    ]);
  });

  it("takes no comment, message or property for an import", () => {
    const text = [
      '// import x from "node:fs"',
      '/* export * from "node:http" */',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
      'const message = `moves from "${state.key}" to "${to}"`;',
      'const edge = { from: "draft" };',
      'const list = Array.from("abc");',
    ].join("\n");
    expect(scanSource(text).imports).toEqual([]);
  });

  it("tells regular expressions from divisions, so a quote in a regex opens no string", () => {
    const text = [
      "const half = total / 2 / count;",
      'const quoted = /^"[^"]*"$/.test(value);',
      'const after = "[W] after";',
    ].join("\n");
    const scanned = scanSource(text);
    expect(scanned.strings.map((literal) => [literal.value, literal.line])).toEqual([["[W] after", 3]]);
  });

  it("reads template parts around nested expressions, and strings inside them", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: source text under test
    const text = 'const m = `a ${f({ k: "inner" })} b ${`nested ${x}`} c`;\nconst n = "next";';
    const scanned = scanSource(text);
    expect(scanned.strings.map((literal) => [literal.kind, literal.value])).toEqual([
      ["template", "a "],
      ["quote", "inner"],
      ["template", " b "],
      ["template", "nested "],
      ["template", ""],
      ["template", " c"],
      ["quote", "next"],
    ]);
    expect(scanned.strings.at(-1)!.line).toBe(2);
  });

  it("blanks comments in the code but keeps the lines", () => {
    const scanned = scanSource('const a = 1; // Kontent.ai\n/* Contensis\n */ const b = "x";');
    expect(scanned.code).not.toMatch(/Kontent|Contensis/);
    expect(scanned.code.split("\n")).toHaveLength(3);
    expect(scanned.code).toContain('const b = "x";');
  });
});
