/** Auth request bodies. The gateway validates with these before forwarding; the service again. */
import { z } from 'zod';

export const registerBody = z.object({
  username: z.string().regex(/^[A-Za-z0-9_.]{3,32}$/, 'must be 3-32 letters, digits, "_" or "."'),
  email: z.email('must be an email address').max(254),
  password: z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters'),
  displayName: z.string().trim().min(1).max(64).optional(),
});

export const loginBody = z.object({
  /** A username or an email address. */
  username: z.string().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(128, 'must be at most 128 characters'),
});

export const refreshBody = z.object({ refreshToken: z.string().min(16, 'is not a refresh token').max(256) });

export type RegisterBody = z.infer<typeof registerBody>;
export type LoginBody = z.infer<typeof loginBody>;
