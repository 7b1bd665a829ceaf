import type { Exchange } from "../exchange.js";

/**
 * Answers an S3 API request, path-style. `path` is the request path with any mount prefix
 * removed: `/` (ListBuckets), `/<bucket>` or `/<bucket>/<key>`, still percent-encoded.
 */
export async function handleS3Request({ response }: Exchange, _path: string): Promise<void> {
  response.writeHead(501).end();
}
