import { writeFileSync } from "node:fs";
import { workflowJsonSchemaText } from "../src/schema.ts";

writeFileSync(new URL("../schema/workflow.schema.json", import.meta.url), workflowJsonSchemaText());
console.log("wrote schema/workflow.schema.json");
