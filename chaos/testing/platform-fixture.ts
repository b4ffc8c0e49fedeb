/**
 * Test fixture: the reference platform on the shared test stack, on a fresh seeded database, with
 * its infrastructure hops through the stack's Toxiproxy proxies and gateway->service hops through
 * svc-<service> proxies (as `brink stack up` runs it), described as a StackState with `platform`
 * so experiments run on it exactly as on a stack started from the CLI.
 */
import { createDatabase, type StackState } from '../../stack/index.ts';
import type { Switches, Variant } from '../../core/index.ts';
import { putSwitches, startPlatform, type StartedPlatform, seed, createLogger } from '../../reference-system/index.ts';

export interface ChaosPlatform {
  stack: StackState;
  platform: StartedPlatform;
  /** Flips switches on the running platform (PUT /admin/switches). */
  setSwitches(switches: Record<string, boolean>): Promise<void>;
  close(): Promise<void>;
}

export async function openChaosPlatform(base: StackState, name: string, variant: Variant, opts: { realtime?: boolean } = {}): Promise<ChaosPlatform> {
  const db = await createDatabase(base, `chaos_${name}`);
  await seed(db.url, { scale: 'small', seed: 7 });
  const platform = await startPlatform({
    infra: base,
    variant,
    database: db.name,
    realtime: opts.realtime ?? false,
    toxiproxyHops: true,
    proxiedInfra: true,
    log: createLogger({ name: `chaos-${name}`, level: process.env.BRINK_LOG_LEVEL ?? 'silent' }),
  });
  const stack: StackState = {
    ...base,
    database: db.name,
    platform: { variant, switches: { ...platform.switches.current }, pid: process.pid, services: platform.services, jwtSecret: platform.jwtSecret },
  };
  return {
    stack,
    platform,
    async setSwitches(switches) {
      await putSwitches(platform.services.gateway!, switches as Partial<Switches>);
    },
    async close() {
      await platform.stop();
      await db.drop();
    },
  };
}
