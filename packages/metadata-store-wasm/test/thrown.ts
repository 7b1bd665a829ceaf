import type { SqlError } from "@cellar/metadata-store";

/** Runs `fn`, which must throw, and returns what it threw (to assert its `code` and message). */
export function thrown(fn: () => unknown): SqlError {
  try {
    fn();
  } catch (error) {
    return error as SqlError;
  }
  throw new Error("did not throw");
}
