/**
 * The steps of an assessment, in order. Each is a small function over the shared AssessState;
 * "essential" steps (stack, data) stop the assessment when they fail, the others are recorded as
 * failed and the rest go on.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ASSESSMENT_FILES, BrinkError, type ClaimResult, type RunSummary } from '../core/index.ts';
import { readStackState, readStackStateFile, startPlatformProcess, startStack, writeStackState, type StackState } from '../stack/index.ts';
import { switchesFor, type Switches } from '../core/index.ts';
import { readDatasetInfo, seed, type DatasetInfo, type ScaleName } from '../reference-system/index.ts';
import { createContext, putSwitches, type AssessProfile } from './context.ts';
import { PROBES } from './probes/index.ts';
import { runProbes } from './probe-runner.ts';
import { CLAIMS } from './claims-catalog.ts';

export interface AssessState {
  opts: { profile: AssessProfile; scale: ScaleName; engine: 'k6' | 'node'; seed?: number; probes?: string[] };
  outDir: string;
  signal: AbortSignal;
  stack?: StackState;
  startedStack?: boolean;
  startedPlatform?: boolean;
  switchesBefore?: Switches;
  /** The state file the platform child reads (the default one unless the stack was handed in). */
  stateFile?: string;
  db?: pg.Pool;
  dataset?: DatasetInfo;
  runs: Record<string, RunSummary>;
  /** Scenario runs that failed, by name, with the error: dependent claims say so. */
  runFailures: Record<string, string>;
  /** Steps that failed so far, by id, with the error. */
  failedSteps: Record<string, string>;
  claims: ClaimResult[];
  notes: string[];
  reportHtml?: string;
  note(message: string): void;
}

export interface AssessStep {
  id: string;
  title: string;
  essential?: boolean;
  /** Runs last and reads what the others wrote (the report). */
  final?: boolean;
  run(state: AssessState): Promise<void>;
}

const writeJson = (file: string, value: unknown) => {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
};

const stackStep: AssessStep = {
  id: 'stack',
  title: 'start the local stack (or use the running one)',
  essential: true,
  async run(s) {
    const existing = s.stack ? undefined : readStackStateFile();
    if (s.stack) {
      if (s.stack.platform) s.switchesBefore = { ...s.stack.platform.switches };
    } else if (existing) {
      s.stack = readStackState();
      if (!s.stack.platform) throw new BrinkError('INVALID_INPUT', 'a stack is running without the platform', { suggestion: 'run "brink stack down" and let assess start its own, or "brink stack up"' });
      s.switchesBefore = { ...s.stack.platform.switches };
      s.note(`using the running stack (${s.stack.dir || s.stack.provider})`);
    } else {
      s.stack = await startStack({ provider: 'local', signal: s.signal });
      s.startedStack = true;
      writeStackState(s.stack);
    }
    if (!s.startedStack && !existing) {
      // A stack handed in (tests): the platform child reads it from a state file of its own.
      s.stateFile = join(s.outDir, 'stack-state.json');
      writeStackState(s.stack, s.stateFile);
    }
    s.db = new pg.Pool({ connectionString: s.stack.urls.postgres, max: 4 });
  },
};

const seedStep: AssessStep = {
  id: 'seed',
  title: 'seed deterministic data',
  essential: true,
  async run(s) {
    const current = await readDatasetInfo(s.db!);
    if (current && current.scale === s.opts.scale && (s.opts.seed === undefined || current.seed === s.opts.seed)) {
      s.dataset = current;
      s.note(`data already seeded (${current.scale}, seed ${current.seed})`);
    } else {
      const r = await seed(s.stack!.urls.postgres, { scale: s.opts.scale, seed: s.opts.seed ?? 1 });
      s.dataset = r.info;
      s.note(`seeded ${r.info.posts.toLocaleString('en')} posts in ${(r.totalMs / 1000).toFixed(1)} s`);
    }
    if (!s.stack!.platform) {
      // Started after seeding so the platform's caches never hold rows of an earlier dataset.
      s.stack!.platform = await startPlatformProcess(s.stack!, { variant: 'optimized', switches: switchesFor('optimized'), signal: s.signal, stateFile: s.stateFile });
      s.startedPlatform = true;
      if (s.startedStack) {
        s.stack!.processes.push({ name: 'platform', pid: s.stack!.platform.pid });
        writeStackState(s.stack!);
      }
    }
  },
};

/**
 * What load each scenario gets. The smoke assessment shortens the stress and spike plans (time
 * scale) rather than using their smoke profiles, so the runs still cross the knee the capacity
 * claims are about: feed's stress ramps arrivals to 400 req/s in ~24 s.
 */
const SCENARIO_PLANS: Record<AssessProfile, { scenario: string; profile: 'smoke' | 'load' | 'stress' | 'spike'; timeScale: number }[]> = {
  smoke: [
    { scenario: 'feed', profile: 'stress', timeScale: 0.05 },
    { scenario: 'search-spike', profile: 'spike', timeScale: 0.15 },
    { scenario: 'chat-burst', profile: 'smoke', timeScale: 1 },
  ],
  full: [
    { scenario: 'feed', profile: 'stress', timeScale: 0.25 },
    { scenario: 'search-spike', profile: 'spike', timeScale: 0.5 },
    { scenario: 'chat-burst', profile: 'load', timeScale: 0.25 },
  ],
};

