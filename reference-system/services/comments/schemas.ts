/** Request bodies and query strings of the comments service. */
import { z } from 'zod';
import { limitSchema } from '../common/validate.ts';

export const COMMENT_BODY_MAX = 2000;

export const createCommentSchema = z.strictObject({
  body: z
    .string({ error: 'must be a string' })
    .refine((s) => s.trim().length > 0, 'must not be empty')
    .refine((s) => s.length <= COMMENT_BODY_MAX, `must be at most ${COMMENT_BODY_MAX} characters`),
});

export function pageQuerySchema(maxPageSize: number) {
  return z.object({ limit: limitSchema(maxPageSize), cursor: z.string().max(128, 'is too long').optional() });
}
