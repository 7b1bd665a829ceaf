import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { openPersistedNamespace } from "./support/kv-child-namespace.ts";
import { runTsx } from "./support/spawn-tsx.ts";

const here = dirname(fileURLToPath(import.meta.url));
const COUNT = 600;

interface ChildReport {
  id: string;
  acknowledged: number;
  otherAcknowledged: number;
  mismatches: number;
  errors: string[];
  sharedWrites: string[];
  startedAt: number;
  finishedAt: number;
}

/** Runs tests/support/kv-writer-child.ts and returns the report on its last stdout line. */
async function runChild(args: readonly string[]): Promise<ChildReport> {
  const { code, stdout, stderr } = await runTsx(join(here, "support", "kv-writer-child.ts"), args, { cwd: here });
  if (code !== 0) throw new Error(`child ${args[1]} exited with ${code}: ${stderr}`);
  return JSON.parse(stdout.trim().split("\n").pop()!) as ChildReport;
}

it("lets two processes write one persisted namespace: no error, every acknowledged write readable by both (K10)", async () => {
  const root = await mkdtemp(join(tmpdir(), "cellar-kv-multi-"));
  try {
    // The first process creates the schema; both then race.
    const [a, b] = await Promise.all([runChild([root, "A", "B", String(COUNT)]), runChild([root, "B", "A", String(COUNT)])]);
    // The two processes really wrote at the same time.
    expect(a.startedAt).toBeLessThan(b.finishedAt);
    expect(b.startedAt).toBeLessThan(a.finishedAt);
    for (const report of [a, b]) {
      expect(report.errors).toEqual([]);
      expect(report.acknowledged).toBe(COUNT);
      expect(report.otherAcknowledged).toBe(COUNT);
      expect(report.mismatches).toBe(0);
    }
    const { kv, db, blobDirectory } = openPersistedNamespace(root);
    try {
      const read = await kv.get(Array.from({ length: 100 }, (_, i) => `A-${i * 2}`));
      expect([...read.values()].every((value) => typeof value === "string")).toBe(true);
      let listed = 0;
      let cursor: string | undefined;
      do {
        const page = await kv.list({ cursor });
        listed += page.keys.length;
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      expect(listed).toBe(2 * COUNT + 3);
      expect([...a.sharedWrites, ...b.sharedWrites]).toContain(await kv.get("shared"));
      // One blob per entry: every replaced blob was deleted by the process that replaced it.
      expect((await readdir(blobDirectory)).filter((name) => !name.startsWith("."))).toHaveLength(2 * COUNT + 3);
    } finally {
      await kv.close();
      db.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}, 60_000);
