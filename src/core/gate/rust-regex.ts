/**
 * kavach's patterns are Rust regexes (the `regex` crate). This reads the subset they use into a
 * tree, which gives two things: the JavaScript RegExp the gate scans with, and the automaton the
 * streaming holdback builds (open-matches.ts). Both come from one parse, so they cannot drift.
 *
 * Where Rust and JavaScript differ, the translation keeps Rust's meaning. Every regex gets the `u`
 * flag, so a character is a code point (Rust matches `char`s; `.{0,20}` or `[^'"]{8,}` count code
 * points, not UTF-16 units), and:
 *   (?i)  Unicode simple case folding, so "ſ" is an "s" and "K" (Kelvin) a "k", in literals and in
 *         classes alike: the `i` flag, which with `u` folds the same way.
 *   .     any character but "\n", so "\r", U+2028 and U+2029 too: `[^\n]`.
 *   \d    any Unicode decimal digit (Nd), e.g. Arabic-Indic "٣": `\p{Nd}`.
 *   \s    Unicode White_Space: `\p{White_Space}` (JavaScript's `\s` has U+FEFF and lacks U+0085).
 *   \b    a Unicode word boundary: a word character (Alphabetic, M, Nd, Pc, Join_Control: Rust's
 *         Unicode `\w`) on one side only. JavaScript's `\b` is ASCII-only, so it is spelled out as
 *         lookarounds on that class: one lookaround where the character on one side is known to
 *         be a word character or known not to be (`\b\d` is `(?<!W)\p{Nd}`), which V8 searches
 *         as fast as its own `\b`; both ways round otherwise, which it tries at every position.
 * Anything else (other escapes, lookaround, backreferences, lazy quantifiers, anchors, flags past
 * the start) is refused with an error naming the position, so a new pattern cannot slip through
 * with a meaning nobody checked.
 */

/** Rust's Unicode word character, the one `\b` looks at. */
export const WORD_CHAR = '[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}]';
const BOUNDARY = `(?:(?<=${WORD_CHAR})(?!${WORD_CHAR})|(?<!${WORD_CHAR})(?=${WORD_CHAR}))`;
const WORD_REGEX = new RegExp(`^${WORD_CHAR}$`, 'u');
const ASCII_WORD = Uint8Array.from({ length: 128 }, (_, c) => (WORD_REGEX.test(String.fromCharCode(c)) ? 1 : 0));
const wordCache = new Map<number, boolean>();

/** Whether a code point is a word character to Rust's `\b`; -1 (before the text) is not. */
export function isWordCodePoint(code: number): boolean {
  if (code < 128) return code >= 0 && ASCII_WORD[code] === 1;
  let v = wordCache.get(code);
  if (v === undefined) {
    v = WORD_REGEX.test(String.fromCodePoint(code));
    wordCache.set(code, v);
  }
  return v;
}

export type RegexNode =
  /**
   * One character test, as JavaScript source for the `u` flag (e.g. `[0-9A-Z]`, `\p{Nd}`, `k`);
   * `word`: whether every character it takes is a word character (true), none is (false), or
   * either may be (null).
   */
  | { kind: 'atom'; js: string; word: boolean | null }
  | { kind: 'seq'; items: RegexNode[] }
  | { kind: 'alt'; items: RegexNode[] }
  | { kind: 'repeat'; item: RegexNode; min: number; max: number }
  /** `\b`: matches no character. */
  | { kind: 'boundary' };

export interface ParsedRegex {
  node: RegexNode;
  /** `(?i)` at the start. */
  caseInsensitive: boolean;
}

/** JavaScript's syntax characters: the only ones `u` mode lets a backslash escape outside a class. */
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');
/** Escapes of punctuation both dialects read as the character itself. */
const LITERAL_ESCAPES = new Set('.-()+\\$|{}*?[]^/');

function literal(char: string): string {
  return JS_SYNTAX.has(char) ? `\\${char}` : char;
}

export function parseRustRegex(source: string): ParsedRegex {
  const caseInsensitive = source.startsWith('(?i)');
  const parser = new Parser(source, caseInsensitive ? 4 : 0);
  return { node: parser.parse(), caseInsensitive };
}

