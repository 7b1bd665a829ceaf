import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { describe, expect, it } from "vitest";
import { createDurableObjectNamespace } from "@cellar/durable-objects";

describe("namespace", () => {
  it("opens only the objects used, caps open databases and reopens closed ones transparently", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cellar-do-ns-"));
    try {
      let now = 0;
      const ns = createDurableObjectNamespace({ uniqueKey: "-Many", engine: createSqliteEngine(), directory: dir, maxOpenDatabases: 8, clock: { now: () => now } });
      for (let i = 0; i < 2000; i++) await ns.get(ns.idFromName(`o${i}`)).storage.put("i", i);
      expect(ns.openDatabases).toBeLessThanOrEqual(8);
      expect((await readdir(join(dir, "-Many"))).filter((name) => name.endsWith(".sqlite"))).toHaveLength(2000);
      for (const i of [0, 999, 1999]) expect(await ns.get(ns.idFromName(`o${i}`)).storage.get("i")).toBe(i);
      // Idle objects close after idleCloseMs (default 10 s, as workerd evicts them).
      now += 10_000;
      await ns.get(ns.idFromName("o5")).storage.get("i");
      expect(ns.openDatabases).toBe(1);
      await ns.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("creates no file for an object until it is used, and keeps memory namespaces in memory", async () => {
    const dir = await mkdtemp(join(tmpdir(), "cellar-do-ns-"));
    try {
      const ns = createDurableObjectNamespace({ uniqueKey: "-Lazy", engine: createSqliteEngine(), directory: dir });
      const handle = ns.get(ns.newUniqueId());
      expect(existsSync(join(dir, "-Lazy"))).toBe(false);
      await handle.storage.get("x");
      expect(existsSync(join(dir, "-Lazy", `${handle.id.toString()}.sqlite`))).toBe(true);
      await ns.close();
      const memory = createDurableObjectNamespace({ uniqueKey: "-Mem", engine: createSqliteEngine() });
      await memory.get(memory.idFromName("a")).storage.put("k", 1);
      expect(await memory.get(memory.idFromName("a")).storage.get("k")).toBe(1);
      expect(memory.directory).toBeUndefined();
      await memory.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects a uniqueKey that would leave the persist directory", () => {
    for (const uniqueKey of ["", "..", "a/b", "a\\b"]) expect(() => createDurableObjectNamespace({ uniqueKey, engine: createSqliteEngine(), directory: "/tmp" })).toThrow(TypeError);
  });
});
