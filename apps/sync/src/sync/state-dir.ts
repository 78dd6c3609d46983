import { randomBytes } from "node:crypto";
import { link, lstat, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
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

  /** An exclusive lock on an environment for the time of an apply; a dead holder's lock is taken over. */
  async lock(environment: string): Promise<() => Promise<void>> {
    const path = join(await this.#dir("locks"), `${safeName(environment)}.lock`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        // The lock appears with its holder already in it (written aside, then linked in place): a
        // process that finds it never reads it empty and takes it over as a dead holder's.
        const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
        await writeFile(temporary, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }), {
          flag: "wx",
          mode: 0o600,
        });
        try {
          await link(temporary, path);
        } finally {
          await rm(temporary, { force: true });
        }
        return async () => {
          await rm(path, { force: true });
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = await readFile(path, "utf8")
          .then((text) => JSON.parse(text) as { pid?: number })
          .catch(() => ({}) as { pid?: number });
        if (holder.pid && holder.pid !== process.pid && isAlive(holder.pid)) {
          throw new RefusedError(
            "locked",
            `${environment}: another apply (process ${holder.pid}) is writing to it; wait for it to finish`,
          );
        }
        await rm(path, { force: true });
      }
    }
    throw new RefusedError("locked", `${environment}: could not take the lock ${path}`);
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
