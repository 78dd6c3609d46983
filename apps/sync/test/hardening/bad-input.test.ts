import { readFileSync, writeFileSync } from "node:fs";
import { fingerprint, parseWorkflow, type WorkflowInput } from "@workflow-sync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLocatedIssue, type LocatedIssue } from "../../src/sources/files.ts";
import { planChecksum } from "../../src/sync/plan-format.ts";
import { testCommand } from "../support/test-command.ts";
import { smallWorkflow, tempWorkspace } from "../support/workspace.ts";
import {
  configYaml,
  fileTree,
  KONTENT_DEV,
  type Rewrite,
  SECRET_ENV,
  SECRET_VALUES,
  type Servers,
  startServers,
  vendorEnvironments,
} from "./support.ts";

/*
 * Bad input is refused cleanly: one line per case. Each case runs twice (plain and --json) and
 * asserts the exit code; a message naming the file (or environment), the path inside it and the
 * rule; with --json exactly one envelope {ok:false, command, error:{code, message}} on stdout; no
 * write request in either simulator's log (nor through the proxies in front of them); no file
 * created or changed in the workspace; no secret in the output.
 */

type Files = Record<string, string | object>;
type Workspace = ReturnType<typeof tempWorkspace>;
interface Extra {
  /** Environment variables (default: every secret of SECRET_ENV). */
  env?: Record<string, string | undefined>;
  /** A vendor whose answers drift from the schema (through the proxy in front of its simulator). */
  drift?: ["kontent" | "contensis", Rewrite];
  /** Runs before the case (e.g. makes a plan to edit); files it writes are part of the "before". */
  prepare?: (ws: Workspace, servers: Servers) => Promise<void>;
  /** The error code expected in the --json envelope. */
  code?: string;
  /** A bug outside apps/sync (reported, not fixed here): the case is expected to fail until it is fixed. */
  knownBug?: string;
}
// biome-ignore format: one line
type Case = [name: string, files: Files | ((s: Servers) => Files), argv: string[], exit: 1 | 4 | 64, message: RegExp, extra?: Extra];

// ---- builders -------------------------------------------------------------------------------------

const base = smallWorkflow();
/** The small workflow with no role names (the Contensis demo projects have no "Reviewer" role to grant). */
const roleless = smallWorkflow({ states: base.states.map((state) => ({ ...state, roles: [] })) });
/** wf.json: the small workflow with top-level overrides. */
const wf = (overrides: Record<string, unknown>): Files => ({ "wf.json": { ...base, ...overrides } });
/** wf.json with state `index` patched (null deletes a field). */
const st = (index: number, patch: Record<string, unknown>): Files =>
  wf({ states: base.states.map((s, i) => (i === index ? strip({ ...s, ...patch }) : s)) });
/** wf.json with transition `index` patched (null deletes a field). */
const tr = (index: number, patch: Record<string, unknown>): Files =>
  wf({ transitions: base.transitions!.map((t, i) => (i === index ? strip({ ...t, ...patch }) : t)) });
