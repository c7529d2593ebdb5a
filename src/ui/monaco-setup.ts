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
import { isMac } from './shortcuts.ts';

self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};

export const POLICY_MODEL_URI = 'inmemory://kavach/policy.json';

/** What every editor on the page shares: compact, no minimap, laid out with its box. */
export const EDITOR_OPTIONS = {
  minimap: { enabled: false },
  fontSize: 12.5,
  lineNumbersMinChars: 3,
  scrollBeyondLastLine: false,
  automaticLayout: true,
} as const;

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

// vs and vs-dark with the line numbers and comments at a readable contrast (WCAG AA).
monaco.editor.defineTheme('kavach-light', {
  base: 'vs', inherit: true, rules: [{ token: 'comment', foreground: '3b6f2a' }],
  colors: { 'editorLineNumber.foreground': '#5d6677', 'editorLineNumber.activeForeground': '#1d2330', 'editorLineNumber.dimmedForeground': '#5d6677' },
});
monaco.editor.defineTheme('kavach-dark', {
  base: 'vs-dark', inherit: true, rules: [{ token: 'comment', foreground: '8cc07a' }],
  colors: { 'editorLineNumber.foreground': '#a0a8b8', 'editorLineNumber.activeForeground': '#e4e7ee', 'editorLineNumber.dimmedForeground': '#a0a8b8' },
});

type CodeEditor = monaco.editor.IStandaloneCodeEditor;

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Focus the control after (or before) the editor in the page's tab order. */
function leave(editor: CodeEditor, backwards: boolean): void {
  const box = editor.getContainerDomNode();
  const all = [...document.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
  const outside = all.filter((el) => !box.contains(el));
  const after = outside.filter((el) => box.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
  const before = outside.filter((el) => box.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
  (backwards ? before[before.length - 1] : after[0])?.focus();
}

/**
 * Monaco keeps Tab for indenting, so the focus cannot leave by Tab alone. Escape then Tab (or
 * Shift+Tab) leaves, as in many code editors on the web; Ctrl+M (Monaco's own) makes Tab move the
 * focus until pressed again. The page says so beside each editor (EDITOR_KEYS).
 */
export function escapeThenTabLeaves(editor: CodeEditor): void {
  // Caught on the way down (capture), before Monaco's own keybindings see the Tab.
  const box = editor.getContainerDomNode();
  let armed = false;
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Tab' && armed && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      e.stopPropagation();
      armed = false;
      leave(editor, e.shiftKey);
      return;
    }
    armed = e.key === 'Escape';
  }, true);
  box.addEventListener('focusout', () => (armed = false));
}

/** How to leave an editor, in words, for the line beside it. */
export const EDITOR_KEYS = `To leave the editor: Esc, then Tab (Shift+Tab goes back); or ${isMac ? 'Ctrl+Shift+M' : 'Ctrl+M'} to make Tab move the focus.`;

loader.config({ monaco });

export { monaco };
