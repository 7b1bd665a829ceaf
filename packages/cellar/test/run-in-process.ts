import { Readable, Writable } from "node:stream";
import { runCli } from "../src/cli/run-cli.js";

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

function capture(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
}

/** Runs the CLI in this process with captured output: the same code `cli.ts` runs, minus the process. */
export async function runCellar(args: readonly string[], options: { stderrIsTTY?: boolean; stdin?: string | Buffer } = {}): Promise<CliRun> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stderr = Object.assign(capture(err), { isTTY: options.stderrIsTTY === true });
  const stdin = options.stdin === undefined ? undefined : Readable.from([Buffer.from(options.stdin)]);
  const status = await runCli(args, { stdout: capture(out), stderr, ...(stdin === undefined ? {} : { stdin }) });
  const stdoutBytes = Buffer.concat(out);
  return { status, stdout: stdoutBytes.toString("utf8"), stdoutBytes, stderr: Buffer.concat(err).toString("utf8") };
}
