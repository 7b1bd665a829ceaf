import type { ApiRoute } from "../api-route.js";
import { bulkDelete, bulkRead, bulkWrite } from "./kv-bulk-routes.js";
import { listKeys, readMetadata } from "./kv-key-routes.js";
import { createNamespaceRoute, getNamespace, listNamespaces } from "./kv-namespace-routes.js";
import { deleteValue, readValue, writeValue } from "./kv-value-routes.js";

const NAMESPACES = "/accounts/:account_id/storage/kv/namespaces";
const NAMESPACE = `${NAMESPACES}/:namespace_id`;

/**
 * Workers KV in the shape of Cloudflare's API (`/accounts/:account_id/storage/kv/...`). Any
 * account id is accepted. Renaming and deleting namespaces are not offered: a namespace's title is
 * its id here, and a state cannot drop a namespace's files (see the README).
 */
export const KV_ROUTES: readonly ApiRoute[] = [
  { pattern: NAMESPACES, methods: { GET: listNamespaces, POST: createNamespaceRoute } },
  { pattern: NAMESPACE, methods: { GET: getNamespace } },
  { pattern: `${NAMESPACE}/keys`, methods: { GET: listKeys } },
  { pattern: `${NAMESPACE}/values/*key_name`, methods: { GET: readValue, PUT: writeValue, DELETE: deleteValue } },
  { pattern: `${NAMESPACE}/metadata/*key_name`, methods: { GET: readMetadata } },
  { pattern: `${NAMESPACE}/bulk`, methods: { PUT: bulkWrite, DELETE: bulkDelete } },
  { pattern: `${NAMESPACE}/bulk/delete`, methods: { POST: bulkDelete } },
  { pattern: `${NAMESPACE}/bulk/get`, methods: { POST: bulkRead } },
];
