/** A mistake in the command line: exit code 2, with a pointer to the help. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    /** The command whose help to point at (`kv`, `r2`, …), or undefined for the program's. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** An operation that failed for a reason the user can act on: exit code 1. */
export class OperationError extends Error {
  override readonly name = "OperationError";
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
