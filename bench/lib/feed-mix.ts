/**
 * The issue-14 read mix for steady-load benchmarks: 70% GET /api/feed?limit=20, 30% GET
 * /api/users/:id/posts?limit=20, spread over fresh users registered through the gateway. One of
 * them follows nobody and has no posts (the hot key: its empty feed and empty post list are
 * requested over and over), the others follow `follows` seeded accounts each.
 */
import { request } from 'undici';
import type { OpenLoadTarget } from './open-load.ts';

export interface MixUser {
  id: number;
  token: string;
  follows: number[];
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  const res = await request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.body.text();
  return { status: res.statusCode, json: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Registers a user (a distinct X-Forwarded-For per user, so the per-IP register limit does not bite). */
export async function registerUser(gateway: string, name: string, ipOctet: number): Promise<{ id: number; token: string }> {
  const r = await post(`${gateway}/api/auth/register`, { username: name, email: `${name}@example.test`, password: 'bench-password-1' }, { 'x-forwarded-for': `10.9.${Math.floor(ipOctet / 250)}.${(ipOctet % 250) + 1}` });
  if (r.status !== 201) throw new Error(`register ${name} answered ${r.status}: ${JSON.stringify(r.json)}`);
  const j = r.json as { user: { id: number }; accessToken: string };
  return { id: j.user.id, token: j.accessToken };
}

export async function follow(gateway: string, token: string, followeeId: number): Promise<void> {
  const r = await post(`${gateway}/api/users/${followeeId}/follow`, {}, { authorization: `Bearer ${token}` });
  if (r.status >= 300 && r.status !== 409) throw new Error(`follow ${followeeId} answered ${r.status}: ${JSON.stringify(r.json)}`);
}

/**
 * `heavy` users following `follows` seeded accounts each (ids spread over 1..seededUsers) plus one
 * user who follows nobody.
 */
export async function prepareMixUsers(gateway: string, opts: { heavy: number; follows: number; seededUsers: number; tag?: string }): Promise<{ empty: MixUser; heavy: MixUser[] }> {
  const tag = opts.tag ?? Date.now().toString(36);
  const e = await registerUser(gateway, `bench_${tag}_empty`, 0);
  const heavy: MixUser[] = [];
  for (let i = 0; i < opts.heavy; i++) {
    const u = await registerUser(gateway, `bench_${tag}_h${i}`, i + 1);
    const follows = Array.from({ length: opts.follows }, (_, k) => 1 + ((k * 997 + i * 131) % opts.seededUsers));
    const unique = [...new Set(follows)];
    for (const f of unique) await follow(gateway, u.token, f);
    heavy.push({ ...u, follows: unique });
  }
  return { empty: { ...e, follows: [] }, heavy };
}

/**
 * The request for slot i: every user takes an equal share; 70% feed, 30% user posts (the empty
 * user asks for its own empty list, the others for one of the accounts they follow).
 */
export function feedMix(users: MixUser[]): (i: number) => OpenLoadTarget {
  return (i) => {
    const u = users[i % users.length]!;
    const headers = { authorization: `Bearer ${u.token}` };
    const slot = Math.floor(i / users.length) % 10;
    if (slot < 7) return { path: '/api/feed?limit=20', headers, route: 'feed' };
    const target = u.follows.length === 0 ? u.id : u.follows[(i * 7) % u.follows.length]!;
    return { path: `/api/users/${target}/posts?limit=20`, headers, route: 'user-posts' };
  };
}
