import type { Issue } from "../issues.ts";
import { hasErrors } from "../issues.ts";
import type { Workflow } from "../model.ts";
import { parseWorkflow } from "../parse.ts";
import type { VendorProfile } from "../profile.ts";
import { graph, linkTransitions } from "./graph.ts";
import { checkGroupKeys, checkParameterKeys, checkStateKeys, checkTransitionKeys } from "./keys.ts";
import { portabilityIssues } from "./portability.ts";
import { checkReachesPublished, checkUnreachable } from "./reachability.ts";
import { checkReferences } from "./references.ts";
import { checkInitialState, checkPublishedState } from "./structure.ts";
import { checkDuplicateTransitions, checkRequiredMessages } from "./transitions.ts";

/** Options of `checkWorkflow` and `validateWorkflow`. */
export interface CheckOptions {
  /** Also run these vendors' portability checks (none by default); each adapter exports its profile. */
  profiles?: readonly VendorProfile[];
}

/**
 * The semantic checks of one parsed workflow. Errors unless noted:
 * - unique state keys, transition keys per source state, group keys, parameter keys per transition;
 * - no dangling reference (`initial`, a transition's `from`, `to` and `group`);
 * - exactly one state of kind `initial`, and `initial` names it;
 * - at least one state of kind `published`;
 * - every state can reach a published state (kinds published, archived and scheduled exempt);
 * - warning: a state that cannot be reached from `initial` (kind scheduled exempt: the vendor's
 *   scheduler moves content into it);
 * - warning: two transitions with the same from, to, roles and guard under different keys (stay
 *   transitions exempt: what they do lies in the vendor action they stand for, e.g. Contensis
 *   `sysUpdate` saves and `sysDelete` deletes);
 * - warning: a required parameter without `requiredMessage`.
 *
 * Then the portability checks of `options.profiles`, if any (`checkPortability`).
 */
export function checkWorkflow(workflow: Workflow, options: CheckOptions = {}): Issue[] {
  const issues: Issue[] = [];
  graph.reserve(workflow.states.length, workflow.transitions.length);
  // keys and names
  const firstState = checkStateKeys(workflow, issues);
  const everyFromKnown = linkTransitions(workflow, firstState);
  checkTransitionKeys(workflow, everyFromKnown, issues);
  const firstGroup = checkGroupKeys(workflow.groups, issues);
  checkParameterKeys(workflow.transitions, issues);
  const initialIndex = firstState.get(workflow.initial);
  checkReferences(workflow, initialIndex, firstGroup, issues);
  // structure and reachability
  checkInitialState(workflow, initialIndex, issues);
  if (checkPublishedState(workflow, issues)) checkReachesPublished(workflow, issues);
  if (initialIndex !== undefined) checkUnreachable(workflow, initialIndex, issues);
  // transitions
  checkDuplicateTransitions(workflow, issues);
  checkRequiredMessages(workflow.transitions, issues);

  if (options.profiles !== undefined && options.profiles.length > 0) {
    issues.push(...portabilityIssues(workflow, options.profiles));
  }
  return issues;
}

export interface ValidationResult {
  /** No issue of severity `error` (warnings are allowed). */
  ok: boolean;
  /** The parsed workflow (defaults applied) when the document has the model's shape. */
  value?: Workflow;
  issues: Issue[];
}

/**
 * Parse (zod), then the semantic checks, then the portability checks of `options.profiles` (none
 * by default). Semantic and portability checks run only on a document that parses.
 */
export function validateWorkflow(input: unknown, options: CheckOptions = {}): ValidationResult {
  if (Object.hasOwn(options, "vendors")) {
    throw new TypeError(
      "validateWorkflow: options.vendors is gone; pass options.profiles (each vendor adapter exports its profile)",
    );
  }
  const parsed = parseWorkflow(input);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  const issues = checkWorkflow(parsed.value, options);
  return { ok: !hasErrors(issues), value: parsed.value, issues };
}
