import { OVERLAP } from "./support/config.ts";
import { faultMatrix } from "./support/matrix.ts";

/*
 * The fault matrix of the two syncs into Contensis (website-dev → website-prod, and the migration
 * from Kontent.ai) with Contensis writes OVERLAP (4) at a time (`concurrency: { writes: 4 }`),
 * seeds 12001–12026 and 14001–14026: every run converges, first time or after the same command
 * again; nothing unpublished, duplicated or lost. The same seeded fault plans (support/fault-plan.ts)
 * as the one-at-a-time matrix (matrix-contensis, matrix-migrations), with seeds of their own.
 *
 * Runs the built CLI (rebuild first). Replay one seed: cd apps/sync && FAULT_SEED=12017 npm run test:faults
 */
faultMatrix(
  `fault matrix: into contensis, ${OVERLAP} writes at a time`,
  ["contensis-promotion", "kontent-to-contensis"],
  {
    overlap: true,
    runs: 26,
  },
);
