/**
 * The Source tab: the module's source in C, C++ or WebAssembly text, its build flags with the
 * command line they make, Build, and what the build said (as markers in the editor and as a list).
 * Loaded lazily with Monaco; the compiler itself loads on the first build.
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useId, useRef, useState } from 'react';
import {
  OPTIMIZATIONS, STANDARDS, checkFlags, commandLine, defaultFlags, exampleById, languageOf, splitFlags,
  type Diagnostic, type Optimization, type SourceLanguage,
} from '../core/index.ts';
import { BuildLine, BuildProgress } from './BuildStatus.tsx';
import { exampleSourceText } from './example-sources.ts';
import { EDITOR_KEYS, EDITOR_OPTIONS, escapeThenTabLeaves, monaco } from './monaco-setup.ts';
import { useMonacoTheme } from './monaco-theme.ts';
import { attachExampleSource, editSource, resetSource, sourceEdited, startSource, usePlayground, type SourceState } from './store.ts';

type CodeEditor = Parameters<OnMount>[0];

const TEMPLATES: Record<SourceLanguage, { fileName: string; text: string }> = {
  c: {
    fileName: 'main.c',
    text: '#include <stdio.h>\n\nint main(int argc, char **argv) {\n  printf("Hello from C, built in the page! argc=%d\\n", argc);\n  return 0;\n}\n',
  },
  'c++': {
    fileName: 'main.cpp',
    text: '#include <cstdio>\n#include <string>\n#include <vector>\n\nint main() {\n  std::vector<std::string> words{"Hello", "from", "C++"};\n  for (const auto &w : words) std::printf("%s ", w.c_str());\n  std::printf("\\n");\n}\n',
  },
  wat: {
    fileName: 'main.wat',
    text: '(module\n  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))\n  (memory (export "memory") 1)\n  (data (i32.const 16) "Hello from WebAssembly text\\n")\n  (func (export "_start")\n    (i32.store (i32.const 0) (i32.const 16))\n    (i32.store (i32.const 4) (i32.const 28))\n    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))\n',
  },
};

const LANGUAGE_LABELS: Record<SourceLanguage, string> = { c: 'C', 'c++': 'C++', wat: 'WebAssembly text' };

/** The source, attaching an example's own when its module is loaded (fetched the first time it is shown). */
export function useSource(): { source: SourceState | null; loading: boolean } {
  const source = usePlayground((s) => s.source);
  const exampleId = usePlayground((s) => s.module?.exampleId ?? null);
  useEffect(() => {
    const example = exampleId === null ? undefined : exampleById(exampleId);
    if (source !== null || example === undefined) return;
    void exampleSourceText(example.source).then((text) => attachExampleSource(example.id, text));
  }, [source, exampleId]);
  return { source, loading: source === null && exampleId !== null };
}

export default function SourcePanel() {
  const { source, loading } = useSource();
  if (source === null) return loading ? <p className="muted pad">Loading the source…</p> : <NoSource />;
  return (
    <div className="source-panel">
      <SourceFlags source={source} />
      <SourceBuild />
      <SourceEditor source={source} />
    </div>
  );
}

function NoSource() {
  return (
    <div className="no-source">
      <p>
        Write a program in C, C++ or WebAssembly text, build it here (the compiler runs in this page and is downloaded on the first build), and run it under
        the policy.
      </p>
      <div className="row">
        {(['c', 'c++', 'wat'] as const).map((language) => (
          <button key={language} type="button" onClick={() => startSource({ ...TEMPLATES[language], flags: defaultFlags(language) })}>
            New {LANGUAGE_LABELS[language]} program
          </button>
        ))}
      </div>
      <p className="muted small">Or open a .c, .cpp or .wat file with "Open .wasm…" (any of these), or drop one on the page.</p>
    </div>
  );
}

/** Another extension for the same stem when the language changes (main.c -> main.cpp). */
function renamed(fileName: string, language: SourceLanguage): string {
  if (languageOf(fileName) === language) return fileName;
  const stem = fileName.replace(/\.[^.]*$/, '');
  return `${stem}${language === 'c' ? '.c' : language === 'c++' ? '.cpp' : '.wat'}`;
}

