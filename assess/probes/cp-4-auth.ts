import { Redis } from 'ioredis';
import type { ClaimProbe } from '../probe.ts';
import { http } from '../measure.ts';
import { fact, judged, notRun, type ProbeResult } from '../verdict.ts';

export interface Cp4Measurement {
  /** exp - iat of an access token the auth service issued (s). */
  accessTtlS: number | undefined;
  /** TTL Redis reports for the refresh token's key (s); undefined if the key was not found. */
  refreshTtlS: number | undefined;
  /** The refresh answered 200 with a new token, and reusing the old one answered 401. */
  refreshStatus: number;
  reuseStatus: number;
  /** Logins from one IP through the gateway answered 200 before the first 429 (of `loginTries`). */
  loginsAllowed: number;
  loginTries: number;
  loginRefusedWith: number | undefined;
  signupsAllowed: number;
  signupTries: number;
}

const between = (v: number | undefined, lo: number, hi: number) => (v === undefined ? undefined : v >= lo && v <= hi);

export function judgeCp4(m: Cp4Measurement): ProbeResult {
  const loginLimit = m.loginRefusedWith === 429 ? m.loginsAllowed : undefined;
  return judged(
    'CP-4',
    'a fresh user registered on the auth service; its access token decoded; its refresh token\'s TTL read in Redis; refresh then reuse of the old token; logins and signups through the gateway from one client IP (X-Forwarded-For) with redis-rate-limit on',
    `access token ${m.accessTtlS ?? '-'} s; refresh token TTL ${m.refreshTtlS ?? 'not found'} s; refresh ${m.refreshStatus}, reuse of the old token ${m.reuseStatus}; logins: ${m.loginsAllowed} of ${m.loginTries} allowed before ${m.loginRefusedWith ?? 'no refusal'}; signups: ${m.signupsAllowed} of ${m.signupTries} allowed`,
    [
      fact('15 min access tokens', between(m.accessTtlS, 890, 910), `${m.accessTtlS ?? '-'} s`),
      fact('7 day refresh tokens in Redis', m.refreshTtlS === undefined ? false : between(m.refreshTtlS, 7 * 86_400 - 120, 7 * 86_400), m.refreshTtlS === undefined ? 'key not found in Redis' : `TTL ${m.refreshTtlS} s`),
      fact('refresh tokens rotated on use (old one refused)', m.refreshStatus === 200 ? m.reuseStatus === 401 : undefined, `refresh ${m.refreshStatus}, reuse ${m.reuseStatus}`),
      fact('login 5 per 15 min per IP (the 6th is 429)', loginLimit === undefined ? (m.loginsAllowed === m.loginTries ? false : undefined) : loginLimit === 5, loginLimit === undefined ? `${m.loginsAllowed} of ${m.loginTries} allowed, then ${m.loginRefusedWith ?? 'none refused'}` : `${loginLimit} allowed, then 429`),
      fact('signup 10 per hour per IP (the 11th refused)', m.signupsAllowed === 10 && m.signupTries > 10, `${m.signupsAllowed} of ${m.signupTries} allowed from one IP`),
    ],
    { accessTtlS: m.accessTtlS, refreshTtlS: m.refreshTtlS, loginsAllowed: m.loginsAllowed, signupsAllowed: m.signupsAllowed },
  );
}

interface Session {
  accessToken: string;
  refreshToken: string;
}

/** CP-4: token lifetimes, rotation and the login / signup limits, measured on the running platform. */
export const cp4Auth: ClaimProbe = {
  id: 'cp-4-auth',
  claimIds: ['CP-4'],
  description: 'registers a user, reads its tokens\' lifetimes, rotates its refresh token, and counts logins and signups per IP until 429',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const auth = ctx.stack.platform?.services.auth;
    if (!auth) return [notRun('CP-4', 'the platform reports no auth service URL')];
    const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const password = 'assessment-password';
    const reg = await http(`${auth}/api/auth/register`, { method: 'POST', json: { username: `cp4_${stamp}`, email: `cp4_${stamp}@example.test`, password } });
    if (reg.status !== 201) return [notRun('CP-4', `registering a user on the auth service answered ${reg.status}`)];
    const s = JSON.parse(reg.body.toString()) as Session;
    const payload = JSON.parse(Buffer.from(s.accessToken.split('.')[1]!, 'base64url').toString()) as { iat?: number; exp?: number };
    const accessTtlS = payload.exp !== undefined && payload.iat !== undefined ? payload.exp - payload.iat : undefined;
    const redis = new Redis(ctx.stack.urls.redis, { maxRetriesPerRequest: 1, lazyConnect: true });
    let refreshTtlS: number | undefined;
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `*rt:${s.refreshToken}`, 'COUNT', 10_000);
        const key = keys.find((k) => k.endsWith(`:rt:${s.refreshToken}`) || k === `rt:${s.refreshToken}`);
        if (key) refreshTtlS = await redis.ttl(key);
        cursor = next;
      } while (cursor !== '0' && refreshTtlS === undefined);
    } finally {
      redis.disconnect();
    }
    const refresh = await http(`${ctx.gateway}/api/auth/refresh`, { method: 'POST', json: { refreshToken: s.refreshToken } });
    const reuse = await http(`${ctx.gateway}/api/auth/refresh`, { method: 'POST', json: { refreshToken: s.refreshToken } });
    return ctx.withSwitches({ 'redis-rate-limit': true }, async () => {
      // Addresses no other probe or scenario uses, so the windows start empty.
      const ip = (k: number) => `198.18.${k}.${Math.floor(Math.random() * 250) + 1}`;
      const loginIp = ip(1);
      const loginTries = 7;
      let loginsAllowed = 0;
      let loginRefusedWith: number | undefined;
      for (let i = 0; i < loginTries; i++) {
        const r = await http(`${ctx.gateway}/api/auth/login`, { method: 'POST', json: { username: `cp4_${stamp}`, password }, headers: { 'x-forwarded-for': loginIp } });
        if (r.status === 200) loginsAllowed++;
        else {
          loginRefusedWith = r.status;
          break;
        }
      }
      const signupIp = ip(2);
      const signupTries = 11;
      let signupsAllowed = 0;
      for (let i = 0; i < signupTries; i++) {
        const r = await http(`${ctx.gateway}/api/auth/register`, { method: 'POST', json: { username: `cp4s_${stamp}_${i}`, email: `cp4s_${stamp}_${i}@example.test`, password }, headers: { 'x-forwarded-for': signupIp } });
        if (r.status === 201) signupsAllowed++;
        else break;
      }
      return [judgeCp4({ accessTtlS, refreshTtlS, refreshStatus: refresh.status, reuseStatus: reuse.status, loginsAllowed, loginTries, loginRefusedWith, signupsAllowed, signupTries })];
    });
  },
};
