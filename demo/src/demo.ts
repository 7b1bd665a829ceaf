/**
 * The foundation demo: writes and reads through every backend combination and prints what it did.
 *
 * For each blob store (memory, files) and SQL engine (better-sqlite3, sql.js; in memory and in a
 * file) it follows the write protocol every cellar gateway uses: stream the value into the blob
 * store, commit a row pointing at it in one transaction, flush, read it back (whole and ranged),
 * replace it (deleting the old blob after the commit), then sweep an orphan blob.
 * Then it runs every gateway (KV, R2, D1, Cache, a Durable Object) on files in the layout
 * `wrangler dev` uses. File-backed state lives in `./.cellar/demo` and survives between runs.
 */
import { mkdir, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { BlobStore } from "@cellar/blob-store";
import { createFsBlobStore } from "@cellar/blob-store-fs";
import { createMemoryBlobStore } from "@cellar/blob-store-memory";
import { migrate, type SqlDatabase, type SqlEngine } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { createWasmEngine } from "@cellar/metadata-store-wasm";
import { runGateways } from "./gateways.ts";

// `pnpm demo` runs this file in its own package directory; INIT_CWD is where the user ran it.
const root = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? ".cellar/demo");
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Combination {
  readonly label: string;
  readonly blobs: () => BlobStore;
  readonly engine: SqlEngine;
  readonly location: string;
}

const schema = [
  {
    version: 1,
    name: "create entries",
    up: "CREATE TABLE entries (key TEXT PRIMARY KEY, blob_id TEXT NOT NULL, size INTEGER NOT NULL, written_at INTEGER NOT NULL)",
  },
];

async function main(): Promise<void> {
  await mkdir(root, { recursive: true });
  const native = createSqliteEngine();
  const wasm = await createWasmEngine();
  // Memory blobs pair with in-memory databases and file blobs with database files, so every
  // row always points at a blob that still exists on the next run.
  const combinations: Combination[] = [
    { label: "memory blobs + better-sqlite3 :memory:", blobs: () => createMemoryBlobStore(), engine: native, location: ":memory:" },
    { label: "memory blobs + sql.js :memory:", blobs: () => createMemoryBlobStore(), engine: wasm, location: ":memory:" },
    ...(["native", "wasm"] as const).map((name) => ({
      label: `file blobs + ${name === "native" ? "better-sqlite3" : "sql.js"} file`,
      blobs: () => createFsBlobStore({ root: join(root, name, "blobs") }),
      engine: name === "native" ? native : wasm,
      location: join(root, name, "entries.sqlite"),
    })),
  ];
  await Promise.all(["native", "wasm"].map((name) => mkdir(join(root, name), { recursive: true })));
  console.log(`cellar foundation demo — state in ${root}\n`);
  for (const combination of combinations) await runOne(combination);
  console.log("\nEvery combination wrote, read, replaced and swept through the same interfaces.");
  const files = await readdir(join(root, "native", "blobs"));
  console.log(`\nBlob files in ${join(root, "native", "blobs")} (read-only; the key is encoded into the name):`);
  for (const file of files.filter((name) => !name.startsWith(".")).slice(-3)) console.log(`  ${file}`);

  const stateRoot = join(root, "v3");
  console.log(`\nThe gateways, on files and better-sqlite3, in wrangler dev's layout (${stateRoot}):`);
  await runGateways(stateRoot, native);
}

async function runOne({ label, blobs: createBlobs, engine, location }: Combination): Promise<void> {
  const blobs = createBlobs();
  const db = engine.open(location);
  try {
    migrate(db, schema);
    const previous = db.prepare<{ n: number }>("SELECT count(*) AS n FROM entries").get()?.n ?? 0;
    const key = `greetings/Hello World ${new Date().toISOString()}.txt`;
    const first = await putEntry(db, blobs, key, "Hello from cellar! This value streamed into a blob.");
    const whole = decoder.decode((await readEntry(db, blobs, key)) ?? new Uint8Array());
    const ranged = decoder.decode((await readEntry(db, blobs, key, { start: 0, end: 9 })) ?? new Uint8Array());
    await putEntry(db, blobs, key, "Replaced: the old blob is deleted after the commit.");
    const oldBlobGone = (await blobs.stat(first)) === null;
    const orphan = await blobs.put(encoder.encode("an orphan from a crashed write"), { userId: "orphan" });
    const referenced = new Set(db.prepare<{ blob_id: string }>("SELECT blob_id FROM entries").all().map((row) => row.blob_id));
    const swept = await blobs.sweep({ olderThan: Date.now() + 1, isReferenced: (id) => referenced.has(id) });
    const rows = db.prepare<{ n: number }>("SELECT count(*) AS n FROM entries").get()?.n ?? 0;
    console.log(
      `✔ ${label.padEnd(40)} read ${JSON.stringify(whole.slice(0, 16) + "…")}, range 0-9 ${JSON.stringify(ranged)}, ` +
        `old blob deleted: ${oldBlobGone}, orphan swept: ${swept.deletedBlobs === 1 && (await blobs.stat(orphan)) === null}, ` +
        `rows: ${rows} (${previous} from earlier runs)`,
    );
  } finally {
    db.close();
    await blobs.close();
  }
}

/** The write protocol: blob first, then the row in one transaction, then drop the replaced blob. */
async function putEntry(db: SqlDatabase, blobs: BlobStore, key: string, value: string): Promise<string> {
  const body = new Blob([value]).stream();
  const blobId = await blobs.put(body, { userId: key });
  let replaced: string | undefined;
  try {
    db.transaction(() => {
      replaced = db.prepare<{ blob_id: string }>("SELECT blob_id FROM entries WHERE key = ?").get(key)?.blob_id;
      db.prepare("INSERT OR REPLACE INTO entries (key, blob_id, size, written_at) VALUES (?, ?, ?, ?)").run(
        key,
        blobId,
        encoder.encode(value).byteLength,
        Date.now(),
      );
    });
    await db.flush();
  } catch (error) {
    await blobs.delete(blobId);
    throw error;
  }
  if (replaced !== undefined) await blobs.delete(replaced);
  return blobId;
}

async function readEntry(
  db: SqlDatabase,
  blobs: BlobStore,
  key: string,
  range?: { start: number; end: number },
): Promise<Uint8Array | null> {
  const row = db.prepare<{ blob_id: string }>("SELECT blob_id FROM entries WHERE key = ?").get(key);
  return row === undefined ? null : blobs.getBytes(row.blob_id, range);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
