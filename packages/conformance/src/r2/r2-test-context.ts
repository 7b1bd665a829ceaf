import { afterEach, beforeEach, expect } from "vitest";
import type { DescribeR2Options, R2BucketLike, R2Fixture, R2Inspect, R2Maintenance, R2SuiteLimits } from "./r2-fixture.js";

/** 2026-01-01T00:00:00Z: where every test's clock starts. */
export const R2_TEST_START = Date.UTC(2026, 0, 1);

/** The limits every group runs with: 1 KiB parts keep multipart tests small. */
export const R2_SUITE_LIMITS: R2SuiteLimits = Object.freeze({ minPartSize: 1024 });

/** Per-test state of a group: the fixture, its bucket and the clock. */
export interface R2TestContext {
  /** The clock the fixture's bucket reads; back at {@link R2_TEST_START} in every test. */
  readonly clock: { now(): number; set(ms: number): void; advance(ms: number): void };
  readonly fixture: R2Fixture;
  readonly bucket: R2BucketLike;
  /** The limits this group's buckets enforce. */
  readonly limits: R2SuiteLimits;
  /** The fixture's inspect hook `name`; fails the test when the fixture declared it but lacks it. */
  hook<Name extends keyof R2Inspect>(name: Name): NonNullable<R2Inspect[Name]>;
  /** The fixture's maintenance call `name`, checked the same way. */
  maintenance<Name extends keyof R2Maintenance>(name: Name): NonNullable<R2Maintenance[Name]>;
  /** A bucket over the same storage, through `fixture.reopen`. */
  reopen(): Promise<R2BucketLike>;
  /** A stream of known length carrying `chunks`, through `fixture.knownLength`. */
  knownLength(chunks: readonly Uint8Array[], length?: number): ReadableStream<Uint8Array>;
}

/** Registers hooks giving each test of the enclosing `describe` a fresh fixture and clock. */
export function useR2TestContext(options: DescribeR2Options, limits: R2SuiteLimits = R2_SUITE_LIMITS): R2TestContext {
  let time = R2_TEST_START;
  const clock = {
    now: () => time,
    set: (ms: number) => void (time = ms),
    advance: (ms: number) => void (time += ms),
  };
  let fixture: R2Fixture | undefined;

  beforeEach(async () => {
    time = R2_TEST_START;
    fixture = await options.create({ clock, limits });
  });

  afterEach(async () => {
    const finished = fixture;
    fixture = undefined;
    await finished?.cleanup();
  });

  const current = (): R2Fixture => {
    if (!fixture) throw new Error("No R2 fixture: use the context only inside a test");
    return fixture;
  };

  return {
    clock,
    limits,
    get fixture() {
      return current();
    },
    get bucket() {
      return current().bucket;
    },
    hook(name) {
      const inspect = current().inspect;
      const hook = inspect?.[name] as ((...args: unknown[]) => unknown) | undefined;
      expect(hook, `${options.name} declares inspect.${name}, so its fixture must provide it`).toBeTypeOf("function");
      return ((...args: unknown[]) => hook!.apply(inspect, args)) as NonNullable<R2Inspect[typeof name]>;
    },
    maintenance(name) {
      const maintenance = current().maintenance;
      const call = maintenance?.[name] as ((...args: unknown[]) => unknown) | undefined;
      expect(call, `${options.name} declares maintenance.${name}, so its fixture must provide it`).toBeTypeOf("function");
      return ((...args: unknown[]) => call!.apply(maintenance, args)) as NonNullable<R2Maintenance[typeof name]>;
    },
    async reopen() {
      const { reopen } = current();
      expect(reopen, `${options.name} declares persistence, so its fixture must provide reopen()`).toBeTypeOf("function");
      return reopen!();
    },
    knownLength(chunks, length) {
      const total = length ?? chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
      let index = 0;
      const source = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = chunks[index++];
          if (chunk === undefined) controller.close();
          else controller.enqueue(chunk);
        },
      });
      return current().knownLength(source, total);
    },
  };
}
