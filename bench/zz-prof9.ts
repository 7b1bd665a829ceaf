import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createD1Database } from "@cellar/d1";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { race } from "./src/report.ts";
const dir = mkdtempSync(join(tmpdir(), "prof-"));
const SCHEMA = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, score REAL)";
const sql = createSqliteEngine().open(join(dir, "d.sqlite"));
const db = createD1Database({ database: sql }); await db.exec(SCHEMA);
const raw = new Database(join(dir, "r.sqlite")); raw.pragma("journal_mode = WAL"); raw.pragma("synchronous = NORMAL"); raw.exec(SCHEMA);
const mode = process.argv[2];
if (mode === "d1ins") { const s = db.prepare("INSERT INTO users VALUES (?, ?, ?, ?)"); for (let i = 0; i < 30000; i++) await s.bind(i, "e", "n", i / 3).run(); }
else { sql.transaction(() => { const s = sql.prepare("INSERT INTO users VALUES (?, 'e', 'n', 1.5)"); for (let i = 0; i < 30000; i++) s.run(i); }); }
raw.transaction(() => { const s = raw.prepare("INSERT INTO users VALUES (?, 'e', 'n', 1.5)"); for (let i = 0; i < 30000; i++) s.run(i); })();
const ds = db.prepare("SELECT id, email, name, score FROM users WHERE id = ?");
const rs = raw.prepare("SELECT id, email, name, score FROM users WHERE id = ?");
const count = 5000;
const r = await race(5, async () => { for (let i = 0; i < count; i++) await ds.bind(count + i).first(); }, () => { for (let i = 0; i < count; i++) rs.get(count + i); });
console.log(mode, "ratio", (r.raw / r.ours).toFixed(2), r);
