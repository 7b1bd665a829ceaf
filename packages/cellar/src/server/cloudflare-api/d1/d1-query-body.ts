import { malformedD1Request } from "./d1-api-errors.js";

/** One SQL text of a query request, with the values for its placeholders. */
export interface D1QueryText {
  readonly sql: string;
  readonly params: readonly unknown[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function queryText(value: unknown, where: string): D1QueryText {
  if (!isRecord(value)) throw malformedD1Request(`${where} must be an object with sql and params.`);
  const { sql, params } = value;
  if (typeof sql !== "string") throw malformedD1Request(`${where}.sql must be a string.`);
  if (params !== undefined && params !== null && !Array.isArray(params)) throw malformedD1Request(`${where}.params must be an array.`);
  return { sql, params: params ?? [] };
}

/**
 * The texts of `POST /query` or `/raw`: `{ sql, params? }`, or `{ batch: [{ sql, params? }, …] }`.
 * Values are bound as D1 binds them (strings, numbers, booleans, null; an array of bytes is a BLOB);
 * D1 refuses anything else with its `D1_TYPE_ERROR`.
 */
export function parseQueryBody(body: unknown): D1QueryText[] {
  if (isRecord(body) && Array.isArray(body.batch)) {
    if (body.batch.length === 0) throw malformedD1Request("batch must hold at least one query.");
    return body.batch.map((item, index) => queryText(item, `batch[${index}]`));
  }
  return [queryText(body, "the body")];
}
