import { XMLBuilder, XMLParser, XMLValidator, type EntityDecoderOptions } from "fast-xml-parser";
import { s3Errors } from "./s3-error.js";

/** Elements S3 request bodies repeat; parsed as arrays even when they occur once. */
const REPEATED_ELEMENTS = new Set(["Object", "Part"]);
const XML_ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const ENTITY_REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g;

/**
 * XML's own entities and character references, nothing else: the parser's default decoder
 * leaves `&#x0D;` undecoded, which SDKs send for a carriage return in a key, and its HTML mode
 * would also decode `&nbsp;`, which XML does not define. Entities declared in a DOCTYPE are ignored.
 */
const xmlEntityDecoder: EntityDecoderOptions = {
  setExternalEntities() {},
  addInputEntities() {},
  reset() {},
  setXmlVersion() {},
  decode(text: string): string {
    return text.replace(ENTITY_REFERENCE, (reference: string, name: string) => {
      if (name.startsWith("#")) {
        const codePoint = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : reference;
      }
      return XML_ENTITIES[name] ?? reference;
    });
  },
};

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  // Keys are text: "007" must stay "007", and surrounding spaces belong to the key.
  parseTagValue: false,
  trimValues: false,
  entityDecoder: xmlEntityDecoder,
  isArray: (name) => REPEATED_ELEMENTS.has(name),
});

const builder = new XMLBuilder({ ignoreAttributes: false, processEntities: true, suppressEmptyNode: false });

/** A parsed XML element: text, or child elements by name. */
export type XmlValue = string | XmlElement;
/** The children of a parsed element by name; repeated elements (`Object`, `Part`) are arrays. */
export interface XmlElement {
  readonly [name: string]: XmlValue | readonly XmlValue[] | undefined;
}

/**
 * Parses an S3 request body.
 *
 * @throws {S3Error} MalformedXML when the body is not well-formed XML or `root` is not its root element.
 */
export function parseXmlBody(text: string, root: string): XmlElement {
  if (XMLValidator.validate(text) !== true) throw s3Errors.malformedXml();
  const document = parser.parse(text) as Record<string, unknown>;
  const element = document[root];
  if (element === "") return {};
  if (typeof element !== "object" || element === null || Array.isArray(element)) throw s3Errors.malformedXml();
  return element as XmlElement;
}

/** The text of a child element, or undefined when it is absent or not text. */
export function xmlText(value: XmlValue | readonly XmlValue[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A value of a response document: text, numbers and booleans are written as text, arrays repeat the element. */
export type XmlDocumentValue = string | number | boolean | undefined | XmlDocumentElement | readonly XmlDocumentValue[];
export interface XmlDocumentElement {
  readonly [name: string]: XmlDocumentValue;
}

const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

/**
 * An S3 response document with its declaration, `<root xmlns="…">` and the children in the
 * order given; undefined children are left out and text is escaped.
 */
export function buildXml(root: string, children: XmlDocumentElement, options: { namespace?: boolean } = {}): string {
  const element = options.namespace === false ? { ...children } : { "@_xmlns": S3_NAMESPACE, ...children };
  return builder.build({ "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" }, [root]: element }) as string;
}
