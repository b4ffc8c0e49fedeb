/**
 * `brink run <scenario>`: puts load on the platform with brink's Node engine (or the user's own k6) and writes a run
 * directory. Exit codes follow k6: 0 thresholds passed, 99 failed (after the results and JUnit file
 * are written), 104 invalid input, 105 interrupted. A progress line on a terminal (a plain one every
 * 10 s in a pipe or log; with --instances, one for every process together); quiet in CI.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { BrinkError, invalidInput, within, unknownName, type RunSummary } from '../../core/index.ts';
import { ENGINES, PROFILES, SCENARIOS, runScenario, writeJunit, type ProgressTick, parseSegment, runInstances, progressLine, describeAttribution } from '../../scenarios/index.ts';
import { MAX_REPEAT, runRepeated, type RepeatedRun, type RunScenarioOptions, type ScenarioEvents } from '../../scenarios/index.ts';
import { EventEmitter } from 'node:events';
import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { SetupData } from '../../scenarios/index.ts';
import type { ScenarioEventMap } from '../../scenarios/index.ts';
import { addCleanup } from '../interrupt.ts';
import { parseOptions } from '../options.ts';

const Options = z.object({
  engine: z.string(),
  profile: z.string(),
  target: z.string().optional(),
  thresholds: z.string().optional(),
  out: z.string().optional(),
  repeat: z.string().optional(),
  junit: z.string().optional(),
  timeScale: z.string().optional(),
  users: z.string().optional(),
  allowRemote: z.boolean().optional(),
  segment: z.string().optional(),
  runId: z.string().optional(),
  instances: z.string().optional(),
  workers: z.string().optional(),
  setupData: z.string().optional(),
  rawSamples: z.boolean().optional(),
});

export function registerRun(program: Command): void {
  program
    .command('run')
    .description("run a load scenario (feed, chat-burst, search-spike) with brink's Node engine (default) or your own k6")
    .argument('<scenario>', `one of: ${SCENARIOS.ids().join(', ')}`)
    .option('--engine <engine>', `load engine: ${ENGINES.join(' or ')} (k6 only if you installed it yourself)`, 'node')
    .option('--profile <profile>', `load profile: ${PROFILES.join(', ')}`, 'smoke')
    .option('--target <url>', "platform base URL (default: the running stack's gateway)")
    .option('--thresholds <file>', "thresholds JSON in k6's syntax, replacing the scenario's defaults")
    .option('--repeat <n>', 'run the scenario N times (fresh connections, same plan): repeat-1..N under --out, for brink report --compare')
    .option('--out <dir>', 'run directory (default .brink/runs/<run id>)')
    .option('--junit <file>', 'also write a JUnit XML file, one testcase per threshold')
    .option('--time-scale <x>', 'multiply every stage duration by x (0.1 = ten times shorter)')
    .option('--users <n>', 'seeded users to mint tokens for')
    .option('--allow-remote', 'allow a target outside loopback (a load test on production is an outage)')
    .option('--segment <i/N>', 'run only segment i of N (every N-th VU or arrival); `brink merge` joins the segments')
    .option('--run-id <id>', 'run id, the same for every segment of one run (merge refuses parts of different runs)')
    .option('--instances <n>', 'run N engine processes on segments 1/N..N/N of the plan and merge them')
    .option('--workers <n|auto>', 'Node engine worker threads per process (auto: one per core)', '1')
    .option('--setup-data <file>', 'setup-data.json prepared by an earlier run (with --target: no stack needed, e.g. in a pod)')
    .option('--raw-samples', 'also write every request latency to raw/samples.csv (Node engine, one worker)')
    .action(async (scenario: string, raw: unknown) => {
      const o = parseOptions(Options, raw);
      if (!SCENARIOS.has(scenario)) throw unknownName('scenario', scenario, SCENARIOS.ids());
      if (!(ENGINES as readonly string[]).includes(o.engine)) throw unknownName('engine', o.engine, ENGINES);
      if (!(PROFILES as readonly string[]).includes(o.profile)) throw unknownName('profile', o.profile, PROFILES);
      const timeScale = o.timeScale === undefined ? 1 : Number(o.timeScale);
      if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 100) throw invalidInput(`--time-scale "${o.timeScale}" is not a number in (0, 100]`);
      const users = o.users === undefined ? undefined : Number(o.users);
      if (users !== undefined && (!Number.isInteger(users) || users < 1)) throw invalidInput(`--users "${o.users}" is not a positive integer`);
      if (o.target !== undefined && o.target.trim() === '') throw invalidInput(`--target "${o.target}" is empty; expected a URL such as http://127.0.0.1:8080`);
      // Paths are checked before the stack is looked for (a file where a directory goes, and the reverse).
      if (o.out !== undefined && statSync(o.out, { throwIfNoEntry: false })?.isFile()) throw invalidInput(`--out "${o.out}" is a file; expected a directory`);
      if (o.junit !== undefined && statSync(o.junit, { throwIfNoEntry: false })?.isDirectory()) throw invalidInput(`--junit "${o.junit}" is a directory; expected a file path`);

      const seg = segmentOptions(o);

      const ac = new AbortController();
      const events = new EventEmitter<ScenarioEventMap>();
      const display = progressDisplay(events);
      const repeat = o.repeat === undefined ? 1 : Number(o.repeat);
      if (!Number.isInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) throw invalidInput(`--repeat "${o.repeat}" is not a whole number from 1 to ${MAX_REPEAT}`);
      let repeated: RepeatedRun | undefined;
      const runOnce = repeat === 1 ? runScenario : async (x: RunScenarioOptions, ev: ScenarioEvents): Promise<RunSummary> => {
        repeated = await runRepeated(x, repeat, ev);
        const last = repeated.summaries.at(-1);
        if (!last) throw new BrinkError('ABORTED', `repeated run interrupted before its first repetition finished; see ${repeated.dir}`);
        return last;
      };
      if (seg.instances > 1 && repeat > 1) throw invalidInput(`--instances ${seg.instances} and --repeat ${repeat} do not combine; repeat the --instances run instead`);
      const runChosen = seg.instances > 1 ? async (x: RunScenarioOptions, ev: ScenarioEvents) => (await runInstances({ ...x, instances: seg.instances }, ev)).summary : runOnce;
      const running = runChosen(
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
          ...seg.options,
        },
        events,
      );
      // SIGINT: abort (k6 gets SIGINT, then SIGKILL), let the partial results be written, exit 105.
      const removeCleanup = addCleanup(async () => {
        ac.abort();
        await within(running.catch(() => undefined), 20_000, () => undefined);
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
      process.stdout.write(describeAttribution(summary.attribution));
      if (repeated) {
        process.stdout.write(repeatReport(repeated));
        const bad = repeated.summaries.filter((s) => s.status !== 'passed');
        if (bad.length > 0) throw new BrinkError('THRESHOLDS_FAILED', `${bad.length} of ${repeated.summaries.length} repetitions failed their thresholds; see ${repeated.dir}`);
      }
      const failed = summary.thresholds.filter((t) => !t.ok);
      if (failed.length > 0) {
        throw new BrinkError('THRESHOLDS_FAILED', `${failed.length} of ${summary.thresholds.length} thresholds failed: ${failed.map((t) => `${t.metric} ${t.expression} (measured ${t.actual ?? 'nothing'})`).join('; ')}`);
      }
    });
}

/** One line per repetition of a repeated run, and where they are. */
function repeatReport(r: RepeatedRun): string {
  const lines = r.summaries.map((s, i) => `  repetition ${i + 1}: ${s.status.toUpperCase()} ${s.totals.requests} requests, p50 ${s.totals.latencyMs.p50} p99 ${s.totals.latencyMs.p99} ms, errors ${s.totals.errors}`);
  return `${r.summaries.length} repetitions in ${r.dir} (compare with: brink report --compare BASE ${r.dir})\n${lines.join('\n')}\n`;
}

