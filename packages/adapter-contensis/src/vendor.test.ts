import { CONTENSIS_DOCS_CUSTOM_DEFINITION, DOCS_ADD_RESPONSE } from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { contensisVendor } from "./vendor.ts";

describe("contensisVendor (core's VendorAdapter)", () => {
  it("recognises a workflow definition, not a Kontent.ai workflow", () => {
    expect(contensisVendor.recognises(CONTENSIS_DOCS_CUSTOM_DEFINITION)).toBe(true);
    expect(contensisVendor.recognises(DOCS_ADD_RESPONSE)).toBe(false);
  });

  it("reads a definition offline into a neutral workflow, and writes it back as a definition", () => {
    const read = contensisVendor.readDocument(CONTENSIS_DOCS_CUSTOM_DEFINITION, { what: "definition.json" });
    if (!read.ok) throw new Error(`expected a workflow: ${JSON.stringify(read.issues)}`);
    expect(read.value.key).toBe(CONTENSIS_DOCS_CUSTOM_DEFINITION.id);
    const written = contensisVendor.writeDocument(read.value, {});
    expect(written.value).toMatchObject({ id: CONTENSIS_DOCS_CUSTOM_DEFINITION.id });
  });

  it("gives the rules a definition breaks as issues with paths inside it, mapping nothing", () => {
    const broken = {
      ...CONTENSIS_DOCS_CUSTOM_DEFINITION,
      states: [...CONTENSIS_DOCS_CUSTOM_DEFINITION.states, CONTENSIS_DOCS_CUSTOM_DEFINITION.states[0]],
    };
    const read = contensisVendor.readDocument(broken, { what: "definition.json" });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.issues.length).toBeGreaterThan(0);
    expect(read.issues.every((issue) => issue.path.length > 0 && issue.vendor === "contensis")).toBe(true);
  });
});