const strip = (value: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
const yaml = (text: string): Files => ({ "wf.yaml": text });
const json = (text: string): Files => ({ "wf.json": text });

const CONFIG = "workflow-sync.config.yaml";
const kontentDev = { vendor: "kontent", environmentId: KONTENT_DEV, apiKey: { env: "KONTENT_DEV_API_KEY" } };
const contensisDev = {
  vendor: "contensis",
  rootUrl: "https://cms.example.com",
  projectId: "website-dev",
  clientId: { env: "CONTENSIS_CLIENT_ID" },
  clientSecret: { env: "CONTENSIS_CLIENT_SECRET" },
};
/** A config with one environment `x`; `x` is then used as a source. */
const cfg = (x: Record<string, unknown>): Files => ({
  [CONFIG]: configYaml({ x: strip(x) }),
  "wf/article.json": base,
});
const cfgText = (text: string, name = CONFIG): Files => ({ [name]: text, "wf/article.json": base });
/** The four simulator environments plus a folder `wf` with one workflow. */
const sims =
  (more: Files = {}) =>
  (s: Servers): Files => ({ [CONFIG]: configYaml(vendorEnvironments(s)), "wf/article.json": base, ...more });
/** A files environment `out`: plans are applied only to environments of the config (issue 9, item 8). */
const OUT_CONFIG = "environments:\n  out: { vendor: files, path: out }\n";
/** A literal that looks like a real secret: it must never be echoed. */
const LITERAL = "sk-live-0123456789abcdef";

/** A GET whose path ends with `suffix` gets `reply` (or the upstream answer rewritten by it). */
const onGet =
  (suffix: string, reply: Exclude<ReturnType<Rewrite>, undefined>): Rewrite =>
  ({ method, path }) =>
    method === "GET" && path.endsWith(suffix) ? reply : undefined;
const mapBody = (change: (value: unknown) => unknown) => (upstream: { status: number; body: string }) => ({
  status: upstream.status,
  body: JSON.stringify(change(JSON.parse(upstream.body))),
});
type Wire = Record<string, unknown>;
const html = (status: number) => ({
  status,
  contentType: "text/html",
  body: "<!doctype html><html><body><h1>Gateway error</h1></body></html>",
});

/** Writes plan.json: a plan from `from` to `to` (made by the CLI itself). */
const planFile =
  (from: string, to: string, ...flags: string[]) =>
  async (ws: Workspace) => {
    const made = await testCommand(["plan", from, to, "--out", "plan.json", ...flags], {
      cwd: ws.root,
      env: SECRET_ENV,
    });
    expect(made.exitCode, made.stderr).toBe(0);
  };
/** A JSON file edited as a test does it by hand (loosely typed on purpose). */
// biome-ignore lint/suspicious/noExplicitAny: a document edited by hand
type Loose = Record<string, any>;
const editJson = (ws: Workspace, name: string, edit: (value: Loose) => void, resign = false) => {
  const value = JSON.parse(readFileSync(ws.path(name), "utf8")) as Loose;
  edit(value);
  if (resign) value.checksum = planChecksum(value as never);
  writeFileSync(ws.path(name), JSON.stringify(value, null, 2));
};
const then =
  (...steps: Array<(ws: Workspace, s: Servers) => Promise<void> | void>) =>
  async (ws: Workspace, s: Servers) => {
    for (const step of steps) await step(ws, s);
  };
const backupOf = (environment: string, workflows: WorkflowInput[], edit?: (w: Wire[]) => void) => {
  const parsed = workflows.map((input) => {
    const result = parseWorkflow(structuredClone(input));
    if (!result.ok) throw new Error("bad fixture");
    return result.value;
  });
  const backup = {
    formatVersion: 1,
    kind: "workflow-sync-backup",
    createdAt: "2026-01-01T00:00:00.000Z",
    environment,
    vendor: "kontent",
    label: `Kontent.ai environment ${KONTENT_DEV}`,
    fingerprint: fingerprint(parsed),
    workflows: parsed as unknown as Wire[],
    readOnly: [],
  };
  edit?.(backup.workflows);
  return backup;
};

// ---- the cases ------------------------------------------------------------------------------------

const V = ["validate", "wf.json"];
const VY = ["validate", "wf.yaml"];

// biome-ignore format: a table, one line per case
const cases: Case[] = [
  // syntax: malformed and truncated YAML/JSON, duplicate keys
  ["YAML: unclosed flow sequence", yaml("key: [unclosed\nname: x\n"), VY, 1, /wf\.yaml:\d+:\d+: invalid YAML/, { code: "invalid_syntax" }],
  ["YAML: truncated inside a quoted string", yaml('key: article\nname:\n  en-GB: "Arti'), VY, 1, /wf\.yaml:\d+:\d+: invalid YAML/],
  ["YAML: broken indentation", yaml("key: a\nname:\n    en: x\n  bad: y\n"), VY, 1, /wf\.yaml:\d+:\d+: invalid YAML/],
  ["YAML: tab indentation", yaml("key: a\nname:\n\ten: x\n"), VY, 1, /wf\.yaml:\d+:\d+: invalid YAML/],
  ["YAML: alias bomb (billion laughs)", yaml(`a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [${"*a,".repeat(9)}]\nc: &c [${"*b,".repeat(9)}]\nd: &d [${"*c,".repeat(9)}]\ne: [${"*d,".repeat(30)}]\n`), VY, 1, /wf\.yaml: invalid YAML: .*alias/i],
  ["YAML: duplicate key", yaml("key: a\nkey: b\n"), VY, 1, /wf\.yaml:2:1: duplicate key/, { code: "duplicate_key" }],
  ["JSON: truncated", json('{"key": "article", "states": ['), V, 1, /wf\.json:\d+:\d+: invalid JSON/],
  ["JSON: cut after a key", json('{"key": "article", "name":'), V, 1, /wf\.json:\d+:\d+: invalid JSON/],
  ["JSON: duplicate key", json('{"key": "a", "name": {"en": "A"}, "key": "b"}'), V, 1, /wf\.json:1:\d+: duplicate key/],
  ["an empty file", yaml("  \n\n"), VY, 1, /wf\.yaml: the file is empty/, { code: "invalid_document" }],
  ["a document that is a list", json("[1, 2]"), V, 1, /wf\.json:1:1: error .*expected object, got array \(invalid_type\)/],
  ["a document that is a string", yaml("just words\n"), VY, 1, /wf\.yaml:1:1: error .*expected object, got string \(invalid_type\)/],
  // schema: unknown fields
  ["unknown field at the top", wf({ colour: "red" }), V, 1, /wf\.json:\d+:\d+: error colour: unknown field "colour" \(unknown_field\)/, { code: "invalid_workflow" }],
  ["unknown field in a state", st(1, { colour: "red" }), V, 1, /wf\.json:\d+:\d+: error states\[1\]\.colour: unknown field "colour" \(unknown_field\)/],
  ["unknown field in a transition", tr(0, { target: "review" }), V, 1, /wf\.json:\d+:\d+: error transitions\[0\]\.target: unknown field "target" \(unknown_field\)/],
  // schema: wrong types
  ["wrong type: key is a number", wf({ key: 42 }), V, 1, /wf\.json:\d+:\d+: error key: expected string, got number \(invalid_type\)/],
  ["wrong type: states is a string", wf({ states: "draft, review" }), V, 1, /wf\.json:\d+:\d+: error states: expected array, got string \(invalid_type\)/],
  ["wrong type: editable is a string", st(0, { editable: "yes" }), V, 1, /error states\[0\]\.editable: expected boolean, got string \(invalid_type\)/],
  // schema: bad enum values
  ["bad enum: state kind", st(1, { kind: "bogus" }), V, 1, /wf\.json:\d+:\d+: error states\[1\]\.kind: .*"initial".*\(invalid_value\)/],
  ["bad enum: parameter type", tr(0, { parameters: [{ key: "when", name: { en: "When" }, type: "date" }] }), V, 1, /error transitions\[0\]\.parameters\[0\]\.type: .*"string".*\(invalid_value\)/],
  // schema: bad keys
  ["bad key: path traversal", wf({ key: "../etc/passwd" }), V, 1, /wf\.json:\d+:\d+: error key: a key holds letters, digits and _/],
  ["bad key: a space in a state key", st(1, { key: "in review" }), V, 1, /error states\[1\]\.key: a key holds letters, digits and _/],
  ["bad key: a transition key starting with a digit", tr(0, { key: "1st" }), V, 1, /error transitions\[0\]\.key: a key holds letters/],
  ["bad key: 101 characters", wf({ key: "k".repeat(101) }), V, 1, /error key: a key is at most 100 characters/],
  // schema: missing fields
  ["missing field: initial", wf({ initial: undefined }), V, 1, /wf\.json:\d+:\d+: error initial: required field is missing \(missing_field\)/],
  ["missing field: a state's name", st(0, { name: null }), V, 1, /error states\[0\]\.name: required field is missing \(missing_field\)/],
  ["missing field: a transition's to", tr(0, { to: null }), V, 1, /error transitions\[0\]\.to: required field is missing \(missing_field\)/],
  // schema: empty or malformed localized text, empty lists and names
  ["empty localized text: workflow name {}", wf({ name: {} }), V, 1, /wf\.json:\d+:\d+: error name: give the text in at least one locale/],
  ["empty localized text: transition name {}", tr(1, { name: {} }), V, 1, /error transitions\[1\]\.name: give the text in at least one locale/],
  // An empty string is a valid text (Contensis names can be empty, e.g. versionComplete); no locale at all is not.
  ["empty localized text: no locale at all (state name)", st(0, { name: {} }), V, 1, /error states\[0\]\.name: give the text in at least one locale/],
  ["a locale that is not a locale", wf({ name: { "not a locale!": "A" } }), V, 1, /error name\["not a locale!"\]: a locale looks like en-GB/],
  ["no states at all", wf({ states: [] }), V, 1, /error states: a workflow has at least one state/],
  ["an empty role name", st(1, { roles: [" "] }), V, 1, /error states\[1\]\.roles\[0\]: a role name cannot be empty/],
  ["a guard with no condition", tr(0, { guard: { all: [] } }), V, 1, /error transitions\[0\]\.guard\.all: /],
  // semantics: dangling references, duplicates
  ["dangling: transition to an unknown state", tr(0, { to: "nowhere" }), V, 1, /wf\.json:\d+:\d+: error transitions\[0\]\.to: .*nowhere.*\(dangling_reference\)/],
  ["dangling: transition from an unknown state", tr(0, { from: "limbo" }), V, 1, /error transitions\[0\]\.from: .*limbo.*\(dangling_reference\)/],
  ["dangling: initial state unknown", wf({ initial: "start" }), V, 1, /error initial: .*start.*\(dangling_reference\)/],
  ["dangling: transition group unknown", tr(0, { group: "nogroup" }), V, 1, /error transitions\[0\]\.group: .*nogroup.*\(dangling_reference\)/],
  ["duplicate state keys", wf({ states: [...base.states, { key: "draft", name: { en: "Again" }, kind: "step" }] }), V, 1, /error states\[3\]\.key: state key "draft" is already used by states\[0\].*\(duplicate_key\)/],
  ["duplicate transition keys from one state", wf({ transitions: [...base.transitions!, { key: "approve", from: "review", to: "draft", name: { en: "Again" } }] }), V, 1, /error transitions\[3\]\.key: .*approve.*\(duplicate_key\)/],
  ["duplicate workflow keys across files", { "wf/a.json": base, "wf/b.json": base }, ["validate", "wf"], 1, /wf\/b\.json:\d+:\d+: error key: workflow key "article" is already used by wf\/a\.json.*\(duplicate_key\)/],
  ["duplicate workflow keys across files (plan)", { "wf/a.json": base, "wf/b.json": smallWorkflow({ name: { en: "Other" } }), "out/.keep": "" }, ["plan", "wf", "out", "--out", "plan.json"], 1, /wf\/b\.json.*article.*\(duplicate_key\)/],
  ["duplicate workflow keys across files (diff)", { "wf/a.json": base, "wf/b.json": smallWorkflow({ name: { en: "Other" } }), "out/.keep": "" }, ["diff", "wf", "out"], 1, /wf\/b\.json.*article.*\(duplicate_key\)/],
  ["no published state", wf({ states: base.states.map((s) => (s.kind === "published" ? { ...s, kind: "step" } : s)) }), V, 1, /\(no_published_state\)/],
  ["two initial states", st(1, { kind: "initial" }), V, 1, /states\[1\]\.kind: .*\(initial_state\)/],
  ["a source that does not exist", {}, ["validate", "missing.yaml"], 1, /missing\.yaml: no such file or folder/, { code: "source_not_found" }],
  // config: syntax
  ["config: malformed YAML", cfgText("environments:\n  x: [vendor: files\n"), ["validate", "wf"], 1, /workflow-sync\.config\.yaml:\d+:\d+: invalid YAML/],
  ["config: truncated JSON", cfgText('{"environments": {"x": {"vendor": ', "workflow-sync.config.json"), ["validate", "wf"], 1, /workflow-sync\.config\.json:\d+:\d+: invalid JSON/],
  ["config: an environment twice", cfgText("environments:\n  x: {vendor: files, path: wf}\n  x: {vendor: files, path: wf}\n"), ["validate", "x"], 1, /workflow-sync\.config\.yaml:3:3: duplicate key/],
  ["config: a list, not a mapping", cfgText("- vendor: files\n"), ["validate", "wf"], 1, /workflow-sync\.config\.yaml:1:1: \(root\): expected object, got array/, { code: "invalid_config" }],
  ["config: unknown top-level field", cfgText("environments: {}\nenviroment: {}\n"), ["validate", "wf"], 1, /workflow-sync\.config\.yaml:2:\d+: enviroment: unknown field "enviroment"/],
  // config: environments
  ["config: unknown vendor", cfg({ vendor: "sitecore" }), ["validate", "x"], 1, /workflow-sync\.config\.yaml:\d+:\d+: environments\.x\.vendor: .*'kontent' \| 'contensis' \| 'files'/],
  ["config: kontent without environmentId", cfg({ ...kontentDev, environmentId: null }), ["validate", "x"], 1, /workflow-sync\.config\.yaml:\d+:\d+: environments\.x\.environmentId: required field is missing/],
  ["config: contensis without projectId", cfg({ ...contensisDev, projectId: null }), ["validate", "x"], 1, /environments\.x\.projectId: required field is missing/],
  ["config: files without path", cfg({ vendor: "files" }), ["validate", "x"], 1, /environments\.x\.path: required field is missing/],
  ["config: a misspelt field", cfg({ ...kontentDev, apiKey: null, apikey: { env: "KONTENT_DEV_API_KEY" } }), ["validate", "x"], 1, /environments\.x\.apikey: unknown field "apikey"/],
  ["config: a literal API key", cfg({ ...kontentDev, apiKey: LITERAL }), ["validate", "x"], 1, /workflow-sync\.config\.yaml:\d+:\d+: environments\.x\.apiKey: secrets come from environment variables/],
  ["config: a literal client secret", cfg({ ...contensisDev, clientSecret: LITERAL }), ["validate", "x"], 1, /environments\.x\.clientSecret: secrets come from environment variables/],
  ["config: a secret ref naming no variable", cfg({ ...kontentDev, apiKey: { env: "1-BAD NAME" } }), ["validate", "x"], 1, /environments\.x\.apiKey\.env: the name of an environment variable/],
  ["config: a secret ref with the value beside it", cfg({ ...kontentDev, apiKey: { env: "K", value: LITERAL } }), ["validate", "x"], 1, /workflow-sync\.config\.yaml:\d+:\d+: environments\.x\.apiKey: Unrecognized key: "value" \(write \{ env: VARIABLE_NAME \}\)/],
  ["config: a base URL that is not a URL", cfg({ ...kontentDev, baseUrl: "manage kontent ai" }), ["validate", "x"], 1, /environments\.x\.baseUrl: .*URL/i],
  ["config: http:// to a remote host", cfg({ ...kontentDev, baseUrl: "http://manage.kontent.ai/v2" }), ["validate", "x"], 1, /workflow-sync\.config\.yaml:\d+:\d+: environments\.x\.baseUrl: baseUrl must use https \(plain http is allowed only to a loopback host/],
  ["config: http:// to a private address", cfg({ ...contensisDev, rootUrl: "http://10.0.0.8" }), ["validate", "x"], 1, /environments\.x\.rootUrl: rootUrl must use https/],
  ["config: http:// to 127.attacker.com", cfg({ ...contensisDev, rootUrl: "http://127.0.0.1.nip.io" }), ["validate", "x"], 1, /environments\.x\.rootUrl: rootUrl must use https/],
  ["config: ftp:// root URL", cfg({ ...contensisDev, rootUrl: "ftp://cms.example.com" }), ["validate", "x"], 1, /environments\.x\.rootUrl: rootUrl must be an https URL, not ftp/],
  ["config: credentials inside the URL", cfg({ ...kontentDev, baseUrl: `https://user:${LITERAL}@manage.kontent.ai/v2` }), ["validate", "x"], 1, /environments\.x\.baseUrl: a URL cannot hold a user name or password/],
  ["config: an environment name with ../", { [CONFIG]: configYaml({ "../x": { vendor: "files", path: "wf" } }) }, ["validate", "wf"], 1, /environments\["\.\.\/x"\]: an environment name holds letters, digits/],
  ["config: an environment name with a space", { [CONFIG]: configYaml({ "prod env": { vendor: "files", path: "wf" } }) }, ["validate", "wf"], 1, /environments\["prod env"\]: an environment name holds letters, digits/],
  ["config: a negative rate limit", cfg({ ...kontentDev, rateLimit: { perSecond: -1 } }), ["validate", "x"], 1, /environments\.x\.rateLimit\.perSecond: .*>0/],
  ["config: a rate limit in words", cfg({ ...kontentDev, rateLimit: { perMinute: "fast" } }), ["validate", "x"], 1, /environments\.x\.rateLimit\.perMinute: expected number, got string/],
  ["config: an unknown rate limit field", cfg({ ...kontentDev, rateLimit: { burst: 5 } }), ["validate", "x"], 1, /environments\.x\.rateLimit\.burst: unknown field "burst"/],
  ["config: protected as a string", cfg({ vendor: "files", path: "wf", protected: "yes" }), ["validate", "x"], 1, /environments\.x\.protected: expected boolean, got string/],
  ["config: a zero timeout", cfg({ ...kontentDev, timeoutMs: 0 }), ["validate", "x"], 1, /environments\.x\.timeoutMs: .*>0/],
  ["--config names a missing file", {}, ["validate", "wf", "--config", "nope.yaml"], 1, /nope\.yaml: no such file/, { code: "file_unreadable" }],
  ["--config names a folder", { "conf/x.yaml": "a: 1" }, ["validate", "wf", "--config", "conf"], 1, /conf: is a folder/],
  // environments and secrets
  ["an unknown environment as a target", sims(), ["plan", "wf", "kontent-staging", "--out", "plan.json"], 1, /no environment named "kontent-staging" and no folder kontent-staging/, { code: "unknown_environment" }],
  ["an unknown environment as a source", sims(), ["diff", "kontent-staging", "kontent-dev"], 1, /kontent-staging: no environment of that name and no such file or folder/, { code: "source_not_found" }],
  ["a missing API key variable", sims(), ["diff", "wf", "kontent-dev"], 1, /environment kontent-dev \(apiKey\): the environment variable KONTENT_DEV_API_KEY is not set/, { env: { ...SECRET_ENV, KONTENT_DEV_API_KEY: undefined }, code: "missing_secret" }],
  ["a missing client secret variable", sims(), ["diff", "wf", "contensis-dev"], 1, /environment contensis-dev \(clientSecret\): the environment variable CONTENSIS_CLIENT_SECRET is not set/, { env: { ...SECRET_ENV, CONTENSIS_CLIENT_SECRET: undefined } }],
  ["an empty secret variable", sims(), ["plan", "wf", "kontent-prod", "--out", "plan.json"], 1, /the environment variable KONTENT_PROD_API_KEY is not set/, { env: { ...SECRET_ENV, KONTENT_PROD_API_KEY: "" } }],
  ["a wrong API key", sims(), ["diff", "wf", "kontent-dev"], 1, /kontent-dev: .*401/, { env: { ...SECRET_ENV, KONTENT_DEV_API_KEY: "wrong-key-0000" } }],
  ["a wrong client secret", sims(), ["diff", "wf", "contensis-dev"], 1, /contensis-dev: .*invalid_client/, { env: { ...SECRET_ENV, CONTENSIS_CLIENT_SECRET: "wrong-secret-0000" } }],
  // vendor answers that drift from the schema
  ["Kontent.ai: workflows without steps", sims(), ["validate", "kontent-dev"], 1, /kontent-dev: GET \/workflows: \[0\]\.steps: expected array, received undefined/, { drift: ["kontent", onGet("/workflows", mapBody((list) => (list as Wire[]).map(({ steps: _, ...rest }) => rest)))] }],
  ["Kontent.ai: steps of the wrong type", sims(), ["validate", "kontent-dev"], 1, /kontent-dev: GET \/workflows: \[0\]\.steps: expected array, received string/, { drift: ["kontent", onGet("/workflows", mapBody((list) => (list as Wire[]).map((w) => ({ ...w, steps: "draft" }))))] }],
  ["Kontent.ai: an unknown colour", sims(), ["validate", "kontent-dev"], 1, /kontent-dev: GET \/workflows: \[0\]\.steps\[0\]\.color: expected one of gray, red/, { drift: ["kontent", onGet("/workflows", (u: { status: number; body: string }) => ({ status: 200, body: u.body.replace(/"color":"[a-z-]+"/, '"color":"ultraviolet"') }))] }],
  ["Kontent.ai: an HTML page with 200", sims(), ["validate", "kontent-dev"], 1, /kontent-dev: GET \/roles: \(body\): expected object, received string/, { drift: ["kontent", onGet("/roles", html(200))] }],
  ["Kontent.ai: an HTML error page", sims(), ["plan", "wf", "kontent-dev", "--out", "plan.json"], 1, /kontent-dev: .*GET \/types.*404/, { drift: ["kontent", onGet("/types", html(404))] }],
  ["Kontent.ai: an empty body", sims(), ["diff", "kontent-dev", "wf"], 1, /kontent-dev: GET \/collections: \(body\): expected object, received undefined/, { drift: ["kontent", onGet("/collections", { status: 200, body: "" })] }],
  ["Kontent.ai: null instead of a list", sims(), ["export", "kontent-dev", "--out", "out"], 1, /kontent-dev: GET \/workflows: \(body\): expected array, received null/, { drift: ["kontent", onGet("/workflows", { status: 200, body: "null" })] }],
  ["Contensis: definitions without states", sims(), ["validate", "contensis-dev"], 1, /contensis-dev: unexpected response for the (published )?workflow definitions \(page 0\): items\[0\]\.states: .*expected array, received undefined/, { drift: ["contensis", onGet("/workflow/definitions", mapBody((page) => ({ ...(page as Wire), items: ((page as Wire).items as Wire[]).map(({ states: _, ...rest }) => rest) })))] }],
  ["Contensis: a count of the wrong type", sims(), ["validate", "contensis-dev"], 1, /contensis-dev: unexpected response for the (published )?workflow definitions \(page 0\): totalCount: .*expected number, received string/, { drift: ["contensis", onGet("/workflow/definitions", mapBody((page) => ({ ...(page as Wire), totalCount: "four" })))] }],
  ["Contensis: an event to an unknown state", sims(), ["validate", "contensis-dev"], 1, /contensis-dev.*nowhere.*\(dangling_reference\)|contensis-dev: .*nowhere/, { drift: ["contensis", onGet("/workflow/definitions", (u: { status: number; body: string }) => ({ status: 200, body: u.body.replaceAll('"transitionTo":"versionComplete"', '"transitionTo":"nowhere"') }))] }],
  ["Contensis: an HTML token answer", sims(), ["validate", "contensis-dev"], 1, /contensis-dev: unexpected response for the token request: \(root\): .*expected object, received string/, { drift: ["contensis", ({ path }) => (path.endsWith("/connect/token") ? html(200) : undefined)] }],
  ["Contensis: an empty body", sims(), ["graph", "contensis-dev"], 1, /contensis-dev: unexpected response for the content types: \(root\): .*expected array, received undefined/, { drift: ["contensis", onGet("/contenttypes", { status: 200, body: "" })] }],
  // mapping files
  ["mapping: a role the target does not have", sims({ "map.yaml": "roles:\n  Reviewer: Ghost writer\n" }), ["plan", "wf", "kontent-dev", "--out", "plan.json", "--map", "map.yaml"], 1, /kontent-dev: names that do not exist there \(nothing was planned\):\s+role: Ghost writer/, { code: "unresolved_references" }],
  ["mapping: a role the target does not have (sync)", sims({ "map.yaml": "roles:\n  Reviewer: Ghost writer\n" }), ["sync", "wf", "kontent-prod", "--map", "map.yaml", "--yes", "--confirm-env", "kontent-prod"], 1, /kontent-prod: names that do not exist there \(nothing was planned\):\s+role: Ghost writer/],
  ["mapping: an unknown field", sims({ "map.yaml": "rolez:\n  Reviewer: Editor\n" }), ["plan", "wf", "kontent-dev", "--out", "plan.json", "--map", "map.yaml"], 1, /map\.yaml:\d+:\d+: rolez: unknown field "rolez"/],
  ["mapping: a state renamed to a non-key", sims({ "map.yaml": "states:\n  review: in review\n" }), ["diff", "wf", "wf", "--map", "map.yaml"], 1, /map\.yaml:2:11: states\.review: a state key/],
  ["mapping: the file is missing", sims(), ["plan", "wf", "kontent-dev", "--out", "plan.json", "--map", "map.yaml"], 1, /map\.yaml: no such file/],
  // plan files
  ["plan: edited by hand", sims(), ["apply", "plan.json", "--yes", "--confirm-env", "kontent-prod"], 4, /plan\.json: the plan was changed after it was made \(its checksum does not match\)/, { code: "plan_edited", prepare: then(planFile("kontent-dev", "kontent-prod"), (ws) => editJson(ws, "plan.json", (p) => { p.targets[0].operations[0].requests[0].body.name = "Hijacked"; })) }],
  ["plan: written by a newer version", sims(), ["apply", "plan.json", "--yes"], 4, /plan\.json: plan format 2 was written by a newer workflow-sync/, { code: "unsupported_plan_version", prepare: then(planFile("kontent-dev", "kontent-prod"), (ws) => editJson(ws, "plan.json", (p) => { p.formatVersion = 2; })) }],
  ["plan: truncated", sims(), ["apply", "plan.json", "--yes"], 1, /plan\.json: not a JSON plan/, { code: "invalid_plan", prepare: then(planFile("kontent-dev", "kontent-prod"), (ws) => writeFileSync(ws.path("plan.json"), readFileSync(ws.path("plan.json"), "utf8").slice(0, 400))) }],
  ["plan: an unknown action", sims(), ["apply", "plan.json", "--yes"], 1, /plan\.json: targets\[0\]\.operations\[0\]\.action: /, { code: "invalid_plan", prepare: then(planFile("kontent-dev", "kontent-prod"), (ws) => editJson(ws, "plan.json", (p) => { p.targets[0].operations[0].action = "rename"; })) }],
  ["plan: a request path out of the environment", sims(), ["apply", "plan.json", "--yes", "--confirm-env", "kontent-prod"], 1, /plan\.json: targets\[0\]\.operations\[0\]\.requests\[0\]\.path: a request path stays inside the environment/, { prepare: then(planFile("kontent-dev", "kontent-prod"), (ws) => editJson(ws, "plan.json", (p) => { p.targets[0].operations[0].requests[0].path = `/../${KONTENT_DEV}/workflows`; }, true)) }],
  ["plan: an absolute URL as a request path", sims({ "wf/article.json": roleless }), ["apply", "plan.json", "--yes", "--accept-loss"], 1, /plan\.json: targets\[0\]\.operations\[0\]\.requests\[0\]\.path: a request path stays inside/, { prepare: then(planFile("wf", "contensis-prod", "--accept-loss"), (ws, s) => editJson(ws, "plan.json", (p) => { p.targets[0].operations[0].requests[0].path = `${s.contensisProxy.url}/api/management/projects/website-dev/workflow/definitions`; }, true)) }],
  ["plan: for another environment", sims(), ["apply", "plan.json", "--yes", "--confirm-env", "kontent-prod"], 4, /kontent-prod now points to Kontent\.ai environment 7c9f0e4e-0000-0000-0000-000000000001, the plan was made for .*0002; nothing was written/, { code: "plan_mismatch", prepare: then(planFile("kontent-dev", "kontent-prod"), (ws, s) => { const envs = vendorEnvironments(s); writeFileSync(ws.path(CONFIG), configYaml({ ...envs, "kontent-prod": { ...envs["kontent-dev"], protected: true } })); }) }],
  ["plan: its environment left the config", sims(), ["apply", "plan.json", "--yes"], 1, /no environment named "kontent-prod"/, { prepare: then(planFile("kontent-dev", "kontent-prod"), (ws, s) => { const { "kontent-prod": _, ...rest } = vendorEnvironments(s); writeFileSync(ws.path(CONFIG), configYaml(rest)); }) }],
  ["plan: stale (the target changed since)", { [CONFIG]: OUT_CONFIG, "wf/article.json": base, "out/.keep": "" }, ["apply", "plan.json", "--yes"], 4, /out changed since the plan was made \(article\); nothing was written/, { code: "stale_plan", prepare: then(planFile("wf", "out"), (ws) => { ws.write("out/article.json", smallWorkflow({ name: { en: "Changed" } })); }) }],
  ["plan: lossy, without --accept-loss", sims({ "wf/article.json": roleless }), ["apply", "plan.json", "--yes"], 4, /the plan loses \d+ thing\(s\) on the way .*nothing was written/, { code: "lossy_plan", prepare: planFile("wf", "contensis-dev") }],
  ["plan: protected target, no --confirm-env", sims(), ["apply", "plan.json", "--yes"], 4, /kontent-prod is protected: confirm with --confirm-env kontent-prod; nothing was written/, { code: "protected_environment", prepare: planFile("kontent-dev", "kontent-prod") }],
  ["plan: --confirm-env names another environment", sims(), ["apply", "plan.json", "--yes", "--confirm-env", "kontent-dev"], 4, /kontent-prod is protected/, { prepare: planFile("kontent-dev", "kontent-prod") }],
  ["plan: no --yes without a terminal", sims(), ["apply", "plan.json"], 4, /no terminal to ask for confirmation: add --yes|--json never prompts: add --yes/, { code: "confirmation_required", prepare: planFile("wf", "kontent-dev", "--accept-loss") }],
  ["journal: truncated by hand", { [CONFIG]: OUT_CONFIG, "wf/article.json": base, "out/.keep": "" }, ["apply", "plan.json", "--yes"], 1, /\.workflow-sync\/journals\/[0-9a-f]{16}-out\.json: not a journal/, { prepare: then(planFile("wf", "out"), (ws) => { const { id } = JSON.parse(readFileSync(ws.path("plan.json"), "utf8")) as { id: string }; ws.write(`.workflow-sync/journals/${id}-out.json`, '{"formatVersion": 1, "planId": "'); }) }],
  ["plan: no such file", {}, ["apply", "plan.json"], 1, /plan\.json: no such plan file/, { code: "file_unreadable" }],
  // backups and restore
  ["restore: a backup of another environment", sims({ "backup.json": backupOf("kontent-dev", [base]) }), ["restore", "backup.json", "--to", "kontent-prod", "--yes", "--confirm-env", "kontent-prod"], 4, /backup\.json is a backup of kontent-dev .*not of kontent-prod .*nothing was written/, { code: "backup_mismatch" }],
  ["restore: a backup edited by hand", sims({ "backup.json": backupOf("kontent-dev", [base], (w) => { (w[0]!.name as Wire).en = "Edited"; }) }), ["restore", "backup.json", "--to", "kontent-dev", "--yes"], 1, /backup\.json: the workflows do not match the backup's fingerprint \(edited by hand\?\)/, { code: "invalid_backup" }],
  ["restore: a truncated backup", sims({ "backup.json": JSON.stringify(backupOf("kontent-dev", [base])).slice(0, 120) }), ["restore", "backup.json", "--to", "kontent-dev", "--yes"], 1, /backup\.json: not a JSON backup/, { code: "invalid_backup" }],
  ["restore: not a backup", sims({ "backup.json": { ...backupOf("kontent-dev", [base]), kind: "plan" } }), ["restore", "backup.json", "--to", "kontent-dev", "--yes"], 1, /backup\.json: not a valid backup:\s+backup\.json: kind: /, { code: "invalid_backup" }],
  ["restore: a workflow key that is a path", sims({ "backup.json": backupOf("kontent-dev", [base], (w) => { w[0]!.key = "../../etc"; }) }), ["restore", "backup.json", "--to", "kontent-dev", "--yes"], 1, /backup\.json: not a valid backup:\s+backup\.json: workflows\[0\]\.key: a key holds letters/],
  // usage
  ["usage: an unknown command", {}, ["frobnicate"], 64, /unknown command "frobnicate"/, { code: "usage" }],
  ["usage: an unknown flag", {}, ["validate", "wf", "--frob"], 64, /validate: .*--frob/],
  ["usage: a missing argument", {}, ["diff", "a"], 64, /diff: missing <to>/],
  ["usage: an extra argument", {}, ["validate", "a", "b"], 64, /validate: unexpected argument "b"/],
  ["usage: an unknown diff format", {}, ["diff", "a", "b", "--format", "yaml"], 64, /diff: --format must be one of text, json, markdown, not "yaml"/],
  ["usage: an unknown vendor", {}, ["validate", "wf", "--vendor", "sitecore"], 64, /validate: --vendor must be one of kontent, contensis, not "sitecore"/],
  ["usage: an unknown show format", {}, ["show", "plan.json", "--format", "yaml"], 64, /show: --format must be one of text, markdown, json, not "yaml"/],
  ["usage: plan --out names a folder", { "wf/article.json": base, "out/.keep": "", "plans/.keep": "" }, ["plan", "wf", "out", "--out", "plans"], 64, /plan: --out plans is a folder; name the plan file/],
  ["usage: export without --out", {}, ["export", "wf"], 64, /export: --out DIR is required/],
  ["usage: restore without --to", {}, ["restore", "backup.json"], 64, /restore: name the environment with --to <env>/],
  ["usage: convert to an unknown form", {}, ["convert", "wf.json", "--to", "xml"], 64, /convert: --to must be one of neutral, kontent, contensis/],
  ["usage: transition without --item", {}, ["transition", "kontent-dev", "--event", "review"], 64, /transition: --item, --language and --event are required/],
  ["usage: flags but no command", {}, ["--verbose", "--no-color"], 64, /no command given/],
  ["usage: --config without a value", {}, ["validate", "wf", "--config"], 64, /validate: .*--config/],
];

// ---- the runner -----------------------------------------------------------------------------------

let servers: Servers;
beforeAll(async () => {
  servers = await startServers();
});
afterAll(async () => {
  await servers?.close();
});

/** Writes seen by the simulators, or by the proxies (a drifting proxy may answer without forwarding). */
const writesSoFar = () =>
  servers.writes() +
  [...servers.kontentProxy.seen, ...servers.contensisProxy.seen].filter(
    (entry) => entry.method !== "GET" && !entry.path.endsWith("/connect/token"),
  ).length;

interface Envelope {
  ok: boolean;
  command: string;
  exitCode: number;
  error: { code: string; message: string; issues?: LocatedIssue[] };
}

describe("bad input is refused cleanly", () => {
  it("has at least 60 cases, each named once", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map(([name]) => name)).size).toBe(cases.length);
  });

  for (const [name, files, argv, exit, message, extra = {}] of cases) {
    const test = extra.knownBug ? it.fails : it;
    test(`${name}${extra.knownBug ? ` (known bug: ${extra.knownBug})` : ""}`, async () => {
      const ws = tempWorkspace(typeof files === "function" ? files(servers) : files);
      try {
        const env = extra.env ?? SECRET_ENV;
        await extra.prepare?.(ws, servers);
        const before = fileTree(ws.root);
        const writes = writesSoFar();
        const proxy =
          extra.drift && (extra.drift[0] === "kontent" ? servers.kontentProxy : servers.contensisProxy);
        if (proxy) proxy.rewrite = extra.drift![1];
        try {
          const plain = await testCommand(argv, { cwd: ws.root, env });
          const output = plain.stdout + plain.stderr;
          expect(plain.exitCode, output).toBe(exit);
          expect(output).toMatch(message);
          expect(plain.stderr).toMatch(/^error: /m);

          const enveloped = await testCommand([...argv, "--json"], { cwd: ws.root, env });
          expect(enveloped.exitCode, enveloped.stdout + enveloped.stderr).toBe(exit);
          expect(enveloped.stderr).not.toMatch(/^error: /m);
          const envelope = JSON.parse(enveloped.stdout) as Envelope; // the whole of stdout: one document
          expect(envelope).toMatchObject({
            ok: false,
            command: argv.find((a) => !a.startsWith("-")) ?? "workflow-sync",
            exitCode: exit,
          });
          expect(envelope.error.code).toMatch(/^[a-z_]+$/);
          if (extra.code) expect(envelope.error.code).toBe(extra.code);
          const said = [
            envelope.error.message,
            ...(envelope.error.issues ?? []).map(formatLocatedIssue),
          ].join("\n");
          expect(said).toMatch(message);

          for (const secret of [...SECRET_VALUES, LITERAL]) {
            expect(output + enveloped.stdout + enveloped.stderr).not.toContain(secret);
          }
        } finally {
          if (proxy) proxy.rewrite = undefined;
        }
        const written = writesSoFar() - writes;
        if (written > 0) {
          // Keep the other cases honest: put the simulators back as seeded.
          servers.kontent.reset();
          servers.contensis.reset();
        }
        expect(written, "a write request reached a vendor").toBe(0);
        expect(fileTree(ws.root), "a file was written").toEqual(before);
      } finally {
        ws.cleanup();
      }
    });
  }
});
