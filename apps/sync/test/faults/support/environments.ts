import { ContensisEnvironment } from "@workflow-sync/adapter-contensis";
import { KontentEnvironment } from "@workflow-sync/adapter-kontent";
import { DEMO_SECRETS, kontentApiKey } from "@workflow-sync/test-utils";

/* Reading an environment in the test's own process (no faults set): through the adapters. */

export type Vendor = "kontent" | "contensis";

/** An adapter's environment on a lane's simulator: a Kontent.ai environment id or Contensis project. */
export function environmentOf(
  vendor: Vendor,
  id: string,
  urls: { kontent: string; contensis: string },
): KontentEnvironment | ContensisEnvironment {
  return vendor === "kontent"
    ? new KontentEnvironment({
        environmentId: id,
        apiKey: kontentApiKey(id),
        baseUrl: urls.kontent,
        rateLimit: false,
      })
    : new ContensisEnvironment({
        rootUrl: urls.contensis,
        projectId: id,
        clientId: DEMO_SECRETS.CONTENSIS_CLIENT_ID,
        clientSecret: DEMO_SECRETS.CONTENSIS_CLIENT_SECRET,
      });
}
