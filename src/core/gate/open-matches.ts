/**
 * Where, in text that arrives piece by piece, a match of a secret pattern could still begin: the
 * positions whose text so far is the beginning of a possible match, or a whole match that more
 * text could lengthen (a greedy `{n,}` or `+` at its end) or that waits for the next character
 * to decide its closing `\b`. The output gate holds text back from the earliest such position.
 *
 * The automaton is built from each pattern's own JavaScript regex (a position automaton, one state
 * per character test, `{n,m}` spelled out as copies), so a change to the table changes what is
 * held. It knows the regex subset the 14 patterns use (literals, classes, escapes, `.`, groups
 * with `|`, the quantifiers `? * + {n} {n,} {n,m}`, and `\b` at either end) and refuses anything
 * else when it is built. Each character test is the pattern's own regex for that one atom, with
 * the pattern's flags, so case-insensitivity and `\s`, `\d`, `.` mean exactly what they mean to
 * the scanner; answers are cached per UTF-16 code unit.
 *
 * Work per character is a step of the states alive, usually none: the text before the last
 * character no state can take (for most patterns a newline) is skipped, and a dead pattern jumps
 * to the next character that can begin it.
 */
import type { SecretPattern } from './patterns.ts';

/** Membership of one UTF-16 code unit, answered by a regex once and cached. */
class CharTest {
  readonly #table = new Uint8Array(65536); // 0 not asked yet, 1 no, 2 yes
  constructor(private readonly answer: (code: number) => boolean) {}

  has(code: number): boolean {
    let v = this.#table[code];
    if (v === 0) {
      v = this.answer(code) ? 2 : 1;
      this.#table[code] = v;
    }
    return v === 2;
  }
}

type Node =
  | { kind: 'atom'; test: CharTest }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; items: Node[] }
  | { kind: 'repeat'; item: Node; min: number; max: number };

/** A pattern's position automaton. */
export interface Automaton {
  /** Per state: the test for the character that enters it. */
  tests: CharTest[];
  /** Per state: the states the next character may enter. */
  follow: number[][];
  /** States the first character of a match may enter. */
  first: number[];
  /** Per state: 1 when a match may still go on from it (or, with a closing `\b`, ends there undecided). */
  open: Uint8Array;
  /** `\b` before the first character: a match starts only after a non-word character. */
  leadingBoundary: boolean;
  /** Whether any character can begin a match / can occur in one. */
  canStart: CharTest;
  canOccur: CharTest;
  /** Longest possible match in UTF-16 code units; Infinity when a repetition is unbounded. */
  maxLength: number;
  /** Whether a match can contain a line break ("\n"). */
  crossesLines: boolean;
}

const automata = new WeakMap<SecretPattern, Automaton>();

/** The automaton for `pattern`, built once. Throws if its regex uses syntax outside the subset. */
export function automatonFor(pattern: SecretPattern): Automaton {
  let a = automata.get(pattern);
  if (a === undefined) {
    a = compile(pattern.regex);
    automata.set(pattern, a);
  }
  return a;
}

/**
 * One stream's open partial matches of one pattern: feed it the stream's text in order, ask for
 * the earliest position an open match starts at.
 */
export class OpenMatches {
  readonly #a: Automaton;
  /** Per state: absolute start of the earliest partial match in it, or -1. */
  #starts: Float64Array;
  #next: Float64Array;
  #active: number[] = [];
  #prev = -1; // the previous character's code; -1 at the start of the stream (a non-word position)
  #offset = 0; // absolute position of the next character fed

  constructor(pattern: SecretPattern) {
    this.#a = automatonFor(pattern);
    this.#starts = new Float64Array(this.#a.tests.length).fill(-1);
    this.#next = new Float64Array(this.#a.tests.length).fill(-1);
  }

