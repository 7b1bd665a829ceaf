import { afterEach, beforeEach, expect } from "vitest";
import type { DescribeKVOptions, KVFixture, KVInspect, KVNamespaceLike } from "./kv-fixture.js";

/** 2026-01-01T00:00:00Z: where every test's clock starts. */
export const KV_TEST_START = Date.UTC(2026, 0, 1);
/** {@link KV_TEST_START} in seconds, the unit of `expiration`. */
export const KV_TEST_START_SECONDS = KV_TEST_START / 1000;

/** Per-test state of a group: the fixture, its namespace and the clock. */
export interface KVTestContext {
  /** The clock the fixture's namespace reads; back at {@link KV_TEST_START} in every test. */
  readonly clock: { now(): number; set(ms: number): void; advance(ms: number): void };
  readonly fixture: KVFixture;
  readonly kv: KVNamespaceLike;
  /** The fixture's hook `name`; fails the test when the fixture declared it but lacks it. */
  hook<Name extends keyof KVInspect>(name: Name): NonNullable<KVInspect[Name]>;
  /** A namespace over the same storage, through `fixture.reopen`. */
  reopen(): Promise<KVNamespaceLike>;
}

/** Registers hooks giving each test of the enclosing `describe` a fresh fixture and clock. */
export function useKVTestContext(options: DescribeKVOptions): KVTestContext {
  let time = KV_TEST_START;
  const clock = {
    now: () => time,
    set: (ms: number) => void (time = ms),
    advance: (ms: number) => void (time += ms),
  };
  let fixture: KVFixture | undefined;

  beforeEach(async () => {
    time = KV_TEST_START;
    fixture = await options.create({ clock });
  });

  afterEach(async () => {
    const finished = fixture;
    fixture = undefined;
    await finished?.cleanup();
  });

  const current = (): KVFixture => {
    if (!fixture) throw new Error("No KV fixture: use the context only inside a test");
    return fixture;
  };

  return {
    clock,
    get fixture() {
      return current();
    },
    get kv() {
      return current().kv;
    },
    hook(name) {
      const inspect = current().inspect;
      const hook = inspect?.[name] as ((...args: unknown[]) => unknown) | undefined;
      expect(hook, `${options.name} declares inspect.${name}, so its fixture must provide it`).toBeTypeOf("function");
      return ((...args: unknown[]) => hook!.apply(inspect, args)) as NonNullable<KVInspect[typeof name]>;
    },
    async reopen() {
      const { reopen } = current();
      expect(reopen, `${options.name} declares persistence, so its fixture must provide reopen()`).toBeTypeOf("function");
      return reopen!();
    },
  };
}
