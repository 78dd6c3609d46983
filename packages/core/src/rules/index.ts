/*
 * Semantic checks (what zod cannot say) and portability checks (what a vendor cannot hold: each
 * vendor adapter's `VendorProfile`, see ../profile.ts). Every issue's path is index-based into the
 * document (`["transitions", 3, "to"]`) so that a reader finds the spot in the file, and every
 * message names the keys involved.
 *
 * One file per family: keys.ts (unique keys), references.ts (dangling references), structure.ts
 * (the initial and published states), reachability.ts, transitions.ts (duplicate transitions,
 * required parameters), portability.ts (vendor profiles), workflow-set.ts (checks across a set);
 * check.ts runs them in that order over the state graph of graph.ts.
 */

export { type CheckOptions, checkWorkflow, type ValidationResult, validateWorkflow } from "./check.ts";
export { checkPortability } from "./portability.ts";
export { checkWorkflowSet } from "./workflow-set.ts";
