/**
 * The self-contained HTML report: inline CSS, inline SVG charts, no script and no external URL.
 * A Content-Security-Policy forbids scripts and any fetch, as a second line behind the escaping.
 */
import type { Block, Cell, ReportModel, SectionDescriptor, Tone } from '../types.ts';
import { escapeHtml as e } from './escape.ts';
import { ChartCache } from '../charts/render-svg.ts';

const CSS = `
:root{--bad:#b42318;--warn:#b54708;--good:#067647;--muted:#667085;--line:#e4e7ec}
*{box-sizing:border-box}body{font:14px/1.5 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#101828;margin:0;background:#f9fafb}
main{max-width:1040px;margin:0 auto;padding:24px 32px 64px;background:#fff}
h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:36px 0 10px;padding-top:12px;border-top:2px solid var(--line)}
h3{font-size:15px;margin:20px 0 6px}.meta{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;margin:8px 0 14px;font-size:13px}th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f2f4f7;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}caption{caption-side:top;text-align:left;color:var(--muted);font-size:12px;padding-bottom:4px}
.bad{color:var(--bad);font-weight:600}.warn{color:var(--warn);font-weight:600}.good{color:var(--good);font-weight:600}.muted{color:var(--muted)}
.verdict{font-size:20px;font-weight:700;padding:12px 16px;border-radius:6px;margin:10px 0;border:2px solid}
.verdict.bad{background:#fef3f2;border-color:var(--bad)}.verdict.warn{background:#fffaeb;border-color:var(--warn)}.verdict.good{background:#ecfdf3;border-color:var(--good)}.verdict.muted{background:#f2f4f7;border-color:var(--muted)}
.empty{color:var(--muted);font-style:italic;border-left:3px solid var(--line);padding:4px 10px}
pre{background:#f2f4f7;padding:8px 10px;overflow-x:auto;font-size:12px;white-space:pre-wrap;word-break:break-word;margin:4px 0 10px}
.side{display:grid;grid-template-columns:1fr 1fr;gap:14px}.side>div{min-width:0}
.chart{margin:10px 0 16px;overflow-x:auto}.chart svg{max-width:100%;height:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:6px 0 12px}dt{font-weight:600;color:#344054}dd{margin:0}
nav ol{columns:2;font-size:13px}nav a{color:#175cd3;text-decoration:none}
`;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

const toneClass = (t?: Tone) => (t ? ` class="${t}"` : '');

function cell(c: Cell, header = false): string {
  const tag = header ? 'th' : 'td';
  if (typeof c === 'number') return `<${tag} class="num">${e(c)}</${tag}>`;
  if (typeof c === 'string') return `<${tag}>${e(c)}</${tag}>`;
  const links = (c.links ?? []).map((l) => `<a href="#${e(l.anchor)}">${e(l.text)}</a>`).join('; ');
  return `<${tag}${toneClass(c.tone)}>${[links, e(c.text)].filter(Boolean).join('; ')}</${tag}>`;
}

const idAttr = (anchor?: string) => (anchor ? ` id="${e(anchor)}"` : '');

interface Ctx { charts: ChartCache }

async function block(b: Block, ctx: Ctx): Promise<string> {
  switch (b.kind) {
    case 'paragraph': return `<p${toneClass(b.tone)}>${e(b.text)}</p>`;
    case 'verdict': return `<div class="verdict ${b.tone}">${e(b.text)}</div>`;
    case 'heading': return `<h3${idAttr(b.anchor)}${toneClass(b.tone)}>${e(b.text)}</h3>`;
    case 'empty': return `<p class="empty">${e(b.text)}</p>`;
    case 'code': return `${b.caption ? `<div class="muted">${e(b.caption)}</div>` : ''}<pre>${e(b.text)}</pre>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((i) => `<li>${e(i)}</li>`).join('')}</${tag}>`;
    }
    case 'keyvalue': return `<dl>${b.entries.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>`;
    case 'table':
      return `<table>${b.caption ? `<caption>${e(b.caption)}</caption>` : ''}<thead><tr>${b.columns.map((c) => cell(c, true)).join('')}</tr></thead>`
        + `<tbody>${b.rows.map((r) => `<tr>${r.map((c) => cell(c)).join('')}</tr>`).join('')}</tbody></table>`;
    case 'sideBySide': {
      const l = (await Promise.all(b.left.map((x) => block(x, ctx)))).join('');
      const r = (await Promise.all(b.right.map((x) => block(x, ctx)))).join('');
      return `<div class="side"><div>${l}</div><div>${r}</div></div>`;
    }
    case 'chart': {
      const svg = await ctx.charts.svg(b.spec);
      return `<figure${idAttr(b.anchor)} class="chart" data-chart="${e(b.id)}" aria-label="${e(b.title)}">${svg}</figure>`;
    }
  }
}

export async function renderHtml(model: ReportModel, sections: readonly SectionDescriptor[], charts = new ChartCache()): Promise<string> {
  const ctx: Ctx = { charts };
  const shown = sections.filter((s) => !s.when || s.when(model));
  const parts: string[] = [];
  for (const [i, s] of shown.entries()) {
    const blocks = s.render(model);
    const body: string[] = [];
    // Sequential on purpose: vega is CPU-bound, and order keeps chart ids stable.
    for (const b of blocks) body.push(await block(b, ctx));
    parts.push(`<section id="${e(s.id)}"><h2>${i + 1}. ${e(s.title)}</h2>${body.join('\n')}</section>`);
  }
  const v = model.derived.verdict;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(model.title)}</title><style>${CSS}</style></head>
<body><main>
<h1>${e(model.title)}</h1>
<div class="meta">Generated ${e(model.generatedAt)} by brink from ${e(model.sources.length)} input(s). Every number below was measured, not estimated.</div>
<div class="verdict ${v.tone}">${e(v.text)}</div>
<nav><ol>${shown.map((s) => `<li><a href="#${e(s.id)}">${e(s.title)}</a></li>`).join('')}</ol></nav>
${parts.join('\n')}
</main></body></html>
`;
}
