import { describe, expect, it } from "vitest";
import { KeyWriteOrder } from "../src/index.ts";

describe("KeyWriteOrder", () => {
  it("lets each write to a key wait for the previous one, and writes to other keys go at once", async () => {
    const order = new KeyWriteOrder();
    const first = order.enter("k");
    const second = order.enter("k");
    const other = order.enter("other");
    expect(first.ready).toBeUndefined();
    expect(other.ready).toBeUndefined();
    let secondReady = false;
    void second.ready!.then(() => (secondReady = true));
    await Promise.resolve();
    expect(secondReady).toBe(false);
    first.release();
    await second.ready;
    expect(secondReady).toBe(true);
    second.release();
    other.release();
    expect(order.enter("k").ready).toBeUndefined();
  });

  it("settles idle() once every turn has been released", async () => {
    const order = new KeyWriteOrder();
    const a = order.enter("a");
    const b = order.enter("a");
    let idle = false;
    const waiting = order.idle().then(() => (idle = true));
    a.release();
    await Promise.resolve();
    expect(idle).toBe(false);
    b.release();
    await waiting;
    expect(idle).toBe(true);
  });
});
