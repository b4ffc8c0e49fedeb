/**
 * `brink run <scenario>`: puts load on the platform with k6 or the Node engine and writes a run
 * directory. Exit codes follow k6: 0 thresholds passed, 99 failed (after the results and JUnit file
 * are written), 104 invalid input, 105 interrupted. A progress line on a terminal; quiet in CI.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { BrinkError, invalidInput, unknownName, type RunSummary } from '../../core/index.ts';
import { ENGINES, PROFILES, SCENARIOS, runScenario, writeJunit, type ProgressTick } from '../../scenarios/index.ts';
import { EventEmitter } from 'node:events';
import type { ScenarioEventMap } from '../../scenarios/index.ts';
import { addCleanup } from '../interrupt.ts';

const Options = z.object({
  engine: z.string(),
  profile: z.string(),
  target: z.string().optional(),
  thresholds: z.string().optional(),
  out: z.string().optional(),
  junit: z.string().optional(),
  timeScale: z.string().optional(),
  users: z.string().optional(),
  allowRemote: z.boolean().optional(),
});

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a load scenario (feed, chat-burst, search-spike) with k6 or the Node engine')
    .argument('<scenario>', `one of: ${SCENARIOS.ids().join(', ')}`)
    .option('--engine <engine>', `load engine: ${ENGINES.join(' or ')}`, 'k6')
    .option('--profile <profile>', `load profile: ${PROFILES.join(', ')}`, 'smoke')
    .option('--target <url>', "platform base URL (default: the running stack's gateway)")
    .option('--thresholds <file>', "thresholds JSON in k6's syntax, replacing the scenario's defaults")
    .option('--out <dir>', 'run directory (default .brink/runs/<run id>)')
    .option('--junit <file>', 'also write a JUnit XML file, one testcase per threshold')
    .option('--time-scale <x>', 'multiply every stage duration by x (0.1 = ten times shorter)')
    .option('--users <n>', 'seeded users to mint tokens for')
    .option('--allow-remote', 'allow a target outside loopback (a load test on production is an outage)')
    .action(async (scenario: string, raw: unknown) => {
      const o = Options.parse(raw);
      if (!SCENARIOS.has(scenario)) throw unknownName('scenario', scenario, SCENARIOS.ids());
      if (!(ENGINES as readonly string[]).includes(o.engine)) throw unknownName('engine', o.engine, ENGINES);
      if (!(PROFILES as readonly string[]).includes(o.profile)) throw unknownName('profile', o.profile, PROFILES);
      const timeScale = o.timeScale === undefined ? 1 : Number(o.timeScale);
      if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 100) throw invalidInput(`--time-scale "${o.timeScale}" is not a number in (0, 100]`);
      const users = o.users === undefined ? undefined : Number(o.users);
      if (users !== undefined && (!Number.isInteger(users) || users < 1)) throw invalidInput(`--users "${o.users}" is not a positive integer`);

      const ac = new AbortController();
      const events = new EventEmitter<ScenarioEventMap>();
      const display = progressDisplay(events);
      const running = runScenario(
        {
          scenario,
          engine: o.engine as (typeof ENGINES)[number],
          profile: o.profile as (typeof PROFILES)[number],
          timeScale,
          allowRemote: o.allowRemote ?? false,
          signal: ac.signal,
          ...(o.target ? { target: o.target } : {}),
          ...(o.thresholds ? { thresholds: o.thresholds } : {}),
          ...(o.out ? { outDir: o.out } : {}),
          ...(users ? { users } : {}),
        },
        events,
      );
      // SIGINT: abort (k6 gets SIGINT, then SIGKILL), let the partial results be written, exit 105.
      const removeCleanup = addCleanup(async () => {
        ac.abort();
        await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 20_000))]);
      });
      let summary: RunSummary;
      try {
        summary = await running;
      } finally {
        removeCleanup();
        display.stop();
      }
      if (o.junit) writeJunit(o.junit, summary);
      process.stdout.write(report(summary));
      const failed = summary.thresholds.filter((t) => !t.ok);
      if (failed.length > 0) {
        throw new BrinkError('THRESHOLDS_FAILED', `${failed.length} of ${summary.thresholds.length} thresholds failed: ${failed.map((t) => `${t.metric} ${t.expression} (measured ${t.actual ?? 'nothing'})`).join('; ')}`);
      }
    });
}

/** A one-line progress display on a terminal (rate, P99 so far, errors); nothing in CI or a pipe. */
function progressDisplay(events: EventEmitter<ScenarioEventMap>) {
  const live = process.stderr.isTTY === true && !process.env.CI;
  let runDir = '';
  events.on('start', (s) => {
    runDir = s.runDir;
    process.stderr.write(`brink run ${s.scenario} (${s.profile}, ${s.engine}) -> ${s.target}, about ${Math.round(s.plannedMs / 1000)}s; results in ${runDir}\n`);
  });
  const onTick = (t: ProgressTick) => {
    const pct = Math.min(100, Math.round((t.elapsedMs / Math.max(1, t.plannedMs)) * 100));
    process.stderr.write(`\r\x1b[K  ${pct}%  ${t.ratePerSec} req/s  p99 so far ${t.p99SoFarMs.toFixed(1)} ms  errors ${t.errorsSoFar}/${t.requestsSoFar}${t.vus !== undefined ? `  vus ${t.vus}` : ''}`);
  };
  if (live) events.on('tick', onTick);
  return { stop: () => live && process.stderr.write('\r\x1b[K') };
}

function report(s: RunSummary): string {
  const lines = [
    `${s.card.scenario} ${s.card.profile} (${s.card.engine}): ${s.status.toUpperCase()} - ${s.totals.requests} requests, ${s.totals.errors} errors, ${s.totals.ratePerSec}/s, p99 ${s.totals.latencyMs.p99} ms`,
    ...s.endpoints.map((e) => `  ${e.name.padEnd(18)} ${String(e.requests).padStart(8)} req ${String(e.errors).padStart(6)} err  p50 ${e.latencyMs.p50} p99 ${e.latencyMs.p99} p99.9 ${e.latencyMs.p999} max ${e.latencyMs.max} ms`),
    'thresholds:',
    ...s.thresholds.map((t) => `  ${t.ok ? 'ok  ' : 'FAIL'} ${t.metric}: ${t.expression}${t.actual === undefined ? '' : ` (measured ${round(t.actual)})`}`),
    ...s.notes.map((n) => `note: ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