function SourceFlags({ source }: { source: SourceState }) {
  const id = useId();
  const building = usePlayground((s) => s.build.status === 'building');
  const { flags } = source;
  const [extraText, setExtraText] = useState(flags.extra.join(' '));
  const [extraError, setExtraError] = useState<string | null>(null);
  useEffect(() => setExtraText(flags.extra.join(' ')), [flags.extra]);
  const applyExtra = () => {
    const checked = checkFlags({ ...flags, extra: splitFlags(extraText) });
    setExtraError(checked.ok ? null : checked.message.replace(/^flags\.extra\.(\d+): /, (_m, i: string) => `"${splitFlags(extraText)[Number(i)]}": `));
    if (checked.ok) editSource({ flags: checked.flags });
  };
  const isWat = flags.language === 'wat';
  return (
    <div className="source-flags">
      <div className="row source-actions">
        <strong className="module-name">{source.fileName}</strong>
        {source.exampleId !== null && <span className="muted small">{sourceEdited(source) ? 'edited' : 'the example\'s source'}</span>}
        <span className="spacer" />
        <button type="button" className="primary" disabled={building} onClick={() => void import('./build-session.ts').then((b) => b.build())}>
          Build
        </button>
        {source.original !== null && sourceEdited(source) && (
          <button type="button" onClick={resetSource} title="Back to the original source and flags">
            Reset
          </button>
        )}
      </div>
      {!isWat && (
        <div className="row flag-fields">
          <div className="field">
            <label htmlFor={`${id}-lang`}>Language</label>
            <select
              id={`${id}-lang`}
              value={flags.language}
              onChange={(e) => {
                const language = e.target.value as SourceLanguage;
                editSource({ fileName: renamed(source.fileName, language), flags: { ...flags, language, standard: defaultFlags(language).standard } });
              }}
            >
              <option value="c">C</option>
              <option value="c++">C++</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-opt`}>Optimisation</label>
            <select id={`${id}-opt`} value={flags.optimization} onChange={(e) => editSource({ flags: { ...flags, optimization: e.target.value as Optimization } })}>
              {OPTIMIZATIONS.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-std`}>Standard</label>
            <select id={`${id}-std`} value={flags.standard ?? ''} onChange={(e) => editSource({ flags: { ...flags, standard: e.target.value || null } })}>
              <option value="">compiler default</option>
              {STANDARDS[flags.language].map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <div className={`field grow${extraError ? ' invalid' : ''}`}>
            <label htmlFor={`${id}-extra`}>Other flags</label>
            <input
              id={`${id}-extra`}
              className="mono"
              value={extraText}
              spellCheck={false}
              placeholder="-Wall -DN=3 -Wl,-z,stack-size=65536"
              onChange={(e) => setExtraText(e.target.value)}
              onBlur={applyExtra}
              onKeyDown={(e) => e.key === 'Enter' && applyExtra()}
              aria-invalid={extraError !== null}
              aria-describedby={extraError ? `${id}-extra-error` : undefined}
            />
          </div>
        </div>
      )}
      {extraError && (
        <p id={`${id}-extra-error`} className="error small" role="alert">
          {extraError}
        </p>
      )}
      <p className="command-line small">
        <span className="muted">Command: </span>
        <code data-testid="command-line">{commandLine(source.fileName, flags)}</code>
      </p>
    </div>
  );
}

function markerSeverity(d: Diagnostic): monaco.MarkerSeverity {
  return d.severity === 'error' ? monaco.MarkerSeverity.Error : d.severity === 'warning' ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info;
}

/** The editor is reachable from the diagnostics list, to move to a message's line. */
let shownEditor: CodeEditor | null = null;

export function SourceEditor({ source }: { source: SourceState }) {
  const theme = useMonacoTheme();
  const build = usePlayground((s) => s.build);
  const editorRef = useRef<CodeEditor | null>(null);
  const path = `inmemory://kavach/source/${source.exampleId ?? 'own'}/${source.fileName}`;
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    const diagnostics = (build.status === 'failed' || build.status === 'built') && build.fileName === source.fileName ? build.diagnostics : [];
    // A failed build shows its first error's line.
    const first = build.status === 'failed' ? diagnostics.find((d) => d.severity === 'error' && d.line !== null) : undefined;
    if (first) editorRef.current?.revealLineInCenterIfOutsideViewport(first.line!);
    monaco.editor.setModelMarkers(model, 'kavach-build', diagnostics.filter((d) => d.line !== null).map((d) => {
      const line = Math.min(d.line!, model.getLineCount());
      const column = d.column ?? 1;
      const word = model.getWordAtPosition({ lineNumber: line, column });
      return {
        severity: markerSeverity(d),
        message: d.message,
        source: 'clang',
        startLineNumber: line,
        startColumn: column,
        endLineNumber: line,
        endColumn: word && word.startColumn === column ? word.endColumn : Math.max(column + 1, model.getLineMaxColumn(line) > column ? column + 1 : column),
      };
    }));
  }, [build, source.fileName, path]);
  return (
    <>
      <div className="build-editor" data-testid="source-editor">
        <Editor
          language={source.flags.language === 'wat' ? 'wat' : source.flags.language === 'c++' ? 'cpp' : 'c'}
          path={path}
          value={source.text}
          theme={theme}
          onChange={(value) => value !== undefined && value !== usePlayground.getState().source?.text && editSource({ text: value })}
          onMount={(editor) => {
            editorRef.current = editor;
            shownEditor = editor;
            escapeThenTabLeaves(editor);
          }}
          loading={<p className="muted">Loading the editor…</p>}
          options={{
            ...EDITOR_OPTIONS,
            fixedOverflowWidgets: true,
            tabSize: 4,
            ariaLabel: `Source of ${source.fileName}`,
          }}
        />
      </div>
      <p className="editor-keys muted small">{EDITOR_KEYS}</p>
    </>
  );
}

export function SourceBuild() {
  const build = usePlayground((s) => s.build);
  if (build.status === 'idle') return null;
  if (build.status === 'building') return <BuildProgress state={build} />;
  const listed = build.diagnostics.filter((d) => d.severity !== 'note' || d.line !== null);
  return (
    <div className="source-build">
      <BuildLine state={build} />
      {listed.length > 0 && (
        <ul className="diagnostics" aria-label="Compiler messages">
          {listed.map((d, i) => (
            <li key={i} className={d.severity}>
              {d.line !== null ? (
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    shownEditor?.revealLineInCenter(d.line!);
                    shownEditor?.setPosition({ lineNumber: d.line!, column: d.column ?? 1 });
                    shownEditor?.focus();
                  }}
                >
                  line {d.line}:{d.column}
                </button>
              ) : null}{' '}
              <span className="severity">{d.severity}</span>: {d.message}
            </li>
          ))}
        </ul>
      )}
      {build.status === 'failed' && build.log !== '' && (
        <details className="compiler-log">
          <summary>Compiler output</summary>
          <pre tabIndex={0}>{build.log}</pre>
        </details>
      )}
    </div>
  );
}
