import { Deserializer, Serializer } from "node:v8";

/**
 * Values are stored as workerd stores them: V8's ValueSerializer with its version header
 * (`FF 0F` for version 15). The base `v8.Serializer` is used on purpose: Node's
 * `v8.serialize` (the `DefaultSerializer`) writes typed arrays and Buffers as Node-specific host
 * objects, which workerd cannot read; the base class writes them as V8's own array-buffer-view
 * records, byte for byte what workerd writes.
 */
export function serializeValue(value: unknown): Uint8Array {
  const serializer = new Serializer();
  serializer.writeHeader();
  try {
    serializer.writeValue(value);
  } catch (error) {
    throw asDataCloneError(error);
  }
  return serializer.releaseBuffer();
}

/** The V8 version whose format has no header; workerd reads such legacy values as version 13. */
const LEGACY_HEADER = Uint8Array.of(0xff, 0x0d);

/** Reads a stored value. A value that does not start with the version tag (0xFF) is a legacy, headerless version-13 value. */
export function deserializeValue(bytes: Uint8Array): unknown {
  const input = bytes[0] === 0xff ? bytes : Buffer.concat([LEGACY_HEADER, bytes]);
  const deserializer = new Deserializer(input);
  deserializer.readHeader();
  return deserializer.readValue();
}

/** V8 reports `<value> could not be cloned.` as a plain Error; the runtime throws a DOMException named DataCloneError. */
function asDataCloneError(error: unknown): unknown {
  if (error instanceof Error && error.message.endsWith(" could not be cloned.")) return new DOMException(error.message, "DataCloneError");
  return error;
}
