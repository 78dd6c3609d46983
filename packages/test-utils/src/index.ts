export * from "./arbitrary.ts";
export * from "./fixtures/index.ts";
export * from "./generate.ts";
