import { createDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";

/**
 * Child process of tests/durable-objects-alarms.test.ts: opens namespace `<uniqueKey>` in `<dir>`
 * on a clock `<offsetMs>` ahead of the real one (so alarms set by the parent are overdue), and
 * prints one JSON line per handler run, then `{"after": getAlarm()}` once the first run has
 * finished, and exits.
 */
const [dir, uniqueKey, offset] = process.argv.slice(2) as [string, string, string];
let firstRun!: () => void;
const ran = new Promise<void>((resolve) => (firstRun = resolve));
const giveUp = setTimeout(() => {
  process.stderr.write("no alarm fired within 10 s\n");
  process.exit(2);
}, 10_000);
const namespace = createDurableObjectNamespace({
  uniqueKey,
  engine: createSqliteEngine(),
  directory: dir,
  timers: {
    now: () => Date.now() + Number(offset),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  },
  onAlarm: async (id, info) => {
    const value = await namespace.get(id).storage.get("k");
    process.stdout.write(`${JSON.stringify({ id: id.toString(), retryCount: info.retryCount, isRetry: info.isRetry, scheduledTime: info.scheduledTime, value })}\n`);
    firstRun();
  },
});
await ran;
await namespace.alarmsSettled();
const [id] = process.argv.slice(5);
process.stdout.write(`${JSON.stringify({ after: await namespace.get(namespace.idFromString(id!)).storage.getAlarm() })}\n`);
clearTimeout(giveUp);
await namespace.close();
