import { z } from "zod";
import { Workflow } from "./model.ts";

/**
 * The JSON Schema of a neutral workflow file, for editor completion. The committed copy is
 * `schema/workflow.schema.json` (exported as `@workflow-sync/core/workflow.schema.json`);
 * `schema.test.ts` fails when it is out of date (`npm run schema -w @workflow-sync/core` rewrites it).
 */
export function workflowJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Workflow, { io: "input", target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: "https://workflow-sync.dev/schema/workflow.schema.json",
    title: "workflow-sync workflow",
  };
}

export function workflowJsonSchemaText(): string {
  return `${JSON.stringify(workflowJsonSchema(), null, 2)}\n`;
}
