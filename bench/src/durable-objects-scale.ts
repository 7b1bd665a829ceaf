import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, unlinkSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { childNodeOptions } from "./child-node-options.ts";
import { reportComparison, reportFigure } from "./report.ts";
import { MiB } from "./sources.ts";

const ops = (count: number, ms: number): number => (count / ms) * 1000;

/**
 * Durable Objects at scale: `deleteAll()` of a directory namespace of `count` objects (tombstone,
 * schedule, one unlink per file) against a raw `unlinkSync` loop over as many files; and opening a
 * namespace with `count` scheduled alarms (each loaded and armed) against a raw better-sqlite3
 * `SELECT` of the same rows, time and RSS growth, each in a child process of its own.
 */
export async function benchDurableObjectsScale(count = 10_000): Promise<void> {
  await benchDeleteAll(count);
  await benchAlarmLoad(count);
}

async function benchDeleteAll(count: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cellar-bench-do-drop-"));
  try {
    const uniqueKey = "-BenchDrop";
    const ns = createDurableObjectNamespace({ uniqueKey, engine: createSqliteEngine(), directory: dir });
    // One real object file, copied: building the namespace is not what is measured.
    const template = ns.idFromName("template");
    await ns.get(template).storage.put("k", "v");
    await ns.close();
    const namespaceDir = join(dir, uniqueKey);
    // Kept outside the namespace directory, which each drop empties.
    const templateFile = join(dir, "template.sqlite");
    copyFileSync(join(namespaceDir, `${template}.sqlite`), templateFile);
    const fill = (target: string): void => {
      mkdirSync(target, { recursive: true });
      for (let i = 0; i < count; i++) copyFileSync(templateFile, join(target, `${ns.idFromName(`o${i}`)}.sqlite`));
    };
    // One round of each: filling 10,000 files dominates the section's time on a slow disk.
    fill(namespaceDir);
    const dropper = createDurableObjectNamespace({ uniqueKey, engine: createSqliteEngine(), directory: dir });
    let started = performance.now();
    await dropper.deleteAll();
    const ours = performance.now() - started;
    await dropper.close();
    if (readdirSync(namespaceDir).some((name) => name.endsWith(".sqlite") && name !== "metadata.sqlite")) throw new Error("deleteAll left files");

    const rawDir = join(dir, "raw");
    fill(rawDir);
    const names = readdirSync(rawDir);
    started = performance.now();
    for (const name of names) unlinkSync(join(rawDir, name));
    const raw = performance.now() - started;
    reportComparison({ name: `do deleteAll, ${count.toLocaleString("en-US")} objects (b-s3 files)`, unit: "files/s", ours: ops(count, ours), raw: ops(count, raw), rawLabel: "raw unlink" });
    reportFigure({ name: `do deleteAll, ${count.toLocaleString("en-US")} objects, time`, value: `${ours.toFixed(0)} ms (raw unlink ${raw.toFixed(0)} ms)` });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchAlarmLoad(count: number): Promise<void> {
  const child = fileURLToPath(new URL("./durable-objects-alarm-load-child.ts", import.meta.url));
  const run = async (mode: "ours" | "raw") => {
    const { stdout } = await promisify(execFile)(process.execPath, [...childNodeOptions(), child, mode, String(count)], { maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as { ms: number; rssDelta: number; baseline: number };
  };
  const ours = await run("ours");
  const raw = await run("raw");
  const label = `${count.toLocaleString("en-US")} alarms`;
  reportComparison({ name: `do open with ${label} scheduled (b-s3)`, unit: "rows/s", ours: ops(count, ours.ms), raw: ops(count, raw.ms), rawLabel: "raw SELECT" });
  reportFigure({
    name: `do open with ${label} scheduled, RSS`,
    value: `+${(ours.rssDelta / MiB).toFixed(1)} MiB in ${ours.ms.toFixed(0)} ms (raw SELECT +${(raw.rssDelta / MiB).toFixed(1)} MiB in ${raw.ms.toFixed(0)} ms; baseline ${(ours.baseline / MiB).toFixed(0)} MiB)`,
  });
}
