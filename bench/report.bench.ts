/**
 * Time and size to render the report of a 10-minute run with 3 scenarios (goals: < 5 s, < 2 MB
 * of HTML). Measures writeReport end to end (read the directories, decode the HDR histograms,
 * build the model, compile and render every chart to SVG, write the four files), median of 3,
 * for 3 scenarios x 10 minutes (baseline only) and, side by side, baseline + optimized (6 runs).
 *   node bin/run-ts.js bench/report.bench.ts
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, loadInputs, renderHtml, renderJunit, renderMarkdown, SECTIONS, writeReport, ChartCache, writeAssessmentFixture, DEFAULT_SCENARIOS } from '../reports/index.ts';

const REPS = 3;
const DURATION_S = 600;
const tmp = mkdtempSync(join(tmpdir(), 'brink-report-bench-'));

async function measure(name: string, dir: string): Promise<void> {
  const times: number[] = [];
  const cpu: number[] = [];
  let sizes = { html: 0, md: 0, summary: 0, junit: 0, runs: 0, charts: 0 };
  for (let i = 0; i < REPS; i++) {
    const out = join(tmp, `${name}-out-${i}`);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await writeReport([dir], { outDir: out });
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    sizes = {
      html: statSync(r.files.html).size, md: statSync(r.files.markdown).size, summary: statSync(r.files.summary).size,
      junit: statSync(r.files.junit).size, runs: r.model.runs.length,
      charts: (readFileSync(r.files.html, 'utf8').match(/<figure class="chart"/g) ?? []).length,
    };
  }
  // Where the time goes, from one extra pass over the same pieces writeReport calls.
  const lap = (() => { let t = performance.now(); return () => { const n = performance.now(); const d = n - t; t = n; return `${(d / 1000).toFixed(2)} s`; }; })();
  const inputs = loadInputs([dir]); const tLoad = lap();
  const model = buildModel(inputs); const tModel = lap();
  const charts = new ChartCache(); await renderHtml(model, SECTIONS.all(), charts); const tHtml = lap();
  await renderMarkdown(model, SECTIONS.all(), charts); const tMd = lap();
  JSON.stringify(model); renderJunit(model); const tRest = lap();
  console.log(`  breakdown: load+decode ${tLoad}, model ${tModel}, html with ${charts.size} charts ${tHtml}, markdown (charts cached) ${tMd}, summary+junit ${tRest}`);
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  // On a shared 2-core box wall time includes waiting for the CPU; CPU time is what rendering costs.
  console.log(`  cpu time median ${(cpu[Math.floor(cpu.length / 2)]! / 1000).toFixed(2)} s; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;
  console.log(`${name}: render median ${(median / 1000).toFixed(2)} s (runs: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s) `
    + `goal < 5 s ${median < 5000 ? 'MET' : 'MISSED'}; report.html ${mb(sizes.html)} goal < 2 MB ${sizes.html < 2 * 1024 * 1024 ? 'MET' : 'MISSED'}; `
    + `report.md ${mb(sizes.md)}, summary.json ${mb(sizes.summary)}, junit.xml ${(sizes.junit / 1024).toFixed(1)} KB; ${sizes.runs} runs, ${sizes.charts} charts`);
}

try {
  const baselineOnly = join(tmp, 'three');
  const t0 = performance.now();
  writeAssessmentFixture(baselineOnly, { durationS: DURATION_S });
  // Keep only the baseline runs for the headline figure: 3 scenarios x 10 minutes.
  for (const s of DEFAULT_SCENARIOS) rmSync(join(baselineOnly, 'runs', `${s.scenario}-optimized`), { recursive: true });
  const full = join(tmp, 'six');
  writeAssessmentFixture(full, { durationS: DURATION_S });
  console.log(`fixtures generated in ${((performance.now() - t0) / 1000).toFixed(1)} s (not part of the figures)`);
  await measure('3 scenarios x 10 min (baseline)', baselineOnly);
  await measure('3 scenarios x 10 min x baseline+optimized', full);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
