export * from "./arbitrary.ts";
export * from "./fixtures/index.ts";
export * from "./generate.ts";
export * from "./portability.ts";
export * from "./source-scan.ts";
