/**
 * Query parameters that select an S3 sub-resource this server does not implement, with the
 * operation family each names in the NotImplemented error. They are refused rather than
 * mistaken for the plain object or bucket operation (a `PUT ?acl` must not overwrite the object).
 */
export const UNSUPPORTED_SUBRESOURCES: Readonly<Record<string, string>> = {
  accelerate: "Bucket accelerate configuration",
  acl: "ACLs",
  analytics: "Bucket analytics",
  attributes: "GetObjectAttributes",
  cors: "Bucket CORS configuration (use the Cloudflare API)",
  encryption: "Bucket encryption",
  "intelligent-tiering": "Intelligent-Tiering",
  inventory: "Bucket inventory",
  "legal-hold": "Object Lock",
  lifecycle: "Bucket lifecycle (use the Cloudflare API)",
  logging: "Bucket logging",
  metrics: "Bucket metrics",
  notification: "Bucket notifications",
  "object-lock": "Object Lock",
  ownershipControls: "Ownership controls",
  policy: "Bucket policies",
  policyStatus: "Bucket policies",
  publicAccessBlock: "Public access blocks",
  replication: "Replication",
  requestPayment: "Requester pays",
  restore: "RestoreObject",
  retention: "Object Lock",
  select: "SelectObjectContent",
  tagging: "Tagging",
  torrent: "Torrents",
  versioning: "Versioning",
  versions: "ListObjectVersions",
  website: "Static website configuration",
};

/** The unsupported operation a query names, if any. */
export function unsupportedSubresource(query: URLSearchParams): string | undefined {
  for (const name of query.keys()) {
    const operation = UNSUPPORTED_SUBRESOURCES[name];
    if (operation !== undefined) return operation;
  }
  return undefined;
}
