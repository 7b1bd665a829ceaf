import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { idFromName, objectDatabasePath } from "@cellar/metadata-store";
import { openState } from "../src/index.js";
import { useTemporaryStates } from "./temporary-states.ts";

const { tempRoot, open } = useTemporaryStates("cellar-state");

describe("openState in memory", () => {
  it("gives every product, the same instance per name, and nothing on disk", async () => {
    const state = await open({});
    expect(state.root).toBeUndefined();
    expect(state.kv("a")).toBe(state.kv("a"));
    expect(state.kv("a")).not.toBe(state.kv("b"));
    expect(state.r2("bucket")).toBe(state.r2("bucket"));
    expect(state.d1("DB")).toBe(state.d1("DB"));
    expect(state.caches).toBe(state.caches);
    expect(state.durableObjects("-Counter")).toBe(state.durableObjects("-Counter"));

    await state.kv("a").put("k", "v");
    expect(await state.kv("a").get("k")).toBe("v");
    expect(await state.kv("b").get("k")).toBeNull();
    await state.r2("bucket").put("o", "body");
    expect(await (await state.r2("bucket").get("o"))?.text()).toBe("body");
    await state.d1("DB").exec("CREATE TABLE t (a)");
    expect((await state.d1("DB").prepare("SELECT count(*) AS n FROM t").first("n"))).toBe(0);
    await state.caches.default.put("https://x.test/", new Response("hi", { headers: { "Cache-Control": "max-age=60" } }));
    expect(await (await state.caches.default.match("https://x.test/"))?.text()).toBe("hi");
    const counters = state.durableObjects("-Counter");
    await counters.get(counters.idFromName("c")).storage.put("n", 1);
    expect(await counters.get(counters.idFromName("c")).storage.get("n")).toBe(1);
  });

  it("closes everything once, and refuses use afterwards", async () => {
    const state = await open({});
    const kv = state.kv("a");
    await kv.put("k", "v");
    await state.close();
    await state.close();
    await expect(kv.get("k")).rejects.toThrow(/closed/);
    expect(() => state.kv("a")).toThrow("cellar state is closed");
    expect(() => state.caches).toThrow("cellar state is closed");
    await expect(state.gc()).rejects.toThrow("cellar state is closed");
  });

  it("rejects bad names and engines", async () => {
    const state = await open({});
    expect(() => state.kv("")).toThrow(TypeError);
    expect(() => state.r2(undefined as unknown as string)).toThrow(TypeError);
    await expect(openState({ engine: "postgres" as "native" })).rejects.toThrow(/engine must be "native" or "wasm"/);
  });
});

describe.each(["native", "wasm"] as const)("openState on a persist root (%s engine)", (engine) => {
  it("lays files out exactly as wrangler dev does", async () => {
    const root = await tempRoot();
    const state = await open({ root, engine });
    await state.kv("my kv:1").put("key", "value");
    await state.r2("BUCKET").put("a/b.txt", "object");
    await state.d1("DB").exec("CREATE TABLE t (a)");
    await state.caches.default.put("https://x.test/", new Response("hi", { headers: { "Cache-Control": "max-age=60" } }));
    await (await state.caches.open("images")).put("https://x.test/i", new Response("img", { headers: { "Cache-Control": "max-age=60" } }));
    const counters = state.durableObjects("-Counter");
    await counters.get(counters.idFromName("home")).storage.put("visits", 1);
    await state.close();

    expect(existsSync(objectDatabasePath(root, "kv", "my kv:1"))).toBe(true);
    expect(readdirSync(join(root, "kv", "my kv_1", "blobs"))).toHaveLength(1);
    expect(existsSync(join(root, "r2", "miniflare-R2BucketObject", "b4515922a10dd69008860d9d5bec41a711ea99c19a5a076251ca5ba63789faab.sqlite"))).toBe(false);
    expect(existsSync(objectDatabasePath(root, "r2", "BUCKET"))).toBe(true);
    expect(readdirSync(join(root, "r2", "BUCKET", "blobs"))).toHaveLength(1);
    expect(existsSync(join(root, "d1", "miniflare-D1DatabaseObject", `${idFromName("miniflare-D1DatabaseObject", "DB")}.sqlite`))).toBe(true);
    expect(existsSync(join(root, "cache", "miniflare-CacheObject", "9f458c07675338a7426a7b81ac4fb1baf92d034efbcaaf4336379640ed744ded.sqlite"))).toBe(true);
    expect(readdirSync(join(root, "cache", "default", "blobs"))).toHaveLength(1);
    expect(readdirSync(join(root, "cache", "named_images", "blobs"))).toHaveLength(1);
    expect(existsSync(join(root, "do", "-Counter", `${idFromName("-Counter", "home")}.sqlite`))).toBe(true);
    // metadata.sqlite (workerd's alarm index) exists in every class directory and stays empty.
    for (const directory of ["kv/miniflare-KVNamespaceObject", "r2/miniflare-R2BucketObject", "d1/miniflare-D1DatabaseObject", "cache/miniflare-CacheObject"]) {
      expect(existsSync(join(root, directory, "metadata.sqlite"))).toBe(true);
    }
    // Nothing cellar-specific leaks into the product directories.
    expect(readdirSync(join(root, "kv")).sort()).toEqual(["miniflare-KVNamespaceObject", "my kv_1"]);

    const again = await open({ root, engine });
    expect(await again.kv("my kv:1").get("key")).toBe("value");
    expect(await (await again.r2("BUCKET").get("a/b.txt"))?.text()).toBe("object");
    expect(await again.d1("DB").prepare("SELECT count(*) AS n FROM t").first("n")).toBe(0);
    expect(await (await again.caches.default.match("https://x.test/"))?.text()).toBe("hi");
    const reopened = again.durableObjects("-Counter");
    expect(await reopened.get(reopened.idFromName("home")).storage.get("visits")).toBe(1);
  });
});

describe("the multi-process warning", () => {
  it("warns, naming the file, when another connection holds a database open", async () => {
    const root = await tempRoot();
    const holder = await open({ root });
    await holder.kv("shared").put("k", "v");
    const warnings: string[] = [];
    const second = await open({ root, logger: { warn: (message) => warnings.push(message) } });
    expect(await second.kv("shared").get("k")).toBe("v");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${objectDatabasePath(root, "kv", "shared")} is open in another process`);
    expect(warnings[0]).toContain("BusyError");
    // Both connections keep working.
    await second.kv("shared").put("k", "w");
    expect(await holder.kv("shared").get("k")).toBe("w");
  });

  it("stays quiet for a file nobody holds, even with the -wal a killed process left", async () => {
    const root = await tempRoot();
    const file = objectDatabasePath(root, "kv", "alone");
    mkdirSync(dirname(file), { recursive: true });
    // A process that writes and exits without closing leaves -wal and -shm behind, as a kill does.
    const child = spawnSync(
      process.execPath,
      ["--conditions=@cellar/source", "--import", "tsx", "-e", `import { createSqliteEngine } from "@cellar/metadata-store-sqlite"; const db = createSqliteEngine().open(${JSON.stringify(file)}); db.exec("CREATE TABLE x (a)"); process.exit(0);`],
      { cwd: import.meta.dirname, encoding: "utf8" },
    );
    expect(child.stderr).toBe("");
    expect(existsSync(`${file}-wal`)).toBe(true);
    const warnings: string[] = [];
    const second = await open({ root, logger: { warn: (message) => warnings.push(message) } });
    expect(await second.kv("alone").get("k")).toBeNull();
    expect(warnings).toEqual([]);
  });
});
