/**
 * Where a policy issue's JSON path (`policy.landlock_rules[0].access`, `files["/data/x"]`) sits in
 * the JSON text, so the editor can underline it. Paths are the ones the core's loader writes.
 */

export interface Span {
  start: number;
  end: number;
}

type PathPart = string | number;

/** Split `a.b[0]["c d"]` into ["a", "b", 0, "c d"]; null when it is not such a path. */
export function parsePath(path: string): PathPart[] | null {
  const parts: PathPart[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '.') i++;
    if (path[i] === '[') {
      const close = path[i + 1] === '"' ? closingQuote(path, i + 1) + 1 : path.indexOf(']', i);
      if (close <= i || path[close] !== ']') return null;
      const inner = path.slice(i + 1, close);
      if (inner.startsWith('"')) {
        try {
          parts.push(JSON.parse(inner) as string);
        } catch {
          return null;
        }
      } else if (/^\d+$/.test(inner)) parts.push(Number(inner));
      else return null;
      i = close + 1;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path.slice(i));
      if (!m) return null;
      parts.push(m[0]);
      i += m[0].length;
    }
  }
  return parts;
}

function closingQuote(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

/**
 * The span of the member or element at `path` in `text` (for an object member, from its key to
 * the end of its value); the deepest existing ancestor when the path goes further than the text;
 * null when the text is not JSON.
 */
export function locatePath(text: string, path: string): Span | null {
  const parts = parsePath(path);
  if (parts === null) return null;
  const scanner = new Scanner(text);
  try {
    scanner.ws();
    return scanner.find(parts, 0, { start: scanner.pos, end: text.length });
  } catch {
    return null;
  }
}

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  ws(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  /** At the start of a value: locate parts[depth..] inside it; `span` is the value's own span. */
  find(parts: PathPart[], depth: number, span: Span): Span {
    const c = this.text[this.pos];
    if (depth === parts.length || (c !== '{' && c !== '[')) {
      const start = this.pos;
      this.skipValue();
      return depth === parts.length ? { start: span.start, end: this.pos } : { start, end: this.pos };
    }
    const valueStart = this.pos;
    const want = parts[depth];
    if (c === '{') {
      this.pos++;
      this.ws();
      while (this.text[this.pos] !== '}') {
        const keyStart = this.pos;
        const key = this.string();
        this.ws();
        this.expect(':');
        this.ws();
        if (key === want) return this.find(parts, depth + 1, { start: keyStart, end: 0 });
        this.skipValue();
        this.ws();
        if (this.text[this.pos] === ',') {
          this.pos++;
          this.ws();
        }
      }
    } else {
      this.pos++;
      this.ws();
      let index = 0;
      while (this.text[this.pos] !== ']') {
        if (index === want) return this.find(parts, depth + 1, { start: this.pos, end: 0 });
        this.skipValue();
        this.ws();
        if (this.text[this.pos] === ',') {
          this.pos++;
          this.ws();
        }
        index++;
      }
    }
    // Not there: point at the container (its opening line is enough to see).
    this.pos = valueStart;
    this.skipValue();
    return { start: span.start, end: this.pos };
  }

  private expect(ch: string): void {
    if (this.text[this.pos] !== ch) throw new Error(`expected ${ch}`);
    this.pos++;
  }

  private string(): string {
    if (this.text[this.pos] !== '"') throw new Error('expected a string');
    const end = closingQuote(this.text, this.pos);
    if (end < 0) throw new Error('unterminated string');
    const s = JSON.parse(this.text.slice(this.pos, end + 1)) as string;
    this.pos = end + 1;
    return s;
  }

  private skipValue(): void {
    const c = this.text[this.pos];
    if (c === '"') {
      this.string();
      return;
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.pos++;
      this.ws();
      while (this.text[this.pos] !== close) {
        if (this.pos >= this.text.length) throw new Error('unterminated');
        if (c === '{') {
          this.string();
          this.ws();
          this.expect(':');
          this.ws();
        }
        this.skipValue();
        this.ws();
        if (this.text[this.pos] === ',') {
          this.pos++;
          this.ws();
        }
      }
      this.pos++;
      return;
    }
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) throw new Error('unexpected character');
    this.pos += m[0].length;
  }
}

/** Offset of a JSON.parse error, from V8's "... at position N ..." message. */
export function syntaxErrorOffset(message: string): number | null {
  const m = /position (\d+)/.exec(message);
  return m ? Number(m[1]) : null;
}
