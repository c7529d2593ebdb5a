/**
 * Just enough of POSIX shell syntax to read a pasted command line: words with single quotes,
 * double quotes and backslashes, line continuations, comments, and the operators that separate
 * commands. Nothing is expanded: a `$` stays as text, and the word says it had one.
 */

export type ShellToken =
  | { kind: 'word'; text: string; /** Had an unquoted or double-quoted `$` or backquote. */ expands: boolean }
  | { kind: 'operator'; text: string };

export type TokenizeResult = { ok: true; tokens: ShellToken[] } | { ok: false; message: string };

const OPERATOR_CHARS = '|&;<>()';
const BLANK = ' \t\r';

export function tokenize(text: string): TokenizeResult {
  const tokens: ShellToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (BLANK.includes(c)) { i++; continue; }
    if (c === '\\' && text[i + 1] === '\n') { i += 2; continue; }
    if (c === '\n') { tokens.push({ kind: 'operator', text: ';' }); i++; continue; }
    if (c === '#') { while (i < text.length && text[i] !== '\n') i++; continue; }
    if (OPERATOR_CHARS.includes(c)) {
      const two = text.slice(i, i + 2);
      const op = ['&&', '||', '>>', ';;'].includes(two) ? two : c;
      tokens.push({ kind: 'operator', text: op });
      i += op.length;
      continue;
    }
    let word = '';
    let expands = false;
    while (i < text.length && !BLANK.includes(text[i]) && text[i] !== '\n' && !OPERATOR_CHARS.includes(text[i])) {
      const ch = text[i];
      if (ch === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) return { ok: false, message: `unterminated single quote at character ${i + 1}` };
        word += text.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        i++;
        for (;;) {
          if (i >= text.length) return { ok: false, message: 'unterminated double quote' };
          const d = text[i];
          if (d === '"') { i++; break; }
          if (d === '\\' && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1])) {
            if (text[i + 1] !== '\n') word += text[i + 1];
            i += 2;
            continue;
          }
          if (d === '$' || d === '`') expands = true;
          word += d;
          i++;
        }
      } else if (ch === '\\') {
        if (i + 1 < text.length && text[i + 1] !== '\n') word += text[i + 1];
        i += 2;
      } else {
        if (ch === '$' || ch === '`') expands = true;
        word += ch;
        i++;
      }
    }
    tokens.push({ kind: 'word', text: word, expands });
  }
  return { ok: true, tokens };
}

/** Quote a word for a POSIX shell: bare when only safe characters, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_\-+=.,/:@%^]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A comment line that stays one line whatever it quotes. */
export function shellComment(text: string): string {
  return `# ${text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`;
}
