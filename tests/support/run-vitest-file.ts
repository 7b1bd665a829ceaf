import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll } from "vitest";

export interface SuiteOutcome {
  /** Full test names ("group > test") by state. */
  readonly passed: string[];
  readonly failed: string[];
  readonly skipped: string[];
}

const brokenDir = join(dirname(fileURLToPath(import.meta.url)), "..", "broken");
const vitestCli = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");

/**
 * Runs one `*.broken.ts` file from `tests/broken/` in a separate vitest process and returns what
 * passed and failed. This is how we prove the conformance suites have teeth: a suite run on a
 * deliberately broken backend must fail, and we can only observe that from outside the run.
 */
export async function runBrokenSuite(fileName: string): Promise<SuiteOutcome> {
  const outDir = await mkdtemp(join(tmpdir(), "cellar-suite-"));
  const outputFile = join(outDir, "report.json");
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [vitestCli, "run", "--config", join(brokenDir, "vitest.config.ts"), "--reporter=json", `--outputFile=${outputFile}`, fileName],
        { cwd: brokenDir, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" } },
      );
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 || code === 1 ? resolve(code) : reject(new Error(`vitest exited with ${code}: ${stderr}`))));
    });
    const report = JSON.parse(await readFile(outputFile, "utf8")) as {
      testResults: { assertionResults: { fullName: string; status: string }[] }[];
    };
    const outcome: SuiteOutcome = { passed: [], failed: [], skipped: [] };
    for (const file of report.testResults) {
      for (const test of file.assertionResults) {
        if (test.status === "passed") outcome.passed.push(test.fullName);
        else if (test.status === "failed") outcome.failed.push(test.fullName);
        else outcome.skipped.push(test.fullName);
      }
    }
    if (exitCode === 0 && outcome.failed.length > 0) throw new Error("vitest exited 0 although tests failed");
    return outcome;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/**
 * For a teeth test that checks several broken files: registers a `beforeAll` in the calling
 * `describe` that runs every file in `files` at once (the runs are independent, and together they
 * take a few seconds), and returns the lookup its tests read the outcomes through. The lookup
 * throws for a file that has not run, so a test never passes on an outcome that is missing.
 */
export function runBrokenSuitesBeforeAll(files: readonly string[]): (file: string) => SuiteOutcome {
  const outcomes = new Map<string, SuiteOutcome>();
  beforeAll(async () => {
    const results = await Promise.all(files.map((file) => runBrokenSuite(file)));
    files.forEach((file, i) => outcomes.set(file, results[i]!));
  }, 120_000);
  return (file) => {
    const outcome = outcomes.get(file);
    if (outcome === undefined) throw new Error(`${file} did not run`);
    return outcome;
  };
}
