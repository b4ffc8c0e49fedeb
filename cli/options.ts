/**
 * One way to read a command's options: commander hands over strings (and booleans and arrays),
 * a zod schema says what they must be, and the first problem becomes one line that names the flag,
 * the value given and what was expected, exit 104 (k6's "invalid config" code; see core/errors.ts).
 * A bare `schema.parse` would throw a ZodError, a stack trace and exit 1.
 */
import type { z } from 'zod';
import { invalidInput } from '../core/index.ts';

export interface ParseOptionsHints {
  /** A field's flag when it is not `--` + the field in kebab case (e.g. databaseUrl -> --database-url is derived). */
  flags?: Record<string, string>;
  /** What a field expects, in words, used instead of zod's message (e.g. "an integer from 0 to 4294967295"). */
  expected?: Record<string, string>;
}

/** `fooBar` -> `--foo-bar`. */
export function flagOf(field: string, hints: ParseOptionsHints = {}): string {
  return hints.flags?.[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown, hints: ParseOptionsHints = {}): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = String(issue.path[0] ?? 'option');
  const value = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[field] : undefined;
  const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? 'undefined';
  const expected = hints.expected?.[field];
  throw invalidInput(expected ? `${flagOf(field, hints)} ${shown} is not valid; expected ${expected}` : `${flagOf(field, hints)} ${shown} is invalid: ${issue.message}`);
}
