import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// What the transport loads is paid before a CLI run's first request: node:https (with TLS) only for
// an https URL. Checked in a fresh process (Node's list of loaded built-in modules is per process).
const transport = new URL("./transport.ts", import.meta.url).pathname;
const script = `
import http from "node:http";
const loaded = () => process.moduleLoadList.includes("NativeModule https");
const server = http.createServer((request, response) => response.end("ok"));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const { send } = await import(${JSON.stringify(transport)});
const request = { method: "GET", headers: {}, connectTimeoutMs: 2000, timeoutMs: 2000, freshConnection: true };
const answer = await send({ ...request, url: \`http://127.0.0.1:\${server.address().port}/\` });
const afterHttp = loaded();
server.close();
await send({ ...request, url: "https://127.0.0.1:1/" }).catch(() => undefined);
console.log(JSON.stringify({ status: answer.status, afterHttp, afterHttps: loaded() }));
`;

describe("the transport's Node modules", () => {
  it("loads node:https for the first https URL, not for http", () => {
    const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(JSON.parse(output)).toEqual({ status: 200, afterHttp: false, afterHttps: true });
  });
});
