/**
 * `brink k8s manifest <scenario> --parallelism N --target URL`: the Kubernetes objects that run a
 * scenario's N segments in pods (an Indexed Job of `brink run --segment`, a shared results volume,
 * and the `brink merge` Job to run after it), or with --k6 a k6-operator TestRun whose runners
 * write CSV output that `brink merge` reads. Writes YAML to stdout, or to --out DIR with the
 * setup data pointed at the target. Nothing is applied: kubectl does that.
 */
import type { Command } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { z } from 'zod';
import { checkLoadTarget, invalidInput, unknownName } from '../../core/index.ts';
import { PROFILES, SCENARIOS, planDurationS, planFor, brinkJobManifests, k6TestRunManifests, type ManifestOptions } from '../../scenarios/index.ts';
import { parseOptions } from '../options.ts';

const Options = z.object({
  parallelism: z.string(),
  target: z.string().optional(),
  profile: z.string(),
  timeScale: z.string().optional(),
  runId: z.string().optional(),
  image: z.string().optional(),
  k6: z.boolean().optional(),
  setupData: z.string().optional(),
  out: z.string().optional(),
  namespace: z.string().optional(),
  storageClass: z.string().optional(),
  allowRemote: z.boolean().optional(),
});

export const DEFAULT_BRINK_IMAGE = 'brink:local';
export const DEFAULT_K6_IMAGE = 'grafana/k6:1.8.1';

export function registerK8s(program: Command): void {
  const k8s = program.command('k8s').description('Kubernetes manifests that run a scenario in N pods, merged into one result');
  k8s
    .command('manifest')
    .description('write an Indexed Job of `brink run --segment` pods and the `brink merge` Job (or, with --k6, a k6-operator TestRun writing CSV)')
    .argument('<scenario>', `one of: ${SCENARIOS.ids().join(', ')}`)
    .requiredOption('--parallelism <n>', 'pods (segments) to split the plan into')
    .option('--target <url>', "the platform's URL as the pods reach it, e.g. http://gateway.platform.svc:8080")
    .option('--profile <profile>', `load profile: ${PROFILES.join(', ')}`, 'load')
    .option('--time-scale <x>', 'multiply every stage duration by x')
    .option('--run-id <id>', 'run id shared by every pod (default: a new one)')
    .option('--image <image>', `container image (default ${DEFAULT_BRINK_IMAGE}, built from docs/platform.Dockerfile; with --k6 ${DEFAULT_K6_IMAGE})`)
    .option('--k6', "a k6-operator TestRun running the scenario's k6 script (your own k6), CSV output for brink merge")
    .option('--setup-data <file>', 'setup-data.json from a run directory (needs --out): written there with baseUrl set to --target')
    .option('--out <dir>', 'write the manifests (and setup data) to this directory instead of stdout')
    .option('--namespace <ns>', 'namespace of every object (a DNS-1123 label, e.g. load-tests)')
    .option('--storage-class <name>', 'storage class of the shared results volume (ReadWriteMany)')
    .option('--allow-remote', 'allow a target outside loopback (in a cluster it always is: say so)')
    .action((scenario: string, raw: unknown) => {
      const o = parseOptions(Options, raw);
      if (!SCENARIOS.has(scenario)) throw unknownName('scenario', scenario, SCENARIOS.ids());
      if (!(PROFILES as readonly string[]).includes(o.profile)) throw unknownName('profile', o.profile, PROFILES);
      const parallelism = Number(o.parallelism);
      if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 1000) throw invalidInput(`--parallelism "${o.parallelism}" is not a whole number from 1 to 1000`);
      if (!o.target) throw invalidInput('--target is required: the platform URL as the pods reach it, e.g. http://gateway.platform.svc:8080');
      checkLoadTarget(o.target, o.allowRemote ?? false);
      const timeScale = o.timeScale === undefined ? 1 : Number(o.timeScale);
      if (!Number.isFinite(timeScale) || timeScale <= 0 || timeScale > 100) throw invalidInput(`--time-scale "${o.timeScale}" is not a number in (0, 100]`);
      const runId = o.runId ?? `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')}-${scenario}-${o.profile}`;
      if (!/^[A-Za-z0-9._-]{1,120}$/.test(runId)) throw invalidInput(`--run-id "${runId}" is not 1-120 letters, digits, dots, dashes or underscores`);
      // Everything is checked before anything is written: a bad value leaves no half-written --out.
      if (o.setupData !== undefined && !o.out) throw invalidInput(`--setup-data "${o.setupData}" needs --out DIR: it is written there, next to the manifests, with baseUrl set to --target`);
      const setupData = o.setupData === undefined ? undefined : readSetupData(o.setupData);
      const d = SCENARIOS.get(scenario);
      const plan = planFor(d.planKey, o.profile, timeScale);
      const m: ManifestOptions = {
        scenario, k6Script: d.k6Script, profile: o.profile, parallelism, runId, target: o.target, timeScale, planDurationS: planDurationS(plan.scenario),
        image: o.image ?? (o.k6 ? DEFAULT_K6_IMAGE : DEFAULT_BRINK_IMAGE),
        ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
        ...(o.storageClass !== undefined ? { storageClass: o.storageClass } : {}),
      };
      const objects = o.k6 ? k6TestRunManifests(m) : brinkJobManifests(m);
      const yaml = objects.map((x) => stringify(x)).join('---\n');
      if (!o.out) return void process.stdout.write(yaml);
      mkdirSync(o.out, { recursive: true });
      const file = join(o.out, `${o.k6 ? 'testrun' : 'job'}-${scenario}.yaml`);
      writeFileSync(file, yaml);
      if (setupData) writeFileSync(join(o.out, 'setup-data.json'), JSON.stringify({ ...setupData, baseUrl: o.target.replace(/\/$/, '') }, null, 2));
      process.stdout.write(`wrote ${file}${o.setupData ? ` and ${join(o.out, 'setup-data.json')}` : ''} (run id ${runId}); next steps: docs/distributed.md\n`);
    });
}

/** --setup-data: a readable JSON object with the users list a run directory's setup-data.json holds. */
function readSetupData(file: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e instanceof SyntaxError ? 'not valid JSON' : (e as Error).message.split('\n')[0]);
    throw invalidInput(`--setup-data "${file}" is not a readable JSON file (${why}); expected the setup-data.json a run directory holds`);
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { users?: unknown }).users)) {
    throw invalidInput(`--setup-data "${file}" has no users list; expected the setup-data.json a run directory holds`);
  }
  return data as Record<string, unknown>;
}
