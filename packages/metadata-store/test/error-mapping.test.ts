import { describe, expect, it } from "vitest";
import { BusyError, ConstraintError, DatabaseClosedError, SqlError } from "../src/errors.js";
import { sqliteCodeFromMessage, toSqlError } from "../src/error-mapping.js";

function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("toSqlError", () => {
  it("maps SQLITE_BUSY to a BusyError naming the file, keeping the original as cause", () => {
    const original = sqliteError("SQLITE_BUSY", "database is locked");
    const error = toSqlError(original, "/data/kv.sqlite");
    expect(error).toBeInstanceOf(BusyError);
    expect(error.code).toBe("ERR_SQL_BUSY");
    expect(error.sqliteCode).toBe("SQLITE_BUSY");
    expect(error.message).toBe("database is locked: /data/kv.sqlite stayed locked by another connection past the busy timeout");
    expect((error as BusyError).location).toBe("/data/kv.sqlite");
    expect(error.cause).toBe(original);
  });

  it("maps SQLITE_LOCKED (and extended BUSY codes) to BusyError too", () => {
    expect(toSqlError(sqliteError("SQLITE_LOCKED", "database table is locked"), "f")).toBeInstanceOf(BusyError);
    expect(toSqlError(sqliteError("SQLITE_BUSY_SNAPSHOT", "database is locked"), "f").code).toBe("ERR_SQL_BUSY");
  });

  it("maps constraint codes to ConstraintError with SQLite's message verbatim", () => {
    const error = toSqlError(sqliteError("SQLITE_CONSTRAINT_UNIQUE", "UNIQUE constraint failed: t.a"), "f");
    expect(error).toBeInstanceOf(ConstraintError);
    expect({ code: error.code, sqliteCode: error.sqliteCode, message: error.message }).toEqual({
      code: "ERR_SQL_CONSTRAINT",
      sqliteCode: "SQLITE_CONSTRAINT_UNIQUE",
      message: "UNIQUE constraint failed: t.a",
    });
  });

  it.each([
    ["SQLITE_READONLY", "ERR_SQL_READONLY"],
    ["SQLITE_READONLY_DBMOVED", "ERR_SQL_READONLY"],
    ["SQLITE_CORRUPT", "ERR_SQL_CORRUPT"],
    ["SQLITE_NOTADB", "ERR_SQL_CORRUPT"],
    ["SQLITE_FULL", "ERR_SQL_FULL"],
    ["SQLITE_RANGE", "ERR_SQL_RANGE"],
    ["SQLITE_IOERR_SHORT_READ", "ERR_SQL_IO"],
    ["SQLITE_CANTOPEN", "ERR_SQL_IO"],
    ["SQLITE_MISUSE", "ERR_SQL_MISUSE"],
    ["SQLITE_ERROR", "ERR_SQL"],
    ["SQLITE_MISMATCH", "ERR_SQL"],
    ["SQLITE_TOOBIG", "ERR_SQL"],
  ])("maps %s to %s", (sqliteCode, code) => {
    const error = toSqlError(sqliteError(sqliteCode, "message from SQLite"), "f");
    expect(error.code).toBe(code);
    expect(error.sqliteCode).toBe(sqliteCode);
    expect(error.message).toBe("message from SQLite");
  });

  it("infers the code from the message when the error has none (sql.js)", () => {
    const error = toSqlError(new Error("NOT NULL constraint failed: t.b"), "f");
    expect(error).toBeInstanceOf(ConstraintError);
    expect(error.sqliteCode).toBe("SQLITE_CONSTRAINT_NOTNULL");
    expect(toSqlError(new Error("file is not a database"), "f").code).toBe("ERR_SQL_CORRUPT");
  });

  it("lets the driver supply the code it knows better", () => {
    const error = toSqlError(new Error("UNIQUE constraint failed: t.id"), "f", "SQLITE_CONSTRAINT_PRIMARYKEY");
    expect(error.sqliteCode).toBe("SQLITE_CONSTRAINT_PRIMARYKEY");
  });

  it("maps better-sqlite3's own caller errors to RANGE and MISUSE", () => {
    expect(toSqlError(new RangeError("Too few parameter values were provided"), "f").code).toBe("ERR_SQL_RANGE");
    expect(toSqlError(new RangeError('Missing named parameter "a"'), "f").code).toBe("ERR_SQL_RANGE");
    expect(toSqlError(new RangeError("The supplied SQL string contains more than one statement"), "f").code).toBe("ERR_SQL_MISUSE");
    expect(toSqlError(new TypeError("This statement does not return data. Use run() instead"), "f").code).toBe("ERR_SQL_MISUSE");
    expect(toSqlError(new TypeError("The database connection is not open"), "f")).toBeInstanceOf(DatabaseClosedError);
  });

  it("returns a SqlError unchanged and wraps anything else as ERR_SQL", () => {
    const existing = new SqlError("ERR_SQL_IO", "x");
    expect(toSqlError(existing, "f")).toBe(existing);
    const wrapped = toSqlError("a thrown string", "f");
    expect(wrapped).toBeInstanceOf(SqlError);
    expect({ code: wrapped.code, message: wrapped.message, sqliteCode: wrapped.sqliteCode }).toEqual({
      code: "ERR_SQL",
      message: "a thrown string",
      sqliteCode: undefined,
    });
  });
});

describe("sqliteCodeFromMessage", () => {
  it("knows SQLite's standard messages and constraint prefixes", () => {
    expect(sqliteCodeFromMessage("database is locked")).toBe("SQLITE_BUSY");
    expect(sqliteCodeFromMessage("CHECK constraint failed: positive")).toBe("SQLITE_CONSTRAINT_CHECK");
    expect(sqliteCodeFromMessage("FOREIGN KEY constraint failed")).toBe("SQLITE_CONSTRAINT_FOREIGNKEY");
    expect(sqliteCodeFromMessage("cannot store TEXT value in INTEGER column t.a")).toBe("SQLITE_CONSTRAINT_DATATYPE");
    expect(sqliteCodeFromMessage('near "x": syntax error')).toBeUndefined();
  });
});
