export * from "./errors.ts";
export * from "./mapping.ts";
export * from "./roles.ts";
export * from "./vendor-rules.ts";
export * from "./wire.ts";
