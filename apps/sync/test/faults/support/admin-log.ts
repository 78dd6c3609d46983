import type { ContensisSimulator } from "@workflow-sync/contensis-simulator";
import type { KontentSimulator } from "@workflow-sync/kontent-simulator";
import type { Vendor } from "./environments.ts";

/* The simulators' request logs (their admin API), merged, and what the suites count in them. */

export interface LoggedRequest {
  vendor: Vendor;
  method: string;
  path: string;
  status: number;
  write: boolean;
  fault?: string;
  /** Kontent.ai environment id or Contensis project id. */
  on?: string;
}

/** Every request both simulators saw since their logs were last cleared. */
export function requestLog(kontent: KontentSimulator, contensis: ContensisSimulator): LoggedRequest[] {
  const fromKontent = kontent.requests().map(
    (entry): LoggedRequest => ({
      vendor: "kontent",
      method: entry.method,
      path: entry.path,
      status: entry.status,
      write: entry.write,
      ...(entry.fault ? { fault: entry.fault } : {}),
      ...(entry.environmentId ? { on: entry.environmentId } : {}),
    }),
  );
  const fromContensis = contensis.requests().map(
    (entry): LoggedRequest => ({
      vendor: "contensis",
      method: entry.method,
      path: entry.path,
      status: entry.status,
      write: entry.write,
      ...(entry.fault ? { fault: entry.fault } : {}),
      ...(entry.projectId ? { on: entry.projectId } : {}),
    }),
  );
  return [...fromKontent, ...fromContensis];
}

/** Faults injected, by kind. */
export function countFaults(log: readonly LoggedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of log) if (entry.fault) counts[entry.fault] = (counts[entry.fault] ?? 0) + 1;
  return counts;
}

/** The writes that reached one environment. */
export function writesTo(
  log: readonly LoggedRequest[],
  endpoint: { vendor: Vendor; id: string },
): LoggedRequest[] {
  return log.filter((entry) => entry.write && entry.vendor === endpoint.vendor && entry.on === endpoint.id);
}
