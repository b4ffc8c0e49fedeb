import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, markdownFence } from './escape.ts';
import { loadInputs } from '../load.ts';
import { buildModel } from '../model.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { SECTIONS } from '../sections/index.ts';
import { writeInjectionFixture, PAYLOAD_MARKERS } from '../fixtures/injection.ts';

describe('escaping untrusted text', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'brink-report-escape-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('keeps Markdown text from becoming HTML, links, images or table breaks', () => {
    expect(escapeMarkdown('<img src=x> ![a](javascript:b) | *c*\nd')).toBe('&lt;img src=x&gt; !\\[a\\](javascript:b) \\| \\*c\\* d');
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list');
  });

  it('fences code with more backticks than the code contains', () => {
    expect(markdownFence('a ``` b')).toBe('````\na ``` b\n````');
  });

  it('renders markup from every untrusted field as inert text in HTML and Markdown', async () => {
    const dir = join(tmp, 'inj');
    writeInjectionFixture(dir);
    const model = buildModel(loadInputs([dir]));
    const html = await renderHtml(model, SECTIONS.all());
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html.match(/<svg/g)!.length).toBe((html.match(/<figure/g) ?? []).length);
    // Every tag in the page is well formed with double-quoted attributes, and none is an event handler.
    const tags = [...html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*\/?>/g)];
    expect(tags.length).toBe(html.match(/<[a-zA-Z]/g)!.length);
    const attributes = tags.flatMap((t) => [...t[2]!.matchAll(/\s([\w:-]+)(?:="[^"]*")?/g)].map((a) => a[1]!.toLowerCase()));
    expect(attributes.filter((a) => a.startsWith('on'))).toEqual([]);
    for (const marker of PAYLOAD_MARKERS) expect(html).toContain(escapeHtml(marker));
    const md = (await renderMarkdown(model, SECTIONS.all())).markdown;
    const outsideFences = md.replace(/(`{3,})\n[\s\S]*?\n\1/g, '');
    expect(outsideFences).not.toMatch(/<script|<img|<svg/i);
    expect(outsideFences).not.toMatch(/(?<!\\)\]\(javascript:/);
  });
});
