import { describe, expect, it } from "vitest";

// A fixture for the runner itself: one pass, one failure, one skip.
describe("runner fixture", () => {
  it("passes", () => expect(1).toBe(1));
  it("fails", () => expect(1).toBe(2));
  it.skip("is skipped", () => {});
});