function scenarioStep(): AssessStep {
  return {
    id: 'scenarios',
    title: 'feed, search-spike and chat-burst, baseline then optimized',
    async run(s) {
      const { runScenario } = await import('../scenarios/index.ts');
      const gateway = s.stack!.platform!.services.gateway!;
      for (const variant of ['baseline', 'optimized'] as const) {
        await putSwitches(gateway, switchesFor(variant));
        s.stack!.platform!.switches = switchesFor(variant);
        s.stack!.platform!.variant = variant;
        for (const plan of SCENARIO_PLANS[s.opts.profile]) {
          const name = `${plan.scenario}-${variant}`;
          const outDir = join(s.outDir, ASSESSMENT_FILES.runs, name);
          try {
            const run = await runScenario({ scenario: plan.scenario, engine: s.opts.engine, profile: plan.profile, timeScale: plan.timeScale, outDir, stack: s.stack!, signal: s.signal, variant });
            s.runs[name] = run;
            s.note(`${name} (${plan.profile} x${plan.timeScale}): ${run.totals.requests} requests, ${run.totals.ratePerSec.toFixed(0)} req/s, P99 ${run.totals.latencyMs.p99.toFixed(1)} ms, errors ${(run.totals.errorRate * 100).toFixed(2)}%, thresholds ${run.status}`);
          } catch (e) {
            if (s.signal.aborted) throw e;
            // Recorded so the claims that need this run say why they are NOT RUN, and the step
            // (hence the assessment) is marked failed below: a missing run is never "complete".
            s.runFailures[name] = (e as Error).message;
            s.note(`${name} failed: ${(e as Error).message}`);
          }
        }
      }
      await putSwitches(gateway, switchesFor('optimized'));
      s.stack!.platform!.variant = 'optimized';
      s.stack!.platform!.switches = switchesFor('optimized');
      const failed = Object.entries(s.runFailures);
      if (failed.length) throw new BrinkError('UNEXPECTED', `${failed.length} scenario run(s) failed: ${failed.map(([k, v]) => `${k} (${v})`).join('; ')}`);
    },
  };
}

const claimsStep: AssessStep = {
  id: 'claims',
  title: 'measure each claim by toggling its switch',
  async run(s) {
    const ctx = createContext({ stack: s.stack!, profile: s.opts.profile, dataset: s.dataset!, db: s.db!, signal: s.signal, runs: s.runs, runFailures: { ...(s.failedSteps.scenarios ? { '*': `the scenarios step failed: ${s.failedSteps.scenarios}` } : {}), ...s.runFailures }, outDir: s.outDir, log: s.note });
    const measured = new Map<string, Omit<ClaimResult, 'claim'>>();
    const probeFailures: string[] = [];
    const file = join(s.outDir, ASSESSMENT_FILES.claims);
    const save = () => {
      s.claims = CLAIMS.map((c) => ({ claim: c.claim, ...(measured.get(c.id) ?? { id: c.id, method: '-', measured: '-', verdict: 'NOT RUN' as const, reason: 'no probe measures this claim yet' }) }));
      writeJson(file, s.claims);
    };
    const probes = PROBES.all().filter((p) => p.profiles.includes(s.opts.profile) && (!s.opts.probes || s.opts.probes.includes(p.id)));
    // Background probes run beside the ones after them (assess/probe-runner.ts); all are awaited.
    await runProbes(probes, ctx, ({ probe, results, error, ms }) => {
      if (error) {
        probeFailures.push(`${probe.id} (${error.message})`);
        for (const id of probe.claimIds) measured.set(id, { id, method: probe.description, measured: '-', verdict: 'NOT RUN', reason: `the probe failed: ${error.message}` });
        s.note(`${probe.id} failed: ${error.message}`);
      } else {
        for (const r of results ?? []) measured.set(r.id, r);
        s.note(`${probe.id}: ${probe.claimIds.map((id) => `${id} ${measured.get(id)?.verdict ?? '-'}`).join(', ')} (${(ms / 1000).toFixed(1)} s)`);
      }
      save();
    });
    save();
    if (probeFailures.length) throw new BrinkError('UNEXPECTED', `${probeFailures.length} claim probe(s) failed: ${probeFailures.join('; ')}`);
  },
};

/**
 * The audits, on the baseline (index switches off): EXPLAIN checks and index coverage with HypoPG
 * proofs over the catalog queries the baseline runs, and the pool budget of the running platform.
 */
