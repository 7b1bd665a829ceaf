import { join } from "node:path";
import { repositoryRoot, runTsx } from "./spawn-tsx.ts";

const cli = join(repositoryRoot, "packages", "cellar", "src", "cli.ts");

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

/** Runs the `cellar` CLI from its TypeScript sources, as `node dist/cli.js` runs once built. */
export async function runCellar(args: readonly string[]): Promise<CliRun> {
  const { code, stdout, stdoutBytes, stderr } = await runTsx(cli, args, { env: { ...process.env, NO_COLOR: "1" } });
  return { status: code, stdout, stdoutBytes, stderr };
}
