import type { KVNamespace } from "@cloudflare/workers-types";
import { describe, expectTypeOf, it } from "vitest";
import type { CellarKVNamespace, SitesNamespace } from "../src/index.js";

// Type-level: `pnpm typecheck` fails if a cellar namespace stops being usable as a Workers
// `KVNamespace` binding (`env.MY_KV: KVNamespace`).
describe("types", () => {
  it("makes a cellar KV namespace assignable to the Workers KVNamespace", () => {
    expectTypeOf<CellarKVNamespace>().toExtend<KVNamespace>();
    const bind = (namespace: CellarKVNamespace): KVNamespace => namespace;
    expectTypeOf(bind).returns.toEqualTypeOf<KVNamespace>();
  });

  it("makes the Workers Sites namespace assignable to the Workers KVNamespace", () => {
    const bind = (namespace: SitesNamespace): KVNamespace => namespace;
    expectTypeOf(bind).parameter(0).toEqualTypeOf<SitesNamespace>();
  });

  it("types reads by their type argument", () => {
    expectTypeOf<ReturnType<CellarKVNamespace["delete"]>>().toEqualTypeOf<Promise<void>>();
    const reads = (kv: CellarKVNamespace) => ({
      text: kv.get("k"),
      json: kv.get<{ a: number }>("k", "json"),
      buffer: kv.get("k", "arrayBuffer"),
      bulk: kv.get(["a", "b"]),
    });
    expectTypeOf(reads).returns.toEqualTypeOf<{
      text: Promise<string | null>;
      json: Promise<{ a: number } | null>;
      buffer: Promise<ArrayBuffer | null>;
      bulk: Promise<Map<string, string | null>>;
    }>();
  });
});
