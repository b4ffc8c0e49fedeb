/**
 * Ids of report elements that other parts link to (a claim row to the run, the EXPLAIN plans or the
 * chart it stands on). One function so the link and its target always spell the id the same way.
 */
export type AnchorKind = 'run' | 'explain' | 'chart' | 'experiment';

export function anchorId(kind: AnchorKind, name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${kind}-${slug || 'x'}`;
}
