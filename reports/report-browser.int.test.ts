/**
 * Renders the realistic fixture (an assessment: 3 scenarios x baseline/optimized, findings,
 * EXPLAIN plans, pools, claims, chaos) to HTML and opens it in headless Chromium: no console
 * error, no network request, every chart has marks, the SLI table shows the run's values. A second
 * report carries markup through every untrusted field and proves none of it runs, even with the
 * page's Content-Security-Policy removed. Needs no stack, only /usr/bin/chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../core/index.ts';
import { writeReport, type ReportModel } from './index.ts';
import { writeAssessmentFixture } from './fixtures/realistic.ts';
import { writeInjectionFixture, PAYLOAD_MARKERS } from './fixtures/injection.ts';
import { fmtMs, fmtNumber } from './derive/format.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`reports/report-browser.int.test.ts skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

interface Opened { page: Page; consoleErrors: string[]; requests: string[]; dialogs: string[] }

describe.skipIf(!hasChromium)('the HTML report in headless Chromium', () => {
  let tmp: string;
  let context: BrowserContext;
  let model: ReportModel;
  let reportFile: string;

  async function open(file: string): Promise<Opened> {
    const page = await context.newPage();
    const o: Opened = { page, consoleErrors: [], requests: [], dialogs: [] };
    const self = pathToFileURL(file).href;
    page.on('console', (m) => { if (m.type() === 'error') o.consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => o.consoleErrors.push(String(e)));
    page.on('dialog', (d) => { o.dialogs.push(d.message()); void d.dismiss(); });
    page.on('request', (r) => { if (r.url() !== self) o.requests.push(r.url()); });
    await page.goto(self, { waitUntil: 'load' });
    return o;
  }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'brink-report-browser-'));
    writeAssessmentFixture(join(tmp, 'assessment'), { durationS: 180 });
    const r = await writeReport([join(tmp, 'assessment')], { outDir: join(tmp, 'out') });
    model = r.model;
    reportFile = r.files.html;
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1100, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('loads with no console error and no network request, and a screenshot is saved', async () => {
    const o = await open(reportFile);
    expect(o.consoleErrors).toEqual([]);
    expect(o.requests).toEqual([]);
    const dir = join(PROJECT_ROOT, '.vitest-artifacts');
    mkdirSync(dir, { recursive: true });
    await o.page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    expect(existsSync(join(dir, 'report.png'))).toBe(true);
    await o.page.close();
  });

  it('draws marks in every chart', async () => {
    const o = await open(reportFile);
    const charts = await o.page.$$eval('figure.chart', (figs) => figs.map((f) => ({
      id: f.getAttribute('data-chart'),
      marks: f.querySelectorAll('svg g.role-mark > path, svg g.role-mark > rect, svg g.role-mark > line, svg g.role-mark > text').length,
    })));
    // 3 scenarios x 2 variants x 4 per-run charts + claim verdicts + claims + pools + throughput
    // knee + chaos latency.
    expect(charts.length).toBe(6 * 4 + 5);
    expect(charts.map((c) => c.id)).toContain('claim-verdicts');
    expect(charts.filter((c) => c.marks === 0)).toEqual([]);
    await o.page.close();
  });

  it('shows the measured values of each run in the SLI table', async () => {
    const o = await open(reportFile);
    const rows = await o.page.$$eval('#slis table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const feed = model.runs.find((r) => r.label === 'runs/feed-baseline')!;
    const p99 = feed.summary.thresholds.find((t) => t.metric === 'http_req_duration')!;
    expect(rows).toContainEqual(['runs/feed-baseline', 'http_req_duration', p99.expression, fmtNumber(p99.actual!), p99.ok ? 'PASS' : 'FAIL']);
    const feedEndpointP99 = Math.max(...feed.summary.endpoints.filter((e) => /feed/.test(e.name)).map((e) => e.latencyMs.p99));
    expect(rows).toContainEqual(['runs/feed-baseline', 'Feed P99 latency', '< 500 ms', fmtMs(feedEndpointP99), feedEndpointP99 < 500 ? 'PASS' : 'FAIL']);
    expect(rows.some((r) => r[1] === 'WebSocket concurrency' && r[0] === 'runs/chat-burst-baseline')).toBe(true);
    await o.page.close();
  });

  it('runs none of the markup injected through untrusted fields, even without the CSP', async () => {
    const inj = join(tmp, 'injected');
    writeInjectionFixture(inj);
    const r = await writeReport([inj], { outDir: join(tmp, 'out-injected') });
    // Strip the CSP so the only defence left is escaping.
    const html = readFileSync(r.files.html, 'utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    expect(html).not.toContain('Content-Security-Policy');
    const bare = join(tmp, 'out-injected', 'no-csp.html');
    writeFileSync(bare, html);
    const o = await open(bare);
    await o.page.waitForTimeout(300);
    // Runs in the page (a string, since the project compiles without DOM types).
    const dom = await o.page.evaluate(`({
      pwned: window.__pwned ?? null,
      scripts: document.querySelectorAll('script').length,
      imgs: document.querySelectorAll('img, iframe, object, embed, link, base, form').length,
      styles: document.querySelectorAll('style').length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => el.tagName + ' ' + a.name)),
      jsLinks: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).filter((h) => !h.startsWith('#')),
      text: document.body.innerText,
    })`) as { pwned: unknown; scripts: number; imgs: number; styles: number; handlers: string[]; jsLinks: string[]; text: string };
    expect(dom.pwned).toBeNull();
    expect(o.dialogs).toEqual([]);
    expect(o.requests).toEqual([]);
    expect(dom.scripts).toBe(0);
    expect(dom.imgs).toBe(0);
    expect(dom.styles).toBe(1);
    expect(dom.handlers).toEqual([]);
    expect(dom.jsLinks).toEqual([]);
    // The payloads are shown as text, so a reader sees what the run recorded.
    expect(PAYLOAD_MARKERS.filter((m) => !dom.text.includes(m))).toEqual([]);
    await o.page.close();
  });
});
