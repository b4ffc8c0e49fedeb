/**
 * Kubernetes manifests that run a scenario's segments in pods (`brink k8s manifest`):
 *  - brink's engine: an Indexed Job of N pods, pod k running `brink run --segment k+1/N` (its index
 *    from JOB_COMPLETION_INDEX), all with the same run id, writing to a shared volume; then a
 *    merge Job running `brink merge` over that volume (thresholds evaluated once, on all pods' data).
 *  - a user's own k6 (--k6): a k6-operator TestRun of N runners (k6's own execution segments)
 *    writing CSV output, tagged with the run id, to the same kind of volume; `brink merge` reads it.
 * Pure: returns the objects; the CLI writes them as YAML.
 */
import { invalidInput, isLoopbackHost } from '../../core/index.ts';

export interface ManifestOptions {
  scenario: string;
  /** The k6 script of the scenario (scenarios/k6/<file>), for --k6. */
  k6Script: string;
  profile: string;
  parallelism: number;
  runId: string;
  /** The platform's URL as the pods reach it. */
  target: string;
  timeScale: number;
  /** The plan's length, s: the merge Job waits for the segments at most this long plus half an hour. */
  planDurationS: number;
  /** brink's container image (docs/k8s/brink.Dockerfile), or k6's for --k6. */
  image: string;
  /** Storage class of the shared results volume (ReadWriteMany). */
  storageClass?: string;
  namespace?: string;
}

type Obj = Record<string, unknown>;

const RESULTS = '/results';
const SETUP_DATA_DIR = '/setup';
/** Where k6 runners write: results/ on the script's claim, which the k6 operator mounts at /test. */
const K6_RESULTS = '/test/results';

const labels = (o: ManifestOptions) => ({ app: 'brink', 'brink/run': o.runId, 'brink/scenario': o.scenario });
const meta = (name: string, o: ManifestOptions): Obj => ({ name, labels: labels(o), ...(o.namespace ? { namespace: o.namespace } : {}) });
/** Kubernetes names: lowercase alphanumerics and dashes, at most 63 characters. */
export const k8sName = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 52).replace(/-+$/, '');

function check(o: ManifestOptions): void {
  if (!Number.isInteger(o.parallelism) || o.parallelism < 1 || o.parallelism > 1000) throw invalidInput(`--parallelism "${o.parallelism}" is not a whole number from 1 to 1000`);
  let u: URL;
  try {
    u = new URL(o.target);
  } catch {
    throw invalidInput(`--target "${o.target}" is not a URL; expected the platform's URL as the pods reach it, e.g. http://gateway.platform.svc:8080`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalidInput(`--target "${o.target}" is not http(s)`);
  if (o.namespace !== undefined && !isDns1123Label(o.namespace)) {
    throw invalidInput(`--namespace "${o.namespace}" is not a Kubernetes namespace name; expected a DNS-1123 label: 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit`);
  }
  if (o.storageClass !== undefined && !isDns1123Subdomain(o.storageClass)) {
    throw invalidInput(`--storage-class "${o.storageClass}" is not a Kubernetes object name; expected a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', at most 253, starting and ending with a letter or digit`);
  }
}

/** Kubernetes' rule for namespace names (RFC 1123 label). */
export const isDns1123Label = (s: string) => s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s);
/** Kubernetes' rule for most object names, storage classes included (RFC 1123 subdomain). */
export const isDns1123Subdomain = (s: string) => s.length <= 253 && s.split('.').every((l) => l.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(l));

function resultsVolumeClaim(o: ManifestOptions, name: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(name, o),
    spec: {
      // Every pod writes its own file into it at once: ReadWriteMany.
      accessModes: ['ReadWriteMany'],
      resources: { requests: { storage: '1Gi' } },
      ...(o.storageClass ? { storageClassName: o.storageClass } : {}),
    },
  };
}