  feed(text: string): void {
    const a = this.#a;
    let from = 0;
    // No match can span a character no state takes: start after the last one.
    for (let k = text.length - 1; k >= 0; k--) {
      if (!a.canOccur.has(text.charCodeAt(k))) {
        this.#clear();
        this.#prev = text.charCodeAt(k);
        from = k + 1;
        break;
      }
    }
    for (let k = from; k < text.length; k++) {
      const code = text.charCodeAt(k);
      if (this.#active.length > 0 || a.canStart.has(code)) this.#step(code, this.#offset + k);
      this.#prev = code;
    }
    this.#offset += text.length;
  }

  /** Absolute start of the earliest partial match still open, or Infinity. */
  earliestOpen(): number {
    let earliest = Infinity;
    for (const s of this.#active) if (this.#a.open[s] === 1 && this.#starts[s] < earliest) earliest = this.#starts[s];
    return earliest;
  }

  #step(code: number, at: number): void {
    const a = this.#a;
    const starts = this.#starts;
    const next = this.#next;
    const reached: number[] = [];
    const enter = (t: number, start: number) => {
      if (!a.tests[t].has(code)) return;
      if (next[t] < 0) {
        next[t] = start;
        reached.push(t);
      } else if (start < next[t]) next[t] = start;
    };
    for (const s of this.#active) for (const t of a.follow[s]) enter(t, starts[s]);
    if (!a.leadingBoundary || isWord(this.#prev) !== isWord(code)) for (const t of a.first) enter(t, at);
    for (const s of this.#active) starts[s] = -1;
    this.#starts = next;
    this.#next = starts;
    this.#active = reached;
  }

  #clear(): void {
    for (const s of this.#active) this.#starts[s] = -1;
    this.#active = [];
  }
}

/** JavaScript's `\b` word characters. */
function isWord(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

// --- building ---------------------------------------------------------------------------------

function compile(regex: RegExp): Automaton {
  const flags = regex.flags.replace(/[gy]/g, '');
  let source = regex.source;
  const leadingBoundary = source.startsWith('\\b');
  if (leadingBoundary) source = source.slice(2);
  const trailingBoundary = /(^|[^\\])(\\\\)*\\b$/.test(source);
  if (trailingBoundary) source = source.slice(0, -2);
  const node = new Parser(source, flags).parse();

  const tests: CharTest[] = [];
  const follow: Set<number>[] = [];
  const build = (n: Node): { first: number[]; last: number[]; nullable: boolean } => {
    switch (n.kind) {
      case 'atom': {
        const p = tests.length;
        tests.push(n.test);
        follow.push(new Set());
        return { first: [p], last: [p], nullable: false };
      }
      case 'alt': {
        const parts = n.items.map(build);
        return { first: parts.flatMap((p) => p.first), last: parts.flatMap((p) => p.last), nullable: parts.some((p) => p.nullable) };
      }
      case 'seq': {
        let acc = { first: [] as number[], last: [] as number[], nullable: true };
        for (const item of n.items) {
          const f = build(item);
          for (const l of acc.last) for (const x of f.first) follow[l].add(x);
          acc = {
            first: acc.nullable ? [...acc.first, ...f.first] : acc.first,
            last: f.nullable ? [...acc.last, ...f.last] : f.last,
            nullable: acc.nullable && f.nullable,
          };
        }
        return acc;
      }
      case 'repeat': {
        const copies: Node[] = Array.from({ length: n.min }, () => n.item);
        const seq = build({ kind: 'seq', items: copies });
        let acc = seq;
        const extra = n.max === Infinity ? 1 : n.max - n.min;
        for (let i = 0; i < extra; i++) {
          const f = build(n.item);
          if (n.max === Infinity) for (const l of f.last) for (const x of f.first) follow[l].add(x);
          for (const l of acc.last) for (const x of f.first) follow[l].add(x);
          acc = { first: acc.nullable ? [...acc.first, ...f.first] : acc.first, last: [...acc.last, ...f.last], nullable: acc.nullable };
        }
        return acc;
      }
    }
  };
  const top = build(node);
  if (top.nullable) throw new Error(`pattern /${regex.source}/ matches the empty string`);
  const last = new Set(top.last);
  const open = Uint8Array.from(follow, (f, s) => (f.size > 0 || (trailingBoundary && last.has(s)) ? 1 : 0));
  const firstTests = top.first.map((s) => tests[s]);
  const uniqueTests = [...new Set(tests)];
  const canOccur = new CharTest((code) => uniqueTests.some((t) => t.has(code)));
  return {
    tests,
    follow: follow.map((f) => [...f]),
    first: top.first,
    open,
    leadingBoundary,
    canStart: new CharTest((code) => firstTests.some((t) => t.has(code))),
    canOccur,
    maxLength: longest(node),
    crossesLines: canOccur.has(10),
  };
}

function longest(n: Node): number {
  switch (n.kind) {
    case 'atom': return 1;
    case 'seq': return n.items.reduce((sum, item) => sum + longest(item), 0);
    case 'alt': return Math.max(0, ...n.items.map(longest));
    case 'repeat': return n.max === 0 ? 0 : n.max * longest(n.item);
  }
}

const atomTests = new Map<string, CharTest>();

function atomTest(source: string, flags: string): CharTest {
  const key = `${flags}/${source}`;
  let t = atomTests.get(key);
  if (t === undefined) {
    const regex = new RegExp(`^(?:${source})$`, flags);
    t = new CharTest((code) => regex.test(String.fromCharCode(code)));
    atomTests.set(key, t);
  }
  return t;
}

/** A recursive-descent parser for the regex subset the patterns use. */
class Parser {
  #at = 0;
  constructor(private readonly source: string, private readonly flags: string) {}

  parse(): Node {
    const node = this.#alternatives();
    if (this.#at < this.source.length) this.#fail('unexpected ")"');
    return node;
  }

  #alternatives(): Node {
    const items = [this.#sequence()];
    while (this.source[this.#at] === '|') {
      this.#at++;
      items.push(this.#sequence());
    }
    return items.length === 1 ? items[0] : { kind: 'alt', items };
  }

  #sequence(): Node {
    const items: Node[] = [];
    while (this.#at < this.source.length && this.source[this.#at] !== '|' && this.source[this.#at] !== ')') {
      items.push(this.#quantified(this.#atom()));
    }
    return { kind: 'seq', items };
  }

  #atom(): Node {
    const s = this.source;
    const start = this.#at;
    const c = s[start];
    if (c === '(') {
      if (s[start + 1] === '?') this.#fail('only plain groups are supported');
      this.#at++;
      const inner = this.#alternatives();
      if (s[this.#at] !== ')') this.#fail('missing ")"');
      this.#at++;
      return inner;
    }
    if (c === '[') {
      let k = start + 1;
      if (s[k] === '^') k++;
      if (s[k] === ']') this.#fail('empty class');
      while (k < s.length && s[k] !== ']') k += s[k] === '\\' ? 2 : 1;
      if (k >= s.length) this.#fail('missing "]"');
      this.#at = k + 1;
    } else if (c === '\\') {
      if (/[bB1-9kpPuxcu]/.test(s[start + 1] ?? '')) this.#fail(`escape \\${s[start + 1]} is not supported here`);
      this.#at += 2;
    } else if ('^$*+?{'.includes(c)) {
      this.#fail(`"${c}" is not supported here`);
    } else {
      this.#at++;
    }
    return { kind: 'atom', test: atomTest(s.slice(start, this.#at), this.flags) };
  }

  #quantified(item: Node): Node {
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
    } else return item;
    if (s[this.#at] === '?' || s[this.#at] === '+') this.#fail('lazy or possessive quantifiers are not supported');
    return { kind: 'repeat', item, min, max };
  }

  #fail(message: string): never {
    throw new Error(`secret pattern /${this.source}/ at ${this.#at}: ${message}`);
  }
}
