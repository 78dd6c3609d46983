import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { checkConfig } from "./config.ts";
import { url } from "./config-check.ts";
import { Config } from "./config-schema.ts";
import { parseDocumentText } from "./sources/documents.ts";

/*
 * The config's fast path (config-check.ts, checkConfig in config.ts) against the zod schemas it
 * stands in for (config-schema.ts), on generated configs: valid ones of every vendor and the files
 * environment, with every optional field in and out and the keys in any order, and corrupted ones.
 * For each: when the fast path gives a value, zod accepts and gives the same value with the same key
 * order; when zod refuses, the fast path gave nothing. Seeded: the same cases on every run.
 */

const SEED = 20_261_206;

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

/** The same object with its keys in another order (a permutation picked by `order`). */
function shuffled(value: Record<string, unknown>, order: number[]): Record<string, unknown> {
  const entries = Object.entries(value);
  const ranked = entries.map((entry, index) => ({ entry, rank: order[index % order.length] ?? index }));
  ranked.sort((a, b) => a.rank - b.rank);
  return Object.fromEntries(ranked.map(({ entry }) => entry));
}

const order = fc.array(fc.nat(), { minLength: 1, maxLength: 12 });

const envName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/);
const secret = envName.map((env) => ({ env }));
const validUrl = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("https://manage.kontent.ai/v2", "https://cms.example.com") },
  { weight: 2, arbitrary: fc.webUrl() },
  {
    weight: 1,
    // zod trims and drops tabs and line breaks: the fast path must give the same string
    arbitrary: fc.constantFrom(
      " https://cms.example.com ",
      "\thttps://cms.example.com\n",
      "https://cms.exa\nmple.com",
      "\u00a0https://cms.example.com\u2028",
      "http://127.0.0.1:8080",
      "mailto:someone@example.com",
    ),
  },
);
const positive = fc.oneof(
  fc.integer({ min: 1, max: 10_000 }),
  fc.double({ min: 0.001, max: 1e6, noNaN: true }),
);
const count = fc.integer({ min: 1, max: 64 });
const text = fc.oneof(fc.constantFrom("", "en-GB", "Production (careful)"), fc.string({ maxLength: 12 }));

const rateLimit = fc.record(
  {
    perSecond: positive,
    perMinute: positive,
    windows: fc.array(fc.record({ requests: fc.integer({ min: 1, max: 5000 }), seconds: positive }), {
      maxLength: 3,
    }),
  },
  { requiredKeys: [] },
);
const concurrency = fc.record({ reads: count, writes: count }, { requiredKeys: [] });
const common = {
  protected: fc.boolean(),
  timeoutMs: fc.integer({ min: 1, max: 120_000 }),
  description: text,
};

const kontent = fc.record(
  {
    vendor: fc.constant("kontent"),
    environmentId: fc.constantFrom("00000000-0000-0000-0000-000000000000", "e", "dev env"),
    apiKey: secret,
    baseUrl: validUrl,
    rateLimit,
    concurrency,
    locale: text,
    ...common,
  },
  { requiredKeys: ["vendor", "environmentId", "apiKey"] },
);
const contensis = fc.record(
  {
    vendor: fc.constant("contensis"),
    rootUrl: validUrl,
    projectId: fc.constantFrom("website", "p", "intranet"),
    clientId: secret,
    clientSecret: secret,
    rateLimit,
    concurrency,
    roleGrants: fc.constantFrom("write", "report"),
    ...common,
  },
  { requiredKeys: ["vendor", "rootUrl", "projectId", "clientId", "clientSecret"] },
);
const files = fc.record(
  { vendor: fc.constant("files"), path: fc.constantFrom("workflows", "./a/b", "."), ...common },
  { requiredKeys: ["vendor", "path"] },
);

const environmentName = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,10}$/),
  fc.constantFrom("dev", "prod", "kontent-dev", "1", "42", "a".repeat(64)),
);

const validConfig = fc
  .record(
    {
      $schema: fc.constantFrom("./node_modules/@workflow-sync/cli/config.schema.json", ""),
      environments: fc.dictionary(
        environmentName,
        fc
          .tuple(fc.oneof(kontent, contensis, files), order)
          .map(([section, keys]) => shuffled(section, keys)),
        { maxKeys: 4 },
      ),
      stateDir: fc.constantFrom(".workflow-sync", "/var/state", ""),
    },
    { requiredKeys: ["environments"] },
  )
  .chain((config) => order.map((keys) => shuffled(config, keys)));

