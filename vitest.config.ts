import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*", "tests"],
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    // The machine has two cores; a few workers keep fs- and CPU-bound suites from starving.
    maxWorkers: 3,
  },
});
