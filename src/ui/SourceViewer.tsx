/**
 * An example's source, read-only in Monaco. Loaded lazily with Monaco; each source is a small
 * chunk of its own, fetched when it is first shown.
 */
import Editor from '@monaco-editor/react';
import { useEffect, useState } from 'react';
import { useMonacoTheme } from './monaco-theme.ts';
import { EDITOR_KEYS, escapeThenTabLeaves } from './monaco-setup.ts';

const SOURCES = import.meta.glob<string>('../../examples/src/*.{c,wat}', { query: '?raw', import: 'default' });

/** `source` is the catalog's path from the repository root, e.g. "examples/src/hello.c". */
export default function SourceViewer({ source }: { source: string }) {
  const theme = useMonacoTheme();
  const [loaded, setLoaded] = useState<{ source: string; text: string } | null>(null);
  useEffect(() => {
    let live = true;
    const load = SOURCES[`../../${source}`];
    const text = load ? load() : Promise.resolve(`// ${source} is not bundled with the page`);
    void text.then((t) => live && setLoaded({ source, text: t }));
    return () => {
      live = false;
    };
  }, [source]);
  const text = loaded?.source === source ? loaded.text : null;
  if (text === null) return <p className="muted pad">Loading {source}…</p>;
  return (
    <>
      <p className="editor-keys muted small">{EDITOR_KEYS}</p>
      <div className="source-editor" data-testid="source-viewer">
        <Editor
          onMount={escapeThenTabLeaves}
          language={source.endsWith('.wat') ? 'wat' : 'c'}
          path={`inmemory://kavach/${source}`}
          value={text}
          theme={theme}
          loading={<p className="muted pad">Loading the editor…</p>}
          options={{
            readOnly: true,
            domReadOnly: true,
            minimap: { enabled: false },
            fontSize: 12.5,
            lineNumbersMinChars: 3,
            scrollBeyondLastLine: false,
            automaticLayout: true,
            wordWrap: 'on',
            renderLineHighlight: 'none',
            ariaLabel: `Source of ${source.split('/').pop()}`,
          }}
        />
      </div>
    </>
  );
}
