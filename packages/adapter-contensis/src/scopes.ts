import type { Workflow } from "@workflow-sync/core";

/*
 * Scopes in Contensis: a content type has exactly one workflow (`workflowId`, DMH
 * model/content-type.md) and there are no collections. A Kontent.ai workflow may have several
 * scopes (content types × collections); the Kontent.ai adapter keeps every scope after the first in
 * `extensions.kontent.scopes` (docs/mapping-decisions.md), read here only to carry the content
 * types over and to name what is dropped.
 */

export interface ExtraScope {
  index: number;
  contentTypes: string[];
  collections: string[];
}

/** The scopes after the first that a Kontent.ai workflow carries (well-formed entries only). */
export function extraScopes(workflow: Workflow): ExtraScope[] {
  const raw = workflow.extensions.kontent?.scopes;
  if (!Array.isArray(raw)) return [];
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  return raw.map((entry, index) => {
    const record = (entry ?? {}) as { contentTypes?: unknown; collections?: unknown };
    return { index, contentTypes: strings(record.contentTypes), collections: strings(record.collections) };
  });
}

/** Every content type a workflow is limited to, in all its scopes (what Contensis assigns it to). */
export function scopedContentTypes(workflow: Workflow): string[] {
  return [
    ...new Set([
      ...workflow.scope.contentTypes,
      ...extraScopes(workflow).flatMap((scope) => scope.contentTypes),
    ]),
  ];
}

/** A content type two workflows claim: Contensis gives a content type one workflow. */
export interface ScopeOverlap {
  contentType: string;
  workflows: string[];
}

export function scopeOverlaps(workflows: readonly Workflow[]): ScopeOverlap[] {
  const claims = new Map<string, string[]>();
  for (const workflow of workflows) {
    for (const contentType of scopedContentTypes(workflow)) {
      claims.set(contentType, [...(claims.get(contentType) ?? []), workflow.key]);
    }
  }
  return [...claims]
    .filter(([, keys]) => keys.length > 1)
    .map(([contentType, keys]) => ({ contentType, workflows: keys }))
    .sort((a, b) => (a.contentType < b.contentType ? -1 : 1));
}
