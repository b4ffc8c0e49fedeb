import type { ClaimProbe } from '../probe.ts';
import { fmtMs, http, repeat } from '../measure.ts';
import { n, result } from './lib.ts';

interface BreakerStates {
  breakers: { service: string; state: 'closed' | 'open' | 'half-open' }[];
}

const TOXIC = 'brink-assess-hang';

async function toxiproxy(api: string, path: string, method: 'POST' | 'DELETE', body?: unknown): Promise<void> {
  const res = await fetch(`${api}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!res.ok && !(method === 'DELETE' && res.status === 404)) throw new Error(`toxiproxy ${method} ${path}: ${res.status} ${await res.text()}`);
}

/**
 * NF-5 on the gateway->posts hop (Toxiproxy proxy svc-posts), in three parts:
 *  A. posts hangs (timeout toxic), breakers off: each call waits out the 10 s timeout;
 *  B. posts hangs, breakers on: do twelve timed-out calls open the breaker? (with opossum's default
 *     10 s rolling window equal to the 10 s timeout, the fires have left the window by the time the
 *     timeouts are counted);
 *  C. posts is dead (proxy disabled: connections refused), breakers on: the breaker opens and the
 *     following calls are timed.
 * Toxics are always removed, the proxy re-enabled, and the probe waits for the breaker to close.
 */
export const nf5Breaker: ClaimProbe = {
  id: 'nf-5-breaker',
  claimIds: ['NF-5'],
  description: 'hangs, then kills, the gateway->posts hop and times failing calls with breakers off and on',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const api = ctx.stack.urls.toxiproxy;
    const proxy = '/proxies/svc-posts';
    const headers = { authorization: `Bearer ${await ctx.token(ctx.dataset.sampleUserIds[2]!)}` };
    const feed = () => http(`${ctx.gateway}/api/feed?limit=5`, { headers, timeoutMs: 40_000 });
    const postsState = async () => ((await (await fetch(`${ctx.gateway}/health/circuit-breakers`)).json()) as BreakerStates).breakers.find((b) => b.service === 'posts')?.state;
    const fastCalls = n(ctx, 20, 100);
    try {
      await toxiproxy(api, `${proxy}/toxics`, 'POST', { name: TOXIC, type: 'timeout', stream: 'upstream', toxicity: 1, attributes: { timeout: 0 } });
      const hangOff = await ctx.withSwitches({ breakers: false, 'service-timeouts': true }, async () => feed());
      const hangOn = await ctx.withSwitches({ breakers: true, 'service-timeouts': true }, async () => {
        // Volume threshold 10: twelve hanging calls at once.
        const calls = await Promise.all(Array.from({ length: 12 }, () => feed()));
        return { state: await postsState(), worstMs: Math.max(...calls.map((c) => c.ms)) };
      });
      await toxiproxy(api, `${proxy}/toxics/${TOXIC}`, 'DELETE');
      await toxiproxy(api, proxy, 'POST', { enabled: false });
      const dead = await ctx.withSwitches({ breakers: true, 'service-timeouts': true }, async () => {
        const opening = await Promise.all(Array.from({ length: 12 }, () => feed()));
        const state = await postsState();
        const statuses = new Set<number>();
        const fast = await repeat(fastCalls, async () => statuses.add((await feed()).status));
        return { state, openingMaxMs: Math.max(...opening.map((c) => c.ms)), fast, statuses: [...statuses] };
      });
      return [
        result(
          'NF-5',
          'gateway->posts hop through Toxiproxy (svc-posts): a timeout toxic (hang), then the proxy disabled (dead service); switch breakers off/on with service-timeouts on (posts 10 s); GET /api/feed; client-side latency on loopback',
          `hang, no breaker: ${fmtMs(hangOff.ms)} (HTTP ${hangOff.status}); hang with breakers: still ${hangOn.state ?? 'unknown'} after 12 timed-out calls; dead service with breakers: ${dead.state ?? 'unknown'} after 12 calls, then ${fastCalls} calls p50 ${fmtMs(dead.fast.p50)}, max ${fmtMs(dead.fast.max)} (HTTP ${dead.statuses.join('/')})`,
          [
            { label: 'without a breaker a failing call waits out the ~10 s timeout', ok: hangOff.ms >= 9000, measured: fmtMs(hangOff.ms) },
            { label: 'the breaker opens on a hanging service', ok: hangOn.state === 'open', measured: `${hangOn.state ?? 'unknown'} after 12 timeouts (opossum rolling window 10 s = the timeout)` },
            { label: 'the breaker opens on a dead service', ok: dead.state === 'open', measured: dead.state ?? 'unknown' },
            { label: 'once open, a call fails in < 1 ms (client side, loopback HTTP)', ok: dead.state === 'open' && dead.fast.p50 < 1, measured: `p50 ${fmtMs(dead.fast.p50)}` },
          ],
          { failingCallNoBreakerMs: hangOff.ms, openBreakerP50Ms: dead.fast.p50, openBreakerMaxMs: dead.fast.max, openedOnHang: hangOn.state === 'open' ? 1 : 0 },
        ),
      ];
    } finally {
      await toxiproxy(api, `${proxy}/toxics/${TOXIC}`, 'DELETE').catch(() => undefined);
      await toxiproxy(api, proxy, 'POST', { enabled: true }).catch(() => undefined);
      // Leave the platform as found: let the breaker half-open and close (posts reset 30 s).
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline && (await postsState().catch(() => 'closed')) !== 'closed') {
        await feed().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  },
};
