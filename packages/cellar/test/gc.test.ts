import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { objectDatabasePath } from "@cellar/metadata-store";
import { useTemporaryStates } from "./temporary-states.ts";
import { NAME_RECORD_FILE } from "../src/layout.ts";

const { tempRoot, open } = useTemporaryStates("cellar-gc");

/** A blob file in Miniflare's id format that no row references, created `ageMs` ago. */
function plantOrphan(directory: string, ageMs: number, bytes = 100): string {
  const id = randomBytes(32).toString("hex") + (Date.now() - ageMs).toString(16).padStart(16, "0");
  writeFileSync(join(directory, id), Buffer.alloc(bytes, 1));
  return id;
}

const HOUR = 3_600_000;

describe("gc", () => {
  it("collects namespaces it never opened, found from the files, and reports what it freed", async () => {
    const root = await tempRoot();
    let now = Date.now();
    const writer = await open({ root, clock: { now: () => now } });
    await writer.kv("sessions").put("short", "s", { expirationTtl: 60 });
    await writer.kv("sessions").put("long", "l");
    await writer.r2("BUCKET").put("o", "body");
    await writer.caches.default.put("https://x.test/", new Response("c", { headers: { "Cache-Control": "max-age=60" } }));
    await (await writer.caches.open("img")).put("https://x.test/i", new Response("i", { headers: { "Cache-Control": "max-age=3600" } }));
    await writer.close();

    const kvOrphan = plantOrphan(join(root, "kv", "sessions", "blobs"), 2 * HOUR, 123);
    const youngOrphan = plantOrphan(join(root, "kv", "sessions", "blobs"), 0, 50);
    plantOrphan(join(root, "r2", "BUCKET", "blobs"), 2 * HOUR, 7);
    now += 120_000;

    const collector = await open({ root, clock: { now: () => now } });
    const report = await collector.gc();
    expect(report.namespaces).toEqual([
      { product: "kv", name: "sessions", file: objectDatabasePath(root, "kv", "sessions"), expiredEntries: 1, orphanBlobs: 1, partialWrites: 0, freedBytes: 123 },
      { product: "r2", name: "BUCKET", file: objectDatabasePath(root, "r2", "BUCKET"), expiredEntries: 0, orphanBlobs: 1, partialWrites: 0, freedBytes: 7 },
      { product: "cache", name: "default", file: objectDatabasePath(root, "cache", "default"), expiredEntries: 1, orphanBlobs: 0, partialWrites: 0, freedBytes: 0 },
      { product: "cache", name: "named:img", file: objectDatabasePath(root, "cache", "named:img"), expiredEntries: 0, orphanBlobs: 0, partialWrites: 0, freedBytes: 0 },
    ]);
    expect(report.total).toEqual({ expiredEntries: 2, orphanBlobs: 2, partialWrites: 0, freedBytes: 130 });
    const kvBlobs = readdirSync(join(root, "kv", "sessions", "blobs"));
    expect(kvBlobs).not.toContain(kvOrphan);
    expect(kvBlobs).toContain(youngOrphan);
    // The live value and its blob survive; the expired one is gone with its blob.
    expect(kvBlobs).toHaveLength(2);
    expect(await collector.kv("sessions").get("long")).toBe("l");
    expect(await collector.kv("sessions").get("short")).toBeNull();
    expect(await (await collector.r2("BUCKET").get("o"))?.text()).toBe("body");

    // graceMs: 0 takes the young orphan too.
    const again = await collector.gc({ graceMs: 0 });
    expect(again.total).toMatchObject({ orphanBlobs: 1, freedBytes: 50 });
  });

  it("maps a name sanitisePath changed in a later process, from the name cellar recorded beside its blobs", async () => {
    const root = await tempRoot();
    const writer = await open({ root });
    await writer.kv("team:a").put("k", "v");
    await writer.kv("team?a").put("k", "shares the directory");
    await writer.r2("plain").put("o", "needs no record");
    await writer.close();
    expect(readFileSync(join(root, "kv", "team_a", NAME_RECORD_FILE), "utf8")).toBe("team:a\nteam?a\n");
    expect(existsSync(join(root, "r2", "plain", NAME_RECORD_FILE))).toBe(false);
    const orphan = plantOrphan(join(root, "kv", "team_a", "blobs"), 2 * HOUR);

    const stranger = await open({ root });
    expect(stranger.names("kv")).toEqual(["team:a", "team?a"]);
    const report = await stranger.gc();
    expect(report.namespaces.map(({ product, name, skipped }) => ({ product, name, skipped }))).toEqual([
      { product: "kv", name: expect.stringMatching(/^team[:?]a$/), skipped: undefined },
      { product: "kv", name: expect.stringMatching(/^team[:?]a$/), skipped: undefined },
      { product: "r2", name: "plain", skipped: undefined },
    ]);
    // Both namespaces share the blob directory; the orphan is referenced by neither.
    expect(report.total.orphanBlobs).toBe(1);
    expect(existsSync(join(root, "kv", "team_a", "blobs", orphan))).toBe(false);
    expect(await stranger.kv("team:a").get("k")).toBe("v");
    expect(await stranger.kv("team?a").get("k")).toBe("shares the directory");
  });

  it("skips a file whose name it cannot recover (written elsewhere, no record), unless this state used that name", async () => {
    const root = await tempRoot();
    const writer = await open({ root });
    await writer.kv("team:a").put("k", "v");
    await writer.close();
    // As if wrangler dev had written it: no record of the name.
    unlinkSync(join(root, "kv", "team_a", NAME_RECORD_FILE));
    const orphan = plantOrphan(join(root, "kv", "team_a", "blobs"), 2 * HOUR);

    const stranger = await open({ root });
    const blind = await stranger.gc();
    expect(blind.namespaces).toEqual([
      expect.objectContaining({ product: "kv", file: objectDatabasePath(root, "kv", "team:a"), orphanBlobs: 0, skipped: expect.stringContaining("no blob directory maps") }),
    ]);
    expect(blind.namespaces[0]).not.toHaveProperty("name");
    expect(existsSync(join(root, "kv", "team_a", "blobs", orphan))).toBe(true);

    expect(await stranger.kv("team:a").get("k")).toBe("v");
    const informed = await stranger.gc();
    expect(informed.namespaces).toEqual([expect.objectContaining({ product: "kv", name: "team:a", orphanBlobs: 1, freedBytes: 100 })]);
    expect(existsSync(join(root, "kv", "team_a", "blobs", orphan))).toBe(false);
  });

  it("works in memory on the namespaces used, and on an empty root", async () => {
    let now = Date.now();
    const memory = await open({ clock: { now: () => now } });
    await memory.kv("a").put("k", "v", { expirationTtl: 60 });
    now += 61_000;
    expect((await memory.gc()).namespaces).toEqual([
      { product: "kv", name: "a", file: ":memory:", expiredEntries: 1, orphanBlobs: 0, partialWrites: 0, freedBytes: 0 },
    ]);
    const empty = await open({ root: await tempRoot() });
    expect(await empty.gc()).toEqual({ namespaces: [], total: { expiredEntries: 0, orphanBlobs: 0, partialWrites: 0, freedBytes: 0 } });
    await expect(empty.gc({ graceMs: -1 })).rejects.toThrow(TypeError);
  });
});
