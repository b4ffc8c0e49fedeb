/** Request bodies and query strings of the users service, validated once where they enter. */
import { z } from 'zod';
import { limitSchema } from '../common/validate.ts';

export const DISPLAY_NAME_MAX = 100;
export const BIO_MAX = 500;

/** PATCH /api/users/:id: the editable fields, at least one; unknown fields are refused by name. */
export const profilePatchSchema = z
  .strictObject({
    displayName: z.string().trim().min(1, 'must not be empty').max(DISPLAY_NAME_MAX, `must be at most ${DISPLAY_NAME_MAX} characters`).optional(),
    bio: z.string().max(BIO_MAX, `must be at most ${BIO_MAX} characters`).optional(),
  })
  .refine((p) => p.displayName !== undefined || p.bio !== undefined, { message: 'give displayName or bio', path: ['displayName'] });

export type ProfilePatch = z.infer<typeof profilePatchSchema>;

export function pageQuerySchema(maxPageSize: number) {
  return z.object({ limit: limitSchema(maxPageSize), cursor: z.string().max(128, 'is too long').optional() });
}
