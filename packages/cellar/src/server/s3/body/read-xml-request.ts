import type { Exchange } from "../../exchange.js";
import type { SigningContext } from "../auth/signing-context.js";
import { s3Errors } from "../s3-error.js";
import { parseXmlBody, type XmlElement } from "../s3-xml.js";
import { openUploadBody } from "./upload-body.js";

/** Largest XML request body read: a CompleteMultipartUpload of 10,000 parts is about 1 MiB. */
const MAX_XML_BODY = 4 * 1024 * 1024;

/**
 * Reads and parses the XML body of DeleteObjects or CompleteMultipartUpload, after checking its
 * `Content-MD5` and other checksums.
 *
 * @throws {S3Error} MalformedXML, BadDigest, MissingContentLength, or InvalidRequest for a body over 4 MiB
 */
export async function readXmlRequest(exchange: Exchange, signing: SigningContext | undefined, root: string): Promise<XmlElement> {
  const body = openUploadBody(exchange, signing, { r2Verifies: false });
  if (body.length > MAX_XML_BODY) throw s3Errors.invalidRequest(`The XML body is larger than ${MAX_XML_BODY} bytes.`);
  let text: string;
  try {
    text = await new Response(body.stream).text();
  } catch (error) {
    throw body.failure(error);
  }
  return parseXmlBody(text, root);
}
