import { expect, it } from "vitest";
import { runBrokenSuite } from "./run-vitest-file.ts";

it("reports passes, failures and skips of a suite run in a child vitest", async () => {
  const outcome = await runBrokenSuite("always-fails.broken.ts");
  expect(outcome.passed).toEqual(["runner fixture passes"]);
  expect(outcome.failed).toEqual(["runner fixture fails"]);
  expect(outcome.skipped).toEqual(["runner fixture is skipped"]);
});
