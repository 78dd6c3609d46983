import { afterAll, beforeAll } from "vitest";
import { FolderLane } from "./folder-lane.ts";
import { LanePool } from "./lane.ts";

const LANES = 4;

/** A suite's folder lanes: started before its first run; `afterRuns` (the figures), then closed. */
export function suiteFolderLanes(afterRuns: () => void): { readonly pool: LanePool<FolderLane> } {
  let pool: LanePool<FolderLane> | undefined;
  beforeAll(async () => {
    pool = new LanePool(await Promise.all(Array.from({ length: LANES }, () => FolderLane.start())));
  }, 60_000);
  afterAll(async () => {
    afterRuns();
    await pool?.close();
  });
  return {
    get pool() {
      return pool!;
    },
  };
}
