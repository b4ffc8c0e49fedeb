/**
 * `brink run --instances N` on one machine: N engine processes (one event loop each, on their own
 * cores) run segments 1/N..N/N of the same plan against the same target, with setup data prepared
 * once (every segment must see the same users and chat seats), then their results are merged
 * exactly as `brink merge` merges them. An interrupt reaches every process; nothing is left running.
 * While they run, their progress ticks (IPC) become one aggregated tick a second (progress.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BrinkError, checkLoadTarget, invalidInput, PROJECT_ROOT, STATE_DIR, type RunSummary } from '../../core/index.ts';
import { maxVusOf } from '../engine/engine.ts';
import { scheduleOf } from '../engine/schedule.ts';
import { planFor } from '../k6/lib/plans.js';
import { parseRunOptions, type RunScenarioOptions } from '../options.ts';
import { SCENARIOS } from '../registry.ts';
import { newRunId } from '../run-card.ts';
import { prepareSetupData } from '../setup-data.ts';
import type { StackState } from '../../stack/index.ts';
import { readThresholdsSpec } from '../thresholds.ts';
import type { ScenarioEvents, SetupData } from '../types.ts';
import { mergeRun } from './merge.ts';
import { isInstanceTick, ProgressAggregator } from './progress.ts';

export interface InstancesResult {
  summary: RunSummary;
  runDir: string;
  segmentDirs: string[];
}

const INSTANCE_MAIN = join(PROJECT_ROOT, 'scenarios', 'segments', 'instance-main.ts');
const RUN_TS = join(PROJECT_ROOT, 'bin', 'run-ts.js');

export async function runInstances(input: RunScenarioOptions & { instances: number }, events?: ScenarioEvents): Promise<InstancesResult> {
  const { instances, signal, ...rest } = input;
  if (!Number.isInteger(instances) || instances < 2 || instances > 64) throw invalidInput(`--instances "${instances}" is not an integer in 2..64`);
  const o = parseRunOptions(rest);
  if (o.engine !== 'node') throw invalidInput(`--instances runs brink's Node engine; got --engine ${o.engine} (k6 users: \`brink k8s manifest --k6\`)`);
  if (o.segment) throw invalidInput('--instances and --segment do not combine: --instances runs every segment itself');
  const scenario = SCENARIOS.get(o.scenario);
  const plan = planFor(scenario.planKey, o.profile, o.timeScale);
  const runId = o.runId ?? newRunId(scenario.id, o.profile, 'node', new Date());
  const runDir = resolve(o.outDir ?? join(STATE_DIR, 'runs', runId));
  mkdirSync(runDir, { recursive: true });

  // Setup data once for all segments (chat-burst creates conversations while preparing).
  if (o.target) checkLoadTarget(o.target, o.allowRemote);
  let data: SetupData | undefined = o.data;
  let target = o.target;
  let stack: StackState | undefined = o.stack;
  if (!data) {
    stack ??= (await import('../../stack/index.ts')).readStackState();
    target ??= stack.platform?.services.gateway;
    if (!target) throw new BrinkError('STACK_NOT_RUNNING', 'no target: the stack has no platform gateway', { suggestion: 'start it with "brink stack up" or pass --target URL' });
    const baseUrl = checkLoadTarget(target, o.allowRemote).href.replace(/\/$/, '');
    data = await prepareSetupData({ stack, baseUrl, users: o.users, ...(plan.chat ? { chatSeats: maxVusOf(plan) } : {}), tokenTtlS: Math.ceil(scheduleOf(plan).durationS) + 3600 });
    target = baseUrl;
  }
  const variant = o.variant ?? stack?.platform?.variant;
  // A thresholds file is read here: the engine processes run from the project root, not from here.
  const thresholds = typeof o.thresholds === 'string' ? readThresholdsSpec(o.thresholds) : o.thresholds;

  const segmentDirs: string[] = [];
  // One progress line for the whole run: each child's ticks (IPC), aggregated, at most once a second.
  const progress = new ProgressAggregator(instances, 1000);
  const children: Array<{ child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> }> = [];
  for (let i = 1; i <= instances; i++) {
    const dir = join(runDir, 'segments', String(i));
    mkdirSync(dir, { recursive: true });
    segmentDirs.push(dir);
    const options: RunScenarioOptions = {
      scenario: o.scenario, engine: 'node', profile: o.profile, allowRemote: o.allowRemote, timeScale: o.timeScale, users: o.users,
      workers: o.workers, rawSamples: o.rawSamples, outDir: dir, runId, segment: { index: i, count: instances }, data,
      ...(target ? { target } : {}),
      ...(thresholds !== undefined ? { thresholds } : {}),
      ...(variant ? { variant } : {}),
      // The stack (when there is one) names the variant and switches on each segment's run card.
      ...(stack ? { stack } : {}),
    };
    const file = join(dir, 'instance-options.json');
    writeFileSync(file, JSON.stringify(options));
    const child = spawn(process.execPath, [RUN_TS, INSTANCE_MAIN, file], { cwd: PROJECT_ROOT, env: process.env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const index = i;
    child.on('message', (m: unknown) => {
      if (!isInstanceTick(m)) return;
      const tick = progress.add(index, m.tick, performance.now());
      if (tick) events?.emit('tick', tick);
    });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
    children.push({ child, done: new Promise((r) => child.on('close', (code) => r({ code, stderr }))) });
  }
  events?.emit('start', { scenario: scenario.id, engine: 'node', profile: o.profile, target: target ?? data.baseUrl, runDir, plannedMs: scheduleOf(plan).durationS * 1000 });
  const stopAll = () => children.forEach(({ child }) => child.exitCode === null && child.kill('SIGINT'));
  signal?.addEventListener('abort', stopAll, { once: true });
  let results: Array<{ code: number | null; stderr: string }>;
  try {
    results = await Promise.all(children.map((c) => c.done));
  } finally {
    signal?.removeEventListener('abort', stopAll);
  }
  if (signal?.aborted || results.some((r) => r.code === 105)) {
    throw new BrinkError('ABORTED', `run of ${scenario.id} on ${instances} instances interrupted; partial segment results in ${join(runDir, 'segments')}`);
  }
  const failed = results.findIndex((r) => r.code !== 0);
  if (failed >= 0) {
    const r = results[failed]!;
    const line = r.stderr.trim().split('\n').filter(Boolean).pop() ?? '';
    const reason = line.replace(/^brink: /, '');
    if (r.code === 104) throw invalidInput(`instance ${failed + 1}/${instances}: ${reason}`);
    throw new BrinkError('UNEXPECTED', `instance ${failed + 1}/${instances} exited ${r.code}: ${reason}`);
  }
  const merged = await mergeRun({ inputs: segmentDirs, outDir: runDir });
  events?.emit('done', merged.summary);
  return { summary: merged.summary, runDir, segmentDirs };
}
