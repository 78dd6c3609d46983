import { z } from "zod";

/**
 * The vendor-neutral workflow model. Everything is referenced by **key** (a Kontent.ai codename, a
 * Contensis id), never by a vendor's generated id: ids are an adapter's business.
 *
 * Set-like arrays (roles, scope lists) and keyed collections (states, transitions, groups,
 * parameters) carry no meaning in their order: `canonicalize` sorts them, `diff` ignores it.
 * Adapters keep the order they read so that a same-vendor round trip is lossless.
 */

/** A key: letters, digits and `_`, starting with a letter or `_` (safe in codenames, ids and file names). */
export const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const Key = z
  .string()
  .min(1, "a key cannot be empty")
  .max(100, "a key is at most 100 characters")
  .regex(KEY_PATTERN, "a key holds letters, digits and _, and starts with a letter or _");
export type Key = z.infer<typeof Key>;

/** A locale such as `en-GB` or `en` (BCP 47 shape, loosely). */
export const Locale = z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/, "a locale looks like en-GB");

/** Text in one or more locales, e.g. `{ "en-GB": "Draft" }`. */
export const LocalizedText = z
  .record(Locale, z.string())
  .refine((value) => Object.keys(value).length > 0, { message: "give the text in at least one locale" });
export type LocalizedText = z.infer<typeof LocalizedText>;

/** A role, by name (adapters resolve names to ids per environment). */
export const RoleName = z.string().trim().min(1, "a role name cannot be empty");
export type RoleName = z.infer<typeof RoleName>;

export const VENDORS = ["kontent", "contensis"] as const;
export const Vendor = z.enum(VENDORS);
export type Vendor = z.infer<typeof Vendor>;

/**
 * Per-vendor opaque data (`{ kontent: {...}, contensis: {...} }`), kept for same-vendor round trips.
 * Only the vendor's own adapter reads its namespace.
 */
export const Extensions = z.partialRecord(Vendor, z.record(z.string(), z.unknown())).default({});
export type Extensions = z.infer<typeof Extensions>;

export const STATE_KINDS = ["initial", "step", "published", "scheduled", "archived"] as const;
export const StateKind = z.enum(STATE_KINDS);
export type StateKind = z.infer<typeof StateKind>;

export const State = z
  .strictObject({
    key: Key,
    name: LocalizedText,
    kind: StateKind,
    description: LocalizedText.optional(),
    color: z.string().min(1).optional(),
    /** Whether content can be edited in this state (Contensis `allowUpdates`). */
    editable: z.boolean().default(true),
    /** Who may work with content in this state (Kontent.ai step `role_ids`); empty: anyone. */
    roles: z.array(RoleName).default([]),
    extensions: Extensions,
  })
  .describe("A state that content can be in.");
export type State = z.infer<typeof State>;
export type StateInput = z.input<typeof State>;

export const ParameterEditor = z.strictObject({
  key: z.string().min(1),
  instructions: LocalizedText.optional(),
  properties: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type ParameterEditor = z.infer<typeof ParameterEditor>;

/** Data that an actor gives when firing a transition (Contensis event parameters). */
export const Parameter = z.strictObject({
  key: Key,
  name: LocalizedText,
  description: LocalizedText.optional(),
  type: z.enum(["string", "number", "boolean"]).default("string"),
  format: z.string().nullable().optional(),
  required: z.boolean().default(false),
  /** The message shown when a required parameter is missing. */
  requiredMessage: LocalizedText.optional(),
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]).default(null),
  editor: ParameterEditor.optional(),
});
export type Parameter = z.infer<typeof Parameter>;

/** A condition on a fact about the content, e.g. `isScheduledForPublish()` equals `false`. */
export const Condition = z.strictObject({
  field: z.string().min(1),
  equals: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});
export type Condition = z.infer<typeof Condition>;

