import { describe, expect, it } from "vitest";
import { ValueCache } from "../src/value-cache.js";

describe("ValueCache", () => {
  it("keeps values up to its budget, evicting the least recently used", () => {
    const cache = new ValueCache(8 * 100);
    for (let i = 0; i < 8; i++) cache.set(`b${i}`, new Uint8Array(100));
    expect(cache.get("b0")).toBeDefined();
    cache.set("b8", new Uint8Array(100));
    expect(cache.get("b1")).toBeUndefined();
    expect(cache.get("b0")).toBeDefined();
    expect(cache.get("b8")).toBeDefined();
  });

  it("skips values larger than an eighth of the budget", () => {
    const cache = new ValueCache(800);
    cache.set("big", new Uint8Array(101));
    expect(cache.get("big")).toBeUndefined();
    cache.set("small", new Uint8Array(100));
    expect(cache.get("small")).toBeDefined();
  });

  it("caches nothing, not even empty values, with a budget of 0", () => {
    const cache = new ValueCache(0);
    cache.set("empty", new Uint8Array(0));
    expect(cache.get("empty")).toBeUndefined();
  });

  it("forgets deleted blobs", () => {
    const cache = new ValueCache(1000);
    cache.set("id", new Uint8Array(10));
    cache.delete("id");
    expect(cache.get("id")).toBeUndefined();
  });
});
