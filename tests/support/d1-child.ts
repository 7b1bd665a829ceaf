/**
 * A child process for tests/d1-multiprocess.test.ts. Runs on TypeScript sources through tsx:
 *
 *   node --import tsx --conditions=@cellar/source d1-child.ts <mode> <engine> <file> <writer> <count>
 *
 * mode "write":      `count` requests through a D1 database on `file`, each a batch that inserts
 *                    (writer, i) and bumps a shared counter; every tenth holds the write lock
 *                    with 200 more inserts. The engine's busy timeout is tiny (5 ms), so waiting
 *                    out the other process is the D1 database's own retrying. Exits 0, or prints
 *                    the error and exits 1.
 * mode "write-kill": `count` single inserts, each awaited, then prints "done" and SIGKILLs itself
 *                    (no close, no exit hooks): what survives is what the resolved writes promised.
 */
import { createD1Database } from "@cellar/d1";
import type { SqlEngine } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";

const [mode, engineName, file, writer, countText] = process.argv.slice(2);
const count = Number(countText);

try {
  const engine: SqlEngine = engineName === "wasm" ? await createWasmEngine() : createSqliteEngine({ busyTimeoutMs: 1 });
  const db = createD1Database({ database: engine.open(file as string), busyRetryMs: 20_000 });
  if (mode === "write") {
    // Start together with the other writer: wait for the parent's go on stdin.
    process.stdout.write("ready\n");
    await new Promise((resolve) => process.stdin.once("data", resolve));
    process.stdin.pause();
    const insert = db.prepare("INSERT INTO rows (writer, i) VALUES (?, ?)");
    const bump = db.prepare("UPDATE counter SET n = n + 1");
    let attempts = 0;
    for (let i = 0; i < count; i++) {
      const batch = [insert.bind(writer, i), bump];
      if (i % 10 === 0) for (let j = 0; j < 1000; j++) batch.push(insert.bind(`${writer}-bulk`, i * 1000 + j));
      const results = await db.batch(batch);
      attempts = Math.max(attempts, Number(results[0]?.meta.total_attempts ?? 1));
    }
    process.stdout.write(`${JSON.stringify({ attempts })}\n`);
  } else if (mode === "write-kill") {
    const insert = db.prepare("INSERT INTO rows (writer, i) VALUES (?, ?)");
    for (let i = 0; i < count; i++) await insert.bind(writer, i).run();
    process.stdout.write("done\n", () => process.kill(process.pid, "SIGKILL"));
  } else {
    throw new Error(`unknown mode ${String(mode)}`);
  }
} catch (error) {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}
