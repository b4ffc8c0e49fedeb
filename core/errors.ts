/**
 * One error class for the whole project. Every failure a user can see carries a code from
 * ERROR_CODES, which fixes its exit status (k6's numbering: 99 thresholds, 104 invalid input,
 * 105 aborted), plus the value that was wrong and a suggestion of what to do.
 */
export const ERROR_CODES = {
  INVALID_INPUT: { exitCode: 104, summary: 'invalid input' },
  MISSING_DEPENDENCY: { exitCode: 104, summary: 'a required program is missing' },
  PORT_IN_USE: { exitCode: 104, summary: 'a port is already in use' },
  STACK_NOT_RUNNING: { exitCode: 104, summary: 'no stack is running' },
  STACK_STALE: { exitCode: 104, summary: 'a stale stack state file was found' },
  UNREACHABLE: { exitCode: 104, summary: 'a target could not be reached' },
  REMOTE_TARGET_REFUSED: { exitCode: 104, summary: 'load to a non-loopback target refused' },
  THRESHOLDS_FAILED: { exitCode: 99, summary: 'thresholds failed' },
  HYPOTHESIS_FAILED: { exitCode: 99, summary: 'a steady-state hypothesis failed' },
  ABORTED: { exitCode: 105, summary: 'aborted' },
  STARTUP_FAILED: { exitCode: 1, summary: 'a component failed to start' },
  UNEXPECTED: { exitCode: 1, summary: 'unexpected error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface BrinkErrorOptions {
  cause?: unknown;
  /** What the user can do about it, e.g. the command that installs a missing program. */
  suggestion?: string;
  /** Structured details for --json output and reports. */
  details?: Record<string, unknown>;
}

export class BrinkError extends Error {
  readonly code: ErrorCode;
  readonly suggestion: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: BrinkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BrinkError';
    this.code = code;
    this.suggestion = options.suggestion;
    this.details = options.details;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode;
  }

  /** One line for a terminal: the message, then the suggestion if there is one. */
  toLine(): string {
    return this.suggestion ? `${this.message} (${this.suggestion})` : this.message;
  }
}

export function invalidInput(message: string, suggestion?: string): BrinkError {
  return new BrinkError('INVALID_INPUT', message, suggestion === undefined ? {} : { suggestion });
}

/** Throws the INVALID_INPUT error "unknown KIND "value"; expected one of: a, b, c". */
export function unknownName(kind: string, value: string, valid: readonly string[]): BrinkError {
  return invalidInput(`unknown ${kind} "${value}"; expected one of: ${valid.join(', ')}`);
}

export function isBrinkError(e: unknown): e is BrinkError {
  return e instanceof BrinkError;
}

export function exitCodeOf(e: unknown): number {
  return isBrinkError(e) ? e.exitCode : ERROR_CODES.UNEXPECTED.exitCode;
}