/** The JavaScript source of a parsed pattern (for the `u` flag, and `i` when case-insensitive). */
export function javascriptSource(node: RegexNode): string {
  switch (node.kind) {
    case 'atom': return node.js;
    case 'boundary': return BOUNDARY;
    case 'seq': return node.items.map((item, i) => (item.kind === 'boundary' ? boundaryBetween(node.items.slice(0, i), node.items.slice(i + 1)) : javascriptSource(item))).join('');
    case 'alt': return `(?:${node.items.map(javascriptSource).join('|')})`;
    case 'repeat': {
      const inner = node.item.kind === 'atom' ? node.item.js : `(?:${javascriptSource(node.item)})`;
      return `${inner}{${node.min},${node.max === Infinity ? '' : node.max}}`;
    }
  }
}

/**
 * `\b` between `before` and `after` (items of one sequence): when the character after it is known
 * to be a word character, the boundary only asks that the one before is not, and so on.
 */
function boundaryBetween(before: RegexNode[], after: RegexNode[]): string {
  const next = wordness(ends({ kind: 'seq', items: after }, 'first'));
  if (next === true) return `(?<!${WORD_CHAR})`;
  if (next === false) return `(?<=${WORD_CHAR})`;
  const prev = wordness(ends({ kind: 'seq', items: before }, 'last'));
  if (prev === true) return `(?!${WORD_CHAR})`;
  if (prev === false) return `(?=${WORD_CHAR})`;
  return BOUNDARY;
}

type Atom = Extract<RegexNode, { kind: 'atom' }>;

/** Whether the character at an end is surely a word character, surely not, or either (null, also when the part may be empty). */
function wordness(end: { atoms: Atom[]; nullable: boolean }): boolean | null {
  if (end.nullable || end.atoms.length === 0) return null;
  const w = end.atoms[0].word;
  return end.atoms.every((a) => a.word === w) ? w : null;
}

/** The atoms a match of `node` can begin (or end) with, and whether it can be empty. */
function ends(node: RegexNode, side: 'first' | 'last'): { atoms: Atom[]; nullable: boolean } {
  switch (node.kind) {
    case 'atom': return { atoms: [node], nullable: false };
    case 'boundary': return { atoms: [], nullable: true };
    case 'repeat': {
      const inner = ends(node.item, side);
      return { atoms: inner.atoms, nullable: node.min === 0 || inner.nullable };
    }
    case 'alt': {
      const parts = node.items.map((item) => ends(item, side));
      return { atoms: parts.flatMap((p) => p.atoms), nullable: parts.some((p) => p.nullable) };
    }
    case 'seq': {
      const atoms: Atom[] = [];
      for (const item of side === 'first' ? node.items : [...node.items].reverse()) {
        const e = ends(item, side);
        atoms.push(...e.atoms);
        if (!e.nullable) return { atoms, nullable: false };
      }
      return { atoms, nullable: true };
    }
  }
}

/** The flags a parsed pattern's JavaScript regexes take (without `g` or `y`). */
export function javascriptFlags(parsed: ParsedRegex): string {
  return parsed.caseInsensitive ? 'iu' : 'u';
}

/** A global JavaScript RegExp matching what the Rust regex `source` matches. */
export function rustRegex(source: string): RegExp {
  const parsed = parseRustRegex(source);
  return new RegExp(javascriptSource(parsed.node), `g${javascriptFlags(parsed)}`);
}

/**
 * An ASCII letter, digit or "_" is a word character and other ASCII is not, with or without case
 * folding (what folds to an ASCII letter, "ſ" and "K", is a letter too); anything else: unknown.
 */
function literalWordness(c: string): boolean | null {
  if (c.length !== 1 || c.charCodeAt(0) >= 128) return null;
  return /[A-Za-z0-9_]/.test(c);
}

class Parser {
  #at: number;
  constructor(private readonly source: string, start: number) {
    this.#at = start;
  }

