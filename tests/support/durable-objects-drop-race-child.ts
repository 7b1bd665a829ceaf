import { existsSync } from "node:fs";
import { join } from "node:path";
import { createDurableObjectNamespace } from "@cellar/durable-objects";
import { createSqliteEngine } from "@cellar/metadata-store-sqlite";

/**
 * Child process of tests/durable-objects-concurrent-drop.test.ts: opens namespace `<uniqueKey>` in
 * `<dir>`, prints `{"ready": true}`, waits for the file `<dir>/go`, then drops the namespace (`deleteAll()`), printing each
 * drop stage as a JSON line tagged with `<name>`, and `{"done": true}` at the end. Right after its
 * tombstone is written it holds still until the file `<dir>/release-<name>` exists, so the parent
 * can act between the two processes' tombstones.
 */
const [dir, uniqueKey, name] = process.argv.slice(2) as [string, string, string];
const pause = new Int32Array(new SharedArrayBuffer(4));
const waitFor = (file: string): void => {
  const deadline = Date.now() + 20_000;
  while (!existsSync(join(dir, file))) {
    if (Date.now() > deadline) {
      process.stderr.write(`${name}: ${file} never appeared\n`);
      process.exit(3);
    }
    Atomics.wait(pause, 0, 0, 5);
  }
};
const namespace = createDurableObjectNamespace({
  uniqueKey,
  engine: createSqliteEngine(),
  directory: dir,
  onAlarm: () => {},
  onDropProgress: (progress) => {
    process.stdout.write(`${JSON.stringify({ name, ...progress })}\n`);
    if (progress.stage === "tombstone-written") waitFor(`release-${name}`);
  },
});
// Both children start the drop together: the parent writes `go` once both are ready.
process.stdout.write(`${JSON.stringify({ name, ready: true })}\n`);
while (!existsSync(join(dir, "go"))) await new Promise((resolve) => setTimeout(resolve, 5));
await namespace.deleteAll();
process.stdout.write(`${JSON.stringify({ name, done: true })}\n`);
await namespace.close();
