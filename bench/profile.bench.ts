/**
 * Where the platform's CPU goes per request (issue 14): restarts the platform of the running,
 * seeded stack under `node --cpu-prof`, drives the issue-14 feed mix at PROFILE_RATE through the
 * gateway, then restarts it unprofiled (which writes the profile) and prints CPU-ms per request
 * per component (attribution), the busiest functions and the time per package (self and
 * inclusive), with the load average. The profile covers the whole platform process, warm-up included.
 *
 *   BRINK_STATE_DIR=... npm run bench:profile   (a stack up and seeded: brink stack up; brink seed --scale medium)
 * Environment: PROFILE_RATE=500  PROFILE_DURATION_S=30  PROFILE_LAYOUT=one-process  PROFILE_USERS=4
 *   PROFILE_SWITCHES=k=v,k=v (overrides on the optimized variant)  PROFILE_KEEP=1 (keep the .cpuprofile)
 *   PROFILE_AB=NAME=VALUE[,NAME=VALUE]: instead of a profile, a before/after pair: the platform with
 *     that environment ("before", e.g. BRINK_GATEWAY_TOKEN_CACHE=off) and without it ("after"), in
 *     alternating rounds (PROFILE_ROUNDS=2), printing CPU-ms per request for each and the ratio.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStackState } from '../stack/index.ts';
import { summariseProfile } from './lib/cpuprofile.ts';
import { prepareMixUsers, type MixUser } from './lib/feed-mix.ts';
import { restartPlatform } from './lib/replatform.ts';
import { cpuMsPerRequest, f1, formatCpuPerRequest, layoutOf, loadavg, printStep, runStep } from './lib/steady-step.ts';

const env = (k: string, d: string) => process.env[k] ?? d;
const RATE = Number(env('PROFILE_RATE', '500'));
const DURATION_S = Number(env('PROFILE_DURATION_S', '30'));
const LAYOUT = env('PROFILE_LAYOUT', 'one-process');
const USERS = Number(env('PROFILE_USERS', '4'));
const SWITCHES = env('PROFILE_SWITCHES', '').split(',').filter(Boolean);

const AB = env('PROFILE_AB', '').split(',').filter(Boolean);
const ROUNDS = Number(env('PROFILE_ROUNDS', '2'));

async function abRounds(dataset: 'small' | 'medium'): Promise<void> {
  const lo = layoutOf(LAYOUT);
  const dir = mkdtempSync(join(tmpdir(), 'brink-profile-ab-'));
  const profDirs: Record<'before' | 'after', string[]> = { before: [], after: [] };
  const abEnv = Object.fromEntries(AB.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const label = AB.join(',');
  const per: Record<'before' | 'after', { cpuMs: number[]; p99: number[]; achieved: number[] }> = { before: { cpuMs: [], p99: [], achieved: [] }, after: { cpuMs: [], p99: [], achieved: [] } };
  for (let r = 0; r < ROUNDS; r++) {
    for (const which of r % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
      // Each side is profiled too (the profile is written when the next restart stops it): the
      // share of the platform's thread per package is less noisy than latency on a shared machine.
      const profDir = join(dir, `${which}-${r}`);
      const state = await restartPlatform({ variant: 'optimized', ...lo, switches: SWITCHES, execArgv: ['--cpu-prof', `--cpu-prof-dir=${profDir}`], ...(which === 'before' ? { env: abEnv } : {}) });
      profDirs[which].push(profDir);
      const gw = state.platform!.services.gateway!;
      // Every platform start mints a new JWT secret: fresh users (and tokens) per start.
      const mix = await prepareMixUsers(gw, { heavy: USERS - 1, follows: 50, seededUsers: dataset === 'medium' ? 50_000 : 1_000, tag: `ab${Date.now().toString(36)}` });
      const users: MixUser[] = [mix.empty, ...mix.heavy];
      await runStep(state, { layout: LAYOUT, users, rate: Math.min(RATE, 200), durationS: 5, dataset });
      const s = await runStep(state, { layout: `${which}`, users, rate: RATE, durationS: DURATION_S, dataset });
      printStep(s);
      console.log(`               ${formatCpuPerRequest(s)}`);
      per[which].cpuMs.push(cpuMsPerRequest(s).reduce((a, c) => a + c.ms, 0));
      per[which].p99.push(s.p99);
      per[which].achieved.push(s.achieved);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const b = per.before;
  const a = per.after;
  console.log(`\nbefore = ${label}, after = without it; ${ROUNDS} rounds each, alternating, at ${RATE} req/s (load ${loadavg()})`);
  console.log(`  stack CPU per request: before ${mean(b.cpuMs).toFixed(2)} ms [${b.cpuMs.map((x) => x.toFixed(2)).join(', ')}], after ${mean(a.cpuMs).toFixed(2)} ms [${a.cpuMs.map((x) => x.toFixed(2)).join(', ')}]: x${(mean(a.cpuMs) / Math.max(0.001, mean(b.cpuMs))).toFixed(2)}`);
  console.log(`  p99: before [${b.p99.map(f1).join(', ')}] ms, after [${a.p99.map(f1).join(', ')}] ms; achieved before [${b.achieved.map(f1).join(', ')}], after [${a.achieved.map(f1).join(', ')}] ok/s`);
  await restartPlatform({ variant: 'optimized', ...lo, switches: SWITCHES });
  // The platform process's profile of each start (the biggest one: helpers write small ones too).
  const busiest = (d: string) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => summariseProfile(join(d, f)))
      .sort((x, y) => y.busyMs - x.busyMs)[0];
  const sides = { before: profDirs.before.map(busiest), after: profDirs.after.map(busiest) };
  console.log('  share of the platform thread (inclusive, % of busy time), per round:');
  const names = sides.before[0]?.watched.map((w) => w.name) ?? [];
  for (const name of names) {
    const pct = (ps: (ReturnType<typeof summariseProfile> | undefined)[]) => ps.map((p) => (p ? f1(((p.watched.find((w) => w.name === name)?.inclusiveMs ?? 0) / p.busyMs) * 100) : '-')).join(', ');
    console.log(`    ${name.padEnd(30)} before [${pct(sides.before)}]  after [${pct(sides.after)}]`);
  }
  if (process.env.PROFILE_KEEP === '1') console.log(`profiles kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const before = readStackState();
  const dataset = (before.platform?.dataset ?? '').includes('small') ? 'small' : 'medium';
  if (AB.length > 0) return abRounds(dataset);
  const dir = mkdtempSync(join(tmpdir(), 'brink-profile-'));
  const lo = layoutOf(LAYOUT);
  let state = await restartPlatform({ variant: 'optimized', ...lo, switches: SWITCHES, execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  try {
    const gw = state.platform!.services.gateway!;
    const mix = await prepareMixUsers(gw, { heavy: USERS - 1, follows: 50, seededUsers: dataset === 'medium' ? 50_000 : 1_000, tag: `p${Date.now().toString(36)}` });
    const users = [mix.empty, ...mix.heavy];
    // Warm-up (JIT, pools, caches): not counted.
    await runStep(state, { layout: LAYOUT, users, rate: Math.min(RATE, 200), durationS: 5, dataset });
    const s = await runStep(state, { layout: LAYOUT, users, rate: RATE, durationS: DURATION_S, dataset });
    printStep(s);
    console.log(formatCpuPerRequest(s));
    for (const h of s.attribution.hops) console.log(`  hop ${h.service}: ${h.requests} requests, total ${f1(h.totalMeanMs)} ms = gateway ${f1(h.gatewayMeanMs)} + transit ${f1(h.transitMeanMs)} + service ${f1(h.serviceMeanMs)} + db ${f1(h.dbMeanMs)}`);
  } finally {
    // Restarting stops the profiled process, which writes its profile(s), and leaves the stack usable.
    state = await restartPlatform({ variant: 'optimized', ...lo, switches: SWITCHES });
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) console.log(`no profile was written in ${dir}`);
  for (const f of files) {
    const p = summariseProfile(join(dir, f));
    if (p.busyMs < 1000) continue; // a helper process (tsx, a probe), not the platform
    console.log(`\nprofile ${f}: ${f1(p.totalMs / 1000)} s, JavaScript thread busy ${f1(p.busyMs / 1000)} s (${f1((p.busyMs / p.totalMs) * 100)}%) (load ${loadavg()})`);
    console.log('  packages (self ms / inclusive ms):');
    for (const k of p.packages) console.log(`    ${k.name.padEnd(34)} ${f1(k.selfMs).padStart(9)} ${f1(k.inclusiveMs).padStart(9)}  (${f1((k.selfMs / p.busyMs) * 100)}% self)`);
    console.log('  watched (self ms / inclusive ms / share of the busy thread, inclusive):');
    for (const k of p.watched) console.log(`    ${k.name.padEnd(34)} ${f1(k.selfMs).padStart(9)} ${f1(k.inclusiveMs).padStart(9)}  (${f1((k.inclusiveMs / p.busyMs) * 100)}%)`);
    console.log('  functions (self ms):');
    for (const fn of p.functions) console.log(`    ${f1(fn.selfMs).padStart(9)}  ${fn.name}`);
  }
  if (process.env.PROFILE_KEEP === '1') console.log(`profiles kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  console.log('the machine is shared: compare figures within one run, with the load averages beside them');
}

main().catch((e) => {
  process.stderr.write(`bench:profile failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
