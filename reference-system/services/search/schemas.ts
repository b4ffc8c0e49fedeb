/** The search query string: q required (1..200 characters after trimming), limit capped. */
import { z } from 'zod';
import { limitSchema } from '../common/validate.ts';

export const Q_MAX = 200;

export function searchQuerySchema(maxPageSize: number) {
  return z.object({
    q: z
      .string({ error: 'is required' })
      .trim()
      .min(1, 'is required')
      .max(Q_MAX, `must be at most ${Q_MAX} characters`),
    limit: limitSchema(maxPageSize),
  });
}
