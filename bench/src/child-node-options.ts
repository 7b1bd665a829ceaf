/**
 * This process's Node options (the TypeScript loader, export conditions, `--expose-gc`) for a
 * child that runs another benchmark file, without a script given inline (`-e`, `-p`): started as
 * `node -e "import('./src/x.ts')…"`, a child given those options would run the benchmark again,
 * and its own child again, without end.
 */
export function childNodeOptions(): string[] {
  const options: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const option = argv[i]!;
    if (option === "-e" || option === "--eval" || option === "-p" || option === "--print") i++;
    else if (!/^--(eval|print)=/.test(option)) options.push(option);
  }
  return options;
}
