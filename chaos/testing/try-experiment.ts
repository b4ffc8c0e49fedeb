/**
 * Developer script: runs experiments on a fresh seeded platform over an already running stack
 * (infrastructure only, e.g. `brink stack up --no-platform`), printing verdicts as they come.
 *   BRINK_STACK_STATE=… node bin/run-ts.js chaos/testing/try-experiment.ts <variant> <experiment>… [--switch k=v…]
 */
import { readStackState } from '../../stack/index.ts';
import { parseVariant } from '../../core/index.ts';
import { runExperiment } from '../run.ts';
import { openChaosPlatform } from './platform-fixture.ts';

const args = process.argv.slice(2);
const variant = parseVariant(args[0] ?? 'optimized');
const switches: Record<string, boolean> = {};
const experiments: string[] = [];
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--switch') {
    const [k, v] = args[++i]!.split('=') as [string, string];
    switches[k] = v === 'on';
  } else experiments.push(args[i]!);
}
const t = await openChaosPlatform(readStackState(), `try_${variant}`, variant, { realtime: experiments.includes('rabbitmq-down') });
try {
  if (Object.keys(switches).length > 0) await t.setSwitches(switches);
  for (const experiment of experiments) {
    const open: number[] = [];
    const reasons = new Map<string, number>();
    const result = await runExperiment({
      experiment,
      stack: t.stack,
      onRunner: (r) => {
        r.on('fault', (e) => console.log(`[${(e.tMs / 1000).toFixed(1)}s] ${e.kind} ${e.label}`));
        r.on('verdict', (v) => console.log(`  ${v.ok ? 'ok  ' : 'FAIL'} [${v.phase}] ${v.hypothesis}: ${v.explanation}`));
        r.on('note', (n) => console.log(`note: ${n}`));
        r.on('sample', (s) => {
          if (s.reason === 'CIRCUIT_OPEN') open.push(Math.round(s.latencyMs * 10) / 10);
          if (!s.ok) reasons.set(`${s.status} ${s.reason ?? ''}`, (reasons.get(`${s.status} ${s.reason ?? ''}`) ?? 0) + 1);
        });
      },
    });
    console.log(`${experiment} (${variant}): ok=${result.ok} detect=${result.timeToDetectMs} recover=${result.timeToRecoverMs}`);
    for (const e of result.timeline) console.log(`  ${(e.tMs / 1000).toFixed(2)}s ${e.kind} ${e.label}`);
    const phases = result.run?.phases.map((p) => `${p.name}: ${p.requests} req, ${p.errors} err, p50 ${p.latencyMs.p50} p99 ${p.latencyMs.p99} max ${p.latencyMs.max}`);
    console.log(phases?.join('\n'));
    console.log(`failures by status and reason: ${JSON.stringify(Object.fromEntries(reasons))}`);
    if (open.length > 0) console.log(`CIRCUIT_OPEN latencies (ms, in order): ${open.join(' ')}`);
  }
} finally {
  await t.close();
}
