import { afterEach } from "vitest";

/**
 * Gives each test a fresh fixture and cleans it up afterwards. Generic over the fixture, so the
 * storage and facets suites share it.
 */
export function useDurableObjectFixture<Fixture extends { cleanup(): Promise<void> }>(options: { readonly create: () => Promise<Fixture> }): () => Promise<Fixture> {
  const open: Fixture[] = [];
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
