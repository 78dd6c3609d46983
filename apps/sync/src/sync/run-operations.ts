/*
 * Running the operations of one target side by side, within what the environment allows.
 *
 * Ordering rules (why this is safe):
 * - an operation's requests run one after another inside `run` (a Kontent.ai two-request update
 *   sends its second request after the first answered; a Contensis create publishes and assigns
 *   content types after the POST landed), and no two operations touch the same workflow;
 * - deletes start only after every create and update has finished: a delete may depend on them
 *   (a Contensis definition can be deleted only once its content types use another workflow);
 *   role permissions (Contensis grants) start only after the definitions they name were written;
 * - operations start in plan order, and the environment's Pacer starts their writes in the order
 *   they were sent, under the rate limits;
 * - after the first failure nothing new starts; what is in flight finishes, then the first error is
 *   thrown (a journal records what completed, so a re-run resumes).
 */

export interface Runnable {
  action: "create" | "update" | "delete" | "permissions";
}

/** What may overlap: creates with updates; deletes, and role permissions, each among themselves. */
const phaseOf = (action: Runnable["action"]) => (action === "create" ? "update" : action);

/** Consecutive runs of operations that may overlap (see `phaseOf`), in plan order. */
export function phases<T extends Runnable>(operations: readonly T[]): T[][] {
  const groups: T[][] = [];
  let last: string | undefined;
  for (const operation of operations) {
    const phase = phaseOf(operation.action);
    if (phase !== last) groups.push([]);
    groups.at(-1)!.push(operation);
    last = phase;
  }
  return groups;
}

export async function runOperations<T extends Runnable>(
  operations: readonly T[],
  concurrency: number,
  run: (operation: T) => Promise<void>,
): Promise<void> {
  const width = Number.isInteger(concurrency) && concurrency >= 1 ? concurrency : 1;
  for (const group of phases(operations)) {
    let next = 0;
    let failure: { error: unknown } | undefined;
    const worker = async () => {
      while (failure === undefined && next < group.length) {
        const operation = group[next++]!;
        try {
          await run(operation);
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, group.length) }, worker));
    if (failure) throw failure.error;
  }
}
