import { formatPath } from "@workflow-sync/core";
import { describe, expect, it } from "vitest";
import { ContensisResponseError, DefinitionRulesError } from "./errors.ts";
import { isContensisDefinitionFile, readContensisFile } from "./file.ts";
import { toNeutral } from "./mapping/to-neutral.ts";
import { CUSTOM_ENTRY_APPROVAL, DMH_APPROVAL } from "./test-support/seeds.ts";
import { WireWorkflowDefinition } from "./wire.ts";

describe("readContensisFile: a Contensis definition document, offline", () => {
  it("maps a definition that keeps Contensis's rules, as toNeutral does, in the locale asked for", () => {
    const read = readContensisFile(structuredClone(CUSTOM_ENTRY_APPROVAL), { what: "approval.json" });
    const mapped = toNeutral(WireWorkflowDefinition.parse(structuredClone(CUSTOM_ENTRY_APPROVAL)));
    expect(read).toEqual(mapped);
    expect(read.value.key).toBe(CUSTOM_ENTRY_APPROVAL.id);

    // A `{}` name gets a placeholder in the locale asked for.
    const unnamed = { ...structuredClone(DMH_APPROVAL), name: {} };
    const inGerman = readContensisFile(unnamed, { what: "approval.json", locale: "de-DE" });
    expect(Object.keys(inGerman.value.name)).toEqual(["de-DE"]);
  });

  it("refuses a document without a definition's shape, naming the file and the field path", () => {
    const document = { ...structuredClone(CUSTOM_ENTRY_APPROVAL), states: "none" };
    const error = catchError(() => readContensisFile(document, { what: "broken.json" }));
    expect(error).toBeInstanceOf(ContensisResponseError);
    expect(error.message).toContain("broken.json");
    expect(error.message).toContain("states");
  });

  it("refuses a definition that breaks Contensis's rules, listing every issue with the vendor's paths", () => {
    const document = JSON.parse(JSON.stringify(CUSTOM_ENTRY_APPROVAL)) as {
      states: Array<{ id: string; events: Array<{ id: string }> }>;
    };
    document.states[0]!.events[0]!.id = "send_for_approval";
    document.states[1]!.events[0]!.id = "r".repeat(31);
    const error = catchError(() => readContensisFile(document, { what: "approval.json" }));
    expect(error).toBeInstanceOf(DefinitionRulesError);
    const issues = (error as DefinitionRulesError).issues;
    expect(issues.map((issue) => `${formatPath(issue.path)}: ${issue.code}`)).toEqual([
      "states[0].events[0].id: vendor_rule",
      "states[1].events[0].id: vendor_rule",
    ]);
    expect(error.message).toContain("approval.json");
    expect(error.message).not.toContain("nothing is sent");
    expect((error as DefinitionRulesError).code).toBe("contensis_rules");
  });
});

describe("isContensisDefinitionFile", () => {
  it("tells a Contensis definition from a Kontent.ai workflow and from other JSON", () => {
    expect(isContensisDefinitionFile(CUSTOM_ENTRY_APPROVAL)).toBe(true);
    expect(isContensisDefinitionFile(DMH_APPROVAL)).toBe(true);
    expect(isContensisDefinitionFile({ name: "x", steps: [], published_step: {}, archived_step: {} })).toBe(
      false,
    );
    expect(isContensisDefinitionFile({ states: [] })).toBe(false);
    expect(isContensisDefinitionFile([CUSTOM_ENTRY_APPROVAL])).toBe(false);
    expect(isContensisDefinitionFile(null)).toBe(false);
  });
});

function catchError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}
