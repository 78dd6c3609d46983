import { type ContensisSeed, demoSeed as demoContensisSeed } from "@workflow-sync/contensis-simulator";
import { demoSeed as demoKontentSeed, type KontentSeed } from "@workflow-sync/kontent-simulator";
import {
  CONTENSIS_DEV,
  deskDefinition,
  KONTENT_DEV,
  KONTENT_PROD,
  pressReviewWorkflows,
} from "@workflow-sync/test-utils";

/* The simulators' demo seeds with what the fault suites add to them. */

/**
 * The Kontent.ai demo seed with one more workflow in both environments whose update needs the
 * vendor's two requests: "press_review" (packages/test-utils, `pressReviewWorkflows`).
 */
export function kontentSeed(): KontentSeed {
  const seed = demoKontentSeed();
  const { dev, prod } = pressReviewWorkflows();
  (seed.environments[KONTENT_DEV]!.workflows as unknown[]).push(dev);
  (seed.environments[KONTENT_PROD]!.workflows as unknown[]).push(prod);
  return seed;
}

/**
 * The Contensis demo seed with two more definitions in website-dev that own content types there
 * (newsArticle and blogPost leave the system workflows): a promotion then creates, publishes and
 * assigns, and a migration carries them too. The fault matrix, SIGKILL and racing applies use it.
 */
export function contensisSeed(): ContensisSeed {
  const seed = demoContensisSeed();
  const dev = seed.projects[CONTENSIS_DEV]!;
  const event = (id: string, name: string, to: string | null, groupId = "main") => ({
    id,
    name: { "en-GB": name },
    transitionTo: to,
    groupId,
    validate: false,
    parameters: [],
  });
  (dev.workflows as unknown[]).push(
    {
      id: "newsDesk",
      name: { "en-GB": "News desk" },
      description: { "en-GB": "The news desk checks, then publishes" },
      states: [
        {
          id: "draft",
          name: { "en-GB": "Draft" },
          events: [event("submit", "Send to the desk", "deskReview")],
        },
        {
          id: "deskReview",
          name: { "en-GB": "Desk review" },
          color: "orange",
          events: [event("approve", "Publish", "sysWorkflow"), event("reject", "Back to draft", "draft")],
        },
      ],
      eventGroups: [{ id: "main", name: { "en-GB": "Main" } }],
    },
    {
      id: "blogReview",
      name: { "en-GB": "Blog review" },
      states: [
        { id: "draft", name: { "en-GB": "Draft" }, events: [event("publish", "Publish", "sysWorkflow")] },
      ],
      eventGroups: [{ id: "main", name: { "en-GB": "Main" } }],
    },
  );
  // Someone may use them: Approvers are granted their events (role grants travel with a sync, and
  // a workflow no role may move content in has no Kontent.ai form).
  for (const role of dev.roles ?? []) {
    if (role.name === "Approvers") role.permissions.entries?.[0]?.actions.push("newsDesk.*", "blogReview.*");
  }
  for (const contentType of dev.contentTypes as Array<{ id: string; workflowId?: string }>) {
    if (contentType.id === "newsArticle") contentType.workflowId = "newsDesk";
    if (contentType.id === "blogPost") contentType.workflowId = "blogReview";
  }
  return seed;
}

/**
 * The Contensis demo seed plus two definitions in website-dev (aaDesk, abDesk): a promotion
 * creates, then updates. The other-writers and slow-writes suites use it.
 */
export function contensisDesksSeed(): ContensisSeed {
  const seed = demoContensisSeed();
  const dev = seed.projects[CONTENSIS_DEV]!;
  for (const id of ["aaDesk", "abDesk"]) (dev.workflows as unknown[]).push(deskDefinition(id));
  return seed;
}
