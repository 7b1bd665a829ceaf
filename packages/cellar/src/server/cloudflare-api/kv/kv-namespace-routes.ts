import { API_ERROR_CODES } from "../api-error-codes.js";
import { CloudflareApiError } from "../api-error.js";
import type { ApiRequest } from "../api-route.js";
import { sendResult } from "../api-response.js";
import { pageOf, sortIds, type PagingRules } from "../page-params.js";
import { readJsonBody } from "../read-body.js";
import { kvPayloadTooLarge, malformedJson, namespaceNotFound } from "./kv-api-errors.js";
import { createNamespace, namespaceExists, namespaceInfo } from "./kv-namespaces.js";

/** The KV API's paging of namespaces: 20 per page by default, 5 to 100. */
const NAMESPACE_PAGING: PagingRules = {
  defaultPerPage: 20,
  minPerPage: 5,
  maxPerPage: 100,
  badPage: (value) => new CloudflareApiError(400, API_ERROR_CODES.kvMalformedPage, `malformed page argument: ${JSON.stringify(value)}`),
  badPerPage: (value) =>
    new CloudflareApiError(400, API_ERROR_CODES.kvMalformedPerPage, `malformed per_page argument: ${JSON.stringify(value)} (an integer from 5 to 100)`),
};

/** A namespace-creation body is a title: a few bytes. */
const MAX_SMALL_BODY_BYTES = 64 * 1024;

/** `GET /namespaces?page&per_page&order&direction`: the namespaces this state knows, paged. */
export async function listNamespaces(request: ApiRequest): Promise<void> {
  // `order` may be `id` or `title`; they are the same string here.
  const ids = sortIds(request.state.names("kv"), request.query.get("direction"));
  const page = pageOf(ids, request.query, NAMESPACE_PAGING);
  sendResult(request, page.items.map(namespaceInfo), page.resultInfo);
}

/** `POST /namespaces {"title"}`: creates the namespace whose id is the title. */
export async function createNamespaceRoute(request: ApiRequest): Promise<void> {
  const body = await readJsonBody(request.exchange.request, {
    maxBytes: MAX_SMALL_BODY_BYTES,
    tooLarge: (bytes) => kvPayloadTooLarge(`Request body of ${bytes} bytes exceeds limit of ${MAX_SMALL_BODY_BYTES}.`),
    malformed: malformedJson,
  });
  const title = typeof body === "object" && body !== null ? (body as { title?: unknown }).title : undefined;
  if (typeof title !== "string" || title === "") throw new CloudflareApiError(400, API_ERROR_CODES.kvMissingTitle, "missing title");
  sendResult(request, await createNamespace(request.state, title));
}

/** `GET /namespaces/:namespace_id`. */
export async function getNamespace(request: ApiRequest): Promise<void> {
  const id = request.params.namespace_id!;
  if (!namespaceExists(request.state, id)) throw namespaceNotFound();
  sendResult(request, namespaceInfo(id));
}
