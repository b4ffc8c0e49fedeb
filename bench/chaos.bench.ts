/**
 * Chaos bench (prints figures; asserts nothing). Needs a running stack's infrastructure
 * (`brink stack up --no-platform`); it seeds its own database (small) and runs the optimized
 * platform in a process of its own (as `brink stack up` does), so the probes do not share the
 * platform's event loop.
 *
 * 1. NF-5 side by side in one run: a timeout toxic on the gateway -> posts hop (svc-posts). The
 *    first calls fail by waiting out the deadline with the breaker closed; once it opens, calls
 *    fail at once. Latency of both kinds of failure, and the ratio.
 * 2. Time to detect and time to recover of each experiment (smoke profile), or of those named:
 *      node bin/run-ts.js bench/chaos.bench.ts [experiment ...]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHistogram, recordMs, trendValues } from '../core/index.ts';
import { EXPERIMENTS, runExperiment, type Sample } from '../chaos/index.ts';
import { seed } from '../reference-system/index.ts';
import { switchesFor } from '../core/index.ts';
import { createDatabase, readStackState, startPlatformProcess, stopPlatformProcess, type StackState } from '../stack/index.ts';

const wanted = process.argv.slice(2);
const base = readStackState();
const db = await createDatabase(base, 'chaos_bench');
const t0 = performance.now();
await seed(db.url, { scale: 'small', seed: 11 });
console.log(`seeded ${db.name} (small) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const dir = mkdtempSync(join(tmpdir(), 'brink-chaos-bench-'));
const stateFile = join(dir, 'stack.json');
const dbState: StackState = { ...base, database: db.name };
writeFileSync(stateFile, JSON.stringify(dbState));
const platform = await startPlatformProcess(dbState, { variant: 'optimized', switches: switchesFor('optimized'), stateFile, toxiproxyHops: true, proxiedInfra: true });
const stack: StackState = { ...dbState, platform };
console.log(`platform (optimized) pid ${platform.pid}, gateway ${platform.services.gateway}`);

function stats(samples: readonly Sample[]) {
  const h = createHistogram();
  for (const s of samples) recordMs(h, s.latencyMs);
  return trendValues(h);
}
const fmt = (v: ReturnType<typeof stats>) => `n=${v.count} p50 ${v.p50} ms, p99 ${v.p99} ms, max ${v.max} ms`;

try {
  // 1. NF-5: the same fault, both kinds of failing call, one run.
  const samples: Sample[] = [];
  const nf5 = await runExperiment({ experiment: 'service-timeout', stack, onRunner: (r) => r.on('sample', (s) => samples.push(s)) });
  const open = samples.filter((s) => s.reason === 'CIRCUIT_OPEN');
  const waited = samples.filter((s) => !s.ok && s.reason !== 'CIRCUIT_OPEN');
  const o = stats(open);
  const w = stats(waited);
  console.log('\nNF-5: a failing call to posts (timeout toxic on svc-posts), optimized platform');
  console.log(`  breaker closed, call waits out the deadline: ${fmt(w)}`);
  console.log(`  breaker open, call rejected at once:         ${fmt(o)}`);
  if (o.count > 0 && w.count > 0) console.log(`  ratio (p50 waited / p50 open): ${(w.p50 / Math.max(o.p50, 0.001)).toFixed(0)}x; claim: < 1 ms open vs 10 s timeout`);
  console.log(`  verdicts: ${nf5.verdicts.map((v) => `${v.ok ? 'ok' : 'FAIL'} ${v.hypothesis}`).join('; ')}`);

  // 2. Time to detect / recover per experiment.
  console.log('\nexperiment        ok     detect ms  recover ms  during: req err p99 ms');
  for (const x of EXPERIMENTS.all()) {
    if (wanted.length > 0 && !wanted.includes(x.id)) continue;
    const r = x.id === 'service-timeout' ? nf5 : await runExperiment({ experiment: x.id, stack });
    const during = r.run?.phases.find((p) => p.name === 'during');
    console.log(
      `${x.id.padEnd(17)} ${String(r.ok).padEnd(6)} ${String(r.timeToDetectMs ?? '-').padStart(9)}  ${String(r.timeToRecoverMs ?? '-').padStart(10)}  ${during ? `${during.requests} ${during.errors} ${during.latencyMs.p99}` : '-'}`,
    );
  }
} finally {
  await stopPlatformProcess(stack);
  await db.drop();
}
