import { describe, expect, it } from "vitest";
import { parseMetadata, serialiseMetadata } from "../src/cache-metadata.js";

describe("cache metadata", () => {
  it("serialises in Miniflare's shape and key order", () => {
    expect(serialiseMetadata({ headers: [["etag", '"a"']], status: 200, size: 5 })).toBe('{"headers":[["etag","\\"a\\""]],"status":200,"size":5}');
  });

  it("reads what Miniflare writes", () => {
    expect(parseMetadata('{"headers":[["content-type","text/plain"]],"status":404,"size":0}')).toEqual({
      headers: [["content-type", "text/plain"]],
      status: 404,
      size: 0,
    });
  });

  it("refuses damaged or foreign metadata", () => {
    for (const text of [null, "", "{", "null", "[]", '{"headers":[],"status":200}', '{"headers":[["a"]],"status":200,"size":1}', '{"headers":[],"status":"200","size":1}', '{"headers":[],"status":200,"size":-1}']) {
      expect(parseMetadata(text), String(text)).toBeUndefined();
    }
  });
});
