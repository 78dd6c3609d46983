import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { link, lstat, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { ENVIRONMENT_NAME } from "../config.ts";
import { CliError, RefusedError } from "../errors.ts";

/*
 * The local state of applies, next to the config: backups/, journals/ and locks/ under
 * `.workflow-sync/`. Names are built from environment names (checked against a safe pattern) and
 * plan ids (hex), never from vendor data, so nothing can be written outside the folder.
 */

function safeName(name: string): string {
  if (!ENVIRONMENT_NAME.test(name))
    throw new CliError("unsafe_path", `"${name}" cannot be used in a file name`);
  return name;
}

/** Write a file so that a reader sees the old or the new content, never half of it. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, text, { flag: "wx", mode: 0o600 });
  await rename(temporary, path);
}

export class StateDir {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  async #dir(kind: "backups" | "journals" | "locks"): Promise<string> {
    // A link here (e.g. a `.workflow-sync` link committed to the repository) would carry backups
    // and journals elsewhere: workflow-sync never follows it (checked before creating anything in it).
    const dir = join(this.root, kind);
    for (const path of [this.root, dir]) {
      await mkdir(path, { recursive: true, mode: 0o700 });
      if ((await lstat(path)).isSymbolicLink()) {
        throw new CliError(
          "unsafe_path",
          `${path}: a link; workflow-sync never writes its state through a link`,
        );
      }
    }
    return dir;
  }

  async backupPath(environment: string, planId: string): Promise<string> {
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return join(await this.#dir("backups"), `${safeName(environment)}-${stamp}-${planId}.json`);
  }

  async journalPath(planId: string, environment: string): Promise<string> {
    if (!/^[0-9a-f]{16}$/.test(planId))
      throw new CliError("invalid_plan", `plan id "${planId}" is not valid`);
    return join(await this.#dir("journals"), `${planId}-${safeName(environment)}.json`);
  }

  /**
   * An exclusive lock on an environment for the time of an apply. The lock file records who holds
   * it: host, process id, that process's start time (a process id alone is reused: after a restart
   * a container's apply may get the very id of a dead one) and a random token. A lock of this host
   * whose process is gone, or whose process id now belongs to a process started at another time,
   * is stale and taken over; any other is refused (exit 4) naming the file, its holder and its age.
   */
  async lock(environment: string): Promise<() => Promise<void>> {
    const dir = await this.#dir("locks");
    const path = join(dir, `${safeName(environment)}.lock`);
    await removeLeftoverTemporaries(dir, `${safeName(environment)}.lock`);
    const mine: LockHolder = {
      host: hostname(),
      pid: process.pid,
      ...(processStart(process.pid) ? { processStart: processStart(process.pid)! } : {}),
      token: randomBytes(8).toString("hex"),
      at: new Date().toISOString(),
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        // The lock appears with its holder already in it (written aside, then linked in place): a
        // process that finds it never reads it empty and takes it over as a dead holder's.
        const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
        await writeFile(temporary, JSON.stringify(mine), { flag: "wx", mode: 0o600 });
        try {
          await link(temporary, path);
        } finally {
          await rm(temporary, { force: true });
        }
        return async () => {
          // Only our own lock is removed (a lock taken over meanwhile is someone else's).
          const now = await readHolder(path);
          if (!now || now.token === mine.token) await rm(path, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = await readHolder(path);
        const stale = holder ? staleReason(holder) : "it names no holder";
        if (holder && stale === undefined) {
          const age = await lockAge(path, holder);
          throw new RefusedError(
            "locked",
            `${environment}: another apply holds the lock ${path} (process ${holder.pid} on ${holder.host ?? "this host"}, taken ${age} ago); nothing was written`,
            {
              suggestions: [
                "wait for that apply to finish, then run again",
                holder.host && holder.host !== hostname()
                  ? `if no apply is running on ${holder.host} any more, remove ${path} and run again`
                  : `if process ${holder.pid} is not an apply of workflow-sync (ps -p ${holder.pid} -o pid,lstart,args), remove ${path} and run again`,
              ],
              details: {
                lock: path,
                holder,
                ageSeconds: Math.round((Date.now() - Date.parse(holder.at ?? "")) / 1000) || undefined,
              },
            },
          );
        }
        // Stale: its holder is gone. It is removed only if it still holds that same holder (another
        // process may have taken it over meanwhile), then link() is tried again. Remaining window:
        // two processes that find the same stale lock at the same instant, between that re-read and
        // the removal (docs/reliability.md).
        const again = await readHolder(path);
        if (JSON.stringify(again) !== JSON.stringify(holder)) continue;
        await rm(path, { force: true });
      }
    }
    throw new RefusedError("locked", `${environment}: could not take the lock ${path}`);
  }
}

/**
 * The temporary files a lock is written to before it is linked in place, left behind by processes
 * of this host that are gone (killed between writing one and removing it): removed, so that a
 * killed apply leaves nothing in the locks folder once the next one has run.
 */
async function removeLeftoverTemporaries(dir: string, lockName: string): Promise<void> {
  for (const entry of await readdir(dir)) {
    if (!entry.startsWith(`${lockName}.`) || !entry.endsWith(".tmp")) continue;
    const pid = Number(entry.slice(lockName.length + 1).split(".")[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await rm(join(dir, entry), { force: true });
  }
}

/** What a lock file records (older versions wrote only pid and at). */
interface LockHolder {
  host?: string;
  pid: number;
  /** The holder process's start time as the OS reports it (Linux: /proc/PID/stat, clock ticks since boot). */
  processStart?: string;
  token?: string;
  at?: string;
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  const value = await readFile(path, "utf8")
    .then((text) => JSON.parse(text) as Partial<LockHolder> | null)
    .catch(() => undefined);
  if (!value || typeof value.pid !== "number" || !Number.isInteger(value.pid) || value.pid <= 0)
    return undefined;
  return value as LockHolder;
}

/** Why a lock is stale, or undefined when its holder may still be running. */
function staleReason(holder: LockHolder): string | undefined {
  // Another host's process cannot be checked from here: its lock is live until removed by hand.
  if (holder.host !== undefined && holder.host !== hostname()) return undefined;
  if (!isAlive(holder.pid)) return `process ${holder.pid} is gone`;
  const start = processStart(holder.pid);
  if (holder.processStart !== undefined && start !== undefined && start !== holder.processStart)
    return `process ${holder.pid} is another process now (started at another time)`;
  // A lock of an older version (no start time) naming this very process: a previous process that
  // had the same id (this process never writes such a lock).
  if (holder.processStart === undefined && holder.pid === process.pid)
    return "an earlier process with this id";
  return undefined;
}

/** How long ago the lock was taken, for people: "3 min 12 s". */
async function lockAge(path: string, holder: LockHolder): Promise<string> {
  const taken =
    Date.parse(holder.at ?? "") ||
    (await lstat(path)
      .then((stats) => stats.mtimeMs)
      .catch(() => Date.now()));
  const seconds = Math.max(0, Math.round((Date.now() - taken) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/**
 * A process's start time, to tell a process from a later one that got its id: field 22 of
 * /proc/PID/stat on Linux (proc(5)); undefined elsewhere (then only whether the id is alive counts).
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
