import type { ContensisEnvironmentOptions } from "@workflow-sync/adapter-contensis";
import type { KontentEnvironmentOptions } from "@workflow-sync/adapter-kontent";
import type {
  OpenedEnvironment,
  ReferenceRenames,
  Vendor,
  VendorAdapter,
  VendorProfile,
  Workflow,
} from "@workflow-sync/core";
import type { HttpEvent, RateLimit as PacerRateLimit } from "@workflow-sync/http";
import type { z as Zod } from "zod";
import {
  type Check,
  common as commonChecks,
  concurrency,
  defaulted,
  oneOf,
  optional,
  rateLimit,
  required,
  secretRef,
  strictObject,
  string,
  url,
} from "./config-check.ts";
import type * as ConfigFields from "./config-fields.ts";

/*
 * The one module of the CLI that names the vendors: their environment sections in the config file,
 * their starter config, and their adapters, each loaded on first use (a dynamic import, so that a
 * command that needs no vendor loads none). Everything else in the CLI goes through the functions
 * here and core's `VendorAdapter`; a test (vendors.test.ts) keeps vendor names out of other files.
 * Nothing here loads core or the schema library when the module is evaluated: loading a valid config
 * needs neither (config.ts).
 */

/**
 * The vendors' environment sections of the config file (its format: README.md, "Environments"), as
 * zod schemas. Built by config-schema.ts, which passes zod's builders and the shared fields in, so
 * that only a config the fast checks below are not sure of loads the schema library.
 */
export function vendorSections(z: ZodBuilders, fields: typeof ConfigFields) {
  const { Concurrency, common, RateLimit, SecretRef } = fields;
  const KontentSection = z.strictObject({
    vendor: z.literal("kontent"),
    environmentId: z.string().min(1),
    apiKey: SecretRef,
    baseUrl: z.url().optional(),
    rateLimit: RateLimit.optional(),
    concurrency: Concurrency.optional(),
    /** The locale that Kontent.ai's plain-string names are read as and written from. */
    locale: z.string().optional(),
    ...common,
  });

  const ContensisSection = z.strictObject({
    vendor: z.literal("contensis"),
    rootUrl: z.url(),
    projectId: z.string().min(1),
    clientId: SecretRef,
    clientSecret: SecretRef,
    rateLimit: RateLimit.optional(),
    concurrency: Concurrency.optional(),
    /**
     * Workflow permissions on roles: `write` (default) grants each synced workflow's events to the
     * roles it names; `report` (roles are managed elsewhere) reports the differences, writes no role.
     */
    roleGrants: z.enum(["write", "report"]).default("write"),
    ...common,
  });
  return [KontentSection, ContensisSection] as const;
}

/**
 * The zod builders the sections use, passed one by one: handing over zod's whole namespace would keep
 * all of it in the bundle (its 60-odd locales included), since a bundler cannot tell which members
 * a function reads.
 */
export type ZodBuilders = Pick<typeof Zod, "strictObject" | "literal" | "string" | "url" | "enum">;

type VendorSections = ReturnType<typeof vendorSections>;
export type KontentEnvironmentConfig = Zod.infer<VendorSections[0]>;
export type ContensisEnvironmentConfig = Zod.infer<VendorSections[1]>;
export type VendorEnvironmentConfig = KontentEnvironmentConfig | ContensisEnvironmentConfig;

/**
 * The same sections checked by hand (config-check.ts), field for field and in the same order as the
 * schemas above: the section zod gives, or undefined when not sure (the schemas then decide). Typed
 * with the schemas' types, so a field added to a schema and not here does not compile.
 */
export const VENDOR_SECTION_CHECKS: { readonly [V in Vendor]: Check<VendorEnvironmentConfig> } = {
  kontent: strictObject<KontentEnvironmentConfig>({
    vendor: required(oneOf("kontent")),
    environmentId: required(string(1)),
    apiKey: required(secretRef),
    baseUrl: optional(url),
    rateLimit: optional(rateLimit),
    concurrency: optional(concurrency),
    locale: optional(string()),
    ...commonChecks,
  }),
  contensis: strictObject<ContensisEnvironmentConfig>({
    vendor: required(oneOf("contensis")),
    rootUrl: required(url),
    projectId: required(string(1)),
    clientId: required(secretRef),
    clientSecret: required(secretRef),
    rateLimit: optional(rateLimit),
    concurrency: optional(concurrency),
    roleGrants: defaulted(oneOf("write", "report"), "write"),
    ...commonChecks,
  }),
};

/** The URL field of a vendor's section, checked for credentials sent in clear text. */
export function urlFieldOf(config: VendorEnvironmentConfig): { field: string; value: string | undefined } {
  return config.vendor === "kontent"
    ? { field: "baseUrl", value: config.baseUrl }
    : { field: "rootUrl", value: config.rootUrl };
}

/** `init`: each vendor's commented starter environments. */
export const VENDOR_CONFIG_STARTERS: Readonly<Record<Vendor, string>> = {
  kontent: `  # A Kontent.ai environment (Management API v2). Its id: Environment settings > General.
  kontent-dev:
    vendor: kontent
    environmentId: 00000000-0000-0000-0000-000000000000 # replace with your environment id
    apiKey: { env: KONTENT_DEV_API_KEY } # a Management API key, from an environment variable
    # baseUrl: https://manage.kontent.ai/v2         # optional
    # rateLimit: { perSecond: 10, perMinute: 400 }  # optional; the published limits by default
  kontent-prod:
    vendor: kontent
    environmentId: 00000000-0000-0000-0000-000000000001 # replace with your environment id
    apiKey: { env: KONTENT_PROD_API_KEY }
    protected: true # writes need --confirm-env kontent-prod
`,
  contensis: `  # A Contensis project (Management API), with a client credentials API key.
  contensis-dev:
    vendor: contensis
    rootUrl: https://cms-example.cloud.contensis.com # replace with your CMS address
    projectId: website
    clientId: { env: CONTENSIS_CLIENT_ID }
    clientSecret: { env: CONTENSIS_CLIENT_SECRET }
    # protected: true                               # writes then need --confirm-env contensis-dev
`,
};

