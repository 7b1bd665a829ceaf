import { splitStatements } from "@cellar/metadata-store";
import type { D1Core } from "./d1-core.js";
import { D1QueryFailure } from "./d1-errors.js";
import type { D1ExecResult } from "./d1-types.js";
import type { D1Query } from "./request-executor.js";

/** The pieces `exec` runs, with the 1-based line each starts on in the caller's text. */
interface ExecPiece {
  readonly sql: string;
  readonly line: number;
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/**
 * D1's split: the trimmed text cut at every `\n`, each line one query. Line numbers count from
 * the start of the caller's text (Q1: workerd always says "line 1").
 */
function lines(query: string): ExecPiece[] {
  const trimmed = query.trim();
  const firstLine = 1 + countNewlines(query, query.length - query.trimStart().length);
  return trimmed.split("\n").map((sql, i) => ({ sql, line: firstLine + i }));
}

/** SQLite's split on `;`, so statements may span lines; each piece starts at its first token. */
function statements(query: string): ExecPiece[] {
  return splitStatements(query).statements.map((span) => ({
    sql: query.slice(span.contentStart, span.end),
    line: 1 + countNewlines(query, span.contentStart),
  }));
}

/**
 * `db.exec(query)`: every piece in one transaction; nothing is kept if one fails, and the error
 * names its line: `D1_EXEC_ERROR: Error in line <n>: <text>: <error>`.
 */
export async function execQuery(core: D1Core, query: string, splitting: "lines" | "statements"): Promise<D1ExecResult> {
  const text = String(query);
  const pieces = splitting === "lines" ? lines(text) : statements(text);
  const queries: D1Query[] = pieces.map((piece) => ({ sql: piece.sql, params: [] }));
  let outcome;
  try {
    outcome = await core.request(queries);
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    const index = error instanceof D1QueryFailure ? (error.queryIndex ?? 0) : 0;
    const piece = pieces[index] ?? { sql: "", line: 1 };
    const message = `Error in line ${piece.line}: ${piece.sql}: ${failure}`;
    throw new Error(`D1_EXEC_ERROR: ${message}`, { cause: new Error(message) });
  }
  if (outcome.kind === "export") return { count: 1, duration: 0 };
  let duration = 0;
  for (const result of outcome.results) duration += result.duration;
  return { count: outcome.results.length, duration };
}
