/**
 * The auth service: register, login, refresh, logout (CP-4). Access tokens are 15-minute HS256
 * JWTs; refresh tokens are opaque, 7 days, kept in Redis and rotated on every use.
 */
import type { ServiceContext, ServiceDescriptor } from '../../shared/context.ts';
import { authRouter } from './routes.ts';

export const authService: ServiceDescriptor = {
  id: 'auth',
  description: 'register, login, refresh (rotated), logout; argon2id password hashes, refresh tokens in Redis',
  create: (ctx: ServiceContext) => authRouter(ctx),
};
