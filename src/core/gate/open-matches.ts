/**
 * Where, in text that arrives piece by piece, a match of a gate pattern could still begin: the
 * positions whose text so far is the beginning of a possible match, or a whole match that more
 * text could lengthen (a greedy `{n,}` or `+` at its end) or that waits for the next character
 * to decide a closing `\b`. The output gate holds text back from the earliest such position.
 *
 * The automaton is built from each pattern's kavach source, through the same parse that gives
 * the scanner its JavaScript regex (rust-regex.ts): a position automaton, one state per
 * character test, `{n,m}` spelled out as copies. It knows the regex subset the parser reads
 * (literals, classes, `.`, `\d`, `\s`, groups with `|`, the quantifiers `? * + {n} {n,} {n,m}`,
 * `\b`) and refuses anything else when it is built. Each character test is the translated regex
 * for that one atom, with the pattern's flags, so case folding and `\s`, `\d`, `.` mean exactly
 * what they mean to the scanner; answers are cached per code point. It steps over code points,
 * as Rust's regex does (a high surrogate at the very end of a piece waits for its pair).
 *
 * `\b` first in the pattern restricts where a match may start (a word character only after a
 * non-word one, and the reverse); a `\b` that can end a match keeps the match open until the
 * next character decides it; any other `\b` is ignored, which only lets more matches seem
 * possible (holding back more, never less).
 *
 * Work per character is a step of the states alive, usually none: the text before the last
 * character no state can take (for most patterns a newline) is skipped, and while no state is
 * alive a regex search jumps to the next character that can begin a match.
 */
import { isWordCodePoint as isWord, javascriptFlags, parseRustRegex, type RegexNode } from './rust-regex.ts';
import type { GatePattern } from './patterns.ts';

/** Membership of one code point, answered by a regex once and cached. */
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
  /** `\b` before the first character: a match starts only where the previous character's wordness differs. */
  leadingBoundary: boolean;
  /** Finds the next character that can begin a match (global: set lastIndex). */
  nextStart: RegExp;
  /** Whether a character can occur in a match. */
  canOccur: CharTest;
  /** Longest possible match in code points; Infinity when a repetition is unbounded. */
  maxLength: number;
  /** Whether a match can contain a line break ("\n"). */
  crossesLines: boolean;
}

const automata = new WeakMap<GatePattern, Automaton>();

/** How far back from the end of a piece of text `feed` looks for a character no state takes. */
const BARRIER_SCAN = 256;

/** The automaton for `pattern`, built once. Throws if its source uses syntax outside the subset. */
export function automatonFor(pattern: GatePattern): Automaton {
  let a = automata.get(pattern);
  if (a === undefined) {
    a = compile(pattern.source);
    automata.set(pattern, a);
  }
  return a;
}

const isHigh = (unit: number) => (unit & 0xfc00) === 0xd800;
const isLow = (unit: number) => (unit & 0xfc00) === 0xdc00;
const width = (code: number) => (code > 0xffff ? 2 : 1);

