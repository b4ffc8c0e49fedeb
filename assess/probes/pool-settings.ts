import pg from 'pg';
import type { ClaimProbe } from '../probe.ts';
import type { AssessContext } from '../context.ts';
import { fmtMs } from '../measure.ts';
import { addToxic, removeToxic } from '../toxics.ts';
import { fact, judged, lowerIsBetter, show, type ProbeResult } from '../verdict.ts';
import { ToxiproxyClient } from '../../stack/index.ts';

/** CP-2: node-postgres pool { max 50, min 10, idle 30 s, connect timeout 2 s } exercised. */
export interface Cp2Measurement {
  concurrent: number;
  peakClients: number;
  /** From the end of the load to the pool holding no idle client (ms), undefined if not within the wait. */
  idleDrainMs: number | undefined;
  /** Clients the pool kept after its idle timeout (a minimum of 10 would keep 10). */
  clientsAfterIdle: number;
  /** How long a connect to a black-holed PgBouncer took to fail (ms). */
  connectFailMs: number | undefined;
}

/** MO-2: { connection_limit 20, pool_timeout 20 s } on the same client. */
export interface Mo2Measurement {
  peakClients: number;
  /** The 21st query while 20 are held: how long until it failed, and with what. */
  waitFailMs: number | undefined;
  waitError: string | undefined;
}

export function judgeCp2(m: Cp2Measurement): ProbeResult {
  return judged(
    'CP-2',
    `a node-postgres pool configured as CP-2 says (max 50, min 10, idleTimeoutMillis 30 s, connectionTimeoutMillis 2 s) straight to Postgres (so the platform's PgBouncer is untouched): ${m.concurrent} concurrent queries, then idle; a connect through a black-holed Toxiproxy proxy of its own`,
    `peak ${m.peakClients} clients for ${m.concurrent} concurrent queries; idle clients closed after ${m.idleDrainMs !== undefined ? fmtMs(m.idleDrainMs) : 'more than the wait'}, ${m.clientsAfterIdle} kept; connect to a black hole failed after ${m.connectFailMs !== undefined ? fmtMs(m.connectFailMs) : '-'}`,
    [
      fact('max 50', m.peakClients === 50, `peak ${m.peakClients} clients`),
      fact('min 10 (clients kept when idle)', m.idleDrainMs !== undefined ? m.clientsAfterIdle >= 10 : undefined, `${m.clientsAfterIdle} kept after the idle timeout`),
      lowerIsBetter('idle 30 s (idle clients closed by 35 s)', m.idleDrainMs, [30_000, 35_000], show.ms),
      lowerIsBetter('connect timeout 2 s (failed by 3 s)', m.connectFailMs, [2_000, 3_000], show.ms),
    ],
    { peakClients: m.peakClients, idleDrainMs: m.idleDrainMs, clientsAfterIdle: m.clientsAfterIdle, connectFailMs: m.connectFailMs },
  );
}

export function judgeMo2(m: Mo2Measurement): ProbeResult {
  return judged(
    'MO-2',
    'a node-postgres pool with connection_limit 20 (max) and pool_timeout 20 s (connectionTimeoutMillis) straight to Postgres: 20 long queries held, then a 21st',
    `peak ${m.peakClients} clients; the 21st query failed after ${m.waitFailMs !== undefined ? fmtMs(m.waitFailMs) : '-'} (${m.waitError ?? 'no error'})`,
    [
      fact('connection_limit 20', m.peakClients === 20, `peak ${m.peakClients} clients`),
      lowerIsBetter('pool_timeout 20 s (a waiting request fails by 21 s)', m.waitFailMs !== undefined && m.waitFailMs >= 19_000 ? m.waitFailMs : undefined, [20_000, 21_000], show.ms),
    ],
    { peakClients: m.peakClients, waitFailMs: m.waitFailMs },
  );
}

/** A throw-away Toxiproxy proxy in front of Postgres, on a free port. */
async function ownProxy(ctx: AssessContext): Promise<{ name: string; listen: string }> {
  const name = `brink-assess-cp2-${Date.now().toString(36)}`;
  const upstream = new URL(ctx.stack.urls.postgres).host;
  const p = await new ToxiproxyClient(ctx.stack.urls.toxiproxy).createProxy(name, '127.0.0.1:0', upstream);
  return { name, listen: p.listen };
}

