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
 *         lookarounds on that class.
 * Anything else (other escapes, lookaround, backreferences, lazy quantifiers, anchors, flags past
 * the start) is refused with an error naming the position, so a new pattern cannot slip through
 * with a meaning nobody checked.
 */

/** Rust's Unicode word character, the one `\b` looks at. */
export const WORD_CHAR = '[\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}]';
const BOUNDARY = `(?:(?<=${WORD_CHAR})(?!${WORD_CHAR})|(?<!${WORD_CHAR})(?=${WORD_CHAR}))`;

export type RegexNode =
  /** One character test, as JavaScript source for the `u` flag (e.g. `[0-9A-Z]`, `\p{Nd}`, `k`). */
  | { kind: 'atom'; js: string }
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
    case 'seq': return node.items.map(javascriptSource).join('');
    case 'alt': return `(?:${node.items.map(javascriptSource).join('|')})`;
    case 'repeat': {
      const inner = node.item.kind === 'atom' ? node.item.js : `(?:${javascriptSource(node.item)})`;
      return `${inner}{${node.min},${node.max === Infinity ? '' : node.max}}`;
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
      if (e === 'd') return { kind: 'atom', js: '\\p{Nd}' };
      if (e === 's') return { kind: 'atom', js: '\\p{White_Space}' };
      if (e === 'b') return { kind: 'boundary' };
      if (LITERAL_ESCAPES.has(e)) return { kind: 'atom', js: literal(e) };
      this.#at -= 2;
      return this.#fail(`escape \\${e} is not supported here`);
    }
    if (c === '.') {
      this.#at++;
      return { kind: 'atom', js: '[^\\n]' };
    }
    if ('^$*+?{})]'.includes(c)) this.#fail(`"${c}" is not supported here`);
    this.#at += c.length;
    return { kind: 'atom', js: literal(c) };
  }

  /** `[...]`: ranges, literals, `\s`, `\d` and escaped punctuation; no nested classes or set operations. */
  #class(): RegexNode {
    const s = this.source;
    const start = this.#at;
    let js = '[';
    this.#at++;
    if (s[this.#at] === '^') {
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
        this.#at += 2;
      } else {
        js += c;
        this.#at += c.length;
      }
    }
    if (this.#at >= s.length) {
      this.#at = start;
      this.#fail('missing "]"');
    }
    this.#at++;
    return { kind: 'atom', js: `${js}]` };
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
