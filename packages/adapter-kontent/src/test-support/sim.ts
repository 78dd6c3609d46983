import {
  DEMO_ENVIRONMENTS,
  demoSeed,
  type KontentSeed,
  type KontentSimulator,
  type KontentSimulatorOptions,
  startKontentSimulator,
} from "@workflow-sync/kontent-simulator";
import { createKontentClient, type KontentClient, type KontentClientOptions } from "../client.ts";
import { KontentEnvironment } from "../environment.ts";
import { richCollections, richRoles, richTypes } from "./wire.ts";

export const DEV = DEMO_ENVIRONMENTS.dev;
export const PROD = DEMO_ENVIRONMENTS.prod;

/** A simulator without rate limit unless asked (tests that are not about pacing stay fast). */
export function startSimulator(options: KontentSimulatorOptions = {}): Promise<KontentSimulator> {
  return startKontentSimulator({ rateLimit: false, ...options });
}

type Env = { id: string; apiKey: string };

export function clientFor(
  sim: KontentSimulator,
  env: Env,
  options: Partial<KontentClientOptions> = {},
): KontentClient {
  return createKontentClient({
    environmentId: env.id,
    apiKey: env.apiKey,
    baseUrl: sim.baseUrl,
    rateLimit: false,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
}

export function environmentFor(
  sim: KontentSimulator,
  env: Env,
  options: Partial<KontentClientOptions> & { checkVariantsBeforeDelete?: boolean } = {},
): KontentEnvironment {
  const { checkVariantsBeforeDelete, ...clientOptions } = options;
  return new KontentEnvironment({
    client: clientFor(sim, env, clientOptions),
    ...(checkVariantsBeforeDelete === undefined ? {} : { checkVariantsBeforeDelete }),
  });
}

/** Requests to one environment, as `METHOD /relative/path status` lines. */
export function requestLines(sim: KontentSimulator, env: Env): string[] {
  const prefix = `/v2/projects/${env.id}`;
  return sim
    .requests()
    .filter((entry) => entry.environmentId === env.id)
    .map((entry) => `${entry.method} ${entry.path.slice(prefix.length)} ${entry.status}`);
}

/** An environment with the rich references of `test-support/wire.ts` (and no workflow but the default). */
export const RICH: Env = { id: "7c9f0e4e-0000-0000-0000-0000000000aa", apiKey: "rich-secret-key" };
/** The same names and codenames under other ids. */
export const RICH_TARGET: Env = { id: "7c9f0e4e-0000-0000-0000-0000000000bb", apiKey: "rich-target-key" };

export function richSeed(): KontentSeed {
  const swap = (id: string) => `${id.slice(0, 9)}9${id.slice(10)}`;
  const environment = (shift: boolean) => ({
    apiKeys: [shift ? RICH_TARGET.apiKey : RICH.apiKey],
    roles: Object.entries(richRoles).map(([id, name]) => ({
      id: shift ? swap(id) : id,
      name,
      ...(name === "Project manager" ? { codename: "project-manager" } : {}),
    })),
    contentTypes: Object.entries(richTypes).map(([id, codename]) => ({
      id: shift ? swap(id) : id,
      name: codename,
      codename,
    })),
    collections: Object.entries(richCollections).map(([id, codename]) => ({
      id: shift && !id.startsWith("00000000") ? swap(id) : id,
      name: codename,
      codename,
    })),
  });
  return { environments: { [RICH.id]: environment(false), [RICH_TARGET.id]: environment(true) } };
}

/** The demo seed plus the two rich environments. */
export function fullSeed(): KontentSeed {
  const demo = demoSeed();
  return { environments: { ...demo.environments, ...richSeed().environments } };
}
