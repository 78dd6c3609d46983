/**
 * @workflow-sync/kontent-simulator: a local Kontent.ai Management API v2 on 127.0.0.1 for tests and the demo.
 * See ../README.md.
 */
export {
  ARCHIVED_STEP_ID,
  DEFAULT_COLLECTION_ID,
  DEFAULT_LANGUAGE_ID,
  DEFAULT_WORKFLOW_ID,
  PUBLISHED_STEP_ID,
  SCHEDULED_STEP_ID,
  WORKFLOW_COLORS,
} from "./constants.ts";
export type { ErrorBody, ValidationIssue } from "./errors.ts";
export type { FaultKind, FaultPlan } from "./faults.ts";
export {
  DEFAULT_RATE_LIMIT,
  parseRateLimit,
  RATE_LIMIT_MODELS,
  type RateLimit,
  type RateLimitModel,
} from "./rate-limit.ts";
export { demoSeed, loadSeedFile } from "./seeds.ts";
export {
  DEFAULT_PAGE_SIZE,
  type KontentSimulator,
  type KontentSimulatorOptions,
  type RequestLogEntry,
  startKontentSimulator,
} from "./server.ts";
export type {
  Collection,
  ContentItem,
  ContentType,
  EnvironmentSeed,
  EnvironmentState,
  IdReference,
  KontentSeed,
  Language,
  LanguageVariant,
  Reference,
  Role,
  VariantSeed,
  Workflow,
  WorkflowColor,
  WorkflowSeed,
  WorkflowStep,
} from "./types.ts";

/** Environment ids of the built-in demo seed. */
export const DEMO_ENVIRONMENTS = {
  dev: { id: "7c9f0e4e-0000-0000-0000-000000000001", apiKey: "dev-secret-key" },
  prod: { id: "7c9f0e4e-0000-0000-0000-000000000002", apiKey: "prod-secret-key" },
} as const;
