import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { workflowJsonSchemaText } from "./schema.ts";

describe("workflow JSON Schema", () => {
  it("the committed schema/workflow.schema.json matches the zod model (npm run schema -w @workflow-sync/core)", () => {
    const committed = readFileSync(new URL("../schema/workflow.schema.json", import.meta.url), "utf8");
    expect(committed).toBe(workflowJsonSchemaText());
  });
});