async function cp2(ctx: AssessContext): Promise<Cp2Measurement> {
  // CP-2's settings as written; whether the client honours `min` is part of what is measured.
  const pool = new pg.Pool({ connectionString: ctx.stack.urls.postgres, max: 50, min: 10, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 2_000 } as pg.PoolConfig);
  pool.on('error', () => undefined);
  const concurrent = 60;
  let peakClients = 0;
  try {
    await Promise.all(Array.from({ length: concurrent }, async () => {
      await pool.query('SELECT pg_sleep(0.3)');
      peakClients = Math.max(peakClients, pool.totalCount);
    }));
    peakClients = Math.max(peakClients, pool.totalCount);
    const t0 = performance.now();
    let idleDrainMs: number | undefined;
    while (performance.now() - t0 < 40_000 && !ctx.signal.aborted) {
      if (pool.totalCount < peakClients) {
        // The first close marks the idle timeout; wait for the rest of that wave.
        await new Promise((r) => setTimeout(r, 1500));
        idleDrainMs = performance.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const clientsAfterIdle = pool.totalCount;
    // Connect timeout: a Toxiproxy proxy of its own (no one else's traffic) that accepts and never answers.
    let connectFailMs: number | undefined;
    const proxy = await ownProxy(ctx);
    try {
      await addToxic(ctx.stack.urls.toxiproxy, proxy.name, { name: 'brink-assess-cp2-blackhole', type: 'timeout', attributes: { timeoutMs: 0 } });
      const target = new URL(ctx.stack.urls.postgres);
      target.host = proxy.listen;
      const proxied = new pg.Client({ connectionString: target.toString(), connectionTimeoutMillis: 2_000 });
      proxied.on('error', () => undefined);
      const c0 = performance.now();
      await proxied.connect().then(() => undefined, () => (connectFailMs = performance.now() - c0));
      await proxied.end().catch(() => undefined);
    } finally {
      await removeToxic(ctx.stack.urls.toxiproxy, proxy.name, 'brink-assess-cp2-blackhole').catch(() => undefined);
      await new ToxiproxyClient(ctx.stack.urls.toxiproxy).deleteProxy(proxy.name).catch(() => undefined);
    }
    return { concurrent, peakClients, idleDrainMs, clientsAfterIdle, connectFailMs };
  } finally {
    await pool.end().catch(() => undefined);
  }
}

async function mo2(ctx: AssessContext): Promise<Mo2Measurement> {
  const pool = new pg.Pool({ connectionString: ctx.stack.urls.postgres, max: 20, connectionTimeoutMillis: 20_000 });
  pool.on('error', () => undefined);
  try {
    const held = Array.from({ length: 20 }, () => pool.query('SELECT pg_sleep(22)').catch(() => undefined));
    await new Promise((r) => setTimeout(r, 500));
    const peakClients = pool.totalCount;
    const t0 = performance.now();
    let waitFailMs: number | undefined;
    let waitError: string | undefined;
    await pool.query('SELECT 1').then(() => undefined, (e: Error) => {
      waitFailMs = performance.now() - t0;
      waitError = e.message;
    });
    await Promise.all(held);
    return { peakClients, waitFailMs, waitError };
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** CP-2 and MO-2: the pool settings the documents give, on the client the platform uses, measured. */
export const poolSettings: ClaimProbe = {
  id: 'pool-settings',
  claimIds: ['CP-2', 'MO-2'],
  description: 'exercises node-postgres pools configured as CP-2 and MO-2 say: cap, idle close, minimum, connect and wait timeouts',
  profiles: ['smoke', 'full'],
  // Its own pools straight to Postgres and its own proxy: nothing the other probes measure.
  background: true,
  async run(ctx) {
    // The two waits (CP-2's idle 30 s, MO-2's 20 s pool timeout) run side by side.
    const [a, b] = await Promise.all([cp2(ctx), mo2(ctx)]);
    return [judgeCp2(a), judgeMo2(b)];
  },
};
