/**
 * ANSI colour escapes in module output: SGR sequences (ESC [ ... m) become styles; any other
 * escape sequence is dropped, so what a terminal would hide never shows as garbage. A sequence
 * split across two writes is held until its end arrives.
 */
export interface Styled {
  text: string;
  /** CSS classes for the text, "" for the default look. */
  style: string;
}

export class AnsiParser {
  private fg: number | null = null;
  private bold = false;
  private carry = '';

  push(chunk: string): Styled[] {
    const text = this.carry + chunk;
    this.carry = '';
    const out: Styled[] = [];
    let start = 0;
    let i = text.indexOf('\x1b');
    while (i >= 0) {
      if (i > start) out.push({ text: text.slice(start, i), style: this.style() });
      if (i + 1 >= text.length) {
        this.carry = text.slice(i);
        return out;
      }
      if (text[i + 1] !== '[') {
        start = i + 2; // an escape we do not interpret: drop it and the character after it
      } else {
        let j = i + 2;
        while (j < text.length && /[0-9;?]/.test(text[j])) j++;
        if (j >= text.length) {
          this.carry = text.slice(i);
          return out;
        }
        if (text[j] === 'm') this.apply(text.slice(i + 2, j));
        start = j + 1;
      }
      i = text.indexOf('\x1b', start);
    }
    if (start < text.length) out.push({ text: text.slice(start), style: this.style() });
    return out;
  }

  private apply(params: string): void {
    const codes = params === '' ? [0] : params.split(';').map((p) => Number(p));
    for (const c of codes) {
      if (c === 0) {
        this.fg = null;
        this.bold = false;
      } else if (c === 1) this.bold = true;
      else if (c === 22) this.bold = false;
      else if (c >= 30 && c <= 37) this.fg = c - 30;
      else if (c >= 90 && c <= 97) this.fg = c - 90 + 8;
      else if (c === 39) this.fg = null;
    }
  }

  private style(): string {
    return [this.fg === null ? '' : `ansi-fg-${this.fg}`, this.bold ? 'ansi-bold' : ''].filter(Boolean).join(' ');
  }
}
