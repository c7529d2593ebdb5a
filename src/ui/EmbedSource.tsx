/** The embed's source: the editor, the command line, and what the build said (with Monaco, lazily). */
import { commandLine } from '../core/index.ts';
import { SourceBuild, SourceEditor, useSource } from './SourcePanel.tsx';

export default function EmbedSource() {
  const { source } = useSource();
  if (source === null) return <p className="muted">Loading the source…</p>;
  return (
    <div className="embed-source">
      <p className="command-line small">
        <strong className="module-name">{source.fileName}</strong> <span className="muted">built with</span>{' '}
        <code data-testid="command-line">{commandLine(source.fileName, source.flags)}</code>
      </p>
      <SourceBuild />
      <SourceEditor source={source} />
    </div>
  );
}
