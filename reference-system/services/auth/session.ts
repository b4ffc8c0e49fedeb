/** What a successful register, login or refresh answers, and the timing of password hashing around it. */
import type { Histogram } from 'prom-client';
import type { ServiceContext } from '../../shared/context.ts';
import { histogram } from '../../shared/metrics.ts';
import { ACCESS_TOKEN_TTL_S, REFRESH_TOKEN_TTL_S, signAccessToken } from '../../shared/tokens.ts';
import type { refreshTokenStore } from './refresh-tokens.ts';

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
}

/** A users row as the auth queries select it. */
export interface UserRow extends Record<string, unknown> {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
}

export function sessionUser(row: Pick<UserRow, 'id' | 'username' | 'display_name'>): SessionUser {
  return { id: Number(row.id), username: row.username, displayName: row.display_name };
}

/** A fresh access token and a new refresh token for the user. */
export function sessionIssuer(ctx: ServiceContext, tokens: ReturnType<typeof refreshTokenStore>) {
  return async (user: SessionUser) => ({
    user,
    tokenType: 'Bearer',
    accessToken: await signAccessToken(ctx.config.jwtSecret, user.id),
    expiresInS: ACCESS_TOKEN_TTL_S,
    refreshToken: await tokens.issue(user.id),
    refreshExpiresInS: REFRESH_TOKEN_TTL_S,
  });
}

export type TimedHash = <T>(op: 'hash' | 'verify', fn: (offLoop: boolean) => Promise<T>) => Promise<T>;

/** Runs a hash or verify where the `hash-off-loop` switch says, timed by where it ran. */
export function passwordHashTimer(ctx: ServiceContext): TimedHash {
  const hashTime: Histogram<'op' | 'where'> = histogram(ctx.metrics, {
    name: 'brink_password_hash_duration_seconds',
    help: 'argon2id hash/verify time, by where it ran (event loop or thread pool)',
    labelNames: ['op', 'where'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
  });
  return async (op, fn) => {
    const offLoop = ctx.switches['hash-off-loop'];
    const end = hashTime.startTimer({ op, where: offLoop ? 'thread_pool' : 'event_loop' });
    try {
      return await fn(offLoop);
    } finally {
      end();
    }
  };
}
