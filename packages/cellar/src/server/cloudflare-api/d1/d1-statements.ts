import { splitStatements, type CellarD1Database, type D1PreparedStatement } from "@cellar/d1";
import type { D1QueryText } from "./d1-query-body.js";

/**
 * The statements of one SQL text, prepared: one per statement, split as SQLite splits them (on
 * `;` outside literals, comments and trigger bodies), so the API can answer a result per
 * statement as D1's does. The values bind to the last statement, D1's rule for a text holding
 * several; a text that is one statement, or none, goes to D1 whole, so its own messages (`No SQL
 * statements detected.`, a trailing comment) stay exact. Text after the last statement stays
 * with it for the same reason.
 */
export function prepareStatements(database: CellarD1Database, query: D1QueryText): D1PreparedStatement[] {
  const bind = (statement: D1PreparedStatement): D1PreparedStatement => (query.params.length === 0 ? statement : statement.bind(...query.params));
  const { statements } = splitStatements(query.sql);
  if (statements.length <= 1) return [bind(database.prepare(query.sql))];
  const last = statements.length - 1;
  return statements.map((span, index) => {
    const text = query.sql.slice(span.start, index === last ? query.sql.length : span.end);
    return index === last ? bind(database.prepare(text)) : database.prepare(text);
  });
}
