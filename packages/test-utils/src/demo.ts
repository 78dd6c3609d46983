/*
 * The simulators' demo data as the tests use it: one copy for every test of the repository.
 *
 * The simulators own this data (tools/kontent-simulator/seeds/demo.json and
 * tools/contensis-simulator/seeds/demo.json) and keep their own copies: a simulator imports no
 * project code. What is here is what a test needs to reach that data: the environment and project
 * ids, the credentials the simulators accept, the environment variables a workflow-sync config
 * names for them, and the --map files that carry the demo's names across vendors.
 */

/** The Kontent.ai demo environments (ids of the simulator's demo seed). */
export const KONTENT_DEV = "7c9f0e4e-0000-0000-0000-000000000001";
export const KONTENT_PROD = "7c9f0e4e-0000-0000-0000-000000000002";

/** The Contensis demo projects. */
export const CONTENSIS_DEV = "website-dev";
export const CONTENSIS_PROD = "website-prod";

/**
 * The demo's secrets by the environment variable a config names for each (`apiKey: { env: … }`,
 * `clientId`/`clientSecret: { env: … }`): the API keys of the two Kontent.ai environments and the
 * Contensis client the simulator accepts. Never real credentials.
 */
export const DEMO_SECRETS = {
  KONTENT_DEV_API_KEY: "dev-secret-key",
  KONTENT_PROD_API_KEY: "prod-secret-key",
  CONTENSIS_CLIENT_ID: "workflow-sync-demo",
  CONTENSIS_CLIENT_SECRET: "demo-secret-not-for-production",
} as const;

/** Some of the demo's secrets, by variable: a test's environment when its config names only these. */
export function demoSecrets<Name extends keyof typeof DEMO_SECRETS>(
  ...names: Name[]
): Pick<typeof DEMO_SECRETS, Name> {
  return Object.fromEntries(names.map((name) => [name, DEMO_SECRETS[name]])) as Pick<
    typeof DEMO_SECRETS,
    Name
  >;
}

/** The API key the Kontent.ai simulator accepts for one of the demo environments. */
export function kontentApiKey(environmentId: string): string {
  return environmentId === KONTENT_DEV ? DEMO_SECRETS.KONTENT_DEV_API_KEY : DEMO_SECRETS.KONTENT_PROD_API_KEY;
}

/*
 * The --map files that carry the simulators' demo data across vendors (role and content type names
 * differ between the two demo seeds).
 */

/** Contensis roles and content types → Kontent.ai ones. */
export const CONTENSIS_TO_KONTENT = [
  "roles:",
  "  Authors: Contributor",
  "  Approvers: Reviewer",
  "  Legal reviewers: Legal",
  "  Editors-in-chief: Project manager",
  "contentTypes:",
  "  pressRelease: article",
  "  legalNotice: product",
  "  newsArticle: news",
  "  blogPost: landing_page",
  "",
].join("\n");

/** Kontent.ai roles and content types → Contensis ones. */
export const KONTENT_TO_CONTENSIS = [
  "roles:",
  "  Contributor: Authors",
  "  Reviewer: Approvers",
  "  Legal: Legal reviewers",
  "  Project manager: Editors-in-chief",
  "  Marketing lead: Editors-in-chief",
  "contentTypes:",
  "  article: pressRelease",
  "  product: legalNotice",
  "  landing_page: blogPost",
  "  news: newsArticle",
  "",
].join("\n");

/**
 * "Press review" as Kontent.ai's Management API stores it (wire form), for the demo's dev and prod
 * environments: dev renames prod's step "review" to "check" (same name) and adds a new "review", a
 * codename the old step gives up, so the update takes the vendor's two requests ("first remove…,
 * then add": https://kontent.ai/learn/docs/apis/management-api-v2/workflows, docs/vendors/kontent.md).
 * Ids are fixed (`5eed0000-…`, dev's first): push `dev` and `prod` into a seed's workflows.
 */
export function pressReviewWorkflows(): { dev: object; prod: object } {
  let next = 0;
  const id = () => `5eed0000-0000-4000-8000-${String(++next).padStart(12, "0")}`;
  const workflow = (steps: Array<[codename: string, name: string, to: string[]]>) => ({
    id: id(),
    name: "Press review",
    codename: "press_review",
    scopes: [],
    steps: steps.map(([codename, name, to]) => ({
      id: id(),
      name,
      codename,
      color: "red",
      transitions_to: to.map((step) => ({ step: { codename: step } })),
      role_ids: [],
    })),
    published_step: { unpublish_role_ids: [], create_new_version_role_ids: [] },
    archived_step: { role_ids: [] },
  });
  const dev = workflow([
    ["draft", "Draft", ["check"]],
    ["check", "Review", ["review", "draft"]],
    ["review", "Final review", ["published"]],
  ]);
  const prod = workflow([
    ["draft", "Draft", ["review"]],
    ["review", "Review", ["published", "draft"]],
  ]);
  return { dev, prod };
}

/**
 * A small Contensis workflow definition (wire form) to add to the demo's website-dev: "Desk <id>",
 * one state, "draft", whose only event publishes (to the system workflow's `sysWorkflow`).
 */
export function deskDefinition(id: string) {
  return {
    id,
    name: { "en-GB": `Desk ${id}` },
    states: [
      {
        id: "draft",
        name: { "en-GB": "Draft" },
        events: [
          {
            id: "publish",
            name: { "en-GB": "Publish" },
            transitionTo: "sysWorkflow",
            groupId: "main",
            validate: false,
            parameters: [],
          },
        ],
      },
    ],
    eventGroups: [{ id: "main", name: { "en-GB": "Main" } }],
  };
}

/**
 * A Contensis workflow definition (wire form) "News desk": draft → review → `approveTo` (default:
 * the system workflow's `sysWorkflow`, i.e. published), with `reviewEvents` added to review.
 */
export function newsDeskDefinition(approveTo = "sysWorkflow", reviewEvents: object[] = []) {
  const event = (id: string, name: string, transitionTo: string) => ({
    id,
    name: { "en-GB": name },
    transitionTo,
    groupId: "main",
    parameters: [],
  });
  return {
    id: "newsDesk",
    name: { "en-GB": "News desk" },
    states: [
      { id: "draft", name: { "en-GB": "Draft" }, events: [event("submit", "Submit", "review")] },
      {
        id: "review",
        name: { "en-GB": "Review" },
        events: [event("approve", "Approve", approveTo), ...reviewEvents],
      },
    ],
    eventGroups: [{ id: "main", name: { "en-GB": "Main" } }],
  };
}