/** A vendor for what needs no environment: its profile and its own documents, offline. */
export type OfflineVendor = Omit<VendorAdapter<never>, "openEnvironment">;

const loadKontent = async () => (await import("@workflow-sync/adapter-kontent")).kontentVendor;
const loadContensis = async () => (await import("@workflow-sync/adapter-contensis")).contensisVendor;

/** Each vendor's adapter, loaded on first use (one entry per vendor core knows, in core's order). */
const LOADERS: { readonly [V in Vendor]: () => Promise<OfflineVendor> } = {
  kontent: loadKontent,
  contensis: loadContensis,
};

/** One vendor's adapter, loaded on first use. */
export async function vendorAdapter(vendor: Vendor): Promise<OfflineVendor> {
  return LOADERS[vendor]();
}

/**
 * Every vendor's adapter, in core's order (Kontent.ai first: its documents are told apart first).
 * LOADERS lists them in that order (vendors.test.ts checks it against core's VENDORS), so that this
 * module needs nothing of core when it is evaluated.
 */
export async function vendorAdapters(): Promise<OfflineVendor[]> {
  return Promise.all((Object.keys(LOADERS) as Vendor[]).map((vendor) => LOADERS[vendor]()));
}

/** A vendor's profile (its limits, palettes and portability checks), from its adapter. */
export async function vendorProfile(vendor: Vendor): Promise<VendorProfile> {
  return (await vendorAdapter(vendor)).profile;
}

/** `workflows` with the references each vendor's extensions hold renamed (`--map`). */
export async function renameVendorReferences(
  workflows: readonly Workflow[],
  renames: ReferenceRenames,
): Promise<Workflow[]> {
  const adapters = await vendorAdapters();
  return workflows.map((workflow) =>
    adapters.reduce((renamed, adapter) => adapter.renameReferences(renamed, renames), workflow),
  );
}

/** What opening a vendor's environment needs besides its config section. */
export interface OpenRun {
  /**
   * The value of the secret a field of the section references (from the process environment);
   * `confidential`: scrubbed from every later line of output.
   */
  secret(ref: { env: string }, field: string, confidential: boolean): string;
  /** `--locale`: the language names are read and written in. */
  locale?: string | undefined;
  /** `--verbose`: one event per request, retry and rate-limit wait. */
  onEvent?: ((event: HttpEvent) => void) | undefined;
}

/** A vendor's environment from its config section. */
export async function openVendorEnvironment(
  config: VendorEnvironmentConfig,
  run: OpenRun,
): Promise<OpenedEnvironment> {
  if (config.vendor === "kontent") {
    // The light entry: the reads go out before the adapter's mapping and zod are loaded.
    const { openKontentEnvironment } = await import("@workflow-sync/adapter-kontent/open");
    return openKontentEnvironment(kontentOptions(config, run));
  }
  // The light entry: the token request and the reads go out before the mapping and zod are loaded.
  const { openContensisEnvironment } = await import("@workflow-sync/adapter-contensis/open");
  return openContensisEnvironment(contensisOptions(config, run));
}

function kontentOptions(config: KontentEnvironmentConfig, run: OpenRun): KontentEnvironmentOptions {
  const locale = run.locale ?? config.locale;
  return {
    environmentId: config.environmentId,
    apiKey: run.secret(config.apiKey, "apiKey", true),
    // A workflow that content is in is refused before its DELETE is sent (the adapter lists the
    // variants first; this costs requests only when a delete runs).
    checkVariantsBeforeDelete: true,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...pacing(config),
    ...(locale ? { locale } : {}),
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    ...(run.onEvent ? { onEvent: run.onEvent } : {}),
  };
}

function contensisOptions(config: ContensisEnvironmentConfig, run: OpenRun): ContensisEnvironmentOptions {
  return {
    rootUrl: config.rootUrl,
    projectId: config.projectId,
    clientId: run.secret(config.clientId, "clientId", false),
    clientSecret: run.secret(config.clientSecret, "clientSecret", true),
    ...pacing(config),
    roleGrants: config.roleGrants,
    ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    ...(run.onEvent ? { onEvent: run.onEvent } : {}),
  };
}

/** The config's rate limit (windows in seconds → ms) and concurrency, as the adapters take them. */
function pacing(config: VendorEnvironmentConfig): {
  rateLimit?: PacerRateLimit;
  concurrency?: { reads?: number | undefined; writes?: number | undefined };
} {
  const limit = config.rateLimit;
  return {
    ...(limit
      ? {
          rateLimit: {
            ...(limit.perSecond === undefined ? {} : { perSecond: limit.perSecond }),
            ...(limit.perMinute === undefined ? {} : { perMinute: limit.perMinute }),
            ...(limit.windows
              ? { windows: limit.windows.map((w) => ({ requests: w.requests, windowMs: w.seconds * 1000 })) }
              : {}),
          },
        }
      : {}),
    ...(config.concurrency ? { concurrency: config.concurrency } : {}),
  };
}
