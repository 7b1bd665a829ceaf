/** One benchmark figure printed beside the raw limit measured in the same run. */
export interface Comparison {
  readonly name: string;
  readonly unit: string;
  /** Our figure, higher is better (ops/s, MiB/s). */
  readonly ours: number;
  /** The raw limit (raw fs, raw better-sqlite3) measured in the same run. */
  readonly raw: number;
  /** Minimum acceptable ours/raw, if the issue sets one. */
  readonly target?: number;
  readonly rawLabel: string;
}

export interface Figure {
  readonly name: string;
  readonly value: string;
  readonly note?: string;
}

const rows: string[] = [];

export function reportComparison(c: Comparison): void {
  const ratio = c.ours / c.raw;
  const verdict = c.target === undefined ? "report" : ratio >= c.target ? `ok (target >= ${c.target}x)` : `BELOW target ${c.target}x`;
  const line = `${c.name.padEnd(46)} ${fmt(c.ours).padStart(10)} ${c.unit.padEnd(6)} vs ${c.rawLabel} ${fmt(c.raw).padStart(10)} ${c.unit.padEnd(6)} = ${ratio.toFixed(2)}x  ${verdict}`;
  rows.push(line);
  console.log(line);
}

export function reportFigure(f: Figure): void {
  const line = `${f.name.padEnd(46)} ${f.value}${f.note ? `  (${f.note})` : ""}`;
  rows.push(line);
  console.log(line);
}

export function summary(): string {
  return rows.join("\n");
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n.toFixed(1);
}

/** Runs `fn` `rounds` times and returns the best (shortest) duration in ms; warms up once first. */
export async function bestOf(rounds: number, fn: () => Promise<void> | void): Promise<number> {
  await fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.();
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * Alternates two contenders `rounds` times (ours, raw, ours, raw, ...) and returns the best time of
 * each. Interleaving keeps drift (page cache, CPU frequency, other load) from favouring either side.
 */
export async function race(
  rounds: number,
  ours: () => Promise<void> | void,
  raw: () => Promise<void> | void,
): Promise<{ ours: number; raw: number }> {
  await ours();
  await raw();
  let bestOurs = Number.POSITIVE_INFINITY;
  let bestRaw = Number.POSITIVE_INFINITY;
  for (let i = 0; i < rounds; i++) {
    globalThis.gc?.();
    let start = performance.now();
    await ours();
    bestOurs = Math.min(bestOurs, performance.now() - start);
    globalThis.gc?.();
    start = performance.now();
    await raw();
    bestRaw = Math.min(bestRaw, performance.now() - start);
  }
  return { ours: bestOurs, raw: bestRaw };
}
