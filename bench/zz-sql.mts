import { benchSqlite } from "./src/sqlite.ts";
await benchSqlite(20000, 5);
