import type { UserWorkspaceConfig } from "vitest/config";

/**
 * Tests run on TypeScript sources: the `@cellar/source` export condition points every
 * workspace package at its `src/index.ts`, so no build step is needed before `vitest`.
 */
export const sharedProjectConfig: UserWorkspaceConfig = {
  ssr: {
    resolve: {
      conditions: ["@cellar/source", "node", "development|production"],
    },
  },
  resolve: {
    conditions: ["@cellar/source", "node", "development|production"],
  },
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts", "*.test.ts", "support/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
};
