import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { CellarState } from "../open-state.js";
import { handleCloudflareApiRequest } from "./cloudflare-api/handle-api-request.js";
import type { Exchange, S3Credentials, ServerContext } from "./exchange.js";
import { handleHealth, HEALTH_PATH } from "./health.js";
import { handleS3Request } from "./s3/handle-s3-request.js";

/** Where the Cloudflare-API-shaped endpoints live: the same path as on `api.cloudflare.com`. */
export const CLOUDFLARE_API_PREFIX = "/client/v4";

export interface ServeOptions {
  /** The state to expose. The server never closes it: whoever opened it does. */
  readonly state: CellarState;
  /** Interface to listen on. Default `127.0.0.1`: the server has no authentication, keep it local. */
  readonly host?: string;
  /** Port to listen on; `0` picks a free one. Default `8787`. */
  readonly port?: number;
  /** Time source for presigned-URL expiry, in epoch ms. Default `Date.now`. */
  readonly clock?: { now(): number };
  /** Require S3 requests signed with these credentials (SigV4). Default: accept any signature. */
  readonly s3Credentials?: S3Credentials;
}

/** How long `close()` lets requests in flight finish before cutting their connections. */
const CLOSE_GRACE_MS = 5_000;

/** A running `cellar serve`. */
export interface CellarServer {
  /** `http://<host>:<port>`: the S3 endpoint, and the origin of `/client/v4` and `/_cellar/health`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /**
   * Stops accepting connections and resolves once the requests in flight have been answered, or
   * after 5 s, when the connections still busy are cut.
   */
  close(): Promise<void>;
}

/** Where newer `wrangler dev` serves its local S3 API; mirrored so clients set up for it work unchanged. */
export const WRANGLER_S3_PREFIX = "/cdn-cgi/local/r2/s3";

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Which handler answers a path: the health check, the Cloudflare API shape, or S3 for everything else. */
function route(exchange: Exchange): Promise<void> | void {
  const path = exchange.url.pathname;
  if (path === HEALTH_PATH) return handleHealth(exchange);
  if (under(path, CLOUDFLARE_API_PREFIX)) return handleCloudflareApiRequest(exchange, path.slice(CLOUDFLARE_API_PREFIX.length));
  if (under(path, WRANGLER_S3_PREFIX)) return handleS3Request(exchange, path.slice(WRANGLER_S3_PREFIX.length) || "/");
  return handleS3Request(exchange, path);
}

/**
 * The last resort for an error a handler did not answer itself: a 500 if nothing was sent yet,
 * otherwise the connection is cut so the client sees a truncated body rather than a silent one.
 */
function answerUnexpected(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy(error instanceof Error ? error : new Error(String(error)));
    return;
  }
  const body = JSON.stringify({ error: { message: error instanceof Error ? error.message : String(error) } });
  response.writeHead(500, { "content-type": "application/json", "content-length": Buffer.byteLength(body), connection: "close" }).end(body);
}

/**
 * Starts one HTTP server exposing a state: an S3-compatible API for its R2 buckets at the root,
 * KV and D1 in the shape of Cloudflare's REST API under `/client/v4`, and `/_cellar/health`.
 */
export async function startServer(options: ServeOptions): Promise<CellarServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8787;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  const context: ServerContext = { state: options.state, clock: options.clock ?? { now: () => Date.now() }, s3Credentials: options.s3Credentials };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(request.url ?? "/", "http://localhost");
    } catch (error) {
      answerUnexpected(response, error);
      return;
    }
    Promise.resolve()
      .then(() => route({ request, response, url, context }))
      .catch((error: unknown) => answerUnexpected(response, error));
  });
  // Large objects stream for as long as they take: no request timeout.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        // Requests in flight may finish for a while; a download that does not is cut, so closing
        // always ends.
        const deadline = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        server.close((error) => {
          clearTimeout(deadline);
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
