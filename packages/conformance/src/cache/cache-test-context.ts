import { afterEach, beforeEach, expect } from "vitest";
import type { CacheFixture, CacheInspect, CacheLike, CacheMaintenance, CacheStorageLike, DescribeCacheOptions } from "./cache-fixture.js";

/** 2026-01-01T00:00:00Z, a whole second: where every test's clock starts, so `Date` headers are exact. */
export const CACHE_TEST_START = Date.UTC(2026, 0, 1);

/** Per-test state of a group: the fixture, its caches and the clock. */
export interface CacheTestContext {
  /** The clock the fixture reads; back at {@link CACHE_TEST_START} in every test. */
  readonly clock: { now(): number; set(ms: number): void; advance(ms: number): void };
  readonly fixture: CacheFixture;
  readonly caches: CacheStorageLike;
  /** `caches.default`. */
  readonly cache: CacheLike;
  /** The fixture's hook `name`; fails the test when the fixture declared it but lacks it. */
  hook<Name extends keyof CacheInspect>(name: Name): NonNullable<CacheInspect[Name]>;
  /** The fixture's maintenance call `name`; fails the test when declared but missing. */
  maintenance<Name extends keyof CacheMaintenance>(name: Name): NonNullable<CacheMaintenance[Name]>;
  /** A cache storage over the same storage, through `fixture.reopen`. */
  reopen(): Promise<CacheStorageLike>;
}

/**
 * Registers hooks giving each test of the enclosing `describe` a fresh fixture and clock.
 * `context.maxObjectSize` is passed to `create` when given.
 */
export function useCacheTestContext(options: DescribeCacheOptions, context: { maxObjectSize?: number } = {}): CacheTestContext {
  let time = CACHE_TEST_START;
  const clock = {
    now: () => time,
    set: (ms: number) => void (time = ms),
    advance: (ms: number) => void (time += ms),
  };
  let fixture: CacheFixture | undefined;

  beforeEach(async () => {
    time = CACHE_TEST_START;
    fixture = await options.create({ clock, ...context });
  });

  afterEach(async () => {
    const finished = fixture;
    fixture = undefined;
    await finished?.cleanup();
  });

  const current = (): CacheFixture => {
    if (!fixture) throw new Error("No cache fixture: use the context only inside a test");
    return fixture;
  };

  return {
    clock,
    get fixture() {
      return current();
    },
    get caches() {
      return current().caches;
    },
    get cache() {
      return current().caches.default;
    },
    hook(name) {
      const inspect = current().inspect;
      const hook = inspect?.[name] as ((...args: unknown[]) => unknown) | undefined;
      expect(hook, `${options.name} declares inspect.${name}, so its fixture must provide it`).toBeTypeOf("function");
      return ((...args: unknown[]) => hook!.apply(inspect, args)) as NonNullable<CacheInspect[typeof name]>;
    },
    maintenance(name) {
      const maintenance = current().maintenance;
      const call = maintenance?.[name] as ((...args: unknown[]) => unknown) | undefined;
      expect(call, `${options.name} declares maintenance.${name}, so its fixture must provide it`).toBeTypeOf("function");
      return ((...args: unknown[]) => call!.apply(maintenance, args)) as NonNullable<CacheMaintenance[typeof name]>;
    },
    async reopen() {
      const { reopen } = current();
      expect(reopen, `${options.name} declares persistence, so its fixture must provide reopen()`).toBeTypeOf("function");
      return reopen!();
    },
  };
}
