import type { Exchange } from "../exchange.js";
import { API_ERROR_CODES } from "./api-error-codes.js";
import { CloudflareApiError } from "./api-error.js";
import { allowedMethods, findRoute, handlerFor } from "./api-router.js";
import type { ApiResponder } from "./api-response.js";
import { sendError } from "./api-response.js";
import { D1_ROUTES } from "./d1/d1-routes.js";
import { KV_ROUTES } from "./kv/kv-routes.js";

const ROUTES = [...KV_ROUTES, ...D1_ROUTES];

/** An error no handler turned into an API error: answered as a 500 in the envelope, or the connection cut mid-body. */
function answerUnexpected(target: ApiResponder, error: unknown): void {
  if (target.response.headersSent) {
    target.response.destroy(error instanceof Error ? error : new Error(String(error)));
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendError(target, new CloudflareApiError(500, API_ERROR_CODES.internal, `internal error: ${message}`, { cause: error }));
}

/**
 * Answers a request under `/client/v4` in the shape of Cloudflare's API; `path` is the rest of the
 * path (`/accounts/<id>/storage/kv/...`, `/accounts/<id>/d1/...`), still percent-encoded.
 */
export async function handleCloudflareApiRequest(exchange: Exchange, path: string): Promise<void> {
  const method = exchange.request.method ?? "GET";
  const target: ApiResponder = { response: exchange.response, head: method === "HEAD" };
  try {
    const { route, params } = findRoute(ROUTES, path, `/client/v4${path}`);
    if (method === "OPTIONS") {
      // No CORS headers on purpose: the server has no authentication, so browsers on other origins stay locked out.
      exchange.request.resume();
      exchange.response.writeHead(204, { allow: allowedMethods(route).join(", ") }).end();
      return;
    }
    const handler = handlerFor(route, method);
    await handler({ ...target, exchange, state: exchange.context.state, params, query: exchange.url.searchParams });
  } catch (error) {
    if (!exchange.request.readableEnded) exchange.request.resume();
    if (error instanceof CloudflareApiError && !exchange.response.headersSent) sendError(target, error);
    else answerUnexpected(target, error);
  }
}
