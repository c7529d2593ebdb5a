/**
 * An example's source, read-only in Monaco (editing happens in the playground's Source tab).
 * Loaded lazily with Monaco; each source is a small chunk of its own, fetched when first shown.
 */
import Editor from '@monaco-editor/react';
import { useEffect, useState } from 'react';
import { exampleSourceText } from './example-sources.ts';
import { useMonacoTheme } from './monaco-theme.ts';
import { EDITOR_KEYS, EDITOR_OPTIONS, escapeThenTabLeaves } from './monaco-setup.ts';

/**
 * `source` is the catalog's path from the repository root, e.g. "examples/src/hello.c"; `edited`
 * is the text being edited in the playground, shown instead of the original.
 */
export default function SourceViewer({ source, edited = null }: { source: string; edited?: string | null }) {
  const theme = useMonacoTheme();
  const [loaded, setLoaded] = useState<{ source: string; text: string } | null>(null);
  useEffect(() => {
    let live = true;
    void exampleSourceText(source).catch((e: Error) => `// ${e.message}`).then((t) => live && setLoaded({ source, text: t }));
    return () => {
      live = false;
    };
  }, [source]);
  const text = edited ?? (loaded?.source === source ? loaded.text : null);
  if (text === null) return <p className="muted pad">Loading {source}…</p>;
  return (
    <>
      <p className="editor-keys muted small">{EDITOR_KEYS}</p>
      <div className="source-editor" data-testid="source-viewer">
        <Editor
          onMount={escapeThenTabLeaves}
          language={source.endsWith('.wat') ? 'wat' : 'c'}
          path={`inmemory://kavach/${source}${edited === null ? '' : '#edited'}`}
          value={text}
          theme={theme}
          loading={<p className="muted pad">Loading the editor…</p>}
          options={{
            ...EDITOR_OPTIONS,
            readOnly: true,
            domReadOnly: true,
            wordWrap: 'on',
            renderLineHighlight: 'none',
            ariaLabel: `Source of ${source.split('/').pop()}`,
          }}
        />
      </div>
    </>
  );
}
