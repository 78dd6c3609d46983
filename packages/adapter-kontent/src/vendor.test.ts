import {
  CONTENSIS_DOCS_CUSTOM_DEFINITION,
  DOCS_ADD_REQUEST,
  DOCS_ADD_RESPONSE,
} from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import { kontentVendor } from "./vendor.ts";

describe("kontentVendor (core's VendorAdapter)", () => {
  it("recognises its own workflow documents, not a Contensis definition", () => {
    expect(kontentVendor.recognises(DOCS_ADD_RESPONSE)).toBe(true);
    expect(kontentVendor.recognises(DOCS_ADD_REQUEST)).toBe(true);
    expect(kontentVendor.recognises(CONTENSIS_DOCS_CUSTOM_DEFINITION)).toBe(false);
    expect(
      kontentVendor.recognises({ ...DOCS_ADD_RESPONSE, published_step: null, archived_step: null }),
    ).toBe(false);
  });

  it("reads a document offline into a neutral workflow, and writes it back as its write shape", () => {
    const read = kontentVendor.readDocument(DOCS_ADD_RESPONSE, { what: "workflow.json" });
    if (!read.ok) throw new Error("expected a workflow");
    expect(read.value.key).toBe(DOCS_ADD_RESPONSE.codename);
    const written = kontentVendor.writeDocument(read.value, {});
    expect(written.value).toMatchObject({
      codename: DOCS_ADD_RESPONSE.codename,
      name: DOCS_ADD_RESPONSE.name,
    });
  });

  it("leaves a workflow as it is under --map renames (its extensions hold no role reference)", () => {
    const read = kontentVendor.readDocument(DOCS_ADD_RESPONSE, { what: "workflow.json" });
    if (!read.ok) throw new Error("expected a workflow");
    expect(kontentVendor.renameReferences(read.value, { roles: { a: "b" } })).toBe(read.value);
  });
});