/** Plain progress lines (no carriage returns) in a log or pipe: one every this many ms. */
const PLAIN_PROGRESS_EVERY_MS = 10_000;

/**
 * Progress: on a terminal one line rewritten in place (elapsed, requests, rate, errors, VUs or
 * arrivals, P99 so far; with --instances the aggregate of every process); in a pipe or log file a
 * plain line every 10 s instead of carriage-return spam; nothing in CI.
 */
function progressDisplay(events: EventEmitter<ScenarioEventMap>) {
  const tty = process.stderr.isTTY === true;
  const quiet = Boolean(process.env.CI);
  let runDir = '';
  let lastPlainMs = Number.NEGATIVE_INFINITY;
  events.on('start', (s) => {
    runDir = s.runDir;
    process.stderr.write(`brink run ${s.scenario} (${s.profile}, ${s.engine}) -> ${s.target}, about ${Math.round(s.plannedMs / 1000)}s; results in ${runDir}\n`);
  });
  const onTick = (t: ProgressTick) => {
    if (tty) return void process.stderr.write(`\r\x1b[K  ${progressLine(t)}`);
    const now = performance.now();
    if (now - lastPlainMs < PLAIN_PROGRESS_EVERY_MS) return;
    lastPlainMs = now;
    process.stderr.write(`  ${progressLine(t)}\n`);
  };
  if (!quiet) events.on('tick', onTick);
  return { stop: () => tty && !quiet && process.stderr.write('\r\x1b[K') };
}

/** --segment, --run-id, --instances, --workers, --setup-data, --raw-samples, checked where they enter. */
function segmentOptions(o: z.infer<typeof Options>): { instances: number; options: Partial<RunScenarioOptions> } {
  const instances = o.instances === undefined ? 1 : Number(o.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 64) throw invalidInput(`--instances "${o.instances}" is not a whole number from 1 to 64`);
  if (instances > 1 && o.segment) throw invalidInput(`--instances ${instances} and --segment ${o.segment} do not combine: --instances runs every segment itself`);
  const workers = o.workers === undefined || o.workers === '1' ? 1 : o.workers === 'auto' ? availableParallelism() : Number(o.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw invalidInput(`--workers "${o.workers}" is not a whole number from 1 to 64 or "auto"`);
  if (o.runId !== undefined && !/^[A-Za-z0-9._-]{1,120}$/.test(o.runId)) throw invalidInput(`--run-id "${o.runId}" is not 1-120 letters, digits, dots, dashes or underscores`);
  let data: SetupData | undefined;
  if (o.setupData !== undefined) {
    try {
      data = JSON.parse(readFileSync(o.setupData, 'utf8')) as SetupData;
    } catch (e) {
      throw invalidInput(`--setup-data "${o.setupData}" is not a readable JSON file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (!Array.isArray(data?.users)) throw invalidInput(`--setup-data "${o.setupData}" has no users list; expected the setup-data.json a run directory holds`);
  }
  return {
    instances,
    options: {
      ...(o.segment ? { segment: parseSegment(o.segment) } : {}),
      ...(o.runId ? { runId: o.runId } : {}),
      ...(workers > 1 ? { workers } : {}),
      ...(data ? { data } : {}),
      ...(o.rawSamples ? { rawSamples: true } : {}),
    },
  };
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