/** Values that break one rule or another wherever they land. */
const oddValue = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -0,
    -1,
    1.5,
    64,
    65,
    2 ** 53,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    "",
    " ",
    "x",
    "files",
    "kontent",
    "contensis",
    "write",
    "report",
    "https://cms.example.com",
    " https://cms.example.com ",
    "not a url",
    "http://",
    "https://user:pw@cms.example.com",
    "sk_live_secret",
    { env: "KEY" },
    { env: "1KEY" },
    { env: "" },
    { env: "KEY", extra: 1 },
    { env: 7 },
    [],
    {},
    ["x"],
    [{ env: "KEY" }],
    { requests: 1, seconds: 1 },
    { requests: 1.5, seconds: 1 },
    { perSecond: 0 },
    { reads: 0 },
    { reads: 65 },
    { vendor: "files", path: "" },
    { vendor: "files", path: "x" },
    { vendor: "nope" },
    "__proto__",
  ),
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double(),
);

const badName = fc.constantFrom("-dev", ".x", "_x", "a b", "dév", "", "a".repeat(65), "x/y", "__proto__");

/** Every path to a value inside a JSON document. */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value)
    ? value.map((item, index) => [index, item] as const)
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => paths(item, [...prefix, key]))];
}

/** A copy of `document` with the value at `path` replaced, removed or renamed. */
function corrupt(
  document: unknown,
  path: Array<string | number>,
  change: { kind: "set"; value: unknown } | { kind: "remove" } | { kind: "rename"; to: string },
): unknown {
  if (path.length === 0) return change.kind === "set" ? change.value : document;
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let node = copy;
  for (const part of path.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (change.kind === "set") node[last] = change.value;
  else if (Array.isArray(node)) node.splice(Number(last), 1);
  else if (change.kind === "remove") delete node[last];
  else {
    const value = node[last];
    delete node[last];
    Object.defineProperty(node, change.to, { value, enumerable: true, configurable: true, writable: true });
  }
  return copy;
}

interface Tally {
  fast: number;
  declined: number;
  refused: number;
}

/** The property, for one value: the fast path never disagrees with zod. */
function agrees(value: unknown, tally: Tally): void {
  const fast = checkConfig(value);
  const slow = Config.safeParse(value, { reportInput: true });
  if (fast !== undefined) {
    expect(slow.success, JSON.stringify(value)).toBe(true);
    expect(fast).toEqual(slow.data);
    // the same key order (what the plan and the config's fingerprint are written from)
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.data));
    tally.fast++;
  } else tally.declined++;
  if (!slow.success) {
    expect(fast).toBeUndefined();
    tally.refused++;
  }
}

