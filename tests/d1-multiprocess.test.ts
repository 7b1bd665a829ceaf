import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createD1Database, d1DatabasePath } from "@cellar/d1";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";
import { runTsx, withoutNodeOptions, type TsxRun } from "./support/spawn-tsx.ts";

const childScript = join(import.meta.dirname, "support", "d1-child.ts");

/**
 * Run tests/support/d1-child.ts with `args` on the TypeScript sources. `onReady` is called when
 * the child prints "ready"; `go()` then lets it start.
 */
function runChild(args: string[], onReady?: (go: () => void) => void): Promise<TsxRun> {
  return runTsx(childScript, args, {
    env: withoutNodeOptions(),
    onSpawn: (child) => {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.startsWith("ready\n") && onReady !== undefined) {
          const ready = onReady;
          onReady = undefined;
          ready(() => child.stdin.end("go\n"));
        }
      });
    },
  });
}

let root: string;
let file: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "cellar-d1-mp-"));
  file = d1DatabasePath(join(root, "v3"), "DB");
  await mkdir(dirname(file), { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

it("two processes writing one D1 database wait for each other, succeed, and lose nothing", async () => {
  const sql = createSqliteEngine().open(file);
  const db = createD1Database({ database: sql });
  await db.exec("CREATE TABLE rows (writer TEXT NOT NULL, i INTEGER NOT NULL, PRIMARY KEY (writer, i));\nCREATE TABLE counter (n INTEGER NOT NULL);\nINSERT INTO counter VALUES (0);");
  const perWriter = 60;
  // This process reads through its own D1 database meanwhile.
  const reads: number[] = [];
  const count = db.prepare("SELECT count(*) AS n FROM rows");
  let reading = true;
  const reader = (async () => {
    while (reading) {
      reads.push((await count.first("n")) as number);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  // Both children start writing together, once both are ready.
  const gates: (() => void)[] = [];
  const onReady = (go: () => void): void => {
    gates.push(go);
    if (gates.length === 2) for (const open of gates) open();
  };
  const children = await Promise.all(["a", "b"].map((writer) => runChild(["write", "native", file, writer, String(perWriter)], onReady)));
  reading = false;
  await reader;
  const attempts: number[] = [];
  for (const child of children) {
    expect(child.stderr).toBe("");
    expect(child.code).toBe(0);
    attempts.push((JSON.parse(child.stdout.slice("ready\n".length)) as { attempts: number }).attempts);
  }
  // With a 1 ms engine busy timeout, some request had to wait the other process out by retrying.
  expect(Math.max(...attempts)).toBeGreaterThan(1);
  const bulkPerWriter = (perWriter / 10) * 1000;
  expect(await db.prepare("SELECT writer, count(*) AS n FROM rows GROUP BY writer ORDER BY writer").all()).toMatchObject({
    results: [
      { writer: "a", n: perWriter },
      { writer: "a-bulk", n: bulkPerWriter },
      { writer: "b", n: perWriter },
      { writer: "b-bulk", n: bulkPerWriter },
    ],
  });
  expect(await db.prepare("SELECT n FROM counter").first("n")).toBe(2 * perWriter);
  // Reads never went backwards, and they never failed.
  expect(reads.every((n, i) => i === 0 || n >= (reads[i - 1] as number))).toBe(true);
  sql.close();
}, 30_000);

for (const engineName of ["native", "wasm"] as const) {
  it(`writes through D1 on ${engineName === "native" ? "better-sqlite3" : "sql.js"} survive the process being killed once they resolve`, async () => {
    const engine = engineName === "native" ? createSqliteEngine() : await createWasmEngine();
    const setup = engine.open(file);
    createD1Database({ database: setup });
    setup.exec("CREATE TABLE rows (writer TEXT NOT NULL, i INTEGER NOT NULL)");
    setup.close();
    const child = await runChild(["write-kill", engineName, file, "k", "25"]);
    expect(child.stderr).toBe("");
    expect(child.stdout).toBe("done\n");
    expect(child.signal).toBe("SIGKILL");
    // Read as the next process would: the native engine recovers the WAL a killed writer left.
    const reader = createSqliteEngine().open(file);
    try {
      expect(reader.prepare("SELECT count(*) AS n, max(i) AS last FROM rows WHERE writer = 'k'").get()).toEqual({ n: 25, last: 24 });
    } finally {
      reader.close();
    }
  }, 30_000);
}
