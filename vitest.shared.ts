import { defineConfig } from "vitest/config";

/** One vitest configuration for every project: unit tests beside the code, suites in test/, run on sources. */
export function projectConfig(root: string) {
  return defineConfig({
    root,
    resolve: { conditions: ["@workflow-sync/source"] },
    ssr: { resolve: { conditions: ["@workflow-sync/source"] } },
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      exclude: ["**/node_modules/**", "**/dist/**", "**/*.faults.test.ts"],
      // A limit, not a timing assertion: end-to-end suites run the CLI against simulators, and on a
      // shared, loaded machine a few of them have come close to 30 s.
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  });
}

/** The slow suites (fault matrices), run by `npm run test:faults`. */
export function faultsConfig(root: string) {
  return defineConfig({
    root,
    resolve: { conditions: ["@workflow-sync/source"] },
    ssr: { resolve: { conditions: ["@workflow-sync/source"] } },
    test: {
      include: ["src/**/*.faults.test.ts", "test/**/*.faults.test.ts"],
      testTimeout: 600_000,
      hookTimeout: 60_000,
    },
  });
}
