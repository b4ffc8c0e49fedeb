/** Request bodies and query strings of the posts service. */
import { z } from 'zod';
import { limitSchema } from '../common/validate.ts';

export const POST_BODY_MAX = 5000;

export const createPostSchema = z.strictObject({
  body: z
    .string({ error: 'must be a string' })
    .refine((s) => s.trim().length > 0, 'must not be empty')
    .refine((s) => s.length <= POST_BODY_MAX, `must be at most ${POST_BODY_MAX} characters`),
});

export function pageQuerySchema(maxPageSize: number) {
  return z.object({ limit: limitSchema(maxPageSize), cursor: z.string().max(128, 'is too long').optional() });
}

export function trendingQuerySchema(maxPageSize: number) {
  return z.object({ limit: limitSchema(maxPageSize) });
}
