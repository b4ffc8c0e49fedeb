/**
 * The manifests' structure, without a cluster: kinds, the Indexed completion mode, parallelism, the
 * segment arguments each pod derives from JOB_COMPLETION_INDEX, the shared volumes, the merge step,
 * and the k6-operator TestRun whose runners write tagged CSV output.
 */
import { describe, expect, it } from 'vitest';
import { brinkJobManifests, isDns1123Label, isDns1123Subdomain, k6TestRunManifests, type ManifestOptions } from './k8s.ts';

const o: ManifestOptions = { scenario: 'feed', k6Script: 'feed.js', profile: 'load', parallelism: 4, runId: 'r-1', target: 'http://gateway.platform.svc:8080', timeScale: 1, planDurationS: 600, image: 'brink:local' };
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What `sh -c` runs in pod `index`, with the shell's arithmetic done. */
const podCommand = (cmd: string, index: number) => cmd.replace(/\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)/g, String(index + 1)).replace('"$BRINK_TARGET"', o.target);

describe('brink k8s manifest (brink engine)', () => {
  const [pvc, job, merge] = brinkJobManifests(o) as Any[];

  it('is a shared ReadWriteMany volume, an Indexed Job of N pods and a merge Job', () => {
    expect([pvc!.kind, job!.kind, merge!.kind]).toEqual(['PersistentVolumeClaim', 'Job', 'Job']);
    expect(pvc!.spec.accessModes).toEqual(['ReadWriteMany']);
    expect(job!.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimit: 0 });
    expect(job!.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('runs segment k+1/N in pod k, with one run id, the target, the setup data and its own results directory', () => {
    const c = job!.spec.template.spec.containers[0];
    expect(c.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect([0, 3].map((i) => podCommand(c.command[2], i))).toEqual([
      'node bin/brink.js run feed --profile load --time-scale 1 --segment "1/4" --run-id r-1 --target http://gateway.platform.svc:8080 --setup-data /setup/setup-data.json --out "/results/segment-1" --allow-remote',
      'node bin/brink.js run feed --profile load --time-scale 1 --segment "4/4" --run-id r-1 --target http://gateway.platform.svc:8080 --setup-data /setup/setup-data.json --out "/results/segment-4" --allow-remote',
    ]);
    expect(c.env).toContainEqual({ name: 'BRINK_TARGET', value: o.target });
    expect(c.volumeMounts.map((m: Any) => [m.name, m.mountPath])).toEqual([['results', '/results'], ['setup-data', '/setup']]);
    const vols = job!.spec.template.spec.volumes;
    expect(vols).toEqual([
      { name: 'results', persistentVolumeClaim: { claimName: pvc!.metadata.name } },
      { name: 'setup-data', configMap: { name: 'brink-feed-r-1-setup-data' } },
    ]);
  });

  it('merges every pod\'s results from the same volume once all N have written theirs, within the plan plus 30 min', () => {
    const c = merge!.spec.template.spec.containers[0];
    expect(c.command[2]).toBe('while [ "$(ls /results/segment-*/segment.json 2>/dev/null | wc -l)" -lt 4 ]; do sleep 5; done; node bin/brink.js merge /results --out /results/merged --junit /results/merged/junit.xml');
    expect(merge!.spec.activeDeadlineSeconds).toBe(2400);
    expect(merge!.spec.template.spec.volumes).toEqual([{ name: 'results', persistentVolumeClaim: { claimName: pvc!.metadata.name } }]);
  });

  it('refuses a parallelism or target that cannot work', () => {
    expect(() => brinkJobManifests({ ...o, parallelism: 0 })).toThrow('--parallelism "0" is not a whole number from 1 to 1000');
    expect(() => brinkJobManifests({ ...o, target: 'gateway:8080/x y' })).toThrow(/^--target "gateway:8080\/x y" is not/);
  });
});

describe('brink k8s manifest --k6 (a user\'s own k6 on the k6 operator)', () => {
  const [pvc, tr] = k6TestRunManifests({ ...o, image: 'grafana/k6:1.8.1', timeScale: 0.5 }) as Any[];

  it('is a TestRun of N runners on the scenario\'s script, from the shared volume', () => {
    expect([pvc!.kind, tr!.apiVersion, tr!.kind]).toEqual(['PersistentVolumeClaim', 'k6.io/v1alpha1', 'TestRun']);
    expect(tr!.spec.parallelism).toBe(4);
    expect(tr!.spec.script).toEqual({ volumeClaim: { name: pvc!.metadata.name, file: 'feed.js' } });
  });

  it('has every runner write CSV named after its pod, tagged with the run for brink merge', () => {
    expect(tr!.spec.arguments).toBe('--out csv=/test/results/$(POD_NAME).csv --tag brink_run=r-1 --tag brink_scenario=feed --tag brink_profile=load --tag brink_time_scale=0.5');
    // The operator splits `arguments` on single spaces into k6's argv (no shell): the CSV path is
    // the value of --out (k6's documented `--out csv=FILE`), and no token carries quotes.
    const argv = tr!.spec.arguments.split(' ');
    expect(argv.slice(0, 2)).toEqual(['--out', 'csv=/test/results/$(POD_NAME).csv']);
    expect(argv.every((a: string) => a !== '' && !/["'\\]/.test(a))).toBe(true);
    const env = Object.fromEntries(tr!.spec.runner.env.map((e: Any) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({ POD_NAME: { fieldRef: { fieldPath: 'metadata.name' } }, PROFILE: 'load', TIME_SCALE: '0.5', BRINK_DATA: '/test/setup-data.json', BRINK_SUMMARY: '/test/results/$(POD_NAME)-summary.json' });
    // Kubernetes expands $(VAR) in the command (where the operator puts the arguments) and in env
    // values only for variables the container defines, and in env only for those defined before.
    const names: string[] = tr!.spec.runner.env.map((e: Any) => e.name);
    const refs = (text: string) => [...text.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((m) => m[1]!);
    expect(refs(tr!.spec.arguments)).toEqual(['POD_NAME']);
    for (const ref of refs(tr!.spec.arguments)) expect(names).toContain(ref);
    tr!.spec.runner.env.forEach((e: Any, i: number) => {
      for (const ref of refs(e.value ?? '')) expect(names.slice(0, i), `${e.name} refers to ${ref}`).toContain(ref);
    });
    // The CSV files land on the script's claim, which the operator mounts at /test in every runner.
    expect(tr!.spec.script.volumeClaim.name).toBe(pvc!.metadata.name);
  });
});

describe('brink k8s manifest: names Kubernetes would refuse are refused here', () => {
  it('takes a DNS-1123 namespace and storage class, and refuses others naming the flag', () => {
    expect((brinkJobManifests({ ...o, namespace: 'load-tests' })[1] as Any).metadata.namespace).toBe('load-tests');
    expect((k6TestRunManifests({ ...o, storageClass: 'nfs.example.com' })[0] as Any).spec.storageClassName).toBe('nfs.example.com');
    for (const bad of ['', 'Load', 'load_tests', '-load', 'load-', 'a'.repeat(64), 'a b', 'ns.with.dots']) {
      expect(() => brinkJobManifests({ ...o, namespace: bad })).toThrow(`--namespace "${bad}" is not a Kubernetes namespace name`);
    }
    for (const bad of ['', 'NFS', 'nfs..x', 'nfs_x', '.nfs']) expect(() => k6TestRunManifests({ ...o, storageClass: bad })).toThrow(`--storage-class "${bad}" is not a Kubernetes object name`);
    expect([isDns1123Label('a'), isDns1123Label('a'.repeat(63)), isDns1123Subdomain('a.b-c.d')]).toEqual([true, true, true]);
  });
});
