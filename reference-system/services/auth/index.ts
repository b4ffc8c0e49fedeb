/**
 * The auth service: register, login, refresh, logout (CP-4). Access tokens are 15-minute HS256
 * JWTs; refresh tokens are opaque, 7 days, kept in Redis and rotated on every use.
 */
import { Router } from 'express';
import type { Request } from 'express';
import type { ServiceContext, ServiceDescriptor } from '../../shared/context.ts';
import { ApiError } from '../../shared/api-errors.ts';
import { ACCESS_TOKEN_TTL_S, REFRESH_TOKEN_TTL_S, signAccessToken } from '../../shared/tokens.ts';
import { histogram } from '../../shared/metrics.ts';
import { parseOr400 } from '../../shared/validate.ts';
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts';
import { refreshTokenStore } from './refresh-tokens.ts';
import { loginBody, refreshBody, registerBody } from './schemas.ts';

interface UserRow extends Record<string, unknown> {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
}

export const authService: ServiceDescriptor = {
  id: 'auth',
  description: 'register, login, refresh (rotated), logout; argon2id password hashes, refresh tokens in Redis',
  create(ctx: ServiceContext) {
    const db = ctx.db.forModule('auth');
    const tokens = refreshTokenStore(ctx.redis);
    const hashTime = histogram(ctx.metrics, {
      name: 'brink_password_hash_duration_seconds',
      help: 'argon2id hash/verify time, by where it ran (event loop or thread pool)',
      labelNames: ['op', 'where'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    });
    const timedHash = async <T>(op: 'hash' | 'verify', fn: (offLoop: boolean) => Promise<T>): Promise<T> => {
      const offLoop = ctx.switches['hash-off-loop'];
      const end = hashTime.startTimer({ op, where: offLoop ? 'thread_pool' : 'event_loop' });
      try {
        return await fn(offLoop);
      } finally {
        end();
      }
    };
    const session = async (user: { id: number; username: string; displayName: string }) => ({
      user,
      tokenType: 'Bearer',
      accessToken: await signAccessToken(ctx.config.jwtSecret, user.id),
      expiresInS: ACCESS_TOKEN_TTL_S,
      refreshToken: await tokens.issue(user.id),
      refreshExpiresInS: REFRESH_TOKEN_TTL_S,
    });

    const router = Router();

    router.post('/api/auth/register', async (req, res) => {
      const body = parseOr400(registerBody, req.body, 'body');
      const passwordHash = await timedHash('hash', (off) => hashPassword(body.password, off));
      let row: UserRow | undefined;
      try {
        [row] = await db.query<UserRow>(
          'auth_insert_user',
          'INSERT INTO users (username, email, password_hash, display_name) VALUES ($1, $2, $3, $4) RETURNING id, username, display_name',
          [body.username, body.email.toLowerCase(), passwordHash, body.displayName ?? body.username],
        );
      } catch (e) {
        if ((e as { code?: string }).code === '23505') {
          const field = String((e as { constraint?: string }).constraint ?? '').includes('email') ? 'email' : 'username';
          throw new ApiError('CONFLICT', `${field} is already taken`, field);
        }
        throw e;
      }
      res.status(201).json(await session({ id: Number(row!.id), username: row!.username, displayName: row!.display_name }));
    });

    router.post('/api/auth/login', async (req, res) => {
      const body = parseOr400(loginBody, req.body, 'body');
      const byEmail = body.username.includes('@');
      const [row] = await db.query<UserRow>(
        byEmail ? 'auth_user_by_email' : 'auth_user_by_username',
        `SELECT id, username, display_name, password_hash FROM users WHERE ${byEmail ? 'email' : 'username'} = $1`,
        [byEmail ? body.username.toLowerCase() : body.username],
      );
      const ok = await timedHash('verify', (off) => verifyPassword(row?.password_hash ?? dummyHash(), body.password, off));
      if (!row || !ok) throw new ApiError('UNAUTHENTICATED', 'wrong username or password');
      res.json(await session({ id: Number(row.id), username: row.username, displayName: row.display_name }));
    });

    router.post('/api/auth/refresh', async (req, res) => {
      const { refreshToken } = parseOr400(refreshBody, req.body, 'body');
      const used = await tokens.consume(refreshToken);
      if (used.kind === 'revoked') {
        const revoked = await tokens.revokeAll(used.userId);
        ctx.log.warn({ userId: used.userId, revoked, ip: clientIp(req) }, 'revoked refresh token reused; all of the user\'s refresh tokens revoked');
        throw new ApiError('UNAUTHENTICATED', 'refresh token has been revoked', 'refreshToken');
      }
      if (used.kind === 'unknown') throw new ApiError('UNAUTHENTICATED', 'refresh token is unknown or expired', 'refreshToken');
      const [row] = await db.query<UserRow>('auth_user_by_id', 'SELECT id, username, display_name FROM users WHERE id = $1', [used.userId]);
      if (!row) throw new ApiError('UNAUTHENTICATED', 'refresh token belongs to a user that no longer exists', 'refreshToken');
      res.json(await session({ id: Number(row.id), username: row.username, displayName: row.display_name }));
    });

    router.post('/api/auth/logout', async (req, res) => {
      const { refreshToken } = parseOr400(refreshBody, req.body, 'body');
      await tokens.revoke(refreshToken);
      res.status(204).end();
    });

    return router;
  },
};

function clientIp(req: Request): string | undefined {
  return req.get('x-forwarded-for')?.split(',')[0]?.trim() ?? req.ip;
}
