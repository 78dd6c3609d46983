import type { Loss, Workflow } from "@workflow-sync/core";

/*
 * Vendor-native documents given as files (a Kontent.ai workflow as `GET /workflows` answers it, a
 * Contensis workflow definition or a page of them), detected by shape and mapped through the
 * vendor's adapter. Offline there is no environment to resolve ids: Kontent.ai role, content type
 * and collection ids are kept as names, and that is reported as a loss.
 */

export type NativeKind = "kontent" | "contensis";

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function isKontentWorkflow(value: unknown): boolean {
  return isObject(value) && Array.isArray(value.steps) && isObject(value.published_step);
}

function isContensisDefinition(value: unknown): boolean {
  return (
    isObject(value) &&
    Array.isArray(value.states) &&
    (value.eventGroups !== undefined ||
      (value.states as unknown[]).some((state) => isObject(state) && Array.isArray(state.events)))
  );
}

/** The native documents a value holds, and whose; undefined when it is not vendor-native. */
export function detectNative(value: unknown): { kind: NativeKind; documents: unknown[] } | undefined {
  const list = Array.isArray(value)
    ? value
    : isObject(value) && Array.isArray(value.items)
      ? value.items
      : [value];
  if (list.length > 0 && list.every(isKontentWorkflow)) return { kind: "kontent", documents: list };
  if (list.length > 0 && list.every(isContensisDefinition)) return { kind: "contensis", documents: list };
  return undefined;
}

/** Map native documents to neutral workflows, offline. Throws the adapter's error on a malformed one. */
export async function nativeToNeutral(
  kind: NativeKind,
  documents: readonly unknown[],
  what: string,
): Promise<{ workflows: Workflow[]; losses: Array<Loss & { workflow: string }> }> {
  const workflows: Workflow[] = [];
  const losses: Array<Loss & { workflow: string }> = [];
  if (kind === "kontent") {
    const adapter = await import("@workflow-sync/adapter-kontent");
    for (const [index, document] of documents.entries()) {
      const wire = adapter.parseResponse(adapter.KontentWorkflowSchema, document, `${what}[${index}]`);
      const context = adapter.offlineContext(wire);
      const mapped = adapter.toNeutral(wire, { ...context, environment: what });
      workflows.push(mapped.value);
      losses.push(...mapped.losses.map((loss) => ({ ...loss, workflow: mapped.value.key })));
      if (context.roles.size > 0) {
        losses.push({
          workflow: mapped.value.key,
          code: "structure",
          path: ["roles"],
          message: `offline: role ids kept as role names (${[...context.roles.keys()].join(", ")}); convert from an environment to get names`,
          vendor: "kontent",
        });
      }
    }
  } else {
    const adapter = await import("@workflow-sync/adapter-contensis");
    for (const [index, document] of documents.entries()) {
      const definition = adapter.parseWire(adapter.WireWorkflowDefinition, document, `${what}[${index}]`);
      const mapped = adapter.toNeutral(definition);
      workflows.push(mapped.value);
      losses.push(...mapped.losses.map((loss) => ({ ...loss, workflow: mapped.value.key })));
    }
  }
  return { workflows, losses };
}
