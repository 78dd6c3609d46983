import {
  type ContensisSeed,
  type ContensisSimulator,
  demoSeed,
  startContensisSimulator,
} from "@workflow-sync/contensis-simulator";
import { CONTENSIS_DEV, CONTENSIS_PROD, DEMO_SECRETS } from "@workflow-sync/test-utils";
import { type ContensisClient, type ContensisClientOptions, createContensisClient } from "../client.ts";

/** Test helpers: a simulator on 127.0.0.1 and clients for it (the transport is real HTTP). */

export const ADMIN = {
  clientId: DEMO_SECRETS.CONTENSIS_CLIENT_ID,
  clientSecret: DEMO_SECRETS.CONTENSIS_CLIENT_SECRET,
};
export const DEV = CONTENSIS_DEV;
export const PROD = CONTENSIS_PROD;

export const ENTRY = {
  pressDraft: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000006",
  pressScheduled: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000007",
  blogDraft: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000001",
  blogPublishedTwoLanguages: "0b6f1c52-1d1e-4c1a-9d1a-5a0d8e000002",
};

export type { ContensisSeed, ContensisSimulator };
export { demoSeed, startContensisSimulator };

export function clientFor(
  sim: ContensisSimulator,
  projectId = DEV,
  options: Partial<ContensisClientOptions> = {},
): ContensisClient {
  return createContensisClient({
    rootUrl: sim.url,
    projectId,
    ...ADMIN,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
}

/** A seed with the demo's clients and one empty project (only the built-in system definitions). */
export function emptySeed(
  projectId = "empty",
  extra: Partial<ContensisSeed["projects"][string]> = {},
): ContensisSeed {
  return { clients: demoSeed().clients, projects: { [projectId]: { ...extra } } };
}

/** Requests the simulator saw, as "METHOD path" lines (token requests included). */
export function lines(sim: ContensisSimulator): string[] {
  return sim
    .requests()
    .map((request) => `${request.method} ${request.path}${request.fault ? ` [${request.fault}]` : ""}`);
}
