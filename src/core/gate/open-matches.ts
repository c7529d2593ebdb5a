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
 * character no state can take (for most patterns a newline) is skipped, and while no state is
 * alive a regex search jumps to the next character that can begin a match.
 */
import type { SecretPattern } from './patterns.ts';

/** Membership of one UTF-16 code unit, answered by a regex once and cached. */
class CharTest {
  private readonly ascii = new Uint8Array(128); // 0 not asked yet, 1 no, 2 yes
  private readonly other = new Map<number, boolean>();
  constructor(private readonly answer: (code: number) => boolean) {}

  has(code: number): boolean {
    if (code < 128) {
      let v = this.ascii[code];
      if (v === 0) {
        v = this.answer(code) ? 2 : 1;
        this.ascii[code] = v;
      }
      return v === 2;
    }
    let v = this.other.get(code);
    if (v === undefined) {
      v = this.answer(code);
      this.other.set(code, v);
    }
    return v;
  }
}

type Node =
  | { kind: 'atom'; test: CharTest; source: string }
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
  /** Finds the next character that can begin a match (global: set lastIndex). */
  nextStart: RegExp;
  /** Whether a character can occur in a match. */
  canOccur: CharTest;
  /** Longest possible match in UTF-16 code units; Infinity when a repetition is unbounded. */
  maxLength: number;
  /** Whether a match can contain a line break ("\n"). */
  crossesLines: boolean;
}

const automata = new WeakMap<SecretPattern, Automaton>();

/** How far back from the end of a piece of text `feed` looks for a character no state takes. */
const BARRIER_SCAN = 256;

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
  private readonly a: Automaton;
  /** Per state: absolute start of the earliest partial match in it, or -1. */
  private starts: Float64Array;
  private next: Float64Array;
  /** The states alive, and a second list for the step that replaces them. */
  private active: Int32Array;
  private reached: Int32Array;
  private alive = 0;
  private prev = -1; // the previous character's code; -1 at the start of the stream (a non-word position)
  private offset = 0; // absolute position of the next character fed

  constructor(pattern: SecretPattern) {
    this.a = automatonFor(pattern);
    const n = this.a.tests.length;
    this.starts = new Float64Array(n).fill(-1);
    this.next = new Float64Array(n).fill(-1);
    this.active = new Int32Array(n);
    this.reached = new Int32Array(n);
  }

  feed(text: string): void {
    const a = this.a;
    let k = 0;
    // No match can span a character no state takes (for most patterns, a newline): start after
    // the last one, if it is near the end (further back, looking for it costs more than it saves).
    for (let j = text.length - 1; j >= Math.max(0, text.length - BARRIER_SCAN); j--) {
      if (!a.canOccur.has(text.charCodeAt(j))) {
        this.clear();
        this.prev = text.charCodeAt(j);
        k = j + 1;
        break;
      }
    }
    while (k < text.length) {
      if (this.alive === 0) {
        // Nothing alive: jump to the next character that can begin a match.
        a.nextStart.lastIndex = k;
        const m = a.nextStart.exec(text);
        if (m === null) break;
        if (m.index > k) this.prev = text.charCodeAt(m.index - 1);
        k = m.index;
      }
      const code = text.charCodeAt(k);
      this.step(code, this.offset + k);
      this.prev = code;
      k++;
    }
    if (text.length > 0) this.prev = text.charCodeAt(text.length - 1);
    this.offset += text.length;
  }

  /** Absolute start of the earliest partial match still open, or Infinity. */
  earliestOpen(): number {
    let earliest = Infinity;
    for (let i = 0; i < this.alive; i++) {
      const s = this.active[i];
      if (this.a.open[s] === 1 && this.starts[s] < earliest) earliest = this.starts[s];
    }
    return earliest;
  }

  private step(code: number, at: number): void {
    const { follow, first, leadingBoundary } = this.a;
    let reached = 0;
    for (let i = 0; i < this.alive; i++) {
      const s = this.active[i];
      const targets = follow[s];
      for (let j = 0; j < targets.length; j++) reached = this.enter(targets[j], this.starts[s], code, reached);
    }
    if (!leadingBoundary || isWord(this.prev) !== isWord(code)) {
      for (let j = 0; j < first.length; j++) reached = this.enter(first[j], at, code, reached);
    }
    for (let i = 0; i < this.alive; i++) this.starts[this.active[i]] = -1;
    [this.starts, this.next] = [this.next, this.starts];
    [this.active, this.reached] = [this.reached, this.active];
    this.alive = reached;
  }

  /** Puts state t (if `code` enters it) in the next step's list; returns that list's length. */
  private enter(t: number, start: number, code: number, reached: number): number {
    if (!this.a.tests[t].has(code)) return reached;
    const next = this.next;
    if (next[t] < 0) {
      next[t] = start;
      this.reached[reached] = t;
      return reached + 1;
    }
    if (start < next[t]) next[t] = start;
    return reached;
  }

  private clear(): void {
    for (let i = 0; i < this.alive; i++) this.starts[this.active[i]] = -1;
    this.alive = 0;
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
  const sources: string[] = [];
  const follow: Set<number>[] = [];
  const build = (n: Node): { first: number[]; last: number[]; nullable: boolean } => {
    switch (n.kind) {
      case 'atom': {
        const p = tests.length;
        tests.push(n.test);
        sources.push(n.source);
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
  const uniqueTests = [...new Set(tests)];
  const canOccur = new CharTest((code) => uniqueTests.some((t) => t.has(code)));
  return {
    tests,
    follow: follow.map((f) => [...f]),
    first: top.first,
    open,
    leadingBoundary,
    nextStart: new RegExp([...new Set(top.first.map((s) => sources[s]))].join('|'), `${flags}g`),
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

/** The test for one atom, e.g. "[0-9A-Z]" or "\\s" or "k" (with the pattern's flags). */
function atomTest(source: string, flags: string): CharTest {
  const key = `${flags}/${source}`;
  let t = atomTests.get(key);
  if (t === undefined) {
    if (source.length === 1 && source !== '.') {
      // A literal: `i` folds ASCII letters only (JavaScript never folds a non-ASCII character
      // to an ASCII one without the u flag).
      const code = source.charCodeAt(0);
      const other = flags.includes('i') && /[a-z]/i.test(source) ? code ^ 0x20 : code;
      t = new CharTest((c) => c === code || c === other);
    } else {
      let regex: RegExp | null = null;
      t = new CharTest((c) => (regex ??= new RegExp(`^(?:${source})$`, flags)).test(String.fromCharCode(c)));
    }
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
    const source = s.slice(start, this.#at);
    return { kind: 'atom', test: atomTest(source, this.flags), source };
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
