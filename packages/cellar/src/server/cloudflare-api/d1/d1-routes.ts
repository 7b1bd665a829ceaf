import type { ApiRoute } from "../api-route.js";
import { createDatabaseRoute, getDatabase, listDatabases } from "./d1-database-routes.js";
import { queryDatabase, queryDatabaseRaw } from "./d1-query-routes.js";

const DATABASES = "/accounts/:account_id/d1/database";
const DATABASE = `${DATABASES}/:database_id`;

/**
 * D1 in the shape of Cloudflare's API (`/accounts/:account_id/d1/database/...`). Any account id is
 * accepted. Deleting, exporting, importing and time travel are not offered.
 */
export const D1_ROUTES: readonly ApiRoute[] = [
  { pattern: DATABASES, methods: { GET: listDatabases, POST: createDatabaseRoute } },
  { pattern: DATABASE, methods: { GET: getDatabase } },
  { pattern: `${DATABASE}/query`, methods: { POST: queryDatabase } },
  { pattern: `${DATABASE}/raw`, methods: { POST: queryDatabaseRaw } },
];
