import { expect } from "vitest";

/** Expects `run` to reject with a `TypeError` whose message is exactly `message`, as the Workers runtime throws. */
export async function expectCacheTypeError(run: () => unknown, message: string): Promise<void> {
  let outcome: { error: unknown } | undefined;
  try {
    await run();
  } catch (error) {
    outcome = { error };
  }
  expect(outcome, `expected a TypeError "${message}", but it resolved`).toBeDefined();
  expect(outcome!.error).toBeInstanceOf(TypeError);
  expect((outcome!.error as Error).message).toBe(message);
}

/** Expects a hit: a response with `CF-Cache-Status: HIT`; returns it. */
export function expectHit(response: Response | undefined, label = "match"): Response {
  expect(response, `${label} should hit`).toBeDefined();
  expect(response!.headers.get("CF-Cache-Status"), `${label}: CF-Cache-Status`).toBe("HIT");
  return response!;
}

/** Expects a hit with `status` and exactly `body` as text; returns the response's headers. */
export async function expectHitWithBody(response: Response | undefined, body: string, status = 200): Promise<Headers> {
  const hit = expectHit(response);
  expect(hit.status).toBe(status);
  expect(await hit.text()).toBe(body);
  return hit.headers;
}

export { expectSameBytes } from "../shared/expect-same-bytes.js";
