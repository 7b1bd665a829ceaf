import type { Exchange } from "../exchange.js";
import type { S3Error } from "./s3-error.js";
import { buildXml } from "./s3-xml.js";

/**
 * Answers an `S3Error` as S3 does: `<Error><Code>…</Code><Message>…</Message>…</Error>` with its
 * status; a HEAD answer carries the status alone, so SDKs name it from the status (`NotFound`).
 * If the headers are already out (an object body failed mid-stream), the connection is cut so
 * the client sees a truncated body rather than a complete-looking one.
 */
export function sendS3Error(exchange: Exchange, error: S3Error, resource: string, requestId: string): void {
  const { request, response } = exchange;
  if (response.headersSent) {
    response.destroy(error);
    return;
  }
  const body = buildXml("Error", { Code: error.code, Message: error.message, ...error.fields, Resource: resource, RequestId: requestId }, { namespace: false });
  const headers = { ...error.headers, "x-amz-request-id": requestId, "content-type": "application/xml" };
  // A body still arriving is read and dropped, so the client can finish sending and read the error.
  if (!request.complete) request.resume();
  if (request.method === "HEAD") {
    response.writeHead(error.status, { ...headers, "content-length": 0 }).end();
  } else {
    response.writeHead(error.status, { ...headers, "content-length": Buffer.byteLength(body) }).end(body);
  }
}
