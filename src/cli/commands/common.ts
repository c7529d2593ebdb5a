/** Reading a policy document named on the command line (shared by score and scan). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeIssues, loadDocument, type SandboxConfig } from '../../core/policy/index.ts';
import type { CliIO } from '../io.ts';

export type PolicyFileResult = { ok: true; config: SandboxConfig; warnings: string[] } | { ok: false; message: string };

export function loadPolicyFile(io: CliIO, file: string): PolicyFileResult {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch (e) {
    return { ok: false, message: `cannot read policy ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const loaded = loadDocument(text);
  if (!loaded.ok) return { ok: false, message: `invalid policy ${file}:\n${describeIssues(loaded.errors)}` };
  return { ok: true, config: loaded.config, warnings: loaded.warnings.map((w) => `${file}: ${w.path}: ${w.message}`) };
}
