/**
 * Compiler messages as data: where (line and column, when the message has them), how bad, and
 * what. Clang writes "file:line:col: error: message", the linker "wasm-ld: error: message", the
 * driver "clang: error: message", and wabt "file:line:col: error: message" too.
 */
export type DiagnosticSeverity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** 1-based; null for a message about the whole build (the linker, the driver). */
  line: number | null;
  /** 1-based, in UTF-16 code units of the source line (as editors count); null with line. */
  column: number | null;
  message: string;
}

const AT_LINE = /^(.+?):(\d+):(\d+): (fatal error|error|warning|note|remark): (.*)$/;
const WHOLE_BUILD = /^(?:wasm-ld|clang(?:\+\+)?|wat2wasm|[^\s:]*ld): (error|warning|note): (.*)$/;

/**
 * Read a build's messages. Only messages about `fileName` (or about no file) are kept: a note
 * pointing into a system header has no line in the editor, so it is kept without one.
 */
export function parseDiagnostics(log: string, fileName: string, source: string): Diagnostic[] {
  const lines = source.split('\n');
  const out: Diagnostic[] = [];
  for (const raw of log.split('\n')) {
    const text = raw.replace(/\r$/, '');
    const at = AT_LINE.exec(text);
    if (at !== null) {
      const [, file, lineText, columnText, kind, message] = at;
      const severity: DiagnosticSeverity = kind === 'warning' ? 'warning' : kind === 'note' || kind === 'remark' ? 'note' : 'error';
      const inSource = file === fileName || file.endsWith(`/${fileName}`);
      const line = Number(lineText);
      out.push(inSource
        ? { severity, line, column: utf16Column(lines[line - 1] ?? '', Number(columnText)), message }
        : { severity, line: null, column: null, message: `${file}:${line}:${columnText}: ${message}` });
      continue;
    }
    const whole = WHOLE_BUILD.exec(text);
    if (whole !== null) out.push({ severity: whole[1] as DiagnosticSeverity, line: null, column: null, message: whole[2] });
  }
  return out;
}

/** Clang counts columns in bytes of UTF-8; an editor counts UTF-16 code units. */
export function utf16Column(lineText: string, byteColumn: number): number {
  const bytes = new TextEncoder().encode(lineText);
  const prefix = new TextDecoder().decode(bytes.subarray(0, Math.max(0, byteColumn - 1)));
  return prefix.length + 1;
}

/** "2 errors, 1 warning" */
export function countDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const parts = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.join(', ') || 'no messages';
}
