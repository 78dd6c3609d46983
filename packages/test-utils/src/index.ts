export * from "./arbitrary.ts";
export * from "./demo.ts";
export * from "./fixtures/contensis-docs-examples.ts";
export * from "./fixtures/index.ts";
export * from "./fixtures/kontent-docs-examples.ts";
export * from "./generate.ts";
export * from "./portability.ts";
export * from "./source-scan.ts";
