import { coreSources } from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";

/*
 * Core holds no vendor's rules: each vendor adapter exports a `VendorProfile` with its limits,
 * palettes and checks (profile.ts, docs/architecture.md). What core may say about vendors:
 *
 * - the opaque vendor tags, once: `VENDORS` in model.ts (they key `extensions` and tag issues and
 *   losses; core never branches on them);
 * - prose in comments (where a field of the model comes from, e.g. Contensis `allowUpdates`).
 *
 * Anything else — a vendor's name in code or in a string, a vendor's length limit, a vendor's
 * colour — fails here. Each adapter's profile.test.ts also checks that none of its palette values
 * appears among core's strings.
 */

/** The one statement that may name the vendors. */
const VENDOR_TAGS = 'export const VENDORS = ["kontent", "contensis"] as const;';
/** Length bounds that are core's own rules, with where they are. */
const CORE_LIMITS = new Map([
  [100, "model.ts: a key is at most 100 characters"],
  [300, "model.ts: a typed reference (id:… or external_id:…) is at most 300 characters"],
]);
/** A number that a length is compared with or bounded by (`x.length > 30`, `.max(30)`). */
const LENGTH_BOUND =
  /\.length\s*(?:[<>]=?|[!=]==?)\s*(\d+)|(\d+)\s*(?:[<>]=?|[!=]==?)\s*[\w.$!\][]*\.length\b|\.(?:max|min)\(\s*(\d+)/g;

const sources = coreSources();

describe("core is vendor-neutral", () => {
  it("reads core's sources (the check is not vacuous)", () => {
    const paths = sources.map((source) => source.path);
    expect(paths).toContain("rules/index.ts");
    expect(paths).toContain("model.ts");
    expect(paths).toContain("render/markdown.ts");
    expect(paths.some((path) => path.endsWith(".test.ts"))).toBe(false);
  });

  it("names a vendor only in the VENDORS tags of model.ts", () => {
    const model = sources.find((source) => source.path === "model.ts")!;
    expect(model.scanned.code).toContain(VENDOR_TAGS);
    const found = sources.flatMap((source) => {
      const code =
        source.path === "model.ts" ? source.scanned.code.replace(VENDOR_TAGS, "") : source.scanned.code;
      return [...code.matchAll(/kontent|contensis/gi)].map((match) => {
        const line = code.slice(0, match.index).split("\n").length;
        return `${source.path}:${line}: ${match[0]}`;
      });
    });
    expect(found).toEqual([]);
  });

  it("bounds no length by a vendor's limit: only core's own limits and 0, 1, 2", () => {
    const found = sources.flatMap((source) =>
      [...source.scanned.code.matchAll(LENGTH_BOUND)]
        .map((match) => Number(match[1] ?? match[2] ?? match[3]))
        .filter((bound) => bound > 2 && !CORE_LIMITS.has(bound))
        .map((bound) => `${source.path}: ${bound}`),
    );
    expect(found).toEqual([]);
  });

  it("catches what it is meant to catch", () => {
    // The same scans on a line of the kind that core used to hold.
    const line = 'if (workflow.key.length > 60) note(["key"], `Kontent.ai: a workflow codename is 1–60`);';
    expect([...line.matchAll(LENGTH_BOUND)].map((match) => match[1])).toEqual(["60"]);
    expect(line.match(/kontent|contensis/gi)).toEqual(["Kontent"]);
  });
});
