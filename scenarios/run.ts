/**
 * runScenario: validates the options, resolves the target (default: the running stack's gateway,
 * loopback only unless allowRemote), prepares setup-data.json, runs k6 or the Node engine, and
 * writes the run directory (core/bundle.ts RUN_FILES plus setup-data.json and thresholds.json).
 * Returns the RunSummary; failed thresholds are status "failed", not an exception. Aborting (the
 * signal) writes what was gathered and throws ABORTED.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  BrinkError,
  RUN_FILES,
  STATE_DIR,
  checkLoadTarget,
  invalidInput,
  type RunCard,
  type RunSummary,
  type ThresholdResult,
} from '../core/index.ts';
import type { StackState } from '../stack/index.ts';
import { LoadEngine, maxVusOf, phasesOf } from './engine/engine.ts';
import { Recorder, type RecorderState } from './engine/recorder.ts';
import { planHash, writeSegmentResult } from './segments/result.ts';
import { stripeOf } from './segments/stripe.ts';
import { scheduleOf } from './engine/schedule.ts';
import { planFor, type Plan } from './k6/lib/plans.js';
import { warmupRequests } from './k6/lib/mix.js';
import { k6Binary, k6VersionLine, runK6 } from './k6-runner.ts';
import { k6Thresholds, normalizeK6Metrics } from './k6-summary.ts';
import { parseRunOptions, type ResolvedOptions, type RunScenarioOptions } from './options.ts';
import { SCENARIOS } from './registry.ts';
import { gitSha, machineInfo, newRunId } from './run-card.ts';
import { prepareSetupData } from './setup-data.ts';
import { checkMetricsEmitted, evaluateThresholds, parseThresholds, readThresholdsSpec, type ParsedThreshold } from './thresholds.ts';
import type { ScenarioDescriptor, ScenarioEvents, SetupData, ThresholdsSpec } from './types.ts';
import { startAttribution } from './attribution/index.ts';
import { describeWindows, type WindowedThresholdResult } from './threshold-windows.ts';

export async function runScenario(input: RunScenarioOptions, events?: ScenarioEvents): Promise<RunSummary> {
  const o = parseRunOptions(input);
  const scenario = SCENARIOS.get(o.scenario);
  const plan = planFor(scenario.planKey, o.profile, o.timeScale);
  // Thresholds are checked before any load: a file k6 would reject fails here, exit 104.
  const thresholdSpec: ThresholdsSpec = o.thresholds === undefined ? plan.thresholds : typeof o.thresholds === 'string' ? readThresholdsSpec(o.thresholds) : o.thresholds;
  const parsed = parseThresholds(thresholdSpec);
  checkMetricsEmitted(parsed, scenario.id, scenario.metrics);
  if (o.engine === 'k6') k6Binary();
  checkSegmentOptions(o);

  // A target outside loopback is refused before anything else is touched.
  if (o.target) checkLoadTarget(o.target, o.allowRemote);
  const stack = o.stack ?? (o.target && o.data ? undefined : await runningStack());
  const target = o.target ?? stack?.platform?.services.gateway;
  if (!target) throw new BrinkError('STACK_NOT_RUNNING', 'no target: the stack has no platform gateway', { suggestion: 'start it with "brink stack up" or pass --target URL' });
  const targetUrl = checkLoadTarget(target, o.allowRemote);
  const baseUrl = targetUrl.href.replace(/\/$/, '');
  await checkReachable(baseUrl);

  const startedAt = new Date();
  const runId = o.runId ?? newRunId(scenario.id, o.profile, o.engine, startedAt);
  const runDir = resolve(o.outDir ?? join(STATE_DIR, 'runs', runId));
  mkdirSync(join(runDir, RUN_FILES.raw), { recursive: true });
  const plannedMs = scheduleOf(plan).durationS * 1000;

  const data: SetupData = o.data
    ? { ...o.data, baseUrl }
    : await prepareSetupData({
        stack: stack!,
        baseUrl,
        users: o.users,
        ...(plan.chat ? { chatSeats: maxVusOf(plan) } : {}),
        tokenTtlS: Math.ceil(plannedMs / 1000) + 3600,
      });
  const dataFile = join(runDir, 'setup-data.json');
  writeFileSync(dataFile, JSON.stringify(data, null, 2));
  const thresholdsFile = join(runDir, 'thresholds.json');
  writeFileSync(thresholdsFile, JSON.stringify(thresholdSpec, null, 2));
  // k6 does not know windows (`over 30s`): it gets the spec without them, brink judges those.
  const k6ThresholdsFile = parsed.some((t) => t.expressions.some((e) => e.window)) ? join(runDir, 'thresholds-k6.json') : thresholdsFile;
  if (k6ThresholdsFile !== thresholdsFile) writeFileSync(k6ThresholdsFile, JSON.stringify(withoutWindows(parsed), null, 2));

  events?.emit('start', { scenario: scenario.id, engine: o.engine, profile: o.profile, target: baseUrl, runDir, plannedMs });
  // Where the time went (issue 14): per-process CPU, loop lag, pool waiters, per-hop time; best effort.
  const sampler = stack ? await startAttribution(stack).catch(() => undefined) : undefined;
  const ran = await (o.engine === 'node'
    ? runNode(scenario, plan, data, parsed, o, runDir, events)
    : runWithK6(scenario, plan, parsed, o, runDir, dataFile, k6ThresholdsFile, plannedMs, events)
  ).catch(async (e: unknown) => {
    await sampler?.stop().catch(() => undefined);
    throw e;
  });
  const attribution = await sampler?.stop().catch(() => undefined);

  const card: RunCard = {
    runId,
    scenario: scenario.id,
    profile: o.profile,
    engine: o.engine,
    engineVersion: o.engine === 'k6' ? k6VersionLine() : `brink node engine (undici, socket.io-client) on node ${process.version}`,
    gitSha: gitSha(),
    variant: stack?.platform?.variant ?? o.variant ?? 'unknown',
    switches: { ...(stack?.platform?.switches ?? {}) },
    ...(stack?.platform?.layout ? { layout: stack.platform.layout } : {}),
    dataset: data.dataset,
    target: baseUrl,
    machine: machineInfo(),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(ran.durationMs),
    timeScale: o.timeScale,
    ...(o.segment ? { segment: o.segment } : {}),
  };
  const failed = ran.thresholds.some((t) => !t.ok);
  const summary: RunSummary = {
    schemaVersion: 1,
    card,
    status: ran.aborted ? 'aborted' : failed ? 'failed' : 'passed',
    totals: ran.totals,
    endpoints: ran.endpoints,
    phases: ran.phases,
    metrics: ran.metrics,
    timeSeries: ran.timeSeries,
    thresholds: ran.thresholds,
    timeline: ran.phases.map((p) => ({ tMs: p.startMs, kind: 'phase' as const, label: p.name })),
    counters: ran.counters,
    notes: [...notesFor(ran.counters), ...ran.notes, ...windowNotes(ran.thresholds)],
    ...(attribution ? { attribution } : {}),
  };
  writeFileSync(join(runDir, RUN_FILES.summary), JSON.stringify(summary, null, 2));
  writeFileSync(join(runDir, RUN_FILES.histograms), JSON.stringify(ran.histograms));
  writeFileSync(join(runDir, 'run-card.json'), JSON.stringify(card, null, 2));
  if (o.segment && ran.state) {
    writeSegmentResult(runDir, {
      kind: 'brink-segment', version: 1, runId, scenario: scenario.id, profile: o.profile, timeScale: o.timeScale, planHash: planHash(plan),
      thresholds: thresholdSpec, segment: o.segment, phaseDefs: phasesOf(plan), card, status: summary.status, notes: summary.notes, state: ran.state,
    });
  }
  // Per-second histograms of all requests and of every threshold metric: compare and windows.
  writeFileSync(join(runDir, WINDOWS_FILE), JSON.stringify({ windowMs: 1000, seconds: ran.seconds ?? [], series: ran.windows ?? {} }));
  events?.emit('done', summary);
  if (ran.aborted) throw new BrinkError('ABORTED', `run of ${scenario.id} interrupted; partial results in ${runDir}`, { details: { runDir, summary } });
  return summary;
}

type Ran = ReturnType<Recorder['finish']> & { durationMs: number; aborted: boolean; thresholds: ThresholdResult[]; notes: string[]; state?: RecorderState };

async function runNode(scenario: ScenarioDescriptor, plan: Plan, data: SetupData, parsed: ParsedThreshold[], o: ResolvedOptions, runDir: string, events?: ScenarioEvents): Promise<Ran> {
  await warmUp(scenario.id, data);
  const engine = new LoadEngine();
  if (events) engine.on('tick', (t) => events.emit('tick', t));
  const raw = o.rawSamples ? rawSampleWriter(runDir, engine) : undefined;
  const r = await engine
    .run({
      scenario, plan, data, submetrics: parsed.map((p) => p.metric), ...(o.signal ? { signal: o.signal } : {}),
      ...(o.segment ? { stripe: stripeOf(o.segment) } : {}),
      ...(o.workers > 1 ? { workers: o.workers, scenarioRef: { id: scenario.id } } : {}),
    })
    .finally(() => raw?.close());
  // A segment's thresholds mean nothing on its own share: `brink merge` evaluates them on all segments.
  if (o.segment) return { ...r, thresholds: [], notes: [...r.notes, `segment ${o.segment.index}/${o.segment.count}: thresholds are evaluated by \`brink merge\` on every segment's histograms`] };
  // Thresholds are evaluated on the engine's own histograms (any percentile, exact).
  const thresholds = evaluateThresholds(parsed, r.lookup, r.windows, r.durationMs);
  return { ...r, thresholds };
}

async function runWithK6(
  scenario: ScenarioDescriptor,
  plan: Plan,
  parsed: ParsedThreshold[],
  o: ResolvedOptions,
  runDir: string,
  dataFile: string,
  thresholdsFile: string,
  plannedMs: number,
  events?: ScenarioEvents,
): Promise<Ran> {
  const recorder = new Recorder({ phases: phasesOf(plan), submetrics: parsed.map((p) => p.metric) });
  const started = performance.now();
  const r = await runK6({
    script: scenario.k6Script,
    runDir,
    dataFile,
    profile: o.profile,
    timeScale: o.timeScale,
    thresholdsFile,
    recorder,
    ...(o.signal ? { signal: o.signal } : {}),
    onPoll: (reader) => {
      const so = recorder.soFar();
      for (const p of recorder.flushBefore(reader.lastMs)) {
        events?.emit('tick', { ...p, elapsedMs: performance.now() - started, plannedMs, requestsSoFar: so.requests, errorsSoFar: so.errors, p99SoFarMs: so.p99Ms });
      }
    },
  });
  const durationMs = r.summary?.state?.testRunDurationMs ?? performance.now() - started;
  const fromRaw = recorder.finish(durationMs);
  const notes: string[] = [];
  if (!r.summary) {
    if (r.aborted) return { ...fromRaw, durationMs, aborted: true, thresholds: [], notes: ['k6 was interrupted before writing its summary'] };
    throw new BrinkError('UNEXPECTED', `k6 exited ${r.exitCode} without a summary: ${r.stderrTail.trim().split('\n').slice(-5).join(' | ')}`);
  }
  if (![0, 99, 105].includes(r.exitCode) && !r.aborted) notes.push(`k6 exited ${r.exitCode}: ${r.stderrTail.trim().split('\n').slice(-3).join(' | ')}`);
  // k6's own numbers and verdicts are authoritative for a k6 run; the raw output adds endpoints,
  // phases and the time series.
  const metrics = { ...fromRaw.metrics, ...normalizeK6Metrics(r.summary) };
  // k6's verdicts, in the order the spec lists them (k6 reports them in its metrics' order).
  const order = parsed.flatMap((t) => t.expressions.map((e) => `${t.written}\u0000${e.source}`));
  const rank = (t: ThresholdResult) => {
    const i = order.indexOf(`${t.metric}\u0000${t.expression}`);
    return i === -1 ? order.length : i;
  };
  // Windowed expressions (which k6 never saw) are judged on the recorded per-second series.
  const windowed = evaluateThresholds(parsed.map((t) => ({ ...t, expressions: t.expressions.filter((e) => e.window) })), () => undefined, fromRaw.windows, durationMs);
  const thresholds = [...k6Thresholds(r.summary), ...windowed].sort((a, b) => rank(a) - rank(b));
  return { ...fromRaw, metrics, durationMs, aborted: r.aborted || r.exitCode === 105, thresholds, notes };
}

/** The run directory's file of per-second histograms (brink report --compare, windowed thresholds). */
export const WINDOWS_FILE = 'windows.json';

