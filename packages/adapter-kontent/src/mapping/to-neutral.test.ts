import { UnresolvedReferencesError, Workflow, type WorkflowInput } from "@workflow-sync/core";
import { kontentExampleWorkflow } from "@workflow-sync/test-utils";
import { describe, expect, it } from "vitest";
import type { KontentUnresolvedReferencesError } from "../errors.ts";
import { documentedExample, exampleReferences } from "../test-support/wire.ts";
import type { KontentWorkflow } from "../wire.ts";
import { toNeutral } from "./to-neutral.ts";

const neutral = (input: WorkflowInput) => Workflow.parse(input);

describe("toNeutral", () => {
  it("reads the documented example as the neutral fixture, without losses", () => {
    const { value, losses } = toNeutral(documentedExample, exampleReferences);
    expect(losses).toEqual([]);
    expect(value).toEqual(neutral(kontentExampleWorkflow));
  });

  it("uses the locale option for names", () => {
    const { value } = toNeutral(documentedExample, { ...exampleReferences, locale: "en-GB" });
    expect(value.name).toEqual({ "en-GB": "My workflow" });
    expect(value.states[0]?.name).toEqual({ "en-GB": "Draft" });
  });

  it("lists every unresolved id at once", () => {
    const wire: KontentWorkflow = structuredClone(documentedExample);
    wire.steps[0]!.role_ids.push("r-unknown-1");
    wire.archived_step.role_ids.push("r-unknown-2");
    wire.scopes[0]!.content_types.push({ id: "t-unknown" });
    const error = (() => {
      try {
        toNeutral(wire, exampleReferences);
      } catch (caught) {
        return caught;
      }
    })() as KontentUnresolvedReferencesError;
    expect(error).toBeInstanceOf(UnresolvedReferencesError);
    expect(error.kind).toBe("role");
    expect(error.names).toEqual(["r-unknown-1", "r-unknown-2"]);
    expect(error.all).toEqual({ role: ["r-unknown-1", "r-unknown-2"], contentType: ["t-unknown"] });
    expect(error.message).toContain("r-unknown-1, r-unknown-2");
    expect(error.message).toContain("t-unknown");
  });

  it("keeps several scopes, and an empty single scope apart from no scope", () => {
    const wire = structuredClone(documentedExample);
    wire.scopes.push({ content_types: [], collections: [{ id: "af665269-5b03-409d-b6e4-81a8b34e97fc" }] });
    expect(toNeutral(wire, exampleReferences).value.extensions).toEqual({
      kontent: { scopes: [{ contentTypes: [], collections: ["products"] }] },
    });
    wire.scopes = [{ content_types: [], collections: [] }];
    expect(toNeutral(wire, exampleReferences).value.extensions).toEqual({ kontent: { scopes: [] } });
    wire.scopes = [];
    expect(toNeutral(wire, exampleReferences).value.extensions).toEqual({});
  });
});