/** When a transition may fire (Contensis `invokableWhen`): every condition must hold. */
export const Guard = z.strictObject({ all: z.array(Condition).min(1) });
export type Guard = z.infer<typeof Guard>;

export const Transition = z
  .strictObject({
    /** Unique among the transitions leaving the same state (Contensis event id). */
    key: Key,
    from: Key,
    /** The state it leads to, or `null`: content stays where it is. */
    to: Key.nullable(),
    name: LocalizedText,
    description: LocalizedText.optional(),
    auditText: LocalizedText.optional(),
    group: Key.optional(),
    /** Who may fire it; empty: anyone who may work in the source state. */
    roles: z.array(RoleName).default([]),
    parameters: z.array(Parameter).default([]),
    guard: Guard.optional(),
    /** Content must be valid to fire it. */
    validate: z.boolean().default(false),
    extensions: Extensions,
  })
  .describe("A move from one state to another (or to the same state).");
export type Transition = z.infer<typeof Transition>;
export type TransitionInput = z.input<typeof Transition>;

export const Group = z.strictObject({ key: Key, name: LocalizedText });
export type Group = z.infer<typeof Group>;

/**
 * A reference that could not be resolved to a key where it was read (a vendor id without its
 * codename, e.g. a Kontent.ai workflow file in the API's response shape, read offline): kept typed,
 * as `id:<id>` or `external_id:<external id>`, and resolved when a target environment is known.
 * A key never holds `:`, so the two forms cannot be confused.
 */
export const TYPED_REFERENCE_PATTERN = /^(id|external_id):([^\s:][^\s]*)$/;
export const TypedReference = z
  .string()
  .max(300, "a reference is at most 300 characters")
  .regex(TYPED_REFERENCE_PATTERN, "a typed reference looks like id:<id> or external_id:<external id>");
export type TypedReference = z.infer<typeof TypedReference>;

/** A scope entry: a key (codename), or a typed reference still to be resolved. */
export const ScopeReference = z.union([Key, TypedReference]);
export type ScopeReference = z.infer<typeof ScopeReference>;

/** What a scope entry is: a key, or an id / external id still to be resolved. */
export function parseReference(
  value: string,
): { kind: "key"; value: string } | { kind: "id" | "external_id"; value: string } {
  const match = TYPED_REFERENCE_PATTERN.exec(value);
  if (!match) return { kind: "key", value };
  return { kind: match[1] as "id" | "external_id", value: match[2]! };
}

/** The typed form of an id (`id:<id>`) or external id (`external_id:<x>`). */
export function typedReference(kind: "id" | "external_id", value: string): TypedReference {
  return `${kind}:${value}`;
}

/** Content types and collections (by codename) the workflow is limited to; empty lists: any. */
export const Scope = z
  .strictObject({
    contentTypes: z.array(ScopeReference).default([]),
    collections: z.array(ScopeReference).default([]),
  })
  .default({ contentTypes: [], collections: [] });
export type Scope = z.infer<typeof Scope>;

export const Workflow = z
  .strictObject({
    $schema: z.string().optional(),
    key: Key,
    name: LocalizedText,
    description: LocalizedText.optional(),
    scope: Scope,
    /** The state new content starts in. */
    initial: Key,
    states: z.array(State).min(1, "a workflow has at least one state"),
    transitions: z.array(Transition).default([]),
    groups: z.array(Group).default([]),
    extensions: Extensions,
  })
  .describe("A workflow definition in the vendor-neutral form of workflow-sync.");
export type Workflow = z.infer<typeof Workflow>;
export type WorkflowInput = z.input<typeof Workflow>;

/** The first text of a localized value, preferring `locale` (for messages and renderers). */
export function textOf(text: LocalizedText | undefined, locale?: string): string {
  if (!text) return "";
  if (locale && text[locale] !== undefined) return text[locale];
  const first = Object.keys(text).sort()[0];
  return first === undefined ? "" : (text[first] ?? "");
}
