/**
 * `brink chaos`: list experiments, run one against the running stack (exit 0 when every
 * hypothesis holds, 99 when one fails, 105 interrupted, with the faults rolled back), and inject
 * or clear faults by hand to reproduce an outage. The runner emits; this file only displays.
 */
import type { Command } from 'commander';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ASSESSMENT_FILES, BrinkError, within, invalidInput, unknownName, STATE_DIR, type ExperimentResult } from '../../core/index.ts';
import {
  BACKGROUND_PROFILES,
  BRINK_TOXIC_PREFIX,
  checkBackgroundScenario,
  CHAOS_PROFILES,
  EXPERIMENTS,
  ToxiproxyClient,
  describeToxic,
  parseChaosProfile,
  parseStream,
  parseToxicArgs,
  parseToxicity,
  runExperiment,
  toxicHelp,
  TOXIC_TYPES,
  type ExperimentRunner,
} from '../../chaos/index.ts';
import { readStackState, type StackState } from '../../stack/index.ts';
import { addCleanup } from '../interrupt.ts';
import { parseOptions } from '../options.ts';

function toxiproxyFor(url: string | undefined): { client: ToxiproxyClient; stack?: StackState } {
  if (url) return { client: new ToxiproxyClient(url) };
  const stack = readStackState();
  return { client: new ToxiproxyClient(stack.urls.toxiproxy), stack };
}

const RunOptions = z.object({
  profile: z.string(),
  out: z.string().optional(),
  toxiproxy: z.string().url().optional(),
  scenario: z.string().min(1).optional(),
  scenarioProfile: z.string(),
  json: z.boolean().optional(),
});

const InjectOptions = z.object({
  stream: z.string(),
  toxicity: z.string(),
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/).optional(),
  toxiproxy: z.string().url().optional(),
});

export function registerChaos(program: Command): void {
  const chaos = program.command('chaos').description('fault injection with Toxiproxy: experiments with verdicts, and faults by hand');

  chaos
    .command('list')
    .description('list the experiments (and what each asserts)')
    .option('--json', 'as JSON')
    .action((raw: { json?: boolean }) => {
      const all = EXPERIMENTS.all();
      if (raw.json) {
        process.stdout.write(`${JSON.stringify(all.map(({ id, description, claimIds, proxies, recipe }) => ({ id, description, claimIds, proxies, recipe })), null, 2)}\n`);
        return;
      }
      for (const x of all) process.stdout.write(`${x.id.padEnd(16)} ${x.description} [${x.claimIds.join(', ')}]\n`);
    });

  chaos
    .command('run')
    .description('run an experiment on the running stack: steady state, faults under load, rollback, verdicts')
    .argument('<experiment>', `one of: ${EXPERIMENTS.ids().join(', ')}`)
    .option('--profile <profile>', `${CHAOS_PROFILES.join(' or ')} (durations of the windows)`, 'smoke')
    .option('--scenario <scenario>', 'also run this load scenario (brink run, Node engine) during the whole experiment')
    .option('--scenario-profile <profile>', `the scenario's profile: ${BACKGROUND_PROFILES.join(' or ')} (repeated until the experiment ends)`, 'soak')
    .option('--out <dir>', 'results directory; the result goes to <dir>/chaos/<experiment>.json')
    .option('--toxiproxy <url>', "Toxiproxy API (default: the running stack's)")
    .option('--json', 'print the ExperimentResult as JSON')
    .action(async (experiment: string, raw: unknown) => {
      const o = parseOptions(RunOptions, raw);
      EXPERIMENTS.get(experiment);
      const profile = parseChaosProfile(o.profile);
      if (o.scenario) await checkBackgroundScenario(o.scenario, o.scenarioProfile);
      const outDir = resolve(o.out ?? join(STATE_DIR, 'chaos-runs', new Date().toISOString().replace(/[:.]/g, '-')));
      if (existsSync(outDir) && !statSync(outDir).isDirectory()) throw invalidInput(`--out "${o.out}" is a file; expected a directory (or a path that does not exist yet)`);
      const stack = readStackState();

      const outExisted = existsSync(outDir);
      // An interrupted or failed run leaves no directory behind that it created itself.
      const dropOut = () => {
        if (!outExisted) rmSync(outDir, { recursive: true, force: true });
      };

      const ac = new AbortController();
      const running = runExperiment({
        experiment,
        stack,
        profile,
        signal: ac.signal,
        ...(o.toxiproxy ? { toxiproxyUrl: o.toxiproxy } : {}),
        ...(o.scenario ? { load: { scenario: o.scenario, profile: o.scenarioProfile, outDir: join(outDir, 'load') } } : {}),
        onRunner: showProgress,
        onLoad: (l) => process.stderr.write(`scenario ${l.scenario} (${l.profile}): ${l.runs} run(s), ${l.requests} requests, ${l.errors} errors${l.failure ? `; failed: ${l.failure}` : ''}\n`),
      });
      // SIGINT: abort; the runner rolls every fault back before this resolves; main exits 105.
      const removeCleanup = addCleanup(async () => {
        ac.abort();
        await within(running.catch(() => undefined), 20_000, () => undefined);
        dropOut();
      });
      let result: ExperimentResult;
      try {
        result = await running;
      } catch (e) {
        dropOut();
        throw e;
      } finally {
        removeCleanup();
      }
      const file = join(outDir, ASSESSMENT_FILES.chaos, `${experiment}.json`);
      mkdirSync(join(outDir, ASSESSMENT_FILES.chaos), { recursive: true });
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      process.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : report(result, file));
      const failed = result.verdicts.filter((v) => !v.ok);
      if (!result.ok) {
        throw new BrinkError('HYPOTHESIS_FAILED', `experiment ${experiment}: ${failed.length === 0 ? 'steady state not met' : failed.map((v) => `"${v.hypothesis}" failed (${v.explanation})`).join('; ')}`);
      }
    });

  chaos
    .command('inject')
    .description('add a toxic to a proxy by hand (or "down" to disable the proxy); remove with brink chaos clear')
    .argument('<proxy>', 'a Toxiproxy proxy: postgres, pgbouncer, redis, rabbitmq, svc-<service>…')
    .argument('<toxic>', 'latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, or down')
    .argument('[attributes...]', 'NAME=VALUE in brink units, e.g. latencyMs=200 jitterMs=50')
    .option('--stream <stream>', 'downstream (server to client) or upstream', 'downstream')
    .option('--toxicity <fraction>', 'fraction of connections affected, 0..1', '1')
    .option('--name <name>', `toxic name after the ${BRINK_TOXIC_PREFIX} prefix (default: the toxic type and stream)`)
    .option('--toxiproxy <url>', "Toxiproxy API (default: the running stack's)")
    .addHelpText('after', `\nToxic attributes (units in the names; slicer delayUs is MICROSECONDS):\n${toxicHelp().map((l) => `  ${l}`).join('\n')}\n`)
    .action(async (proxy: string, toxicType: string, attributes: string[], raw: unknown) => {
      const o = parseOptions(InjectOptions, raw);
      if (toxicType === 'down') {
        if (attributes.length > 0) throw invalidInput(`"down" takes no attributes; got ${attributes.join(' ')}`);
        const { client } = toxiproxyFor(o.toxiproxy);
        await client.setEnabled(proxy, false);
        process.stdout.write(`${proxy}: proxy disabled (brink chaos clear ${proxy} enables it again)\n`);
        return;
      }
      if (!(TOXIC_TYPES as string[]).includes(toxicType)) throw unknownName('toxic', toxicType, [...TOXIC_TYPES, 'down']);
      const spec = parseToxicArgs(toxicType, attributes);
      const toxic = { ...spec, stream: parseStream(o.stream), toxicity: parseToxicity(o.toxicity) };
      const { client } = toxiproxyFor(o.toxiproxy);
      const name = `${BRINK_TOXIC_PREFIX}${o.name ?? `${toxic.type}-${toxic.stream}`}`;
      await client.addToxic(proxy, name, toxic);
      process.stdout.write(`${proxy}: added ${name}: ${describeToxic(toxic)}\n`);
    });

  chaos
    .command('clear')
    .description('remove every brink- toxic (and re-enable disabled proxies), on one proxy or all')
    .argument('[proxy]', 'only this proxy')
    .option('--toxiproxy <url>', "Toxiproxy API (default: the running stack's)")
    .action(async (proxy: string | undefined, raw: { toxiproxy?: string }) => {
      const { client } = toxiproxyFor(raw.toxiproxy);
      const done = await client.clearBrinkFaults({ ...(proxy ? { proxy } : {}), reenable: true });
      process.stdout.write(done.length === 0 ? 'nothing to clear\n' : `${done.map((d) => `cleared ${d}`).join('\n')}\n`);
    });

  chaos
    .command('proxies')
    .description('list Toxiproxy proxies and the toxics on them')
    .option('--toxiproxy <url>', "Toxiproxy API (default: the running stack's)")
    .action(async (raw: { toxiproxy?: string }) => {
      const { client } = toxiproxyFor(raw.toxiproxy);
      for (const p of await client.listProxies()) {
        process.stdout.write(`${p.name.padEnd(14)} ${p.listen} -> ${p.upstream}${p.enabled ? '' : '  DISABLED'}\n`);
        for (const t of p.toxics) process.stdout.write(`  ${t.name}: ${t.toxic ? describeToxic(t.toxic) : `${t.wire.type} ${JSON.stringify(t.wire.attributes)}`}\n`);
      }
    });
}

