import { afterEach, beforeEach, expect } from "vitest";
import type { D1CreateContext, D1DatabaseLike, D1Fixture, D1Inspect, DescribeD1Options } from "./d1-fixture.js";

/** Per-test state of a group: the fixture and its database. */
export interface D1TestContext {
  readonly fixture: D1Fixture;
  readonly db: D1DatabaseLike;
  /** The fixture's hook `name`; fails the test when the fixture declared it but lacks it. */
  hook<Name extends keyof D1Inspect>(name: Name): NonNullable<D1Inspect[Name]>;
  /** A database over the same storage, through `fixture.reopen`. */
  reopen(): Promise<D1DatabaseLike>;
  /** A second connection to the same storage, through `fixture.second`. */
  second(): Promise<D1DatabaseLike>;
  /** A fixture made with other `create` options, cleaned up after the test. */
  createWith(context: D1CreateContext): Promise<D1Fixture>;
}

/** Registers hooks giving each test of the enclosing `describe` a fresh, empty database. */
export function useD1TestContext(options: DescribeD1Options): D1TestContext {
  let fixture: D1Fixture | undefined;
  const extra: D1Fixture[] = [];

  beforeEach(async () => {
    fixture = await options.create({});
  });

  afterEach(async () => {
    const finished = [fixture, ...extra.splice(0)];
    fixture = undefined;
    for (const each of finished) await each?.cleanup();
  });

  const current = (): D1Fixture => {
    if (!fixture) throw new Error("No D1 fixture: use the context only inside a test");
    return fixture;
  };

  return {
    get fixture() {
      return current();
    },
    get db() {
      return current().db;
    },
    hook(name) {
      const inspect = current().inspect;
      const hook = inspect?.[name] as ((...args: unknown[]) => unknown) | undefined;
      expect(hook, `${options.name} declares inspect, so its fixture must provide inspect.${name}`).toBeTypeOf("function");
      return ((...args: unknown[]) => hook!.apply(inspect, args)) as NonNullable<D1Inspect[typeof name]>;
    },
    async reopen() {
      const { reopen } = current();
      expect(reopen, `${options.name} declares persistence, so its fixture must provide reopen()`).toBeTypeOf("function");
      return reopen!();
    },
    async second() {
      const { second } = current();
      expect(second, `${options.name} declares multiConnection, so its fixture must provide second()`).toBeTypeOf("function");
      return second!();
    },
    async createWith(context) {
      const made = await options.create(context);
      extra.push(made);
      return made;
    },
  };
}
