/**
 * The policy as JSON in Monaco (loaded lazily). Every keystroke goes through the core's loader;
 * its errors and warnings become markers at their JSON paths.
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import type { PolicyIssue } from '../core/index.ts';
import { locatePath, syntaxErrorOffset } from './json-locate.ts';
import { EDITOR_KEYS, EDITOR_OPTIONS, escapeThenTabLeaves, monaco, POLICY_MODEL_URI } from './monaco-setup.ts';
import { useMonacoTheme } from './monaco-theme.ts';
import { run, setPolicyText, usePlayground } from './store.ts';

type Editor = Parameters<OnMount>[0];

function markersFor(model: monaco.editor.ITextModel, errors: PolicyIssue[], warnings: PolicyIssue[]): monaco.editor.IMarkerData[] {
  const text = model.getValue();
  const toMarker = (issue: PolicyIssue, severity: monaco.MarkerSeverity): monaco.editor.IMarkerData | null => {
    let start = 0;
    let end = text.length;
    if (issue.path === '' && issue.message.startsWith('not valid JSON')) {
      const at = syntaxErrorOffset(issue.message);
      if (at === null) return null; // Monaco's JSON mode marks syntax errors itself
      start = at;
      end = Math.min(text.length, at + 1);
    } else {
      const span = locatePath(text, issue.path);
      if (span) ({ start, end } = span);
    }
    const from = model.getPositionAt(start);
    const to = model.getPositionAt(end);
    return {
      severity,
      message: issue.path ? `${issue.path}: ${issue.message}` : issue.message,
      source: 'kavach',
      startLineNumber: from.lineNumber,
      startColumn: from.column,
      endLineNumber: to.lineNumber,
      endColumn: to.column,
    };
  };
  return [
    ...errors.map((e) => toMarker(e, monaco.MarkerSeverity.Error)),
    ...warnings.map((w) => toMarker(w, monaco.MarkerSeverity.Warning)),
  ].filter((m): m is monaco.editor.IMarkerData => m !== null);
}

export default function PolicyJsonEditor() {
  const text = usePlayground((s) => s.policy.text);
  const errors = usePlayground((s) => s.policy.errors);
  const warnings = usePlayground((s) => s.policy.warnings);
  const editorRef = useRef<Editor | null>(null);
  const theme = useMonacoTheme();

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) monaco.editor.setModelMarkers(model, 'kavach', markersFor(model, errors, warnings));
  }, [errors, warnings, text]);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, run);
    escapeThenTabLeaves(editor);
    const model = editor.getModel();
    const { policy } = usePlayground.getState();
    if (model) monaco.editor.setModelMarkers(model, 'kavach', markersFor(model, policy.errors, policy.warnings));
  };

  return (
    <div className="json-editor-box">
      <p className="editor-keys muted small">Hover a field for what it does; Ctrl+Space lists the fields. {EDITOR_KEYS}</p>
      <div className="json-editor" data-testid="policy-json-editor">
        <Editor
          language="json"
          path={POLICY_MODEL_URI}
          value={text}
          theme={theme}
          onChange={(value) => value !== undefined && value !== usePlayground.getState().policy.text && setPolicyText(value)}
          onMount={onMount}
          loading={<p className="muted">Loading the editor…</p>}
          options={{
            ...EDITOR_OPTIONS,
            tabSize: 2,
            wordWrap: 'on',
            fixedOverflowWidgets: true,
            ariaLabel: 'Policy JSON',
          }}
        />
      </div>
    </div>
  );
}