  parse(): RegexNode {
    const node = this.#alternatives();
    if (this.#at < this.source.length) this.#fail('unexpected ")"');
    return node;
  }

  #alternatives(): RegexNode {
    const items = [this.#sequence()];
    while (this.source[this.#at] === '|') {
      this.#at++;
      items.push(this.#sequence());
    }
    return items.length === 1 ? items[0] : { kind: 'alt', items };
  }

  #sequence(): RegexNode {
    const items: RegexNode[] = [];
    while (this.#at < this.source.length && this.source[this.#at] !== '|' && this.source[this.#at] !== ')') {
      const atom = this.#atom();
      items.push(atom.kind === 'boundary' ? atom : this.#quantified(atom));
    }
    return items.length === 1 ? items[0] : { kind: 'seq', items };
  }

  #atom(): RegexNode {
    const s = this.source;
    const c = this.#char();
    if (c === '(') {
      if (s[this.#at + 1] === '?') {
        if (s[this.#at + 2] !== ':') this.#fail('only (?i) at the start and (?:...) groups are supported');
        this.#at += 2;
      }
      this.#at++;
      const inner = this.#alternatives();
      if (s[this.#at] !== ')') this.#fail('missing ")"');
      this.#at++;
      return inner;
    }
    if (c === '[') return this.#class();
    if (c === '\\') {
      const e = s[this.#at + 1] ?? '';
      this.#at += 2;
      if (e === 'd') return { kind: 'atom', js: '\\p{Nd}', word: true };
      if (e === 's') return { kind: 'atom', js: '\\p{White_Space}', word: false };
      if (e === 'b') return { kind: 'boundary' };
      if (LITERAL_ESCAPES.has(e)) return { kind: 'atom', js: literal(e), word: false };
      this.#at -= 2;
      return this.#fail(`escape \\${e} is not supported here`);
    }
    if (c === '.') {
      this.#at++;
      return { kind: 'atom', js: '[^\\n]', word: null };
    }
    if ('^$*+?{})]'.includes(c)) this.#fail(`"${c}" is not supported here`);
    this.#at += c.length;
    return { kind: 'atom', js: literal(c), word: literalWordness(c) };
  }

  /** `[...]`: ranges, literals, `\s`, `\d` and escaped punctuation; no nested classes or set operations. */
  #class(): RegexNode {
    const s = this.source;
    const start = this.#at;
    let js = '[';
    const members: (boolean | null)[] = [];
    this.#at++;
    const negated = s[this.#at] === '^';
    if (negated) {
      js += '^';
      this.#at++;
    }
    if (s[this.#at] === ']') this.#fail('empty class');
    while (this.#at < s.length && s[this.#at] !== ']') {
      const c = this.#char();
      if (c === '[' || ((c === '&' || c === '~' || c === '-') && s[this.#at + 1] === c)) this.#fail('nested classes and set operations are not supported');
      if (c === '\\') {
        const e = s[this.#at + 1] ?? '';
        if (e === 's') js += '\\p{White_Space}';
        else if (e === 'd') js += '\\p{Nd}';
        else if (LITERAL_ESCAPES.has(e)) js += `\\${e}`;
        else this.#fail(`escape \\${e} is not supported in a class`);
        members.push(e === 'd'); // \s and punctuation are not word characters
        this.#at += 2;
      } else if (s[this.#at + c.length] === '-' && s[this.#at + c.length + 1] !== ']') {
        const to = String.fromCodePoint(s.codePointAt(this.#at + c.length + 1) ?? 0);
        js += `${c}-${to}`;
        members.push(/^[0-9]$|^[A-Z]$|^[a-z]$/.test(c) && /^[0-9]$|^[A-Z]$|^[a-z]$/.test(to) && (c <= '9') === (to <= '9') && (c <= 'Z') === (to <= 'Z') ? true : null);
        this.#at += c.length + 1 + to.length;
      } else {
        js += c;
        members.push(literalWordness(c));
        this.#at += c.length;
      }
    }
    if (this.#at >= s.length) {
      this.#at = start;
      this.#fail('missing "]"');
    }
    this.#at++;
    const word = !negated && members.every((m) => m === members[0]) ? members[0] : null;
    return { kind: 'atom', js: `${js}]`, word };
  }

  #quantified(item: RegexNode): RegexNode {
    const s = this.source;
    const c = s[this.#at];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.#at++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.#at));
      if (m === null) this.#fail('bad "{"');
      this.#at += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) this.#fail('a repetition whose maximum is below its minimum');
    } else return item;
    if (s[this.#at] === '?' || s[this.#at] === '+') this.#fail('lazy or possessive quantifiers are not supported');
    return { kind: 'repeat', item, min, max };
  }

  /** The code point at the cursor, as a string (one or two UTF-16 units). */
  #char(): string {
    return String.fromCodePoint(this.source.codePointAt(this.#at) ?? 0);
  }

  #fail(message: string): never {
    throw new Error(`pattern /${this.source}/ at ${this.#at}: ${message}`);
  }
}
