import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { idFromName, objectDatabasePath } from "../src/index.ts";

describe("idFromName", () => {
  // The worked examples of the on-disk layout: each one is a file name wrangler dev writes.
  it.each([
    ["miniflare-R2BucketObject", "R2", "b4515922a10dd69008860d9d5bec41a711ea99c19a5a076251ca5ba63789faab"],
    ["miniflare-D1DatabaseObject", "D1", "43f24c89f0e12f933cdd01f76db89f68337b8866236eeb99eb051c0ffd4bbc25"],
    ["miniflare-KVNamespaceObject", "KV", "4f0b3839dd15a13ff445a1aeea339588ae4ebd1083bfd1419829a182fa3baee9"],
    ["miniflare-CacheObject", "default", "9f458c07675338a7426a7b81ac4fb1baf92d034efbcaaf4336379640ed744ded"],
    ["miniflare-CacheObject", "named:mycache", "3607e28c17230ab812f18ebcf6dd348786766b3abe14149af03069a574fb33ab"],
    ["-S", "hot", "6e18f68a39bb38ab40c17d4b20773d911e351924d49ce791f877bb2cd6847a42"],
    ["-Root", "root", "ec481b517a122ce4c382cf57ee55265b37ffcb14effda0927d06339449215895"],
  ])("%s / %s gives the id wrangler dev uses", (uniqueKey, name, id) => {
    expect(idFromName(uniqueKey, name)).toBe(id);
  });

  it("is 64 lowercase hex characters and differs by name and by class", () => {
    expect(idFromName("a", "x")).toMatch(/^[0-9a-f]{64}$/);
    expect(idFromName("a", "x")).not.toBe(idFromName("a", "y"));
    expect(idFromName("a", "x")).not.toBe(idFromName("b", "x"));
  });
});

describe("objectDatabasePath", () => {
  it("places each product's database as wrangler dev does", () => {
    expect(objectDatabasePath("/state/v3", "r2", "R2")).toBe(
      join("/state/v3", "r2", "miniflare-R2BucketObject", "b4515922a10dd69008860d9d5bec41a711ea99c19a5a076251ca5ba63789faab.sqlite"),
    );
    expect(objectDatabasePath("/state/v3", "d1", "D1")).toBe(
      join("/state/v3", "d1", "miniflare-D1DatabaseObject", "43f24c89f0e12f933cdd01f76db89f68337b8866236eeb99eb051c0ffd4bbc25.sqlite"),
    );
  });
});
