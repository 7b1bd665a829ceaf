import { defineConfig } from "vitest/config";
import { sharedProjectConfig } from "../../vitest.shared.ts";

// Runs the conformance suites against deliberately broken backends. Only
// `runBrokenSuite` (tests/support/run-vitest-file.ts) starts this config; the main run
// never collects `*.broken.ts` files.
export default defineConfig({
  ...sharedProjectConfig,
  test: { ...sharedProjectConfig.test, include: ["*.broken.ts"], maxWorkers: 1 },
});
