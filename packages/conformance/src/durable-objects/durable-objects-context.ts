import { afterEach } from "vitest";
import type { DescribeDurableObjectStorageOptions, DurableObjectFixture } from "./durable-objects-fixture.js";

/** Gives each test a fresh fixture and cleans it up afterwards. */
export function useDurableObjectFixture(options: DescribeDurableObjectStorageOptions): () => Promise<DurableObjectFixture> {
  const open: DurableObjectFixture[] = [];
  afterEach(async () => {
    for (const fixture of open.splice(0)) await fixture.cleanup();
  });
  return async () => {
    const fixture = await options.create();
    open.push(fixture);
    return fixture;
  };
}

/** The error a promise rejected with, or a thrown error; fails the test when there is none. */
export async function caught(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, but the call succeeded");
}
