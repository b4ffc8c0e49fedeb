/**
 * Request validation: one zod schema per input, parsed once where the request enters; the first
 * failing field becomes a 400 VALIDATION_FAILED naming it.
 */
import { z } from 'zod';
import { ApiError } from '../../shared/api-errors.ts';

/** Parses `input` or throws ApiError('VALIDATION_FAILED') naming the first failing field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query' | 'params'): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = fieldOf(issue) ?? where;
  throw new ApiError('VALIDATION_FAILED', `${where}.${field}: ${issue.message}`, field);
}

function fieldOf(issue: z.core.$ZodIssue): string | undefined {
  if (issue.path.length > 0) return issue.path.map(String).join('.');
  // Unknown keys in a strict object are reported at the root with the offending keys listed.
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) return issue.keys[0];
  return undefined;
}

/** A positive bigint id in a path segment ("/api/users/:id"), as a safe JS integer. */
export const idSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer id')
  .transform(Number)
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER, 'must be a positive integer id'));

export const idParams = z.object({ id: idSchema });

/**
 * `limit` from the query string: default 20, at least 1; above the platform's maximum page size it
 * is capped rather than refused, so a client asking for 1,000 gets maxPageSize rows and a cursor.
 */
export function limitSchema(maxPageSize: number, defaultLimit = 20) {
  return z
    .string()
    .regex(/^[0-9]{1,6}$/, 'must be a positive integer')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1'))
    .optional()
    .transform((n) => Math.min(n ?? Math.min(defaultLimit, maxPageSize), maxPageSize));
}
