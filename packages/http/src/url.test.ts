import { describe, expect, it } from "vitest";
import { assertSecureUrl, InsecureUrlError } from "./url.ts";

describe("assertSecureUrl", () => {
  it.each([
    "https://manage.kontent.ai/v2",
    "https://cms-example.cloud.contensis.com",
    "http://127.0.0.1:4010/v2",
    "http://127.1.2.3/",
    "http://localhost:8080",
    "http://LOCALHOST.",
    "http://[::1]:3000/v2",
    "http://[::ffff:127.0.0.1]/",
  ])("accepts %s", (url) => {
    expect(() => assertSecureUrl(url)).not.toThrow();
  });

  it.each([
    "http://manage.kontent.ai/v2",
    "http://10.0.0.1/",
    "http://128.0.0.1/",
    "http://localhost.example.com/",
    "http://127.0.0.1.example.com/",
    "http://[::2]/",
    "ftp://127.0.0.1/",
    "file:///etc/passwd",
    "not a url",
    "/relative/path",
  ])("refuses %s", (url) => {
    expect(() => assertSecureUrl(url, "baseUrl of kontent-dev")).toThrow(InsecureUrlError);
  });

  it("names what is wrong and leaves out user info and query", () => {
    let caught: unknown;
    try {
      assertSecureUrl("http://user:hunter2@cms.example.com/api?apiKey=abc", "rootUrl of contensis-prod");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InsecureUrlError);
    const error = caught as InsecureUrlError;
    expect(error.code).toBe("insecure_url");
    expect(error.message).toContain("rootUrl of contensis-prod");
    expect(error.message).toContain("http://cms.example.com/api");
    expect(error.message).not.toContain("hunter2");
    expect(error.message).not.toContain("abc");
    expect(error.name).toBe("InsecureUrlError");
  });
});
