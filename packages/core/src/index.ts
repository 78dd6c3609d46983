export * from "./canonical.ts";
export * from "./errors.ts";
export * from "./issues.ts";
export * from "./mapping.ts";
export * from "./model.ts";
export * from "./parse.ts";
export { workflowJsonSchema } from "./schema.ts";