const auditStep: AssessStep = {
  id: 'audit',
  title: 'SQL, index and pool audits (baseline)',
  async run(s) {
    const a = await import('../analyzers/index.ts');
    const { NAMED_QUERIES, queryForm } = await import('../sql-audit/index.ts');
    const gateway = s.stack!.platform!.services.gateway!;
    const baseline = switchesFor('baseline');
    const queries = NAMED_QUERIES.filter((q) => !('usedWhen' in q) || queryForm(q.family, baseline).id === q.id);
    const target = 'reference platform (baseline)';
    await putSwitches(gateway, baseline);
    const client = await a.connectDirect(s.stack!.urls.postgres);
    try {
      const sql = await a.auditSql(client, queries, { timeoutMs: 10_000, analyzeWrites: true, expectDataset: true, target });
      const indexes = await a.auditIndexes(client, queries, { timeoutMs: 10_000, realIndexes: true, analyzeWrites: true, reportUnused: false, expectDataset: true, target });
      const postgres = await a.readPostgresLimits(client, 10_000);
      const pgbouncer = await a.readPgbouncerSettings(s.stack!.urls.pgbouncer);
      const pools = a.auditPools({ deployment: a.referenceDeployment({ postgres, pgbouncer }), target: 'reference platform', queries: NAMED_QUERIES, sample: { missing: 'no load sampled during the audit' } });
      const findings = a.sortFindings([...sql.findings, ...indexes.findings, ...pools.findings]);
      writeJson(join(s.outDir, ASSESSMENT_FILES.findings), findings);
      writeJson(join(s.outDir, ASSESSMENT_FILES.pools), pools.details.budget);
      const sqlOf = new Map<string, string>(NAMED_QUERIES.map((q) => [q.id, q.sql]));
      const explains = indexes.details.wanted
        .filter((w) => w.proof?.before && w.proof.after)
        .map((w) => ({
          query: w.queryId,
          sql: sqlOf.get(w.queryId) ?? '',
          before: { label: 'baseline', plan: w.proof!.before!.shape, totalCost: w.proof!.before!.cost, ...(w.proof!.before!.executionMs !== undefined ? { executionMs: w.proof!.before!.executionMs } : {}) },
          after: { label: `with ${w.ddl} (${w.proof!.method === 'hypopg' ? 'HypoPG' : 'real index, rolled back'})`, plan: w.proof!.after!.shape, hypothetical: w.proof!.method === 'hypopg', totalCost: w.proof!.after!.cost, ...(w.proof!.after!.executionMs !== undefined ? { executionMs: w.proof!.after!.executionMs } : {}) },
        }));
      writeJson(join(s.outDir, ASSESSMENT_FILES.explains), explains);
      const counts = a.countBySeverity(findings);
      s.note(`findings: ${Object.entries(counts).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}; ${explains.length} index suggestions proven`);
    } finally {
      await client.end().catch(() => undefined);
      await putSwitches(gateway, switchesFor('optimized'));
    }
  },
};

/** Chaos experiments on the optimized platform; smoke runs the three that bear on claims most directly. */
const CHAOS_BY_PROFILE: Record<AssessProfile, string[]> = {
  smoke: ['db-latency', 'redis-down', 'db-down'],
  full: ['db-latency', 'db-down', 'redis-down', 'rabbitmq-down', 'service-timeout', 'slow-network', 'reset-peer', 'pool-exhaustion'],
};

const chaosStep: AssessStep = {
  id: 'chaos',
  title: 'chaos experiments (Toxiproxy faults during load)',
  async run(s) {
    const { runExperiment, EXPERIMENTS } = await import('../chaos/index.ts');
    await putSwitches(s.stack!.platform!.services.gateway!, switchesFor('optimized'));
    const chaosFailures: string[] = [];
    for (const id of CHAOS_BY_PROFILE[s.opts.profile].filter((e) => EXPERIMENTS.has(e))) {
      if (s.signal.aborted) throw new BrinkError('ABORTED', 'interrupted');
      const t0 = Date.now();
      try {
        const r = await runExperiment({ experiment: id, stack: s.stack!, profile: 'smoke', signal: s.signal });
        writeJson(join(s.outDir, ASSESSMENT_FILES.chaos, `${id}.json`), r);
        s.note(`${id}: ${r.ok ? 'hypotheses hold' : 'a hypothesis FAILED'} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      } catch (e) {
        if (s.signal.aborted) throw e;
        chaosFailures.push(`${id} (${(e as Error).message})`);
        s.note(`${id} failed to run: ${(e as Error).message}`);
      }
    }
    if (chaosFailures.length) throw new BrinkError('UNEXPECTED', `${chaosFailures.length} chaos experiment(s) failed to run: ${chaosFailures.join('; ')}`);
  },
};

const reportStep: AssessStep = {
  id: 'report',
  title: 'write the report',
  final: true,
  async run(s) {
    const { writeReport } = await import('../reports/index.ts');
    const r = await writeReport([s.outDir], { outDir: join(s.outDir, 'report'), title: `brink assessment: ${s.opts.profile} profile, ${s.opts.scale} data` });
    s.reportHtml = r.files.html;
  },
};

export const ASSESS_STEPS: AssessStep[] = [stackStep, seedStep, auditStep, scenarioStep(), claimsStep, chaosStep, reportStep];
