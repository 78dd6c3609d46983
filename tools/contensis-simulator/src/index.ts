import type { AddressInfo } from "node:net";
import { TokenStore } from "./auth.ts";
import { FaultInjector } from "./faults.ts";
import { RateLimiter } from "./rate-limit.ts";
import { demoSeed, loadSeed } from "./seed.ts";
import { createSimulatorServer } from "./server.ts";
import { loadProjects, type ProjectData, projectState } from "./store.ts";
import type {
  ContensisSeed,
  ContensisSimulator,
  ContensisSimulatorOptions,
  FaultPlan,
  ProjectState,
  RateLimit,
  RequestLogEntry,
} from "./types.ts";
import { clone } from "./util.ts";
import { renderEntry } from "./workflow-engine.ts";

export { FAULT_KINDS } from "./faults.ts";
export { systemDefinitions } from "./system-definitions.ts";
export type * from "./types.ts";
export { demoSeed };

/** Starts a simulator on 127.0.0.1 (a free port unless `port` is given). */
export async function startContensisSimulator(
  options: ContensisSimulatorOptions = {},
): Promise<ContensisSimulator> {
  const initialSeed = loadSeed(options.seed);
  let projects: Map<string, ProjectData> = loadProjects(initialSeed);
  const tokens = new TokenStore(initialSeed.clients, options.tokenLifetimeSeconds ?? 3600);
  const faults = new FaultInjector(options.faults);
  const limiter = new RateLimiter(options.rateLimit ?? false);
  const log: RequestLogEntry[] = [];
  const latency = { ms: checkLatency(options.latencyMs ?? 0) };

  const api = { projects, tokens };
  const state = (projectId: string): ProjectState => {
    const project = projects.get(projectId);
    if (!project) throw new Error(`contensis simulator: unknown project '${projectId}'`);
    return projectState(project, (record) => renderEntry(project, record.latest, { name: "admin" }));
  };
  const controls = {
    requests: (): RequestLogEntry[] => clone(log),
    clearRequests(): void {
      log.length = 0;
    },
    state,
    setFaults(plan: FaultPlan | undefined): void {
      faults.set(plan);
    },
    setRateLimit(limit: RateLimit | false): void {
      limiter.set(limit);
    },
    setLatency(ms: number): void {
      latency.ms = checkLatency(ms);
    },
    expireTokens(): void {
      tokens.expireAll();
    },
    reset(seed?: ContensisSeed): void {
      const next = seed === undefined ? initialSeed : loadSeed(seed);
      projects = loadProjects(next);
      api.projects = projects;
      tokens.setClients(next.clients);
      log.length = 0;
    },
  };
  const parts = {
    api,
    tokens,
    faults,
    limiter,
    log,
    latency,
    admin: { ...controls, projectIds: () => [...projects.keys()] },
  };
  const { server, stop } = createSimulatorServer(parts);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    ...controls,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve, reject) => {
        stop();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function checkLatency(ms: number): number {
  if (!(typeof ms === "number" && Number.isFinite(ms) && ms >= 0)) {
    throw new Error("contensis simulator: latencyMs must be a number of milliseconds ≥ 0");
  }
  return ms;
}
