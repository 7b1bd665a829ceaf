import { join } from "node:path";
import { runTsx, withoutNodeOptions, type TsxRun } from "./spawn-tsx.ts";

const childScript = join(import.meta.dirname, "metadata-store-child.ts");

/** How a child process ended. */
export type ChildResult = Pick<TsxRun, "code" | "signal" | "stdout" | "stderr">;

/** Run tests/support/metadata-store-child.ts with `args` (see its header) on the TypeScript sources. */
export function runMetadataChild(args: string[]): Promise<ChildResult> {
  return runTsx(childScript, args, { env: withoutNodeOptions() });
}
