/**
 * One of two processes writing the same persisted namespace (kv-multiprocess.test.ts).
 * Usage: kv-writer-child.ts <root> <id> <otherId> <count>
 * Writes `<id>-<i>` for every i and the shared key `shared`, then waits for the other process to
 * finish and reads back everything it wrote. Prints one JSON line: what it saw.
 */
import { openPersistedNamespace } from "./kv-child-namespace.ts";

const [root, id, otherId, countText] = process.argv.slice(2);
if (!root || !id || !otherId || !countText) throw new Error("usage: kv-writer-child.ts <root> <id> <otherId> <count>");
const count = Number(countText);
const { kv, db } = openPersistedNamespace(root);
const errors: string[] = [];
const sharedWrites: string[] = [];
let acknowledged = 0;
const startedAt = Date.now();

const valueOf = (writer: string, i: number) => `${writer}:${i}:${"x".repeat(i % 50)}`;

for (let i = 0; i < count; i++) {
  try {
    await kv.put(`${id}-${i}`, valueOf(id, i), { metadata: { writer: id, i } });
    acknowledged++;
    if (i % 5 === 0) {
      await kv.put("shared", `${id}-${i}`);
      sharedWrites.push(`${id}-${i}`);
    }
    if (i % 7 === 0) await kv.get(`${otherId}-${i}`);
    if (i % 25 === 0) await kv.list({ prefix: `${otherId}-`, limit: 10 });
  } catch (error) {
    errors.push(`write ${i}: ${String(error)}`);
  }
}
await kv.put(`done-${id}`, String(acknowledged));
const finishedAt = Date.now();

const deadline = Date.now() + 20_000;
let otherAcknowledged: number | undefined;
while (Date.now() < deadline) {
  const done = await kv.get(`done-${otherId}`);
  if (done !== null) {
    otherAcknowledged = Number(done);
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
}

let mismatches = 0;
if (otherAcknowledged === undefined) errors.push(`process ${otherId} never finished`);
else {
  for (let i = 0; i < otherAcknowledged; i++) {
    const read = await kv.getWithMetadata<{ i: number }>(`${otherId}-${i}`);
    if (read.value !== valueOf(otherId, i) || read.metadata?.i !== i) mismatches++;
  }
}
await kv.close();
db.close();
process.stdout.write(`${JSON.stringify({ id, acknowledged, otherAcknowledged, mismatches, errors, sharedWrites, startedAt, finishedAt })}\n`);
