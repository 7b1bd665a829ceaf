import type { Exchange } from "./exchange.js";

/** The path of the health check. A leading underscore is not allowed in a bucket name, so it can never shadow an S3 request. */
export const HEALTH_PATH = "/_cellar/health";

/** `GET /_cellar/health`: 200 with the root and engine, so a script can wait for the server to be up. */
export function handleHealth({ request, response, context }: Exchange): void {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", "content-type": "application/json" }).end(JSON.stringify({ status: "error", message: "method not allowed" }));
    return;
  }
  const body = JSON.stringify({ status: "ok", root: context.state.root ?? null, engine: context.state.engine.name });
  response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  response.end(request.method === "HEAD" ? undefined : body);
}
