import { createHash, createHmac } from "node:crypto";

const hex = (data: string | Uint8Array): string => createHash("sha256").update(data).digest("hex");
const hmac = (key: Uint8Array | string, data: string): Buffer => createHmac("sha256", key).update(data).digest();
const EMPTY = hex("");

/**
 * Sends a PUT with a `STREAMING-AWS4-HMAC-SHA256-PAYLOAD` body (signed aws-chunked, as AWS
 * documents it), which the JavaScript SDK no longer produces. `tamper` corrupts the second
 * chunk's data after signing it.
 */
export async function signedChunkedPut(options: {
  url: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  chunks: readonly Buffer[];
  tamper?: boolean;
}): Promise<Response> {
  const url = new URL(options.url);
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const date = amzDate.slice(0, 8);
  const scope = `${date}/auto/s3/aws4_request`;
  const decodedLength = options.chunks.reduce((total, chunk) => total + chunk.length, 0);
  const headers: Record<string, string> = {
    "content-encoding": "aws-chunked",
    host: url.host,
    "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "x-amz-date": amzDate,
    "x-amz-decoded-content-length": String(decodedLength),
  };
  const names = Object.keys(headers).sort();
  const canonical = ["PUT", url.pathname, "", names.map((name) => `${name}:${headers[name]}\n`).join(""), names.join(";"), headers["x-amz-content-sha256"]].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${options.credentials.secretAccessKey}`, date), "auto"), "s3"), "aws4_request");
  let previous = hmac(key, ["AWS4-HMAC-SHA256", amzDate, scope, hex(canonical)].join("\n")).toString("hex");
  const authorization = `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${previous}`;
  const parts: Buffer[] = [];
  for (const [index, data] of [...options.chunks, Buffer.alloc(0)].entries()) {
    const signature = hmac(key, ["AWS4-HMAC-SHA256-PAYLOAD", amzDate, scope, previous, EMPTY, hex(data)].join("\n")).toString("hex");
    previous = signature;
    const sent = options.tamper && index === 1 ? Buffer.from(data.toString().toUpperCase()) : data;
    parts.push(Buffer.from(`${data.length.toString(16)};chunk-signature=${signature}\r\n`), sent, Buffer.from("\r\n"));
  }
  const { host: _host, ...sentHeaders } = headers;
  return fetch(url, { method: "PUT", headers: { ...sentHeaders, authorization }, body: Buffer.concat(parts) });
}
