import type { D1PreparedStatement, D1Result } from "@cellar/d1";
import type { ApiRequest } from "../api-route.js";
import { sendResult } from "../api-response.js";
import { readJsonBody, type JsonBodyErrors } from "../read-body.js";
import { d1QueryError, malformedD1Request } from "./d1-api-errors.js";
import { parseQueryBody } from "./d1-query-body.js";
import { prepareStatements } from "./d1-statements.js";

/** D1 limits each statement to 100,000 bytes and 100 parameters; a body far past that is not a query. */
const MAX_QUERY_BODY_BYTES = 32 * 1024 * 1024;

const BODY_ERRORS: JsonBodyErrors = {
  maxBytes: MAX_QUERY_BODY_BYTES,
  tooLarge: (bytes) => malformedD1Request(`a body of ${bytes} bytes exceeds the limit of ${MAX_QUERY_BODY_BYTES}.`),
  malformed: (detail) => malformedD1Request(`the body is not valid JSON (${detail}).`),
};

/**
 * Runs every statement of the request in one D1 batch: one transaction, so a failing statement
 * leaves the database as it was, and one result per statement, in order. A database id not used
 * yet is created, as `wrangler d1 execute --local` creates it: locally a database exists as soon
 * as it is bound.
 */
async function runRequest(request: ApiRequest): Promise<D1Result<Record<string, unknown>>[]> {
  const texts = parseQueryBody(await readJsonBody(request.exchange.request, BODY_ERRORS));
  const database = request.state.d1(request.params.database_id!);
  try {
    const statements: D1PreparedStatement[] = texts.flatMap((text) => prepareStatements(database, text));
    return await database.batch<Record<string, unknown>>(statements);
  } catch (error) {
    throw d1QueryError(error);
  }
}

/** `POST /query {sql, params}` or `{batch}`: `[{ results: [row objects], success, meta }]`, one per statement. */
export async function queryDatabase(request: ApiRequest): Promise<void> {
  const results = await runRequest(request);
  sendResult(
    request,
    results.map(({ results: rows, success, meta }) => ({ results: rows, success, meta })),
  );
}

/**
 * `POST /raw`: as `/query`, with rows as arrays: `[{ results: { columns, rows }, success, meta }]`.
 * The columns are read from the first row, so a statement without rows reports none.
 */
export async function queryDatabaseRaw(request: ApiRequest): Promise<void> {
  const results = await runRequest(request);
  sendResult(
    request,
    results.map(({ results: rows, success, meta }) => {
      const columns = rows[0] === undefined ? [] : Object.keys(rows[0]);
      return { results: { columns, rows: rows.map((row) => columns.map((column) => row[column])) }, success, meta };
    }),
  );
}