/** A thresholds spec with the windowed expressions left out (what k6 accepts). */
function withoutWindows(parsed: ParsedThreshold[]): ThresholdsSpec {
  const out: ThresholdsSpec = {};
  for (const t of parsed) {
    const plain = t.expressions.filter((e) => !e.window).map((e) => e.source);
    if (plain.length) out[t.written] = plain;
  }
  return out;
}

/** Which window of a windowed threshold failed (or held), in words. */
function windowNotes(results: ThresholdResult[]): string[] {
  return (results as WindowedThresholdResult[]).filter((t) => t.window).map((t) => `threshold ${t.metric} ${t.expression} ${describeWindows(t)}`);
}

/** Segments, workers and raw samples are the Node engine's; k6 users split with k6's own execution segments. */
function checkSegmentOptions(o: ResolvedOptions): void {
  if (o.engine === 'k6' && (o.segment || o.workers > 1 || o.rawSamples)) {
    throw invalidInput(`--segment, --workers and raw samples are for the Node engine; with k6 use its --execution-segment, or \`brink k8s manifest --k6\` and \`brink merge\` on its CSV output`);
  }
  if (o.rawSamples && o.workers > 1) throw invalidInput(`raw samples are written by one engine thread; got --workers ${o.workers}, expected 1`);
}

