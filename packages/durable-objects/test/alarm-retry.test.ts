import { describe, expect, it } from "vitest";
import { ALARM_MAX_RETRIES, alarmRetryDelay } from "../src/index.js";

describe("alarm retry backoff", () => {
  it("waits 2 s·2^n (n capped at 9) plus up to 25 % jitter, for at most 6 counted retries", () => {
    expect([0, 1, 2, 5, 9, 10, 20].map((n) => alarmRetryDelay(n, 0))).toEqual([2_000, 4_000, 8_000, 64_000, 1_024_000, 1_024_000, 1_024_000]);
    expect(alarmRetryDelay(0, 0.999_999)).toBe(2_499);
    expect(alarmRetryDelay(3, 0.5)).toBe(16_000 + 2_000);
    expect(ALARM_MAX_RETRIES).toBe(6);
  });
});
