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
      testTimeout: 30_000,
      hookTimeout: 30_000,
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
