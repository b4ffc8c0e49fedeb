/**
 * A user's own queries: a folder of .sql files, one statement each, values as $1, $2... and a
 * header comment giving them:
 *
 *   -- name: get_user_posts            (optional; defaults to the file name)
 *   -- description: a user's timeline  (optional)
 *   -- $1: 42                          (JSON: 42, "text", [1,2,3]; anything else is taken as text)
 *   -- $2: 2024-01-01T00:00:00Z
 *   SELECT ... WHERE user_id = $1 AND created_at > $2
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { invalidInput } from '../../core/index.ts';
import type { NamedQuery, ParamSpec } from '../../sql-audit/index.ts';

function parseValue(raw: string): unknown {
  const text = raw.trim();
  try {
    return JSON.parse(text);
  } catch {
    // 'quoted' SQL-style text is accepted too.
    return /^'.*'$/.test(text) ? text.slice(1, -1).replace(/''/g, "'") : text;
  }
}

/** Parses one file's text: header values become literal parameters; $n without a value are left out (the collector reports them). */
export function parseQueryFile(fileName: string, text: string): NamedQuery {
  const header: Record<string, string> = {};
  const values = new Map<number, unknown>();
  for (const line of text.split('\n')) {
    const m = /^\s*--\s*(\$\d+|[a-z]+)\s*:\s*(.*)$/i.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key.startsWith('$')) values.set(Number(key.slice(1)), parseValue(value));
    else header[key.toLowerCase()] = value.trim();
  }
  const params: ParamSpec[] = [];
  // Contiguous $1..$n only: a gap means a missing value, and the statement check names it.
  for (let i = 1; values.has(i); i++) params.push({ name: `$${i}`, pgType: 'text', pick: { kind: 'literal', value: values.get(i) } });
  return {
    id: header.name || basename(fileName).replace(/\.sql$/i, ''),
    description: header.description ?? `query from ${basename(fileName)}`,
    sql: text.replace(/;\s*$/, '').trim(),
    params,
    runsIn: { service: 'user query folder', trigger: fileName },
  };
}

export function loadQueryFolder(dir: string): NamedQuery[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.sql')).sort();
  } catch (e) {
    throw invalidInput(`--queries "${dir}" is not a readable directory (${(e as Error).message})`, 'pass a folder of .sql files, one query each');
  }
  if (names.length === 0) throw invalidInput(`--queries "${dir}" has no .sql files`, 'put one query per .sql file, with "-- $1: value" header lines for its parameters');
  return names.map((n) => parseQueryFile(join(dir, n), readFileSync(join(dir, n), 'utf8')));
}
