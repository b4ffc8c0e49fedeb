/**
 * PUT /admin/switches: flips switches on a running platform. Index switches are applied to the
 * database first (sql-audit applyIndexSwitches over a direct Postgres connection: DDL cannot go
 * through PgBouncer's transaction mode reliably), then the live store is updated and, when the
 * services run in other processes, each of them is told.
 */
import pg from 'pg';
import { z } from 'zod';
import { applyIndexSwitches, type ApplyIndexSwitchesResult } from '../../sql-audit/index.ts';
import { ApiError } from '../shared/api-errors.ts';
import type { SwitchStore } from '../shared/switch-store.ts';
import { SWITCH_IDS, isSwitchId, type Switches } from '../../core/index.ts';

export const switchesBody = z.object({ switches: z.record(z.string(), z.boolean('must be true or false')) });

export interface SwitchChangeResult {
  variant: string;
  switches: Readonly<Switches>;
  changed: string[];
  migrations: ApplyIndexSwitchesResult | null;
  remotes: { url: string; ok: boolean; error?: string }[];
}

export async function changeSwitches(
  store: SwitchStore,
  requested: Record<string, boolean>,
  opts: { adminDatabaseUrl?: string; remoteUrls?: readonly string[] },
): Promise<SwitchChangeResult> {
  for (const id of Object.keys(requested)) {
    if (!isSwitchId(id)) throw new ApiError('VALIDATION_FAILED', `unknown switch "${id}"; expected one of: ${SWITCH_IDS.join(', ')}`, `switches.${id}`);
  }
  const changed = Object.keys(requested).filter((id) => store.current[id as keyof Switches] !== requested[id]);
  let migrations: ApplyIndexSwitchesResult | null = null;
  if (opts.adminDatabaseUrl) {
    const client = new pg.Client({ connectionString: opts.adminDatabaseUrl, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      migrations = await applyIndexSwitches(client, requested as Partial<Switches>);
    } catch (e) {
      throw new ApiError('DEPENDENCY_UNAVAILABLE', `could not apply index switches: ${(e as Error).message}`, 'postgres');
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  store.set(requested as Partial<Switches>);
  const remotes = await Promise.all(
    (opts.remoteUrls ?? []).map(async (url) => {
      try {
        const r = await fetch(`${url}/admin/switches`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ switches: requested }),
          signal: AbortSignal.timeout(5_000),
        });
        return r.ok ? { url, ok: true } : { url, ok: false, error: `answered ${r.status}` };
      } catch (e) {
        return { url, ok: false, error: (e as Error).message };
      }
    }),
  );
  return { variant: store.variant, switches: store.current, changed, migrations, remotes };
}
