import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { namespaceBlobDirectory, sanitisePath } from "../src/index.ts";

describe("sanitisePath", () => {
  // The examples of the on-disk layout, each a directory wrangler dev creates.
  it.each([
    ["a/b:c..d", "a_b_c..d"],
    ["..", "__"],
    ["x/../y", "x____y"],
    ["con", "_"],
    ["con.txt", "_"],
    [" lead.", "_lead."],
    ["named:mycache", "named_mycache"],
    ["a b%é+#", "a b%é+#"],
    ["default", "default"],
  ])("%j becomes %j", (input, expected) => {
    expect(sanitisePath(input)).toBe(expected);
  });

  it("replaces dot-only segments, illegal characters and control characters", () => {
    expect(sanitisePath("../../etc")).toBe("______etc");
    expect(sanitisePath("a\\..\\b")).toBe("a____b");
    expect(sanitisePath("...")).toBe("___");
    expect(sanitisePath('q?<>*"\'^|x')).toBe("q________x");
    expect(sanitisePath("a\u0000b\u001fc\u0085d")).toBe("a_b_c_d");
    expect(sanitisePath("LPT1.log")).toBe("_");
    expect(sanitisePath("console")).toBe("console");
  });

  it("replaces leading and trailing runs of spaces and truncates to 255 code units", () => {
    expect(sanitisePath("  x  ")).toBe("__x__");
    expect(sanitisePath("y".repeat(300))).toHaveLength(255);
  });

  it("never yields a path that leaves its parent directory", () => {
    for (const name of ["..", "../x", "a/../../b", "/abs", "\\\\server\\share", "C:\\x", ". .", "./."]) {
      const sanitised = sanitisePath(name);
      expect(sanitised).not.toMatch(/[/\\]/);
      expect(sanitised).not.toMatch(/^\.+$/);
    }
  });
});

describe("namespaceBlobDirectory", () => {
  it("is <root>/<product>/<sanitised namespace>/blobs", () => {
    expect(namespaceBlobDirectory("/state/v3", "cache", "named:mycache")).toBe(join("/state/v3", "cache", "named_mycache", "blobs"));
  });
});
