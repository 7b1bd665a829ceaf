import { describe, expect, it } from "vitest";
import { IdFactory } from "../src/durable-object-id.js";

describe("ids", () => {
  const ids = new IdFactory("-S");

  it("derives idFromName as workerd does (on-disk-layout.md §3 worked example)", () => {
    const id = ids.idFromName("hot");
    expect(id.toString()).toBe("6e18f68a39bb38ab40c17d4b20773d911e351924d49ce791f877bb2cd6847a42");
    expect(id.name).toBe("hot");
    expect(id.equals(ids.idFromName("hot"))).toBe(true);
    expect(new IdFactory("-Root").idFromName("root").toString()).toBe("ec481b517a122ce4c382cf57ee55265b37ffcb14effda0927d06339449215895");
  });

  it("mints unique ids that idFromString accepts, without a name", () => {
    const id = ids.newUniqueId();
    expect(id.toString()).toMatch(/^[0-9a-f]{64}$/);
    expect(id.equals(ids.newUniqueId())).toBe(false);
    const parsed = ids.idFromString(id.toString().toUpperCase());
    expect(parsed.toString()).toBe(id.toString());
    expect(parsed.name).toBeUndefined();
  });

  it("rejects bad syntax and another namespace's ids with the runtime's messages", () => {
    expect(() => ids.idFromString("abc")).toThrow("Invalid Durable Object ID: must be 64 hex digits");
    expect(() => ids.idFromString("g".repeat(64))).toThrow("Invalid Durable Object ID: must be 64 hex digits");
    expect(() => ids.idFromString(new IdFactory("-Other").idFromName("hot").toString())).toThrow("Durable Object ID is not valid for this namespace.");
  });
});
