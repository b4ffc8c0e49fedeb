/** The auth service's HTTP routes: register, login, refresh (rotated), logout. */
import { Router } from 'express';
import type { Request, RequestHandler } from 'express';
import type { Db, ServiceContext } from '../../shared/context.ts';
import { ApiError } from '../../shared/api-errors.ts';
import { parseOr400 } from '../../shared/validate.ts';
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts';
import { refreshTokenStore } from './refresh-tokens.ts';
import { loginBody, refreshBody, registerBody } from './schemas.ts';
import { passwordHashTimer, sessionIssuer, sessionUser, type TimedHash, type UserRow } from './session.ts';

interface AuthDeps {
  ctx: ServiceContext;
  db: Db;
  tokens: ReturnType<typeof refreshTokenStore>;
  timedHash: TimedHash;
  session: ReturnType<typeof sessionIssuer>;
}

export function authRouter(ctx: ServiceContext): Router {
  const tokens = refreshTokenStore(ctx.redis);
  const deps: AuthDeps = { ctx, db: ctx.db.forModule('auth'), tokens, timedHash: passwordHashTimer(ctx), session: sessionIssuer(ctx, tokens) };
  const router = Router();
  router.post('/api/auth/register', register(deps));
  router.post('/api/auth/login', login(deps));
  router.post('/api/auth/refresh', refresh(deps));
  router.post('/api/auth/logout', logout(deps));
  return router;
}

/** Which field a unique violation on users is about (the constraint's name says). */
export function takenField(constraint: string | undefined): 'email' | 'username' {
  return String(constraint ?? '').includes('email') ? 'email' : 'username';
}

function register({ db, timedHash, session }: AuthDeps): RequestHandler {
  return async (req, res) => {
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
        const field = takenField((e as { constraint?: string }).constraint);
        throw new ApiError('CONFLICT', `${field} is already taken`, field);
      }
      throw e;
    }
    res.status(201).json(await session(sessionUser(row!)));
  };
}

function login({ db, timedHash, session }: AuthDeps): RequestHandler {
  return async (req, res) => {
    const body = parseOr400(loginBody, req.body, 'body');
    const byEmail = body.username.includes('@');
    const [row] = await db.query<UserRow>(
      byEmail ? 'auth_user_by_email' : 'auth_user_by_username',
      `SELECT id, username, display_name, password_hash FROM users WHERE ${byEmail ? 'email' : 'username'} = $1`,
      [byEmail ? body.username.toLowerCase() : body.username],
    );
    const ok = await timedHash('verify', (off) => verifyPassword(row?.password_hash ?? dummyHash(), body.password, off));
    if (!row || !ok) throw new ApiError('UNAUTHENTICATED', 'wrong username or password');
    res.json(await session(sessionUser(row)));
  };
}

function refresh({ ctx, db, tokens, session }: AuthDeps): RequestHandler {
  return async (req, res) => {
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
    res.json(await session(sessionUser(row)));
  };
}

function logout({ tokens }: AuthDeps): RequestHandler {
  return async (req, res) => {
    const { refreshToken } = parseOr400(refreshBody, req.body, 'body');
    await tokens.revoke(refreshToken);
    res.status(204).end();
  };
}

function clientIp(req: Request): string | undefined {
  return req.get('x-forwarded-for')?.split(',')[0]?.trim() ?? req.ip;
}
