import { sendXml } from "../s3-response.js";
import type { S3Call } from "../s3-call.js";

/**
 * ListBuckets: every bucket the state knows (used through it, or found on disk), with names S3
 * accepts. Local buckets keep no creation date; the Unix epoch stands in for it.
 */
export function listBuckets(call: S3Call): void {
  const names = call.exchange.context.state.names("r2").filter((name) => /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name));
  sendXml(call.exchange, 200, "ListAllMyBucketsResult", {
    Owner: { ID: "cellar", DisplayName: "cellar" },
    Buckets: { Bucket: names.map((name) => ({ Name: name, CreationDate: new Date(0).toISOString() })) },
  });
}
