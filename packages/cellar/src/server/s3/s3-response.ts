import type { OutgoingHttpHeaders } from "node:http";
import type { Exchange } from "../exchange.js";
import { buildXml, type XmlDocumentElement } from "./s3-xml.js";

/** Answers with an XML document (`Content-Type: application/xml`, an exact length). */
export function sendXml(exchange: Exchange, status: number, root: string, children: XmlDocumentElement, headers: OutgoingHttpHeaders = {}): void {
  const body = buildXml(root, children);
  exchange.response.writeHead(status, { ...headers, "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
  exchange.response.end(exchange.request.method === "HEAD" ? undefined : body);
}

/** Answers with no body (204 for deletes, 200 with headers for others). */
export function sendEmpty(exchange: Exchange, status: number, headers: OutgoingHttpHeaders = {}): void {
  exchange.response.writeHead(status, { ...headers, "content-length": 0 }).end();
}
