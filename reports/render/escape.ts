/** The only escaping functions: every piece of text from a run goes through one of these. */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For HTML text and attribute values (always quoted with "). */
export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML[c]!);
}

/**
 * For Markdown text: HTML-significant characters become entities (Markdown passes raw HTML
 * through), brackets and emphasis/table characters are backslash-escaped so a scenario name cannot
 * become a link, image, emphasis or table break, and a leading #, +, - or "1." cannot start a
 * heading or list. Newlines are flattened: one cell, one line.
 */
export function escapeMarkdown(text: unknown): string {
  return String(text)
    .replace(/\r?\n/g, ' ')
    .replace(/[&<>]/g, (c) => HTML[c]!)
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/^(\s*)([#+-])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** A fenced code block whose fence is longer than any backtick run inside the text. */
export function markdownFence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}
