import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { openState, type CellarState } from "../src/index.js";

/**
 * Temporary persist roots and states for one test file: every root and state made through the
 * returned functions is closed and removed after each test.
 */
export function useTemporaryStates(prefix: string): {
  tempRoot(): Promise<string>;
  open(options: Parameters<typeof openState>[0]): Promise<CellarState>;
} {
  const roots: string[] = [];
  const states: CellarState[] = [];
  afterEach(async () => {
    await Promise.all(states.splice(0).map((state) => state.close()));
    await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
  });
  return {
    async tempRoot() {
      const root = await mkdtemp(join(tmpdir(), `${prefix}-`));
      roots.push(root);
      return root;
    },
    async open(options) {
      const state = await openState(options);
      states.push(state);
      return state;
    },
  };
}