/** raw/samples.csv: one line per request-like sample (metric, ms since start, latency ms, name). */
function rawSampleWriter(runDir: string, engine: LoadEngine): { close: () => Promise<void> } {
  const out = createWriteStream(join(runDir, RUN_FILES.raw, 'samples.csv'));
  out.write('metric_name,metric_value,name\n');
  engine.on('response', (s) => {
    if (s.metric === 'http_req_duration' || s.metric === 'chat_ack_duration' || s.metric === 'chat_connect_duration') out.write(`${s.metric},${s.value},${s.tags.name ?? ''}\n`);
  });
  return { close: () => new Promise<void>((r) => out.end(r)) };
}

/** Self-provoked 429s and chat loss, said in words. */
export function notesFor(counters: Record<string, number>): string[] {
  const notes: string[] = [];
  const limited = counters.rate_limited ?? 0;
  if (limited > 0) notes.push(`${limited} requests got 429 from the platform's own rate limits (left on, as in production); counted in rate_limited, not as failures`);
  if (counters.chat_messages_sent !== undefined) {
    const sent = counters.chat_messages_sent;
    const acked = counters.chat_messages_acked ?? 0;
    const expected = counters.chat_deliveries_expected ?? 0;
    const delivered = counters.chat_messages_delivered ?? 0;
    notes.push(`chat: ${sent} sent, ${acked} acked (${sent - acked} unacked), ${delivered} of ${expected} expected deliveries (loss ${Math.max(0, expected - delivered)})`);
  }
  if (counters.chat_spare_vus) notes.push(`${counters.chat_spare_vus} chat VUs had no conversation seat and sent nothing`);
  if (counters.dropped_iterations) notes.push(`${counters.dropped_iterations} arrivals were dropped: every VU was busy (raise maxVUs)`);
  return notes;
}

async function runningStack(): Promise<StackState> {
  const { readStackState } = await import('../stack/index.ts');
  return readStackState();
}

/** One request before the load: an unreachable target is invalid input (exit 104), not a failed run. */
async function checkReachable(baseUrl: string): Promise<void> {
  try {
    await fetch(baseUrl, { signal: AbortSignal.timeout(5000) }).then((r) => r.body?.cancel());
  } catch (e) {
    throw new BrinkError('UNREACHABLE', `target ${baseUrl} cannot be reached: ${(e as Error).cause ? ((e as Error).cause as Error).message : (e as Error).message}`, {
      suggestion: 'is the stack up ("brink stack status")? or pass --target URL',
    });
  }
}

/** The same warm-up k6 does in setup(), before the Node engine's clock starts; not recorded. */
async function warmUp(scenarioId: string, data: SetupData): Promise<void> {
  for (const w of warmupRequests(scenarioId, data)) {
    await fetch(`${data.baseUrl}${w.path}`, { headers: { authorization: `Bearer ${w.token}` }, signal: AbortSignal.timeout(10_000) })
      .then((r) => r.body?.cancel())
      .catch(() => undefined);
  }
}
