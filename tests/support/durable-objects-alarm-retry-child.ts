import { createDurableObjectNamespace } from "@cellar/durable-objects";
import type { SqlDatabase } from "@cellar/metadata-store";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";
import { FakeAlarmClock } from "./durable-objects-alarm-fixtures.ts";
import { brokenEngine, DatabaseWrapper } from "./metadata-store-broken-engines.ts";

/**
 * Child process of tests/durable-objects-alarms.test.ts, on a {@link FakeAlarmClock} starting at
 * `<startMs>`, over namespace `<uniqueKey>` in `<dir>`, object `idFromName("object")`:
 *
 * - `run <advanceMs>`: a handler that always throws; advances the clock, printing one JSON line
 *   per handler run (`retryCount`, `isRetry`, `at`), then `{"after": getAlarm()}`, and exits.
 * - `kill-after-commit <firstMs> <secondMs>`: sets the alarm to `firstMs` (committed), then to
 *   `secondMs`, and SIGKILLs itself right after that second `COMMIT` returns, before anything
 *   else runs (where the scheduler has heard only what it hears before a commit).
 */
const [dir, uniqueKey, start, mode, ...rest] = process.argv.slice(2) as [string, string, string, string, ...string[]];
const clock = new FakeAlarmClock(Number(start));
let killAfterCommit = false;

/** Kills the process right after a `COMMIT` on the object's own file, once armed. */
class KillAfterCommit extends DatabaseWrapper {
  override exec(sql: string): void {
    super.exec(sql);
    if (killAfterCommit && sql === "COMMIT") process.kill(process.pid, "SIGKILL");
  }
}
const engine = brokenEngine(createSqliteEngine(), (db: SqlDatabase, location: string) => (/[0-9a-f]{64}\.sqlite$/.test(location) ? new KillAfterCommit(db) : db));

const namespace = createDurableObjectNamespace({
  uniqueKey,
  engine,
  directory: dir,
  timers: clock.timers,
  onAlarm: (_id, info) => {
    process.stdout.write(`${JSON.stringify({ retryCount: info.retryCount, isRetry: info.isRetry, at: clock.now() })}\n`);
    throw new Error("handler failed");
  },
});
const { storage } = namespace.get(namespace.idFromName("object"));

if (mode === "run") {
  await clock.advance(Number(rest[0]), () => namespace.alarmsSettled());
  process.stdout.write(`${JSON.stringify({ after: await storage.getAlarm() })}\n`);
} else if (mode === "kill-after-commit") {
  await storage.setAlarm(Number(rest[0]));
  killAfterCommit = true;
  await storage.setAlarm(Number(rest[1]));
  process.stderr.write("not killed\n");
}
await namespace.close();
