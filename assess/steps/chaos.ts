/** Chaos experiments on the optimized platform (Toxiproxy faults during load), one file each under chaos/. */
import { join } from 'node:path';
import { ASSESSMENT_FILES, BrinkError, switchesFor } from '../../core/index.ts';
import { gatewayOf, putSwitches, type AssessProfile, type RunningStack } from '../context.ts';
import type { AssessStep } from '../step.ts';
import { writeJson } from './write-json.ts';

/** Smoke runs the three that bear on claims most directly. */
const CHAOS_BY_PROFILE: Record<AssessProfile, string[]> = {
  smoke: ['db-latency', 'redis-down', 'db-down'],
  full: ['db-latency', 'db-down', 'redis-down', 'rabbitmq-down', 'service-timeout', 'slow-network', 'reset-peer', 'pool-exhaustion'],
};

export const chaosStep: AssessStep<{ stack: RunningStack }, void> = {
  id: 'chaos',
  title: 'chaos experiments (Toxiproxy faults during load)',
  needs: 'the running platform (the stack and seed steps)',
  async run(env, { stack }) {
    const { runExperiment, EXPERIMENTS } = await import('../../chaos/index.ts');
    await putSwitches(gatewayOf(stack), switchesFor('optimized'));
    const failures: string[] = [];
    for (const id of CHAOS_BY_PROFILE[env.settings.profile].filter((e) => EXPERIMENTS.has(e))) {
      if (env.signal.aborted) throw new BrinkError('ABORTED', 'interrupted');
      const t0 = Date.now();
      try {
        const r = await runExperiment({ experiment: id, stack, profile: 'smoke', signal: env.signal });
        writeJson(join(env.outDir, ASSESSMENT_FILES.chaos, `${id}.json`), r);
        env.note(`${id}: ${r.ok ? 'hypotheses hold' : 'a hypothesis FAILED'} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      } catch (e) {
        if (env.signal.aborted) throw e;
        failures.push(`${id} (${(e as Error).message})`);
        env.note(`${id} failed to run: ${(e as Error).message}`);
      }
    }
    if (failures.length) throw new BrinkError('UNEXPECTED', `${failures.length} chaos experiment(s) failed to run: ${failures.join('; ')}`);
  },
};