/** brink's engine: the results volume, the Indexed Job of segments, and the merge Job. */
export function brinkJobManifests(o: ManifestOptions): Obj[] {
  check(o);
  const base = k8sName(`brink-${o.scenario}-${o.runId}`);
  const claim = `${base}-results`;
  const remote = !isLoopbackHost(new URL(o.target).hostname);
  const n = o.parallelism;
  // The pod's index (0-based) is the segment's (1-based) minus one; the shell does the sum.
  const segmentRun = [
    'node bin/brink.js run', o.scenario,
    `--profile ${o.profile}`,
    `--time-scale ${o.timeScale}`,
    `--segment "$((JOB_COMPLETION_INDEX + 1))/${n}"`,
    `--run-id ${o.runId}`,
    '--target "$BRINK_TARGET"',
    `--setup-data ${SETUP_DATA_DIR}/setup-data.json`,
    `--out "${RESULTS}/segment-$((JOB_COMPLETION_INDEX + 1))"`,
    ...(remote ? ['--allow-remote'] : []),
  ].join(' ');
  const volumes = [
    { name: 'results', persistentVolumeClaim: { claimName: claim } },
    { name: 'setup-data', configMap: { name: `${base}-setup-data` } },
  ];
  const job: Obj = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(`${base}-segments`, o),
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: n,
      // A retried segment would send its share twice: a failed pod fails the run instead.
      backoffLimit: 0,
      template: {
        metadata: { labels: labels(o) },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'segment',
              image: o.image,
              command: ['sh', '-c', segmentRun],
              env: [{ name: 'BRINK_TARGET', value: o.target }, { name: 'CI', value: 'true' }],
              volumeMounts: [
                { name: 'results', mountPath: RESULTS },
                { name: 'setup-data', mountPath: SETUP_DATA_DIR, readOnly: true },
              ],
              resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } },
            },
          ],
          volumes,
        },
      },
    },
  };
  // Started with the segments, the merge waits until every segment has written its result (bounded).
  const waitAndMerge = [
    `while [ "$(ls ${RESULTS}/segment-*/segment.json 2>/dev/null | wc -l)" -lt ${n} ]; do sleep 5; done`,
    `node bin/brink.js merge ${RESULTS} --out ${RESULTS}/merged --junit ${RESULTS}/merged/junit.xml`,
  ].join('; ');
  const merge: Obj = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(`${base}-merge`, o),
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: Math.ceil(o.planDurationS) + 1800,
      template: {
        metadata: { labels: labels(o) },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'merge',
              image: o.image,
              command: ['sh', '-c', waitAndMerge],
              volumeMounts: [{ name: 'results', mountPath: RESULTS }],
            },
          ],
          volumes: [volumes[0]],
        },
      },
    },
  };
  return [resultsVolumeClaim(o, claim), job, merge];
}

/**
 * A user's own k6: the results volume (the scripts and setup-data.json are copied onto it too: the
 * operator mounts a script volume claim at /test in every runner) and a TestRun whose runners
 * write CSV named after their pod, tagged so `brink merge` knows the run.
 */
export function k6TestRunManifests(o: ManifestOptions): Obj[] {
  check(o);
  const base = k8sName(`brink-${o.scenario}-${o.runId}`);
  const claim = `${base}-k6`;
  const tags = { brink_run: o.runId, brink_scenario: o.scenario, brink_profile: o.profile, brink_time_scale: String(o.timeScale) };
  const testRun: Obj = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: meta(`${base}-k6`, o),
    spec: {
      parallelism: o.parallelism,
      script: { volumeClaim: { name: claim, file: o.k6Script } },
      // The operator splits `arguments` on spaces into the runner's argv (no shell): no quoting,
      // no spaces inside a value. The CSV path is given the way k6's docs give it (--out
      // csv=FILE), one file per runner pod: Kubernetes expands $(POD_NAME) in a container's
      // command from the container's env (and the operator's initializer drops --out).
      arguments: [`--out csv=${K6_RESULTS}/$(POD_NAME).csv`, ...Object.entries(tags).map(([k, v]) => `--tag ${k}=${v}`)].join(' '),
      runner: {
        image: o.image,
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'PROFILE', value: o.profile },
          { name: 'TIME_SCALE', value: String(o.timeScale) },
          { name: 'BRINK_DATA', value: '/test/setup-data.json' },
          { name: 'BRINK_SUMMARY', value: `${K6_RESULTS}/$(POD_NAME)-summary.json` },
        ],
        resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } },
      },
    },
  };
  return [resultsVolumeClaim(o, claim), testRun];
}
