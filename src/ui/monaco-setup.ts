/**
 * Monaco, from this site only (never a CDN), with the JSON language for policies and C and
 * WebAssembly text for the examples' sources. Imported lazily: it is about 1 MB gzip, so the
 * page is usable long before it arrives.
 */
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import 'monaco-editor/languages/definitions/cpp/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import { policyJsonSchema } from '../core/index.ts';

self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};

export const POLICY_MODEL_URI = 'inmemory://kavach/policy.json';

jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  enableSchemaRequest: false,
  // The schema drives completion and hovers; the errors come from the core's own loader (the
  // messages a run would give), so the schema's duplicates are not shown.
  schemaValidation: 'ignore',
  schemas: [{ uri: 'inmemory://kavach/policy.schema.json', fileMatch: [POLICY_MODEL_URI], schema: policyJsonSchema() }],
});

// WebAssembly text has no grammar in Monaco: a small one for reading the examples.
monaco.languages.register({ id: 'wat', extensions: ['.wat'], aliases: ['WebAssembly text'] });
monaco.languages.setMonarchTokensProvider('wat', {
  tokenizer: {
    root: [
      [/;;.*$/, 'comment'],
      [/\(;/, 'comment', '@blockComment'],
      [/"([^"\\]|\\.)*"/, 'string'],
      [/\$[\w.$!#%&'*+\-/:<=>?@\\^`|~]+/, 'variable'],
      [/\b[if](32|64)\.[a-z0-9_]+/, 'type'],
      [/\b(local|global|memory)\.[a-z_]+/, 'type'],
      [/\b(module|import|export|func|param|result|local|memory|data|type|table|elem|global|mut|start)\b/, 'keyword'],
      [/\b(call|drop|loop|block|br_if|br|if|then|else|end|return|unreachable|nop)\b/, 'keyword'],
      [/-?\b\d+\b/, 'number'],
    ],
    blockComment: [
      [/;\)/, 'comment', '@pop'],
      [/./, 'comment'],
    ],
  },
});

loader.config({ monaco });

export { monaco };
