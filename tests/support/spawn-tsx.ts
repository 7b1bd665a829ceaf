import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";

/** The repository root: children run here unless told otherwise. */
export const repositoryRoot = join(import.meta.dirname, "..", "..");

/** How a child process ended, and everything it printed. */
export interface TsxRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  /** stdout as it came, for children that print bytes rather than text. */
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

export interface RunTsxOptions {
  /** The child's working directory; the repository root by default. */
  readonly cwd?: string;
  /** The child's environment; the parent's by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** Node flags that go before `--import tsx`, such as `--expose-gc`. */
  readonly nodeFlags?: readonly string[];
  /**
   * Called with the child as soon as it is spawned. When given, the child's stdin is a pipe the
   * caller can write to (a child waiting for a go-ahead); otherwise the child gets no stdin.
   */
  readonly onSpawn?: (child: ChildProcessWithoutNullStreams) => void;
}

/**
 * Runs `script` in a child Node process through tsx, on the packages' TypeScript sources (the
 * `@cellar/source` condition), so crash, kill and multi-process tests need no build. It resolves
 * however the child ends, exit code or signal, because each test decides which end it expects;
 * it rejects only when the child cannot be started.
 */
export function runTsx(script: string, args: readonly string[], options: RunTsxOptions = {}): Promise<TsxRun> {
  const { cwd = repositoryRoot, env = process.env, nodeFlags = [], onSpawn } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", "--conditions=@cellar/source", script, ...args], {
      cwd,
      env,
      stdio: [onSpawn === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    }) as ChildProcessWithoutNullStreams;
    // Decoded once at the end, so a character split across two chunks stays whole.
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString("utf8"), stdoutBytes, stderr: Buffer.concat(err).toString("utf8") });
    });
    onSpawn?.(child);
  });
}

/** One parsed JSON value per non-empty line of `stdout`: how the child scripts in tests/support report. */
export function jsonLines<T = any>(stdout: string): T[] {
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

/**
 * The parent's environment without NODE_OPTIONS, so the child runs with only the flags
 * `runTsx` gives it and none the test run itself was started with.
 */
export function withoutNodeOptions(): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  return env;
}
