import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { treeCpuMs } from '../cpu.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { costAtMost, judged, notMeasurable, show, unmeasured, type ProbeResult } from '../verdict.ts';
import { heavyUser, n } from './lib.ts';

export interface GatewayCostMeasurement {
  requests: number;
  /** p50 with compression, redis-rate-limit and breakers off, then on: a JSON page read and a comment write. */
  readOffP50Ms: number;
  readOnP50Ms: number;
  writeOffP50Ms: number;
  writeOnP50Ms: number;
  /** CPU of the whole platform process tree per cached read (ms): an upper bound of the gateway's share. */
  cpuMsPerRequest: number | undefined;
}

/** Requests per second one core can serve at this CPU cost, if nothing else limits it. */
export const perCoreRate = (cpuMsPerRequest: number) => 1000 / cpuMsPerRequest;

export function judgeNf7(m: GatewayCostMeasurement): ProbeResult {
  const readCost = m.readOnP50Ms - m.readOffP50Ms;
  const writeCost = m.writeOnP50Ms - m.writeOffP50Ms;
  const worst = Math.max(readCost, writeCost);
  const rate = m.cpuMsPerRequest ? perCoreRate(m.cpuMsPerRequest) : undefined;
  const r = judged(
    'NF-7',
    `switches compression, redis-rate-limit and breakers off, then on; ${m.requests} GET /api/users/:id/posts?limit=50 (gzip) and ${m.requests} POST comment (rate-limited) through the gateway; CPU of the platform's process tree per cached read from /proc`,
    `overhead: read ${show.plusMs(readCost)} (p50 ${fmtMs(m.readOffP50Ms)} -> ${fmtMs(m.readOnP50Ms)}), write ${show.plusMs(writeCost)} (p50 ${fmtMs(m.writeOffP50Ms)} -> ${fmtMs(m.writeOnP50Ms)}); platform CPU ${m.cpuMsPerRequest !== undefined ? `${m.cpuMsPerRequest.toFixed(2)} ms` : '-'} per cached read`,
    [
      costAtMost('5-10 ms overhead from compression + rate limit + breaker', worst, [5, 10], show.plusMs),
      unmeasured('10,000+ req/s through one gateway', `the load generator shares the machine's 2 cores with the platform${rate ? `; model: ${rate.toFixed(0)} req/s per core at the measured CPU cost, so 10,000 req/s needs ~${Math.ceil(10_000 / rate)} cores for the whole platform` : ''}`),
    ],
    { readOverheadMs: readCost, writeOverheadMs: writeCost, cpuMsPerRequest: m.cpuMsPerRequest, perCoreRate: rate },
  );
  return rate ? { ...r, modelEstimate: `${rate.toFixed(0)} req/s per core (whole platform, cached read); 10,000 req/s ~ ${Math.ceil(10_000 / rate)} cores` } : r;
}

export function judgeCp10(m: GatewayCostMeasurement): ProbeResult {
  const rate = m.cpuMsPerRequest ? perCoreRate(m.cpuMsPerRequest) : undefined;
  return notMeasurable(
    'CP-10',
    '1,000,000+ users and 50,000+ req/s need many machines; one 2-core machine shared with the load generator cannot show them',
    rate ? `from the measured ${m.cpuMsPerRequest!.toFixed(2)} ms of platform CPU per cached read (${rate.toFixed(0)} req/s per core): 2,000 req/s ~ ${Math.ceil(2_000 / rate)} cores, 50,000 req/s ~ ${Math.ceil(50_000 / rate)} cores before Postgres, which does not scale out this way` : undefined,
  );
}

async function cpuPerRead(ctx: AssessContext, requests: number): Promise<number | undefined> {
  const pid = ctx.stack.platform?.pid;
  if (!pid) return undefined;
  const me = ctx.dataset.sampleUserIds[7]!;
  const headers = { authorization: `Bearer ${await ctx.token(me)}` };
  const url = `${ctx.gateway}/api/users/${me}`;
  await http(url, { headers });
  const c0 = treeCpuMs(pid);
  let ok = 0;
  await repeat(requests, async () => {
    if ((await http(url, { headers })).status === 200) ok++;
  }, { concurrency: 8 });
  const c1 = treeCpuMs(pid);
  return c0 !== undefined && c1 !== undefined && ok === requests && c1 > c0 ? (c1 - c0) / requests : undefined;
}

/** NF-7 (gateway overhead, and a per-core model for 10,000 req/s) and CP-10's model estimate. */
export const gatewayCost: ClaimProbe = {
  id: 'gateway-cost',
  claimIds: ['NF-7', 'CP-10'],
  description: 'times reads and writes with the gateway\'s compression, rate limit and breakers off then on, and measures platform CPU per request',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const requests = n(ctx, 60, 400);
    const author = heavyUser(ctx, 'small');
    const post = Number((await ctx.db.query<{ id: string }>('SELECT id FROM posts WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 1')).rows[0]!.id);
    const readHeaders = { authorization: `Bearer ${await ctx.token(ctx.dataset.sampleUserIds[8]!)}`, 'accept-encoding': 'gzip' };
    let writer = 0;
    const measure = async () => {
      const read = await repeat(requests, async () => {
        const r = await http(`${ctx.gateway}/api/users/${author.id}/posts?limit=50`, { headers: readHeaders });
        if (r.status !== 200) throw new Error(`GET posts answered ${r.status}`);
      }, { warmup: 5 });
      // Each write from another user: the create-comment rule allows 30 per user per 15 minutes.
      const write = await repeat(requests, async () => {
        const user = ctx.dataset.sampleUserIds[100 + (writer++ % 800)]!;
        const r = await http(`${ctx.gateway}/api/posts/${post}/comments`, { method: 'POST', headers: { authorization: `Bearer ${await ctx.token(user)}` }, json: { body: 'gateway overhead probe' } });
        if (r.status !== 201 && r.status !== 200) throw new Error(`POST comment answered ${r.status}`);
      });
      return { read, write };
    };
    const fixes = (on: boolean) => ({ compression: on, 'redis-rate-limit': on, breakers: on, cache: true });
    const off = await ctx.withSwitches(fixes(false), measure);
    const on = await ctx.withSwitches(fixes(true), measure);
    const cpuMsPerRequest = await cpuPerRead(ctx, n(ctx, 400, 3000));
    const m: GatewayCostMeasurement = { requests, readOffP50Ms: off.read.p50, readOnP50Ms: on.read.p50, writeOffP50Ms: off.write.p50, writeOnP50Ms: on.write.p50, cpuMsPerRequest };
    return [judgeNf7(m), judgeCp10(m)];
  },
};
