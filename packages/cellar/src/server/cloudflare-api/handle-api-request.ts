import type { Exchange } from "../exchange.js";

/** Answers a request under `/client/v4`; `path` is the rest of the path (`/accounts/<id>/storage/kv/...`). */
export async function handleCloudflareApiRequest({ response }: Exchange, _path: string): Promise<void> {
  response.writeHead(501).end();
}
