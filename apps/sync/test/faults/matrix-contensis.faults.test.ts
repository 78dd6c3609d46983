import { faultMatrix } from "./support/matrix.ts";

/*
 * The fault matrix of a Contensis promotion (website-dev → website-prod: definitions created,
 * published and given content types), seeds 2001–2052: `sync` (or `plan`, then `apply`) under a
 * seeded mix of 429 storms, 5xx, dropped connections, slow answers and expired tokens. Every run
 * converges, first time or after the same command again without faults; nothing unpublished,
 * duplicated or lost. The seed's choices: support/fault-plan.ts; the checks: support/convergence.ts.
 *
 * Runs the built CLI (rebuild first). Replay one seed: cd apps/sync && FAULT_SEED=2017 npm run test:faults
 * All figures and what they guarantee: docs/reliability-faults.md.
 */
faultMatrix("fault matrix: contensis-promotion", ["contensis-promotion"]);
