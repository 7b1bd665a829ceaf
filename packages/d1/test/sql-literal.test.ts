import { describe, expect, it } from "vitest";
import { formatReal, quoteIdentifier, quoteString, sqlLiteral } from "../src/export/sql-literal.js";

describe("export literals", () => {
  it("quotes strings with '' and restores line breaks with replace()", () => {
    expect(quoteString("it's")).toBe("'it''s'");
    expect(quoteString("a\nb")).toBe("replace('a\\nb','\\n',char(10))");
    expect(quoteString("a\r\nb")).toBe("replace(replace('a\\r\\nb','\\r',char(13)),'\\n',char(10))");
    // A placeholder the text does not contain is chosen, so a literal \n survives.
    expect(quoteString("\\n\n")).toBe("replace('\\n\\012','\\012',char(10))");
    expect(quoteString("\\n\\012\n")).toBe("replace('\\n\\012(\\n0)','(\\n0)',char(10))");
  });

  it("writes a NUL character as char(0), since SQLite would end the statement at it", () => {
    expect(quoteString("a\u0000b\nc")).toBe("'a'||char(0)||replace('b\\nc','\\n',char(10))");
  });

  it("writes integers exactly, REALs so they stay REAL, and BLOBs in hex", () => {
    expect(sqlLiteral(9007199254740993n)).toBe("9007199254740993");
    expect(sqlLiteral(1.5)).toBe("1.5");
    expect(formatReal(2)).toBe("2.0");
    expect(formatReal(-1e-7)).toBe("-1e-7");
    expect(formatReal(1e21)).toBe("1e+21");
    expect(formatReal(Number.POSITIVE_INFINITY)).toBe("9.0e+999");
    expect(sqlLiteral(null)).toBe("NULL");
    expect(sqlLiteral(new Uint8Array([0, 171, 255]))).toBe("X'00abff'");
  });

  it("double-quotes identifiers", () => {
    expect(quoteIdentifier('odd "name"')).toBe('"odd ""name"""');
  });
});
