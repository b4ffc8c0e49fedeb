/**
 * Reads k6's raw JSON output (--out json=FILE: one {"type":"Point","metric",…,"data":{time,value,
 * tags}} per line) into a Recorder, incrementally, so the same file gives live progress during the
 * run and endpoints, phases and the time series after it.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Recorder } from './engine/recorder.ts';
import type { MetricType } from './thresholds.ts';

interface Point {
  type: string;
  metric: string;
  data: { time: string; value: number; tags?: Record<string, string> | null };
}

export class K6RawReader {
  #offset = 0;
  #rest = '';
  /** Epoch ms of the first point: the run's time zero. */
  t0Ms: number | undefined;
  lastMs = 0;

  constructor(private readonly file: string, private readonly recorder: Recorder) {}

  /** Reads what k6 has appended since the last call. */
  async poll(): Promise<void> {
    let fh: FileHandle;
    try {
      fh = await open(this.file, 'r');
    } catch {
      return; // k6 has not created it yet
    }
    try {
      const buf = Buffer.alloc(1 << 20);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, this.#offset);
        if (bytesRead === 0) break;
        this.#offset += bytesRead;
        this.#consume(buf.subarray(0, bytesRead).toString('utf8'));
      }
    } finally {
      await fh.close();
    }
  }

  #consume(text: string): void {
    const lines = (this.#rest + text).split('\n');
    this.#rest = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  line(line: string): void {
    if (line.startsWith('{"type":"Metric"')) {
      try {
        const m = JSON.parse(line) as { data: { name: string; type: MetricType } };
        this.recorder.defineType(m.data.name, m.data.type);
      } catch {
        // a torn line: the points still count, as counters
      }
      return;
    }
    if (!line.includes('"type":"Point"')) return;
    let p: Point;
    try {
      p = JSON.parse(line) as Point;
    } catch {
      return;
    }
    const ms = Date.parse(p.data.time);
    // Time zero is the first sample of the load itself (tagged with its scenario), not setup().
    if (this.t0Ms === undefined) {
      if (!p.data.tags?.scenario || p.data.tags.group === '::setup') return;
      this.t0Ms = ms;
    }
    this.lastMs = Math.max(this.lastMs, ms - this.t0Ms);
    this.recorder.add(p.metric, p.data.value, p.data.tags ?? {}, ms - this.t0Ms);
  }
}
