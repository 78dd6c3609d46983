import { CONTENSIS_DEV, CONTENSIS_PROD, KONTENT_DEV, KONTENT_PROD } from "@workflow-sync/test-utils";

/*
 * The demo's environments as lines of a workflow-sync config file, pointing at the simulators:
 * kontent-dev/-prod (the Kontent.ai simulator's demo environments) and contensis-dev/-prod (the
 * Contensis simulator's demo projects), their secrets named by environment variable (the values:
 * `DEMO_SECRETS` of @workflow-sync/test-utils). Callers choose the order and add lines under an
 * environment (`extra`), e.g. a rate limit.
 */

/** One Kontent.ai environment under `environments:`. */
export function kontentEnvironment(
  name: string,
  environmentId: string,
  keyVariable: string,
  baseUrl: string,
  extra: readonly string[] = [],
): string[] {
  return [
    `  ${name}:`,
    "    vendor: kontent",
    `    environmentId: ${environmentId}`,
    `    apiKey: { env: ${keyVariable} }`,
    `    baseUrl: ${baseUrl}`,
    ...extra.map((line) => `    ${line}`),
  ];
}

/** One Contensis project under `environments:`. */
export function contensisEnvironment(
  name: string,
  projectId: string,
  rootUrl: string,
  extra: readonly string[] = [],
): string[] {
  return [
    `  ${name}:`,
    "    vendor: contensis",
    `    rootUrl: ${rootUrl}`,
    `    projectId: ${projectId}`,
    "    clientId: { env: CONTENSIS_CLIENT_ID }",
    "    clientSecret: { env: CONTENSIS_CLIENT_SECRET }",
    ...extra.map((line) => `    ${line}`),
  ];
}

/** kontent-dev and kontent-prod on the Kontent.ai simulator (`baseUrl`: its `baseUrl`). */
export function kontentEnvironments(
  baseUrl: string,
  extra: { dev?: readonly string[]; prod?: readonly string[] } = {},
): string[] {
  return [
    ...kontentEnvironment("kontent-dev", KONTENT_DEV, "KONTENT_DEV_API_KEY", baseUrl, extra.dev),
    ...kontentEnvironment("kontent-prod", KONTENT_PROD, "KONTENT_PROD_API_KEY", baseUrl, extra.prod),
  ];
}

/** contensis-dev and contensis-prod on the Contensis simulator (`rootUrl`: its `url`). */
export function contensisEnvironments(rootUrl: string, extra: readonly string[] = []): string[] {
  return [
    ...contensisEnvironment("contensis-dev", CONTENSIS_DEV, rootUrl, extra),
    ...contensisEnvironment("contensis-prod", CONTENSIS_PROD, rootUrl, extra),
  ];
}

/** A config file's text from environment lines (and any top-level lines after them). */
export function configText(...environments: string[][]): string {
  return ["environments:", ...environments.flat(), ""].join("\n");
}
