/**
 * Reads k6's CSV output (`k6 run --out csv=FILE`, one sample per row: metric_name, timestamp,
 * metric_value, then one column per standard tag and `extra_tags` as k=v&k=v) into a Recorder, so
 * the runner pods of a k6-operator TestRun merge into one RunSummary like brink's own segments.
 * Runners are identified by the tags brink's TestRun gives them (brink_run, brink_scenario,
 * brink_profile, brink_time_scale); files of different runs are refused.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { invalidInput } from '../../core/index.ts';
import { Recorder, type PhaseDef } from '../engine/recorder.ts';
import { METRIC_TYPES, type MetricType, type ParsedMetricKey } from '../thresholds.ts';

/** k6's built-in metrics the scenarios do not emit themselves (their types are not in a CSV). */
const K6_TYPES: Record<string, MetricType> = {
  http_req_blocked: 'trend', http_req_connecting: 'trend', http_req_tls_handshaking: 'trend', http_req_sending: 'trend',
  http_req_receiving: 'trend', group_duration: 'trend', ws_session_duration: 'trend', ws_ping: 'trend',
  data_sent: 'counter', data_received: 'counter', ws_msgs_sent: 'counter', ws_msgs_received: 'counter',
};

export interface K6CsvIdentity {
  runId: string;
  scenario: string;
  profile: string;
  timeScale: number;
}

/** One CSV line into fields (RFC 4180 quoting, as Go's encoding/csv writes it). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) throw new Error('unterminated quote');
        v += line.slice(i, q);
        if (line[q + 1] === '"') (v += '"'), (i = q + 2);
        else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      i += 1; // the comma
    } else {
      const c = line.indexOf(',', i);
      const end = c === -1 ? line.length : c;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

async function* rows(file: string): AsyncGenerator<Record<string, string>> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let header: string[] | undefined;
  let n = 0;
  for await (const line of rl) {
    n += 1;
    if (line === '') continue;
    let f: string[];
    try {
      f = csvFields(line);
    } catch {
      throw invalidInput(`${file} line ${n} is not valid CSV`);
    }
    if (!header) {
      if (f[0] !== 'metric_name' || !f.includes('timestamp') || !f.includes('metric_value')) {
        throw invalidInput(`${file} is not k6 CSV output: its header is "${line.slice(0, 80)}"; expected metric_name,timestamp,metric_value,…`);
      }
      header = f;
      continue;
    }
    const r: Record<string, string> = {};
    header.forEach((h, i) => (r[h] = f[i] ?? ''));
    yield r;
  }
}

/** k6 writes unix seconds by default, RFC 3339 with `timeFormat=rfc3339`. */
const seconds = (ts: string | undefined): number => {
  const n = Number(ts);
  return Number.isFinite(n) ? n : Date.parse(ts ?? '') / 1000;
};

const extraTags = (s: string | undefined): Record<string, string> =>
  Object.fromEntries((s ?? '').split('&').filter(Boolean).map((kv) => kv.split('=').map(decodeURIComponent) as [string, string]));

/** The run a k6 CSV file belongs to, from its first row's brink_* tags. */
export async function identifyK6Csv(file: string): Promise<K6CsvIdentity & { firstTimestampS: number }> {
  for await (const r of rows(file)) {
    const t = extraTags(r.extra_tags);
    if (!t.brink_run || !t.brink_scenario || !t.brink_profile) {
      throw invalidInput(`${file} has no brink_run/brink_scenario/brink_profile tags; run k6 with the TestRun \`brink k8s manifest --k6\` writes (it adds --tag brink_run=…)`);
    }
    return { runId: t.brink_run, scenario: t.brink_scenario, profile: t.brink_profile, timeScale: Number(t.brink_time_scale ?? 1), firstTimestampS: seconds(r.timestamp) };
  }
  throw invalidInput(`${file} has no samples`);
}

/**
 * Feeds every row of the files into one Recorder (time zero: the earliest first sample of any
 * file). Returns it with the run's duration, from the first to the last sample.
 */
export async function recordK6Csv(files: string[], t0S: number, phases: PhaseDef[], submetrics: ParsedMetricKey[]): Promise<{ recorder: Recorder; durationMs: number }> {
  const recorder = new Recorder({ phases, submetrics, types: { ...K6_TYPES, ...METRIC_TYPES } });
  let lastMs = 0;
  for (const file of files) {
    for await (const r of rows(file)) {
      const tMs = (seconds(r.timestamp) - t0S) * 1000;
      const value = Number(r.metric_value);
      if (!Number.isFinite(tMs) || !Number.isFinite(value) || !r.metric_name) continue;
      const tags: Record<string, string> = {};
      for (const [k, v] of Object.entries(r)) if (v !== '' && k !== 'metric_name' && k !== 'timestamp' && k !== 'metric_value' && k !== 'extra_tags' && k !== 'metadata') tags[k] = v;
      Object.assign(tags, extraTags(r.extra_tags));
      lastMs = Math.max(lastMs, tMs);
      recorder.add(r.metric_name, value, tags, Math.max(0, tMs));
    }
  }
  return { recorder, durationMs: Math.max(1000, lastMs) };
}
