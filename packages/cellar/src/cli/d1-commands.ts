import { createWriteStream } from "node:fs";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { exportD1, importD1, splitStatements } from "@cellar/d1";
import { UsageError } from "./cli-errors.js";
import { write, writeJson } from "./cli-io.js";
import { openInput, type CommandInput } from "./file-input.js";
import { createProgress } from "./cli-io.js";
import { positionals, required, type CommandContext } from "./run-cli.js";

function formatTable(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return "";
  const columns = Object.keys(rows[0]!);
  const cell = (value: unknown): string => (value === null ? "NULL" : Array.isArray(value) ? `x'${Buffer.from(value as number[]).toString("hex")}'` : String(value));
  return [columns.join("\t"), ...rows.map((row) => columns.map((column) => cell(row[column])).join("\t"))].map((line) => `${line}\n`).join("");
}

/** Runs a SQL file (or standard input) as one transaction, with a progress line for large inputs. */
async function importWithProgress(context: CommandContext, db: Parameters<typeof importD1>[0], file: string): Promise<Awaited<ReturnType<typeof importD1>>> {
  const input: CommandInput = await openInput(file, context.io.stdin);
  try {
    const progress = createProgress(context.io, file === "-" ? "stdin" : file, input.size);
    let reported = 0;
    const result = await importD1(db, input.nodeStream(), {
      onProgress: ({ bytes }) => {
        progress.advance(bytes - reported);
        reported = bytes;
      },
    });
    progress.done();
    return result;
  } finally {
    await input.dispose();
  }
}

/** `cellar d1 execute|export|import`. */
export async function runD1(context: CommandContext): Promise<void> {
  const { io, values, json } = context;
  const databaseId = required(context, "database");
  positionals(context, []);
  const db = context.state.d1(databaseId);
  switch (context.subcommand) {
    case "execute": {
      const sql = values.command;
      const file = values.file;
      if ((sql === undefined) === (file === undefined)) throw new UsageError(`"cellar d1 execute" needs exactly one of --command and --file`, "d1");
      if (file !== undefined) {
        const result = await importWithProgress(context, db, file);
        if (json) await writeJson(io, { statements: result.statements, bytes: result.bytes, duration: result.duration });
        else await write(io.stdout, `Executed ${result.statements} statements from ${file} (one transaction)\n`);
        return;
      }
      // Statements run as one batch, so they commit together or not at all, as wrangler d1 execute does.
      const statements = splitStatements(sql!).statements.map((span) => sql!.slice(span.contentStart, span.end));
      if (statements.length === 0) throw new UsageError("--command holds no SQL statement", "d1");
      const results = await db.batch<Record<string, unknown>>(statements.map((statement) => db.prepare(statement)));
      if (json) {
        await writeJson(io, results.map((result) => ({ results: result.results, meta: { changes: result.meta.changes, last_row_id: result.meta.last_row_id, duration: result.meta.duration } })));
        return;
      }
      const text = results
        .map((result) => (result.results.length > 0 ? formatTable(result.results) : `OK (${result.meta.changes} rows changed)\n`))
        .join("\n");
      await write(io.stdout, text);
      return;
    }
    case "export": {
      const tables = values.table ?? [];
      const chunks = Readable.from(exportD1(db, { noSchema: values["no-schema"] === true, noData: values["no-data"] === true, ...(tables.length > 0 ? { tables } : {}) }));
      const output = values.output;
      if (output === undefined) await pipeline(chunks, new Writable({ write: (chunk, _encoding, done) => void io.stdout.write(chunk, done) }));
      else {
        await pipeline(chunks, createWriteStream(output));
        if (json) await writeJson(io, { database: databaseId, output });
        else await write(io.stdout, `Exported database "${databaseId}" to ${output}\n`);
      }
      return;
    }
    default: {
      const file = required(context, "file");
      const result = await importWithProgress(context, db, file);
      if (json) await writeJson(io, { statements: result.statements, bytes: result.bytes, duration: result.duration });
      else await write(io.stdout, `Imported ${result.statements} statements (${result.bytes} bytes) into database "${databaseId}"\n`);
    }
  }
}
