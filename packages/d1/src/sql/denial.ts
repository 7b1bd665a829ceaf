/** Why a statement may not run, in the terms workerd reports it. */
export type Denial =
  /** `BEGIN`, `COMMIT`, `SAVEPOINT`, …: the runtime's "To execute a transaction, …" message. */
  | { readonly kind: "transaction" }
  /** The authorizer said no: `not authorized` (SQLITE_AUTH). */
  | { readonly kind: "not-authorized" }
  /** A read of a protected table: `access to <table>.<column> is prohibited` (SQLITE_AUTH). */
  | { readonly kind: "read"; readonly table: string; readonly names: readonly string[] }
  /** A function outside the allow-list: `not authorized to use function: <name>`. */
  | { readonly kind: "function"; readonly name: string; readonly offset: number }
  /** An error SQLite raises while parsing (a limit): its message, and where it points. */
  | { readonly kind: "error"; readonly message: string; readonly offset: number | undefined };

/** The refusal for a protected name or a forbidden action. */
export const NOT_AUTHORIZED: Denial = Object.freeze({ kind: "not-authorized" });