/** The code point that ends just before `at` (-1 at the start). */
function codePointBefore(text: string, at: number): number {
  if (at <= 0) return -1;
  const unit = text.charCodeAt(at - 1);
  return isLow(unit) && at >= 2 && isHigh(text.charCodeAt(at - 2)) ? (text.codePointAt(at - 2) as number) : unit;
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
  private prev = -1; // the previous code point; -1 at the start of the stream (a non-word position)
  private offset = 0; // absolute position (UTF-16) of the next character to step over
  private pending = ''; // a high surrogate that ended the last piece, waiting for its pair

  constructor(pattern: GatePattern) {
    this.a = automatonFor(pattern);
    const n = this.a.tests.length;
    this.starts = new Float64Array(n).fill(-1);
    this.next = new Float64Array(n).fill(-1);
    this.active = new Int32Array(n);
    this.reached = new Int32Array(n);
  }

  feed(piece: string): void {
    const a = this.a;
    let text = this.pending + piece;
    this.pending = '';
    if (text.length > 0 && isHigh(text.charCodeAt(text.length - 1))) {
      this.pending = text[text.length - 1];
      text = text.slice(0, -1);
    }
    let k = 0;
    // No match can span a character no state takes (for most patterns, a newline): start after
    // the last one, if it is near the end (further back, looking for it costs more than it saves).
    for (let j = text.length; j > Math.max(0, text.length - BARRIER_SCAN);) {
      const code = codePointBefore(text, j);
      j -= width(code);
      if (!a.canOccur.has(code)) {
        this.clear();
        this.prev = code;
        k = j + width(code);
        break;
      }
    }
    while (k < text.length) {
      if (this.alive === 0) {
        // Nothing alive: jump to the next character that can begin a match.
        a.nextStart.lastIndex = k;
        const m = a.nextStart.exec(text);
        if (m === null) break;
        if (m.index > k) this.prev = codePointBefore(text, m.index);
        k = m.index;
      }
      const code = text.codePointAt(k) as number;
      this.step(code, this.offset + k);
      this.prev = code;
      k += width(code);
    }
    if (text.length > 0) this.prev = codePointBefore(text, text.length);
    this.offset += text.length;
  }

  /** Absolute start of the earliest partial match still open, or Infinity. */
  earliestOpen(): number {
    // A high surrogate waiting for its pair may begin a match.
    let earliest = this.pending === '' ? Infinity : this.offset;
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

// --- building ---------------------------------------------------------------------------------

interface Positions {
  first: number[];
  last: number[];
  nullable: boolean;
}

function compile(source: string): Automaton {
  const parsed = parseRustRegex(source);
  const flags = javascriptFlags(parsed);
  let node = parsed.node;
  const items = node.kind === 'seq' ? node.items : [node];
  const leadingBoundary = items[0].kind === 'boundary';
  if (leadingBoundary) node = { kind: 'seq', items: items.slice(1) };

  const tests: CharTest[] = [];
  const sources: string[] = [];
  const follow: Set<number>[] = [];
  /** States a `\b` directly follows: where the match may end, that `\b` waits for the next character. */
  const beforeBoundary = new Set<number>();
  const build = (n: RegexNode): Positions => {
    switch (n.kind) {
      case 'atom': {
        const p = tests.length;
        tests.push(atomTest(n.js, flags));
        sources.push(n.js);
        follow.push(new Set());
        return { first: [p], last: [p], nullable: false };
      }
      case 'boundary':
        return { first: [], last: [], nullable: true };
      case 'alt': {
        const parts = n.items.map(build);
        return { first: parts.flatMap((p) => p.first), last: parts.flatMap((p) => p.last), nullable: parts.some((p) => p.nullable) };
      }
      case 'seq': {
        let acc: Positions = { first: [], last: [], nullable: true };
        for (const item of n.items) {
          if (item.kind === 'boundary') for (const l of acc.last) beforeBoundary.add(l);
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
        let acc = build({ kind: 'seq', items: Array.from({ length: n.min }, () => n.item) });
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
  if (top.nullable) throw new Error(`pattern /${source}/ matches the empty string`);
  const last = new Set(top.last);
  const open = Uint8Array.from(follow, (f, s) => (f.size > 0 || (beforeBoundary.has(s) && last.has(s)) ? 1 : 0));
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

function longest(n: RegexNode): number {
  switch (n.kind) {
    case 'atom': return 1;
    case 'boundary': return 0;
    case 'seq': return n.items.reduce((sum, item) => sum + longest(item), 0);
    case 'alt': return Math.max(0, ...n.items.map(longest));
    case 'repeat': return n.max === 0 ? 0 : n.max * longest(n.item);
  }
}

const atomTests = new Map<string, CharTest>();

/** The test for one atom, e.g. "[0-9A-Z]" or "\\p{Nd}" or "k" (JavaScript source, with the pattern's flags). */
function atomTest(source: string, flags: string): CharTest {
  const key = `${flags}/${source}`;
  let t = atomTests.get(key);
  if (t === undefined) {
    const code = source.codePointAt(0) as number;
    if (source.length === width(code) && !flags.includes('i')) {
      t = new CharTest((c) => c === code); // a literal, compared as it is
    } else {
      let regex: RegExp | null = null;
      t = new CharTest((c) => (regex ??= new RegExp(`^(?:${source})$`, flags)).test(String.fromCodePoint(c)));
    }
    atomTests.set(key, t);
  }
  return t;
}
