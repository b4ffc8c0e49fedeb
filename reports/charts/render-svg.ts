/**
 * Vega-Lite spec -> inline SVG string, in Node, so the report needs no script to show charts.
 * Vega escapes every text and attribute it writes. Ids inside the SVG (clip paths, gradients) are
 * prefixed per chart because several inline SVGs in one page share one id namespace.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { VegaLiteSpec } from '../types.ts';

const BASE_CONFIG = {
  // No per-mark aria labels: they repeat every data value and double the file size.
  aria: false,
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 10, titleFontSize: 11, gridColor: '#eee' },
  legend: { labelFontSize: 10, titleFontSize: 10, labelLimit: 220 },
  title: { fontSize: 12, anchor: 'start' },
};

export async function specToSvg(spec: VegaLiteSpec, idPrefix: string): Promise<string> {
  const full = { ...spec, config: { ...BASE_CONFIG, ...((spec.config as object | undefined) ?? {}) } };
  const compiled = vl.compile(full as unknown as vl.TopLevelSpec).spec;
  // vega logs and carries on when a load fails, so external data is refused before parsing.
  const external = (compiled.data ?? []).find((d) => 'url' in d && d.url !== undefined);
  if (external) throw new Error(`report charts never load external data (${JSON.stringify((external as { url: unknown }).url)})`);
  // A loader that refuses everything: the specs carry inline values only; nothing may be fetched.
  const loader = vega.loader();
  loader.load = async (uri: string) => { throw new Error(`report charts never load external data (${uri})`); };
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader });
  try {
    const svg = await view.toSVG();
    const safePrefix = idPrefix.replace(/[^A-Za-z0-9_-]/g, '_');
    return svg
      .replace(/id="([^"]+)"/g, (_m, id: string) => `id="${safePrefix}-${id}"`)
      .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${safePrefix}-${id})`);
  } finally {
    view.finalize();
  }
}

/**
 * Renders each distinct chart once per report: the HTML and the Markdown show the same charts, and
 * compiling and rendering is most of a report's cost. Keyed by the spec's JSON, so equal specs
 * share one SVG whichever section object produced them.
 */
export class ChartCache {
  readonly #svgs = new Map<string, Promise<string>>();

  svg(spec: VegaLiteSpec): Promise<string> {
    const key = JSON.stringify(spec);
    let svg = this.#svgs.get(key);
    if (!svg) {
      svg = specToSvg(spec, `c${this.#svgs.size + 1}`);
      this.#svgs.set(key, svg);
    }
    return svg;
  }

  get size(): number {
    return this.#svgs.size;
  }
}
