import type { Group, Parameter, State, Transition, Workflow } from "@workflow-sync/core";

/*
 * Deterministic (seeded) generators of large, valid neutral workflows, for benchmarks and big
 * fixtures. No fast-check: the same seed gives the same workflows on every machine.
 *
 * Every workflow is valid per the zod schema (in its parsed form: defaults filled in) and per the
 * semantic rules: unique keys, one `initial` state that `initial` names, a `published` state,
 * transitions between existing states with keys unique per source state, no two transitions with
 * the same source and target, groups that exist, every state reachable from the initial state and
 * able to reach a published state. `workflowProblems` checks exactly that.
 */

// ---------------------------------------------------------------------------------------------
// Random numbers

/** A small seeded PRNG (mulberry32): `next()` in [0, 1). */
export interface Random {
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** true with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items (fewer when there are fewer), in random order. */
  sample<T>(items: readonly T[], count: number): T[];
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[int(items.length)] as (typeof items)[number];
    },
    sample: (items, count) => {
      const copy = [...items];
      const out: (typeof items)[number][] = [];
      while (out.length < count && copy.length > 0) {
        out.push(copy.splice(int(copy.length), 1)[0] as (typeof items)[number]);
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const STEP_WORDS = [
  "review",
  "legal_review",
  "copy_edit",
  "seo_check",
  "translation",
  "fact_check",
  "design",
  "approval",
  "proofread",
  "compliance",
  "brand_check",
  "final_check",
] as const;
const STEP_NAMES: Record<string, [string, string]> = {
  review: ["Review", "Prüfung"],
  legal_review: ["Legal review", "Rechtsprüfung"],
  copy_edit: ["Copy edit", "Lektorat"],
  seo_check: ["SEO check", "SEO-Prüfung"],
  translation: ["Translation", "Übersetzung"],
  fact_check: ["Fact check", "Faktencheck"],
  design: ["Design", "Gestaltung"],
  approval: ["Approval", "Freigabe"],
  proofread: ["Proofread", "Korrektur"],
  compliance: ["Compliance", "Compliance"],
  brand_check: ["Brand check", "Markenprüfung"],
  final_check: ["Final check", "Endkontrolle"],
};
/** Colours both vendors know (Contensis state colours ∩ Kontent.ai step colours, see vendors/*.md). */
const COLORS = ["red", "green", "orange", "yellow", "pink", "gray"] as const;
const ROLES = [
  "Administrator",
  "Editor",
  "Author",
  "Reviewer",
  "Legal",
  "Translator",
  "Publisher",
  "SEO specialist",
] as const;
const CONTENT_TYPES = ["article", "news", "page", "product", "event", "landing_page", "author"] as const;
const COLLECTIONS = ["default", "marketing", "docs", "shop"] as const;
const GROUPS: Array<[string, string]> = [
  ["approve", "Approve"],
  ["reject", "Reject"],
  ["other", "Other actions"],
];
const VERBS = ["submit", "approve", "reject", "send_back", "escalate", "skip", "return", "forward"] as const;
const GUARD_FIELDS = ["isScheduledForPublish()", "entry.sys.isPublished", "entry.language"] as const;

const text = (random: Random, en: string, de?: string): Record<string, string> =>
  de !== undefined && random.chance(0.3) ? { "en-GB": en, "de-DE": de } : { "en-GB": en };

const title = (key: string) => {
  const words = key.replace(/_\d+$/, "").split("_");
  const first = words[0] ?? key;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...words.slice(1)].join(" ");
};

// ---------------------------------------------------------------------------------------------
// Workflows

export interface GenerateWorkflowOptions {
  key: string;
  /** Number of states (at least 2: an initial and a published state). Default 40. */
  states?: number;
  /**
   * Number of transitions. Default 120. The structure needs `states + 1` (a path from the initial
   * state through every step to published, unpublish, restore, new version); fewer is raised to that.
   */
  transitions?: number;
  seed?: number;
}

/** One valid workflow, the same for the same options. */
export function generateWorkflow(options: GenerateWorkflowOptions): Workflow {
  const random = createRandom(options.seed ?? 1);
  const stateCount = Math.max(2, options.states ?? 40);
  const key = options.key;

  const states: State[] = [];
  const draft: State = {
    key: "draft",
    name: text(random, "Draft", "Entwurf"),
    kind: "initial",
    color: "gray",
    editable: true,
    roles: random.chance(0.5) ? [] : random.sample(ROLES, 1 + random.int(2)),
    extensions: {},
  };
  states.push(draft);
  const hasArchived = stateCount >= 3;
  const stepCount = stateCount - 2 - (hasArchived ? 1 : 0);
  for (let i = 0; i < stepCount; i++) {
    const word = STEP_WORDS[i % STEP_WORDS.length] as string;
    const stepKey = i < STEP_WORDS.length ? word : `${word}_${Math.floor(i / STEP_WORDS.length) + 1}`;
    const [en, de] = STEP_NAMES[word] ?? [title(word), title(word)];
    const suffix = i < STEP_WORDS.length ? "" : ` ${Math.floor(i / STEP_WORDS.length) + 1}`;
    const state: State = {
      key: stepKey,
      name: text(random, en + suffix, de + suffix),
      kind: "step",
      color: random.pick(COLORS),
      editable: random.chance(0.7),
      roles: random.sample(ROLES, random.int(4)),
      extensions: {},
    };
    if (random.chance(0.2)) state.description = { "en-GB": `Content waits for ${en.toLowerCase()}.` };
    if (random.chance(0.15)) state.extensions = { contensis: { uiEditorView: "default", entryActions: [] } };
    states.push(state);
  }
  const published: State = {
    key: "published",
    name: text(random, "Published", "Veröffentlicht"),
    kind: "published",
    color: "green",
    editable: false,
    roles: [],
    extensions: random.chance(0.3) ? { contensis: { system: "sysWorkflow" } } : {},
  };
  states.push(published);
  if (hasArchived) {
    states.push({
      key: "archived",
      name: text(random, "Archived", "Archiviert"),
      kind: "archived",
      color: "gray",
      editable: false,
      roles: random.sample(ROLES, random.int(2)),
      extensions: {},
    });
  }

  const groups: Group[] = GROUPS.slice(0, random.int(GROUPS.length + 1)).map(([groupKey, name]) => ({
    key: groupKey,
    name: { "en-GB": name },
  }));

  const transitions: Transition[] = [];
  const keysByFrom = new Map<string, Set<string>>();
  const pairs = new Set<string>();
  const add = (transition: Transition): boolean => {
    const pair = `${transition.from}\u0000${transition.to ?? ""}`;
    const keys = keysByFrom.get(transition.from) ?? new Set<string>();
    if (keys.has(transition.key) || pairs.has(pair)) return false;
    keys.add(transition.key);
    keysByFrom.set(transition.from, keys);
    pairs.add(pair);
    transitions.push(transition);
    return true;
  };
  const makeTransition = (from: State, to: State | null, transitionKey: string): Transition => {
    const transition: Transition = {
      key: transitionKey,
      from: from.key,
      to: to ? to.key : null,
      name: text(random, to ? `To ${textEn(to)}` : "Save comment", to ? `Nach ${textEn(to)}` : undefined),
      roles: random.chance(0.5) ? [] : random.sample(ROLES, 1 + random.int(3)),
      parameters: random.chance(0.1) ? [commentParameter(random)] : [],
      validate: random.chance(0.3),
      extensions: random.chance(0.1) ? { contensis: { color: "green", uiAction: "default" } } : {},
    };
    if (groups.length > 0 && random.chance(0.4)) transition.group = random.pick(groups).key;
    if (random.chance(0.1)) transition.description = { "en-GB": `Moves content on from ${textEn(from)}.` };
    if (random.chance(0.1)) transition.auditText = { "en-GB": `${textEn(from)}: moved on` };
    if (random.chance(0.05)) {
      transition.guard = {
        all: [{ field: random.pick(GUARD_FIELDS), equals: random.chance(0.5) }],
      };
    }
    return transition;
  };

  // the spine: initial → every step → published; published → archived → initial; published → initial
  const spine = states.filter((state) => state.kind === "initial" || state.kind === "step");
  for (let i = 0; i < spine.length; i++) {
    const from = spine[i] as State;
    const to = spine[i + 1] ?? published;
    add(makeTransition(from, to, i === 0 ? "submit" : to === published ? "publish" : "approve"));
  }
  const archived = states.find((state) => state.kind === "archived");
  if (archived) {
    add({ ...makeTransition(published, archived, "unpublish"), extensions: { kontent: { implicit: true } } });
    add({ ...makeTransition(archived, draft, "restore"), extensions: { kontent: { implicit: true } } });
  }
  add({
    ...makeTransition(published, draft, "create_new_version"),
    extensions: { kontent: { implicit: true } },
  });

  // the rest: random moves between states, some of them stays (`to: null`)
  const wanted = Math.max(transitions.length, options.transitions ?? 120);
  const maxPairs = states.length * (states.length + 1);
  let attempts = 0;
  while (transitions.length < wanted && attempts < wanted * 20 && pairs.size < maxPairs) {
    attempts++;
    const from = random.pick(states);
    const to = random.chance(0.08) ? null : random.pick(states);
    if (to === from) continue;
    const verb = to === null ? "comment" : random.pick(VERBS);
    let transitionKey: string = verb;
    for (let n = 2; keysByFrom.get(from.key)?.has(transitionKey); n++) transitionKey = `${verb}_${n}`;
    add(makeTransition(from, to, transitionKey));
  }

  const workflow: Workflow = {
    key,
    name: text(random, title(key), title(key)),
    scope: {
      contentTypes: random.sample(CONTENT_TYPES, random.int(4)),
      collections: random.sample(COLLECTIONS, random.int(2)),
    },
    initial: draft.key,
    states,
    transitions,
    groups,
    extensions: random.chance(0.3) ? { contensis: { isSystem: false, version: 1 + random.int(9) } } : {},
  };
  if (random.chance(0.5)) workflow.description = { "en-GB": `The ${title(key).toLowerCase()} workflow.` };
  return workflow;
}

function textEn(state: State): string {
  return state.name["en-GB"] ?? Object.values(state.name)[0] ?? state.key;
}

function commentParameter(random: Random): Parameter {
  const required = random.chance(0.5);
  return {
    key: "comment",
    name: { "en-GB": "Comment" },
    type: "string",
    required,
    ...(required ? { requiredMessage: { "en-GB": "Please give a reason." } } : {}),
    default: null,
    editor: { key: "multiline" },
  };
}

export interface GenerateWorkflowSetOptions {
  /** Number of workflows. Default 1000. */
  count?: number;
  states?: number;
  transitions?: number;
  seed?: number;
  /** Workflow keys are `${keyPrefix}_${index}` (zero padded). Default "workflow". */
  keyPrefix?: string;
}

/** `count` valid workflows with unique keys, the same for the same options. */
export function generateWorkflowSet(options: GenerateWorkflowSetOptions = {}): Workflow[] {
  const count = options.count ?? 1000;
  const seed = options.seed ?? 1;
  const width = String(Math.max(0, count - 1)).length;
  const out: Workflow[] = [];
  for (let i = 0; i < count; i++) {
    out.push(
      generateWorkflow({
        key: `${options.keyPrefix ?? "workflow"}_${String(i).padStart(width, "0")}`,
        states: options.states ?? 40,
        transitions: options.transitions ?? 120,
        seed: (Math.imul(seed, 0x9e3779b1) + i * 7919 + 1) >>> 0,
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Mutations

export interface MutateWorkflowsOptions {
  /** The share of states to change (about: each workflow changes round(states × fraction)). Default 0.05. */
  stateFraction?: number;
  seed?: number;
}

/**
 * A changed copy of `set`: in each workflow about `stateFraction` of the states change (colour,
 * name, roles, a transition's target, a new state next to it, or the state removed). The result
 * stays valid (a change that would break a rule is not made; another one is made instead).
 * Workflows with nothing to change are returned as they are (same objects); changed ones are copies.
 */
export function mutateWorkflows(set: readonly Workflow[], options: MutateWorkflowsOptions = {}): Workflow[] {
  const random = createRandom(options.seed ?? 2);
  const fraction = options.stateFraction ?? 0.05;
  return set.map((workflow) => {
    const exact = workflow.states.length * fraction;
    const count = Math.floor(exact) + (random.chance(exact - Math.floor(exact)) ? 1 : 0);
    if (count === 0) return workflow;
    const copy = structuredClone(workflow);
    const picked = random.sample(
      copy.states.map((state) => state.key),
      count,
    );
    picked.forEach((stateKey, n) => {
      mutateState(copy, stateKey, random, n);
    });
    return copy;
  });
}

type StateMutation = "color" | "name" | "roles" | "target" | "add_state" | "remove_state";
const MUTATIONS: ReadonlyArray<[StateMutation, number]> = [
  ["color", 25],
  ["name", 20],
  ["roles", 20],
  ["target", 15],
  ["add_state", 10],
  ["remove_state", 10],
];

function pickMutation(random: Random): StateMutation {
  let roll = random.int(100);
  for (const [mutation, weight] of MUTATIONS) {
    if (roll < weight) return mutation;
    roll -= weight;
  }
  return "color";
}

/** Change one state of `workflow` in place; falls back to a colour change when a move would break a rule. */
function mutateState(workflow: Workflow, stateKey: string, random: Random, n: number): void {
  const state = workflow.states.find((candidate) => candidate.key === stateKey);
  if (!state) return; // removed by an earlier mutation
  const mutation = pickMutation(random);
  const attempt = (change: () => void): boolean => {
    const snapshot = structuredClone(workflow);
    change();
    if (workflowProblems(workflow).length === 0) return true;
    Object.assign(workflow, snapshot);
    return false;
  };
  const recolor = () => {
    const current = workflow.states.find((candidate) => candidate.key === stateKey);
    if (!current) return;
    current.color = random.pick(COLORS.filter((color) => color !== current.color));
  };
  switch (mutation) {
    case "color":
      recolor();
      return;
    case "name": {
      const locale = Object.keys(state.name).sort()[0] ?? "en-GB";
      state.name = { ...state.name, [locale]: `${state.name[locale] ?? state.key} (revised)` };
      return;
    }
    case "roles": {
      const missing = ROLES.filter((role) => !state.roles.includes(role));
      if (state.roles.length > 0 && (missing.length === 0 || random.chance(0.5))) {
        state.roles = state.roles.filter((role) => role !== random.pick(state.roles));
      } else {
        state.roles = [...state.roles, random.pick(missing)];
      }
      return;
    }
    case "target": {
      const outgoing = workflow.transitions.filter((t) => t.from === stateKey && t.to !== null);
      const ok =
        outgoing.length > 0 &&
        attempt(() => {
          const transition = random.pick(outgoing);
          const targets = workflow.states.filter((s) => s.key !== stateKey && s.key !== transition.to);
          const taken = new Set(workflow.transitions.filter((t) => t.from === stateKey).map((t) => t.to));
          const free = targets.filter((s) => !taken.has(s.key));
          if (free.length === 0) return;
          const index = workflow.transitions.indexOf(transition);
          workflow.transitions[index] = { ...transition, to: random.pick(free).key };
        });
      if (!ok) recolor();
      return;
    }
    case "add_state": {
      const taken = new Set(workflow.states.map((s) => s.key));
      let newKey = `added_${stateKey}`;
      for (let i = 2; taken.has(newKey); i++) newKey = `added_${stateKey}_${i}`;
      const target = workflow.states.find((s) => s.kind === "published");
      if (!target || stateKey === target.key) {
        recolor();
        return;
      }
      const ok = attempt(() => {
        workflow.states.push({
          key: newKey,
          name: { "en-GB": `Extra check ${n + 1}` },
          kind: "step",
          color: random.pick(COLORS),
          editable: true,
          roles: random.sample(ROLES, 1),
          extensions: {},
        });
        let inKey = `to_${newKey}`;
        const outKeys = new Set(workflow.transitions.filter((t) => t.from === stateKey).map((t) => t.key));
        for (let i = 2; outKeys.has(inKey); i++) inKey = `to_${newKey}_${i}`;
        workflow.transitions.push(
          {
            key: inKey,
            from: stateKey,
            to: newKey,
            name: { "en-GB": `Send to extra check ${n + 1}` },
            roles: [],
            parameters: [],
            validate: false,
            extensions: {},
          },
          {
            key: "publish",
            from: newKey,
            to: target.key,
            name: { "en-GB": "Publish" },
            roles: [],
            parameters: [],
            validate: true,
            extensions: {},
          },
        );
      });
      if (!ok) recolor();
      return;
    }
    case "remove_state": {
      const publishedKey = workflow.states.find((s) => s.kind === "published")?.key;
      const ok =
        state.kind === "step" &&
        publishedKey !== undefined &&
        attempt(() => {
          workflow.states = workflow.states.filter((s) => s.key !== stateKey);
          const kept: Transition[] = [];
          const pairs = new Set<string>();
          for (const t of workflow.transitions) {
            if (t.from === stateKey) continue;
            const moved = t.to === stateKey ? { ...t, to: publishedKey } : t;
            const pair = `${moved.from}\u0000${moved.to ?? ""}`;
            if (pairs.has(pair)) continue; // the source already leads to published
            pairs.add(pair);
            kept.push(moved);
          }
          workflow.transitions = kept;
        });
      if (!ok) recolor();
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Checks

/**
 * What makes `workflow` not a valid generated workflow (empty: valid). The rules the generators
 * promise; core's rules are the reference, this is a self-contained check for generator tests.
 */
export function workflowProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  const keyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
  const checkKey = (key: string, where: string) => {
    if (!keyPattern.test(key)) problems.push(`${where}: invalid key ${JSON.stringify(key)}`);
  };
  checkKey(workflow.key, "workflow");
  const states = new Map<string, State>();
  for (const state of workflow.states) {
    checkKey(state.key, "state");
    if (states.has(state.key)) problems.push(`state ${state.key}: duplicate key`);
    states.set(state.key, state);
  }
  const initials = workflow.states.filter((state) => state.kind === "initial");
  if (initials.length !== 1 || initials[0]?.key !== workflow.initial) {
    problems.push(`initial: expected exactly one initial state, named by initial (${workflow.initial})`);
  }
  if (!workflow.states.some((state) => state.kind === "published")) problems.push("no published state");
  const groups = new Set<string>();
  for (const group of workflow.groups) {
    checkKey(group.key, "group");
    if (groups.has(group.key)) problems.push(`group ${group.key}: duplicate key`);
    groups.add(group.key);
  }
  const ids = new Set<string>();
  const pairs = new Set<string>();
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const t of workflow.transitions) {
    const where = `transition ${t.from}.${t.key}`;
    checkKey(t.key, where);
    if (!states.has(t.from)) problems.push(`${where}: unknown source state`);
    if (t.to !== null && !states.has(t.to)) problems.push(`${where}: unknown target state ${t.to}`);
    if (t.group !== undefined && !groups.has(t.group)) problems.push(`${where}: unknown group ${t.group}`);
    const id = `${t.from}\u0000${t.key}`;
    if (ids.has(id)) problems.push(`${where}: duplicate key`);
    ids.add(id);
    const pair = `${t.from}\u0000${t.to ?? ""}`;
    if (pairs.has(pair)) problems.push(`${where}: a second transition from ${t.from} to ${t.to ?? "(stay)"}`);
    pairs.add(pair);
    const keys = new Set(t.parameters.map((p) => p.key));
    if (keys.size !== t.parameters.length) problems.push(`${where}: duplicate parameter key`);
    if (t.to !== null) {
      forward.set(t.from, [...(forward.get(t.from) ?? []), t.to]);
      backward.set(t.to, [...(backward.get(t.to) ?? []), t.from]);
    }
  }
  const reach = (starts: string[], edges: Map<string, string[]>) => {
    const seen = new Set(starts);
    const queue = [...starts];
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      for (const next of edges.get(item) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return seen;
  };
  const fromInitial = reach([workflow.initial], forward);
  const toPublished = reach(
    workflow.states.filter((s) => s.kind === "published").map((s) => s.key),
    backward,
  );
  for (const state of workflow.states) {
    if (state.kind === "scheduled") continue;
    if (!fromInitial.has(state.key))
      problems.push(`state ${state.key}: unreachable from ${workflow.initial}`);
    if (!toPublished.has(state.key)) problems.push(`state ${state.key}: cannot reach a published state`);
  }
  return problems;
}
