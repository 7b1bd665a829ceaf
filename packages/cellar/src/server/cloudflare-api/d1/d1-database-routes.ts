import type { ApiRequest } from "../api-route.js";
import { sendResult } from "../api-response.js";
import { pageOf, sortIds, type PagingRules } from "../page-params.js";
import { readJsonBody } from "../read-body.js";
import { databaseNotFound, malformedD1Request } from "./d1-api-errors.js";
import { createDatabase, databaseExists, databaseInfo } from "./d1-databases.js";

/** D1's paging of databases: 1000 per page by default, 10 to 10,000. */
const DATABASE_PAGING: PagingRules = {
  defaultPerPage: 1000,
  minPerPage: 10,
  maxPerPage: 10_000,
  badPage: (value) => malformedD1Request(`page must be a positive integer, got ${JSON.stringify(value)}.`),
  badPerPage: (value) => malformedD1Request(`per_page must be an integer from 10 to 10000, got ${JSON.stringify(value)}.`),
};

/** A creation body is a name: a few bytes. */
const MAX_SMALL_BODY_BYTES = 64 * 1024;

/** `GET /database?name&page&per_page`: the databases this state knows, `name` matching as a substring. */
export async function listDatabases(request: ApiRequest): Promise<void> {
  const name = request.query.get("name");
  const ids = sortIds(request.state.names("d1"), null).filter((id) => name === null || id.includes(name));
  const page = pageOf(ids, request.query, DATABASE_PAGING);
  const items = await Promise.all(page.items.map((id) => databaseInfo(request.state, id, false)));
  sendResult(request, items, page.resultInfo);
}

/** `POST /database {"name"}`: creates the database whose id is the name. */
export async function createDatabaseRoute(request: ApiRequest): Promise<void> {
  const body = await readJsonBody(request.exchange.request, {
    maxBytes: MAX_SMALL_BODY_BYTES,
    tooLarge: (bytes) => malformedD1Request(`a body of ${bytes} bytes exceeds the limit of ${MAX_SMALL_BODY_BYTES}.`),
    malformed: (detail) => malformedD1Request(`the body is not valid JSON (${detail}).`),
  });
  const name = typeof body === "object" && body !== null ? (body as { name?: unknown }).name : undefined;
  if (typeof name !== "string" || name === "") throw malformedD1Request("name must be a non-empty string.");
  sendResult(request, await createDatabase(request.state, name));
}

/** `GET /database/:database_id`: the database with its table count and size. */
export async function getDatabase(request: ApiRequest): Promise<void> {
  const id = request.params.database_id!;
  if (!databaseExists(request.state, id)) throw databaseNotFound(id);
  sendResult(request, await databaseInfo(request.state, id, true));
}
