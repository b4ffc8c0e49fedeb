/** Parses a request part with a zod schema; the first failing field becomes a 400 naming it. */
import type { z } from 'zod';
import { ApiError } from './api-errors.ts';

export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, where: 'body' | 'query' | 'params'): z.infer<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : where;
  throw new ApiError('VALIDATION_FAILED', `${where}.${field}: ${issue.message}`, field);
}
