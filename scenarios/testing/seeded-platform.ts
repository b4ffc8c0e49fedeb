/**
 * The fixture integration tests share for "the optimized platform on freshly seeded small data":
 * its own database on the test stack, a platform on it, the StackState a run needs, and a scratch
 * directory; close() stops and removes all four.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seed, startPlatform, type StartedPlatform } from '../../reference-system/index.ts';
import { createDatabase, type StackState } from '../../stack/index.ts';

export interface SeededPlatform {
  state: StackState;
  platform: StartedPlatform;
  dir: string;
  close(): Promise<void>;
}

export async function openSeededPlatform(stack: StackState, name: string, dataSeed: number): Promise<SeededPlatform> {
  const db = await createDatabase(stack, name);
  await seed(db.url, { scale: 'small', seed: dataSeed });
  const platform = await startPlatform({ infra: stack, variant: 'optimized', database: db.name });
  const state: StackState = {
    ...stack,
    database: db.name,
    urls: { ...stack.urls, postgres: db.url },
    platform: { variant: 'optimized', switches: { ...platform.switches.current }, pid: process.pid, services: platform.services, jwtSecret: platform.jwtSecret, dataset: 'small' },
  };
  const dir = mkdtempSync(join(tmpdir(), `brink-${name}-`));
  return {
    state,
    platform,
    dir,
    async close() {
      await platform.stop();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
