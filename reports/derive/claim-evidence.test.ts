import { describe, expect, it } from 'vitest';
import type { ClaimResult } from '../../core/index.ts';
import { claimEvidence, evidenceLinks, evidenceRest, evidenceText, switchesIn } from './claim-evidence.ts';

describe('claim evidence', () => {
  it('reads the switches a method toggled', () => {
    expect(switchesIn('switch cache off/on; 200 GET /api/users/:id')).toEqual(['cache']);
    expect(switchesIn('switches batched-hydration and idx-follows-follower off/on (cache off)')).toEqual(['batched-hydration', 'idx-follows-follower']);
    expect(switchesIn('switches compression, redis-rate-limit and breakers off, then on')).toEqual(['compression', 'redis-rate-limit', 'breakers']);
    expect(switchesIn('opened up to 1100 client connections')).toEqual([]);
  });

  it('names the runs, EXPLAIN plans and raw values a claim stands on', () => {
    const runs = [{ label: 'runs/feed-optimized' }, { label: 'runs/chat-burst-optimized' }] as never;
    const explains = [{ query: 'get_user_posts' }, { query: 'comments_by_post' }] as never;
    const c = { id: 'NV-1', claim: '', method: 'switch idx-posts-user-created off/on; get_user_posts (catalog SQL)', measured: '', verdict: 'PARTLY' as const, reason: '', values: { a: 1, b: 2 } };
    const e = claimEvidence(c, runs, explains);
    expect(e).toEqual({ switches: ['idx-posts-user-created'], runs: [], explains: ['get_user_posts'], experiments: [], values: 2 });
    expect(evidenceText(e)).toBe('switch: idx-posts-user-created; EXPLAIN before/after: get_user_posts (Findings); 2 raw values in claims.json');
    const s = claimEvidence({ ...c, method: 'scenario runs (optimized, smoke profile): feed, search-spike, chat-burst', values: {} }, runs, explains);
    expect(s.runs).toEqual(['runs/feed-optimized', 'runs/chat-burst-optimized']);
  });
});

describe('claim evidence as links in the HTML report', () => {
  it('links each claim row to the run, EXPLAIN plans, chart and switch list it stands on, and every link resolves to an id in the page', async () => {
    const { buildModel } = await import('../model.ts');
    const { renderHtml } = await import('../render/html.ts');
    const { SECTIONS } = await import('../sections/index.ts');
    const { inputsWith, literalRun } = await import('../test-helpers.ts');
    const { FIXTURE_EXPLAINS, FIXTURE_FINDINGS } = await import('../fixtures/realistic.ts');
    const runs = [literalRun('runs/feed-baseline', { variant: 'baseline' }), literalRun('runs/feed-optimized', { variant: 'optimized' })];
    const claims: ClaimResult[] = [
      { id: 'NV-1', claim: 'c', method: 'switch idx-posts-user-created off/on; get_user_posts (catalog SQL)', measured: '480 ms -> 0.3 ms', verdict: 'CONFIRMED' as const, reason: 'r', values: { baselineP50Ms: 480, optimizedP50Ms: 0.3 }, headline: { metric: 'with the index < 10 ms', unit: 'ms', claimed: 10, measured: 0.3, better: 'lower' as const } },
      { id: 'NF-10', claim: 'c', method: 'scenario runs (optimized): feed', measured: '300 req/s', verdict: 'PARTLY' as const, reason: 'r', values: {} },
      { id: 'CP-10', claim: 'c', method: 'model', measured: '-', verdict: 'NOT MEASURABLE HERE' as const, reason: 'needs a cluster' },
    ];
    const experiment = (name: string, ok: boolean, over: object) => ({ experiment: name, description: 'd', ok, verdicts: [], timeline: [], notes: [], ...over });
    const chaos = [
      experiment('pool-exhaustion', false, { claimIds: ['NF-10', 'NV-10'] }),
      // Written before results carried claimIds: the "claims: ..." note still names them.
      experiment('service-timeout', true, { notes: ['claims: NF-5, NV-1'] }),
    ];
    const model = buildModel(inputsWith({ runs, claims, findings: FIXTURE_FINDINGS, explains: FIXTURE_EXPLAINS, chaos }));
    const html = await renderHtml(model, SECTIONS.all());
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
    const hrefs = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    // The navigation's section links and the claims' evidence links: none dangles.
    expect(hrefs.filter((h) => !ids.has(h))).toEqual([]);
    const claimsSection = html.slice(html.indexOf('<section id="claims">'), html.indexOf('</section>', html.indexOf('<section id="claims">')));
    const row = (id: string) => claimsSection.slice(claimsSection.indexOf(`<td>${id}</td>`), claimsSection.indexOf('</tr>', claimsSection.indexOf(`<td>${id}</td>`)));
    expect(row('NV-1')).toContain('<a href="#explain-get-user-posts">EXPLAIN before/after: get_user_posts</a>');
    expect(row('NV-1')).toContain('<a href="#chart-claim-verdicts">claimed vs measured chart</a>');
    expect(row('NV-1')).toContain('<a href="#chart-claim-bars">baseline vs optimized chart</a>');
    expect(row('NV-1')).toContain('<a href="#run-card">switch idx-posts-user-created</a>');
    expect(row('NF-10')).toContain('<a href="#run-runs-feed-optimized">run runs/feed-optimized</a>');
    expect(row('NF-10')).toContain('<a href="#experiment-pool-exhaustion">chaos pool-exhaustion (FAIL)</a>');
    expect(row('NV-1')).toContain('<a href="#experiment-service-timeout">chaos service-timeout (PASS)</a>');
    expect(row('CP-10')).not.toContain('<a ');
    expect(ids).toContain('explain-get-user-posts');
    expect(ids).toContain('run-runs-feed-optimized');
    // The chart plots claimed vs measured for the claim with a headline (its title is drawn in the SVG).
    const figure = html.slice(html.indexOf('<figure id="chart-claim-verdicts"'), html.indexOf('</figure>', html.indexOf('<figure id="chart-claim-verdicts"')));
    expect(figure).toContain('Claimed (diamond) vs measured (dot), 1 claims with a numeric headline');
    // A claim without a numeric headline is listed, not plotted.
    expect(claimsSection).toMatch(/Not plotted \(no numeric headline target was measured\): NF-10 PARTLY, CP-10 NOT MEASURABLE HERE/);
  }, 60_000);

  it('makes no link to an element the report does not show', () => {
    const e = { switches: ['cache'], runs: ['runs/gone'], explains: ['not_shown'], experiments: [{ name: 'redis-down', ok: true }], values: 3 };
    const none = { runs: new Set<string>(), explains: new Set<string>(), experiments: new Set<string>(), switchList: false, headlineChart: new Set<string>(), barsChart: new Set<string>() };
    expect(evidenceLinks('NF-2', e, none)).toEqual([]);
    expect(evidenceRest(e, none)).toBe('switch: cache; 3 raw values in claims.json');
  });
});