describe("the config's fast path agrees with its zod schemas", () => {
  it("gives zod's value, defaults and key order for generated valid configs, and takes them all", () => {
    const tally: Tally = { fast: 0, declined: 0, refused: 0 };
    fc.assert(
      fc.property(validConfig, (config) => agrees(config, tally)),
      { numRuns: 2000, seed: SEED },
    );
    expect(tally.refused).toBe(0);
    // not vacuous: every valid config of the shapes YAML and JSON give takes the fast path
    expect(tally.fast).toBe(2000);
  });

  it("takes the fast path for valid configs read from YAML and JSON text", () => {
    const tally: Tally = { fast: 0, declined: 0, refused: 0 };
    fc.assert(
      fc.property(validConfig, fc.boolean(), (config, json) => {
        const text = json ? JSON.stringify(config, null, 2) : stringify(config);
        const document = parseDocumentText(text, json ? "c.json" : "c.yaml");
        agrees(document.value, tally);
      }),
      { numRuns: 300, seed: SEED },
    );
    expect(tally).toEqual({ fast: 300, declined: 0, refused: 0 });
  });

  it("never accepts what zod refuses, and gives zod's value when it accepts (corrupted configs)", () => {
    const tally: Tally = { fast: 0, declined: 0, refused: 0 };
    const change = fc.oneof(
      { weight: 6, arbitrary: oddValue.map((value) => ({ kind: "set" as const, value })) },
      { weight: 2, arbitrary: fc.constant({ kind: "remove" as const }) },
      {
        weight: 2,
        arbitrary: fc
          .oneof(badName, fc.constantFrom("surprise", "apikey", "vendor", "env", "$schema"))
          .map((to) => ({ kind: "rename" as const, to })),
      },
    );
    fc.assert(
      fc.property(
        validConfig,
        fc.array(fc.tuple(fc.nat(), change), { minLength: 1, maxLength: 3 }),
        (config, changes) => {
          let document: unknown = config;
          for (const [pick, one] of changes) {
            const all = paths(document);
            document = corrupt(document, all[pick % all.length]!, one);
          }
          agrees(document, tally);
        },
      ),
      { numRuns: 4000, seed: SEED },
    );
    // both sides of the property were exercised
    expect(tally.refused).toBeGreaterThan(1000);
    expect(tally.fast).toBeGreaterThan(200);
  });

  it("declines what YAML and JSON never give, without throwing", () => {
    const section = { vendor: "files", path: "w" };
    const tally: Tally = { fast: 0, declined: 0, refused: 0 };
    const odd: unknown[] = [
      undefined,
      null,
      "environments",
      [],
      { environments: [] },
      { environments: { dev: { ...section, description: undefined } } },
      { environments: { dev: Object.assign(Object.create({ path: "w" }), { vendor: "files" }) } },
      { environments: { dev: new (class Section {})() } },
      { environments: Object.assign(Object.create(null), { dev: section }) },
      { environments: { dev: Object.assign(Object.create(null), section) } },
      { environments: { dev: { ...section, [Symbol("x")]: 1 } } },
      JSON.parse('{ "environments": { "__proto__": { "vendor": "files", "path": "w" } } }'),
      JSON.parse('{ "environments": { "dev": { "vendor": "files", "path": "w", "__proto__": {} } } }'),
    ];
    for (const value of odd) agrees(value, tally);
    expect(checkConfig(undefined)).toBeUndefined();
    expect(checkConfig({ environments: { dev: { ...section, description: undefined } } })).toBeUndefined();
  });

  it("fills the defaults and orders the keys as the schemas declare them", () => {
    const value = plain({
      environments: {
        b: {
          roleGrants: "report",
          clientSecret: { env: "S" },
          clientId: { env: "I" },
          projectId: "p",
          rootUrl: " https://x.example ",
          vendor: "contensis",
        },
        a: { path: "w", vendor: "files" },
      },
      stateDir: "s",
    });
    const fast = checkConfig(value);
    expect(JSON.stringify(fast)).toBe(
      JSON.stringify({
        environments: {
          b: {
            vendor: "contensis",
            rootUrl: "https://x.example",
            projectId: "p",
            clientId: { env: "I" },
            clientSecret: { env: "S" },
            roleGrants: "report",
            protected: false,
          },
          a: { vendor: "files", path: "w", protected: false },
        },
        stateDir: "s",
      }),
    );
    expect(JSON.stringify(fast)).toBe(JSON.stringify(Config.parse(value)));
  });

  it("checks URLs as z.url() does, characters at the ends and inside included", () => {
    const char = fc.constantFrom(
      " ",
      "\t",
      "\n",
      "\r",
      "\u0000",
      "\u001f",
      "\u00a0",
      "\u2028",
      "\ufeff",
      "x",
      "/",
      ":",
      "%",
      "[",
    );
    const candidate = fc.oneof(
      fc
        .tuple(fc.array(char, { maxLength: 3 }), fc.webUrl(), fc.array(char, { maxLength: 3 }), fc.nat())
        .map(([before, address, after, at]) => {
          const cut = at % (address.length + 1);
          const inside = after[0] ?? "";
          return `${before.join("")}${address.slice(0, cut)}${inside}${address.slice(cut)}${after.join("")}`;
        }),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: "binary", maxLength: 12 }),
    );
    const Url = Config.shape.environments.valueType.options[1].shape.rootUrl;
    fc.assert(
      fc.property(candidate, (value) => {
        const parsed = Url.safeParse(value);
        expect(url(value)).toBe(parsed.success ? parsed.data : undefined);
      }),
      { numRuns: 3000, seed: SEED },
    );
  });
});
