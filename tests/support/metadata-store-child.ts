/**
 * A child process for the multi-process and kill tests (tests/metadata-store-multiprocess.test.ts,
 * tests/metadata-store-kill.test.ts). Runs on TypeScript sources through tsx:
 *
 *   node --import tsx --conditions=@cellar/source metadata-store-child.ts <mode> <engine> <file> <writer> <count>
 *
 * mode "write":      `count` short write transactions, each inserting (writer, i), then exit 0.
 * mode "flush-kill": `count` transactions, `await flush()`, print "flushed", then SIGKILL itself
 *                    (no close, no exit hooks): what survives is what flush() promised.
 * mode "exit":       `count` transactions, then `process.exit(0)` without flush() or close().
 */
import type { SqlEngine } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";

const [mode, engineName, file, writer, countText] = process.argv.slice(2);
const count = Number(countText);

const engine: SqlEngine = engineName === "wasm" ? await createWasmEngine() : createSqliteEngine();
const db = engine.open(file as string);
db.exec("CREATE TABLE IF NOT EXISTS rows (writer TEXT NOT NULL, i INTEGER NOT NULL, PRIMARY KEY (writer, i))");
const insert = db.prepare("INSERT INTO rows (writer, i) VALUES (?, ?)");
const count_ = db.prepare("SELECT count(*) AS n FROM rows WHERE writer = ?");

for (let i = 0; i < count; i++) {
  db.transaction(() => {
    insert.run(writer as string, i);
    count_.get(writer as string);
    // Now and then hold the write lock a little, so the writers really contend.
    if (i % 25 === 0) {
      const until = performance.now() + 2;
      while (performance.now() < until);
    }
  });
}

if (mode === "exit") {
  process.exit(0);
} else if (mode === "flush-kill") {
  await db.flush();
  process.stdout.write("flushed\n", () => process.kill(process.pid, "SIGKILL"));
} else {
  await db.flush();
  db.close();
}
