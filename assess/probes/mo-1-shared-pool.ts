import pg from 'pg';
import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { http } from '../measure.ts';
import { fact, flawAtLeast, judged, show, type ProbeResult } from '../verdict.ts';
import { n } from './lib.ts';

/** One load phase: the platform's client connections at PgBouncer (SHOW CLIENTS, application_name brink-*). */
export interface PoolPhase {
  requests: number;
  failed: number;
  peakClients: number;
  /** Distinct pools seen (application_name: brink-<service> or brink-<service>/<module>). */
  pools: number;
}

export interface Mo1Measurement {
  perModule: PoolPhase;
  shared: PoolPhase;
  maxConnections: number;
  services: number;
}

export function judgeMo1(m: Mo1Measurement): ProbeResult {
  return judged(
    'MO-1',
    `switch shared-pool off (one pool per module) then on (one per service), cache off; ${m.perModule.requests} concurrent mixed reads through the gateway; the platform's client connections sampled at PgBouncer (SHOW CLIENTS) every 100 ms`,
    `one pool per module: ${m.perModule.pools} pools, peak ${m.perModule.peakClients} connections, ${m.perModule.failed} failed requests; one per service: ${m.shared.pools} pools, peak ${m.shared.peakClients} connections, ${m.shared.failed} failed; Postgres max_connections ${m.maxConnections}`,
    [
      fact('one client per module multiplies connections', m.shared.peakClients > 0 ? m.perModule.peakClients > m.shared.peakClients : undefined, `${m.perModule.peakClients} vs ${m.shared.peakClients} at peak`),
      flawAtLeast(`enough to exhaust Postgres (more than its max_connections ${m.maxConnections} if connected directly)`, m.perModule.peakClients, m.maxConnections + 1, show.n),
      fact('one shared pool per service fixes it (<= 15 each, no failed request)', m.shared.requests > 0 ? m.shared.failed === 0 && m.shared.peakClients <= m.services * 15 : undefined, `peak ${m.shared.peakClients} for ${m.services} services, ${m.shared.failed} failed`),
    ],
    { perModulePeak: m.perModule.peakClients, sharedPeak: m.shared.peakClients, perModulePools: m.perModule.pools, sharedPools: m.shared.pools },
  );
}

/** brink-<service>/<module> is a per-module pool, brink-<service> a shared one (shared/db.ts). */
const isModulePool = (name: string) => name.includes('/');

async function phase(ctx: AssessContext, admin: pg.Client, requests: number, perModule: boolean): Promise<PoolPhase> {
  const users = ctx.dataset.sampleUserIds;
  const posts = (await ctx.db.query<{ id: string }>('SELECT id FROM posts WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 50')).rows.map((r) => Number(r.id));
  let peakClients = 0;
  const pools = new Set<string>();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const rows = (await admin.query('SHOW CLIENTS').catch(() => ({ rows: [] }))).rows as { application_name?: string }[];
      // Idle clients of the other kind of pool linger (30 s idle timeout): count this phase's kind only.
      const mine = rows.filter((r) => r.application_name?.startsWith('brink-') && !r.application_name.endsWith('-unpooled') && isModulePool(r.application_name) === perModule);
      peakClients = Math.max(peakClients, mine.length);
      for (const r of mine) pools.add(r.application_name!);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  let failed = 0;
  let next = 0;
  await Promise.all(Array.from({ length: 40 }, async () => {
    while (next < requests) {
      const i = next++;
      const me = users[i % users.length]!;
      const headers = { authorization: `Bearer ${await ctx.token(me)}` };
      const k = i % 5;
      const path = k === 0 ? `/api/users/${users[(i * 7) % users.length]}` : k === 1 ? '/api/feed?limit=20' : k === 2 ? `/api/users/${me}/posts?limit=20` : k === 3 ? `/api/posts/${posts[i % posts.length]}/comments?limit=20` : `/api/search/users?q=user${i % 90}`;
      const r = await http(`${ctx.gateway}${path}`, { headers, timeoutMs: 60_000 }).catch(() => ({ status: 0 }));
      if (r.status !== 200) failed++;
    }
  }));
  sampling = false;
  await sampler;
  return { requests, failed, peakClients, pools: pools.size };
}

/** MO-1: one pool per module vs one shared pool per service, counted at PgBouncer under load. */
export const mo1SharedPool: ClaimProbe = {
  id: 'mo-1-shared-pool',
  claimIds: ['MO-1'],
  description: 'loads the platform with shared-pool off then on and counts its client connections at PgBouncer',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const admin = new pg.Client({ connectionString: ctx.stack.urls.pgbouncer.replace(/\/[^/]*$/, '/pgbouncer') });
    admin.on('error', () => undefined);
    await admin.connect();
    try {
      const requests = n(ctx, 400, 3000);
      const perModule = await ctx.withSwitches({ 'shared-pool': false, pooling: true, cache: false }, () => phase(ctx, admin, requests, true));
      const shared = await ctx.withSwitches({ 'shared-pool': true, pooling: true, cache: false }, () => phase(ctx, admin, requests, false));
      const maxConnections = Number((await ctx.db.query<{ max_connections: string }>('SHOW max_connections')).rows[0]!.max_connections);
      const services = Object.keys(ctx.stack.platform?.services ?? {}).filter((s) => !s.startsWith('gateway')).length;
      return [judgeMo1({ perModule, shared, maxConnections, services })];
    } finally {
      await admin.end().catch(() => undefined);
    }
  },
};
