import { randomBytes } from "node:crypto";
import type { Exchange } from "../exchange.js";
import { authenticateS3Request } from "./auth/authenticate-s3-request.js";
import { r2ErrorToS3 } from "./r2-error-to-s3.js";
import { sendS3Error } from "./s3-error-response.js";
import { parseS3Target } from "./s3-target.js";
import { routeS3Operation } from "./route-s3-operation.js";

function resourceOf(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * Answers an S3 API request, path-style. `path` is the request path with any mount prefix
 * removed: `/` (ListBuckets), `/<bucket>` or `/<bucket>/<key>`, still percent-encoded.
 * Every failure is answered in S3's XML error format with a request id; errors thrown by R2 are
 * mapped to S3's codes.
 */
export async function handleS3Request(exchange: Exchange, path: string): Promise<void> {
  const requestId = randomBytes(8).toString("hex").toUpperCase();
  exchange.response.setHeader("x-amz-request-id", requestId);
  try {
    const signing = authenticateS3Request(exchange);
    await routeS3Operation({ exchange, signing }, parseS3Target(path));
  } catch (error) {
    sendS3Error(exchange, r2ErrorToS3(error), resourceOf(path), requestId);
  }
}