function showProgress(runner: ExperimentRunner): void {
  const out = (line: string) => process.stderr.write(`${line}\n`);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
  out(`brink chaos run ${runner.experiment.id}: ${runner.experiment.description}`);
  runner.on('phase', (p) => out(`[${s(p.tMs)}] ${p.name}`));
  runner.on('fault', (e) => out(`[${s(e.tMs)}] ${e.kind}: ${e.label}`));
  runner.on('note', (n) => out(`note: ${n}`));
  runner.on('verdict', (v) => out(`  ${v.ok ? 'ok  ' : 'FAIL'} [${v.phase}] ${v.hypothesis}: ${v.explanation}`));
  if (process.stderr.isTTY && !process.env.CI) {
    runner.on('tick', (t) => out(`[${s(t.tMs)}]   ${t.slis.requests} req/s, ${t.slis.errors} errors, p99 ${t.slis.p99Ms} ms`));
  }
}

function report(r: ExperimentResult, file: string): string {
  const lines = [
    `${r.experiment}: ${r.ok ? 'ALL HYPOTHESES HOLD' : 'HYPOTHESIS FAILED'}`,
    ...r.verdicts.map((v) => `  ${v.ok ? 'ok  ' : 'FAIL'} [${v.phase}] ${v.hypothesis}: ${v.explanation}`),
    `  time to detect: ${r.timeToDetectMs === undefined ? 'no effect seen' : `${r.timeToDetectMs} ms`}; time to recover: ${r.timeToRecoverMs === undefined ? 'not recovered' : `${r.timeToRecoverMs} ms`}`,
    'timeline:',
    ...r.timeline.map((e) => `  ${(e.tMs / 1000).toFixed(2).padStart(7)}s ${e.kind.padEnd(11)} ${e.label}`),
    ...r.notes.map((n) => `note: ${n}`),
    `result: ${file}`,
  ];
  return `${lines.join('\n')}\n`;
}
