/** `kavach policy export|import`: move a sandbox policy between the playground and other tools. */
import { EXPORT_FORMATS, exportAs, FORMAT_LABELS, importAny, type ExportFormat, type ImportedModule } from '../../core/index.ts';
import { EXIT_OK, type CliIO, type Command } from '../io.ts';
import { badInput, parseCommand, readInput } from './common.ts';

export const HELP = `usage: kavach policy export --to FORMAT [--module NAME] [--sha256 HEX] POLICY
       kavach policy import FILE

Moves a sandbox policy between the playground and other tools.

export  prints POLICY (a file in any format import reads, or - for stdin) as FORMAT:
          kavach         kavach SandboxConfig JSON, exactly as the Rust crate's serde writes it
          kavach-policy  kavach SandboxPolicy JSON (the policy part alone)
          wasmtime       a \`wasmtime run\` command line
          extism         an Extism manifest
          deno, node     permission flags: an analogy only, not an equivalent
          playground     the playground's own document (nothing lost)
        What FORMAT cannot express is listed on stderr: nothing is dropped silently.
  --module NAME   the module file named by wasmtime and Extism exports (default: the one POLICY
                  names, else module.wasm)
  --sha256 HEX    the module's SHA-256, for the Extism manifest's hash check

import  reads FILE (or - for stdin): kavach SandboxPolicy or SandboxConfig JSON, a playground
        document, a wasmtime command line, an Extism manifest or a share link; prints the
        playground document. What it changed or left out is listed on stderr.

  -h, --help      this text

Exit status: 0; 2 for bad input.
`;

export const run: Command = async (argv, io) => {
  const [sub, ...rest] = argv;
  if (sub === '-h' || sub === '--help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (sub === 'export') return exportPolicy(rest, io);
  if (sub === 'import') return importPolicy(rest, io);
  return badInput(io, 'policy', sub === undefined ? 'expected "export" or "import"' : `unknown subcommand "${sub}" (use export or import)`);
};

async function exportPolicy(argv: string[], io: CliIO): Promise<number> {
  const bad = (message: string) => badInput(io, 'policy', message);
  const parsed = parseCommand(argv, io, 'policy', HELP, { to: { type: 'string' }, module: { type: 'string' }, sha256: { type: 'string' } });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (values.to === undefined) return bad(`export needs --to FORMAT (${EXPORT_FORMATS.join(', ')})`);
  const format = values.to as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) return bad(`unknown format "${values.to}" (use ${EXPORT_FORMATS.join(', ')})`);
  if (values.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(values.sha256)) return bad('--sha256 expects 64 hex digits');
  if (positionals.length !== 1) return bad(positionals.length === 0 ? 'export needs a POLICY file (or - for stdin)' : `unexpected argument "${positionals[1]}"`);

  const imported = await readPolicy(io, positionals[0]);
  if (!imported.ok) return bad(imported.message);
  for (const w of imported.warnings) io.stderr(`warning: ${positionals[0]}: ${w}\n`);
  const named = imported.module?.kind === 'named' || imported.module?.kind === 'hash' ? imported.module : null;
  const exported = exportAs(format, imported.config, {
    moduleName: values.module ?? (named === null ? undefined : named.name),
    sha256: values.sha256?.toLowerCase() ?? named?.sha256 ?? null,
  });
  io.stdout(exported.text.endsWith('\n') ? exported.text : `${exported.text}\n`);
  if (exported.analogy) io.stderr(`kavach policy export: ${FORMAT_LABELS[format]}: these describe a JavaScript program's host access, not this sandbox\n`);
  if (exported.lossy.length > 0) {
    io.stderr(`kavach policy export: ${FORMAT_LABELS[format]} cannot express these, so the export leaves them out or changes them:\n`);
    for (const item of exported.lossy) io.stderr(`  - ${item}\n`);
  }
  return EXIT_OK;
}

async function importPolicy(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommand(argv, io, 'policy', HELP, {});
  if (typeof parsed === 'number') return parsed;
  const { positionals } = parsed;
  if (positionals.length !== 1) {
    return badInput(io, 'policy', positionals.length === 0 ? 'import needs a FILE (or - for stdin)' : `unexpected argument "${positionals[1]}"`);
  }
  const imported = await readPolicy(io, positionals[0]);
  if (!imported.ok) return badInput(io, 'policy', imported.message);
  io.stdout(`${JSON.stringify(imported.document, null, 2)}\n`);
  io.stderr(`kavach policy import: read ${article(FORMAT_LABELS[imported.format])}\n`);
  if (imported.kavachReadsOtherwise.length > 0) {
    io.stderr('kavach policy import: kavach would read it otherwise:\n');
    for (const item of imported.kavachReadsOtherwise) io.stderr(`  - ${item}\n`);
  }
  if (imported.module !== null) io.stderr(`kavach policy import: the setup's module: ${describeModule(imported.module)}\n`);
  for (const w of imported.warnings) io.stderr(`warning: ${w}\n`);
  return EXIT_OK;
}

async function readPolicy(io: CliIO, file: string) {
  const input = await readInput(io, file);
  if (!input.ok) return { ok: false as const, message: input.message };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input.bytes);
  } catch {
    return { ok: false as const, message: `${file} is not UTF-8 text` };
  }
  const imported = await importAny(text);
  return imported.ok ? imported : { ok: false as const, message: `${file}: ${imported.message}` };
}

function describeModule(module: ImportedModule): string {
  switch (module.kind) {
    case 'example': return `the example "${module.id}"`;
    case 'inline': return `${module.name} (${module.bytes.length} bytes, inside the link)`;
    case 'hash': return `${module.name} (${module.size} bytes, sha256 ${module.sha256})`;
    case 'named': return `${module.path}${module.sha256 === null ? '' : ` (sha256 ${module.sha256})`}`;
    case 'source': return `the ${module.flags.language} source ${module.name} (${new TextEncoder().encode(module.text).length} bytes, inside the link; kavach build builds it)`;
  }
}

function article(label: string): string {
  return `${/^[aeiouAEIOU]/.test(label) ? 'an' : 'a'} ${label}`;
}
