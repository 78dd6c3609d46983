import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { contensisProfile, contensisVendor } from "@workflow-sync/adapter-contensis";
import { kontentProfile, kontentVendor } from "@workflow-sync/adapter-kontent";
import { VENDORS } from "@workflow-sync/core";
import { scanSource } from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { vendorAdapter, vendorAdapters, vendorProfile } from "./vendors.ts";

const SRC = fileURLToPath(new URL(".", import.meta.url));
/** Test code is not the CLI: its fixtures name vendors freely. */
const TEST_FOLDERS = new Set(["faults", "hardening", "journeys", "test-support"]);

function cliFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return TEST_FOLDERS.has(entry.name) && dir === SRC ? [] : cliFiles(path);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Where a CLI source names a vendor (a string literal that is a vendor id) or imports an adapter. */
function vendorMentions(file: string, text: string): string[] {
  const scanned = scanSource(text);
  return [
    ...scanned.strings
      .filter((literal) => (VENDORS as readonly string[]).includes(literal.value))
      .map((literal) => `${file}:${literal.line}: names the vendor "${literal.value}"`),
    ...scanned.imports
      .filter((entry) => /^@workflow-sync\/adapter-/.test(entry.specifier))
      .map((entry) => `${file}:${entry.line}: imports ${entry.specifier}`),
  ];
}

describe("vendors.ts, the one module of the CLI that names vendors", () => {
  it("is the only CLI source that names a vendor or imports an adapter", () => {
    const found = cliFiles(SRC)
      .map((path) => relative(SRC, path))
      .filter((file) => file !== "vendors.ts")
      .flatMap((file) => vendorMentions(file, readFileSync(join(SRC, file), "utf8")));
    expect(found).toEqual([]);
  });

  it("finds a vendor literal and an adapter import where they are (the check can fail)", () => {
    const text = [
      'import { kontentVendor } from "@workflow-sync/adapter-kontent";',
      'const lazy = () => import("@workflow-sync/adapter-contensis");',
      'if (environment.vendor === "contensis") run();',
      '// "kontent" in a comment is not code',
      "const kind = `kontent`;",
    ].join("\n");
    expect(vendorMentions("x.ts", text)).toEqual([
      'x.ts:3: names the vendor "contensis"',
      'x.ts:5: names the vendor "kontent"',
      "x.ts:1: imports @workflow-sync/adapter-kontent",
      "x.ts:2: imports @workflow-sync/adapter-contensis",
    ]);
    // and the CLI's own vendors module is found by the same scan
    expect(
      vendorMentions("vendors.ts", readFileSync(join(SRC, "vendors.ts"), "utf8")).length,
    ).toBeGreaterThan(0);
  });

  it("gives each vendor's adapter and profile, loaded on demand, for every vendor core knows", async () => {
    const adapters = await vendorAdapters();
    expect(adapters.map((adapter) => adapter.vendor)).toEqual([...VENDORS]);
    expect(await vendorAdapter("kontent")).toBe(kontentVendor);
    expect(await vendorAdapter("contensis")).toBe(contensisVendor);
    expect(await vendorProfile("kontent")).toBe(kontentProfile);
    expect(await vendorProfile("contensis")).toBe(contensisProfile);
  });
});
