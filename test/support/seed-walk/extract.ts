import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../infra';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type SeedId = '000' | '001' | '002' | '003';

/** One request example as a seed document writes it. */
export interface SeedExample {
  seed: SeedId;
  method: Method;
  /** Path as written, without host or query (`/api/customers/customers/{id}/`). */
  path: string;
  /** `METHOD /path` with every id-like segment as `{}` and no trailing slash. */
  key: string;
  /** Where it was found: `curl`, `line` (METHOD /path), `arrow` (seed 000's `→ /path`) or `url`. */
  form: 'curl' | 'line' | 'arrow' | 'url';
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The four seed documents, kept in docs/seeds/ as given; SEEDS_DIR points elsewhere. */
export function seedsDir(): string {
  const candidates = [process.env.SEEDS_DIR, path.join(ROOT, 'docs', 'seeds')].filter(
    (c): c is string => !!c,
  );
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`seed documents not found; set SEEDS_DIR (looked in ${candidates})`);
  return found;
}

export function readSeeds(dir = seedsDir()): Record<SeedId, string> {
  const files = readdirSync(dir);
  const read = (id: SeedId) => {
    const file = files.find((f) => f.startsWith(`${id}_`) && f.endsWith('.txt'));
    if (!file) throw new Error(`seed ${id} not found in ${dir}`);
    return readFileSync(path.join(dir, file), 'utf8');
  };
  return { '000': read('000'), '001': read('001'), '002': read('002'), '003': read('003') };
}

/** Numbers and `{placeholders}` are ids; everything else is a literal segment. */
export const isIdSegment = (segment: string) => /^\d+$/.test(segment) || /^\{.*\}$/.test(segment);

/** Host, query, trailing slash and sentence punctuation removed: the path a client sends. */
export function cleanPath(raw: string): string {
  let p = raw.replace(/^https?:\/\/[^/]+/, '');
  p = p.replace(/[`'".,;:)]+$/, '');
  p = p.split('?')[0] ?? p;
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

export function keyOf(method: Method, rawPath: string): string {
  const segments = cleanPath(rawPath)
    .split('/')
    .map((s) => (isIdSegment(s) ? '{}' : s));
  return `${method} ${segments.join('/') || '/'}`;
}

/** A shell command line split into words, honouring quotes; stops at an unquoted | or backtick. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let inWord = false;
  for (const ch of command) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '|' || ch === '`') {
      break;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

const OPTIONS_WITH_ARGUMENT = new Set(['-X', '-H', '-d', '--data', '--header', '--request']);

/** curl commands (continuation lines joined): method from -X, else POST with a body, else GET. */
function curlExamples(text: string): { method: Method; path: string; span: [number, number] }[] {
  const found: { method: Method; path: string; span: [number, number] }[] = [];
  const pattern = /curl\s(?:[^\n]*\\\n)*[^\n]*/g;
  for (const match of text.matchAll(pattern)) {
    const words = shellWords(match[0].replace(/\\\n/g, ' ')).slice(1);
    let method: Method | null = null;
    let hasBody = false;
    let url: string | null = null;
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (OPTIONS_WITH_ARGUMENT.has(word)) {
        const arg = words[++i] ?? '';
        if (word === '-X' || word === '--request') method = arg.toUpperCase() as Method;
        if (word === '-d' || word === '--data') hasBody = true;
      } else if (!word.startsWith('-') && url === null) {
        url = word;
      }
    }
    if (url && /^(https?:\/\/|\/)/.test(url)) {
      found.push({
        method: method ?? (hasBody ? 'POST' : 'GET'),
        path: url,
        span: [match.index, match.index + match[0].length],
      });
    }
  }
  return found;
}

/**
 * Every request example of one seed: curl commands, `METHOD /path` lines (seed 002 code blocks,
 * seed 003 headings, seed 001 prose and endpoint lists, seed 000 `**Endpoint:**`), seed 000's
 * `fn()` → `/path` page wiring (a read), and a URL alone on a line (seed 002's base URL and docs).
 */
export function extractExamples(seed: SeedId, text: string): SeedExample[] {
  const examples: SeedExample[] = [];
  const add = (method: Method, raw: string, form: SeedExample['form']) =>
    examples.push({
      seed,
      method,
      path: cleanPath(raw) || '/',
      key: keyOf(method, raw),
      form,
    });

  let rest = text;
  for (const curl of curlExamples(text)) {
    add(curl.method, curl.path, 'curl');
    rest =
      rest.slice(0, curl.span[0]) +
      ' '.repeat(curl.span[1] - curl.span[0]) +
      rest.slice(curl.span[1]);
  }
  const line = new RegExp(
    `(?<![A-Za-z])(${METHODS.join('|')})\\s+((?:https?://[^\\s/\`]+)?/[^\\s\`'"]*)`,
    'g',
  );
  for (const m of rest.matchAll(line)) add(m[1] as Method, m[2]!, 'line');
  for (const m of rest.matchAll(/→\s*`(\/[^`\s]*)`/g)) add('GET', m[1]!, 'arrow');
  for (const m of rest.matchAll(/^\s*(https?:\/\/\S+)\s*$/gm)) add('GET', m[1]!, 'url');
  return examples;
}

export function allExamples(seeds = readSeeds()): SeedExample[] {
  return (Object.keys(seeds) as SeedId[]).flatMap((id) => extractExamples(id, seeds[id]));
}
