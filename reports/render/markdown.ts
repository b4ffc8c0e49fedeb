/**
 * The Markdown report mirrors the HTML section by section. Charts are written beside it as SVG
 * files (charts/NN-id.svg) and linked, since Markdown cannot inline them.
 */
import type { Block, Cell, ReportModel, SectionDescriptor } from '../types.ts';
import { escapeMarkdown as m, markdownFence } from './escape.ts';
import { ChartCache } from '../charts/render-svg.ts';

export interface MarkdownOutput { markdown: string; charts: { file: string; svg: string }[] }

// Links name what they point at; Markdown viewers do not share the HTML's anchors.
const cellText = (c: Cell) => m(typeof c === 'object' ? [...(c.links ?? []).map((l) => l.text), c.text].filter(Boolean).join('; ') : c);

async function block(b: Block, out: MarkdownOutput, charts: ChartCache): Promise<string> {
  switch (b.kind) {
    case 'paragraph': return m(b.text);
    case 'verdict': return `**${m(b.text)}**`;
    case 'heading': return `### ${m(b.text)}`;
    case 'empty': return `_${m(b.text)}_`;
    case 'code': return `${b.caption ? `${m(b.caption)}\n\n` : ''}${markdownFence(b.text)}`;
    case 'list': return b.items.map((i, n) => `${b.ordered ? `${n + 1}.` : '-'} ${m(i)}`).join('\n');
    case 'keyvalue': return b.entries.map(([k, v]) => `- **${m(k)}**: ${m(v)}`).join('\n');
    case 'table': {
      const head = `| ${b.columns.map(m).join(' | ')} |\n|${b.columns.map(() => ' --- ').join('|')}|`;
      const rows = b.rows.map((r) => `| ${r.map(cellText).join(' | ')} |`).join('\n');
      return `${b.caption ? `${m(b.caption)}\n\n` : ''}${head}\n${rows}`;
    }
    case 'sideBySide': {
      const l = await Promise.all(b.left.map((x) => block(x, out, charts)));
      const r = await Promise.all(b.right.map((x) => block(x, out, charts)));
      return [...l, ...r].join('\n\n');
    }
    case 'chart': {
      const n = out.charts.length + 1;
      const file = `charts/${String(n).padStart(2, '0')}-${b.id.replace(/[^a-z0-9-]/gi, '_')}.svg`;
      out.charts.push({ file, svg: await charts.svg(b.spec) });
      return `![${m(b.title)}](${file})`;
    }
  }
}

export async function renderMarkdown(model: ReportModel, sections: readonly SectionDescriptor[], charts = new ChartCache()): Promise<MarkdownOutput> {
  const out: MarkdownOutput = { markdown: '', charts: [] };
  const shown = sections.filter((s) => !s.when || s.when(model));
  const parts = [`# ${m(model.title)}`, `_Generated ${m(model.generatedAt)} by brink. Every number below was measured, not estimated._`, `**${m(model.derived.verdict.text)}**`];
  for (const [i, s] of shown.entries()) {
    parts.push(`## ${i + 1}. ${m(s.title)}`);
    for (const b of s.render(model)) parts.push(await block(b, out, charts));
  }
  out.markdown = `${parts.join('\n\n')}\n`;
  return out;
}
