import { PGBOUNCER_SETTINGS } from '../../stack/components/pgbouncer.ts';
import type { ClaimProbe } from '../probe.ts';
import { result } from './lib.ts';

/**
 * NV-6 and NF-12 are arithmetic over configuration: checked from the numbers the documents give
 * and the PgBouncer the stack runs, with the live server's SHOW CONFIG.
 */
export const configArithmetic: ClaimProbe = {
  id: 'config-arithmetic',
  claimIds: ['NV-6', 'NF-12'],
  description: 'checks the pool-budget arithmetic and PgBouncer client limits against the running PgBouncer',
  profiles: ['smoke', 'full'],
  async run(ctx) {
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: ctx.stack.urls.pgbouncer.replace(/\/[^/]*$/, '/pgbouncer') });
    await admin.connect();
    let conf: Record<string, string>;
    try {
      const rows = (await admin.query({ text: 'SHOW CONFIG', rowMode: 'array' })).rows as string[][];
      conf = Object.fromEntries(rows.map((r) => [r[0]!, r[1]!]));
    } finally {
      await admin.end();
    }
    const nova = { content: 20, feed: 10, user: 10, chat: 10, analytics: 20, search: 20 };
    const total = Object.values(nova).reduce((a, b) => a + b, 0);
    const maxDb = Number(conf.max_db_connections ?? PGBOUNCER_SETTINGS.max_db_connections);
    const maxClient = Number(conf.max_client_conn ?? PGBOUNCER_SETTINGS.max_client_conn);
    return [
      result(
        'NV-6',
        "the Nova table's pool sizes summed, against the running PgBouncer's max_db_connections",
        `${Object.entries(nova).map(([k, v]) => `${k} ${v}`).join(' + ')} = ${total} vs max_db_connections ${maxDb}; 15 services x 15 = 225 client connections`,
        [
          { label: 'the pools sum to 90', ok: total === 90, measured: String(total) },
          { label: '90 < max_db_connections 100', ok: total < maxDb, measured: `${total} < ${maxDb}` },
          { label: '15 per service x 15 services = 225 client connections', ok: 15 * 15 === 225, measured: String(15 * 15) },
        ],
        { total, maxDb },
      ),
      result(
        'NF-12',
        "the running PgBouncer's SHOW CONFIG (the settings NF-12 names)",
        `max_client_conn ${maxClient}, default_pool_size ${conf.default_pool_size}, max_db_connections ${maxDb}, pool_mode ${conf.pool_mode}`,
        [{ label: 'supports 10,000+ client connections', ok: maxClient >= 10_000, measured: `max_client_conn ${maxClient}: PgBouncer refuses client ${maxClient + 1}` }],
        { maxClient },
      ),
    ];
  },
};
