/**
 * Profiles, cache-aside (LC-1): `user:<id>` for 10 minutes, invalidated when the profile changes.
 * Whether the cache is consulted at all is the `cache` switch, handled inside ctx.cache.
 */
import { ApiError } from '../../shared/api-errors.ts';
import type { ServiceContext } from '../../shared/context.ts';
import { toId, toIso, type PgId, type PgTime } from '../common/rows.ts';
import { Q } from './queries.ts';
import type { ProfilePatch } from './schemas.ts';

export const PROFILE_TTL_S = 10 * 60;
export const profileKey = (userId: number): string => `user:${userId}`;

interface ProfileRow {
  id: PgId;
  username: string;
  display_name: string;
  bio: string;
  status: string;
  last_seen_at: PgTime | null;
  created_at: PgTime;
}

export interface ProfileView {
  id: number;
  username: string;
  displayName: string;
  bio: string;
  status: string;
  lastSeenAt: string | null;
  createdAt: string;
}

export function toProfileView(r: ProfileRow): ProfileView {
  return {
    id: toId(r.id),
    username: r.username,
    displayName: r.display_name,
    bio: r.bio,
    status: r.status,
    lastSeenAt: toIso(r.last_seen_at),
    createdAt: toIso(r.created_at)!,
  };
}

function notFound(userId: number): ApiError {
  return new ApiError('NOT_FOUND', `user ${userId} does not exist`);
}

export async function getProfile(ctx: ServiceContext, userId: number): Promise<{ profile: ProfileView; hit: boolean }> {
  const db = ctx.db.forModule('profiles');
  const { value, hit } = await ctx.cache.getOrLoad(profileKey(userId), PROFILE_TTL_S, async () => {
    const rows = await db.query<ProfileRow & Record<string, unknown>>('get_user_profile', Q.get_user_profile, [userId]);
    // A missing user is not cached: it may be created a moment later.
    if (rows.length === 0) throw notFound(userId);
    return toProfileView(rows[0]!);
  });
  return { profile: value, hit };
}

export async function updateProfile(ctx: ServiceContext, userId: number, patch: ProfilePatch): Promise<ProfileView> {
  const db = ctx.db.forModule('profiles');
  const rows = await db.query<ProfileRow & Record<string, unknown>>('update_user_profile', Q.update_user_profile, [
    userId,
    patch.displayName ?? null,
    patch.bio ?? null,
  ]);
  if (rows.length === 0) throw notFound(userId);
  // After the write has committed, so a reader cannot re-cache the old row in between.
  await ctx.cache.invalidate(profileKey(userId));
  return toProfileView(rows[0]!);
}
