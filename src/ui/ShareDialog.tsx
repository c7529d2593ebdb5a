/**
 * Share and export: a link holding the whole setup (never a secret value), the policy in other
 * tools' formats with what each cannot say, and importing any of them back. Loaded on first use.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { EXPORT_FORMATS, FORMAT_LABELS, SHARE_LINK_WARN_CHARS, exportAs, importAny, type EncodeResult, type ExportFormat } from '../core/index.ts';
import { download, runFileName } from './download.ts';
import { withArticle } from './format.ts';
import type { PolicyDoc } from './policy-doc.ts';
import { embedUrl, iframeSnippet, makeShareLink, openLink, openSource, type Carry } from './share-session.ts';
import { expectModule, loadExample, setLinkNotice, setModule, setPolicyDocument, usePlayground } from './store.ts';

export default function ShareDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current!;
    el.showModal();
    return () => el.close();
  }, []);
  return (
    <dialog ref={dialog} className="share-dialog" aria-labelledby="share-title" onClose={onClose} onCancel={onClose}>
      <div className="dialog-header">
        <h2 id="share-title">Share and export</h2>
        <button type="button" className="small" onClick={onClose} aria-label="Close">
          Close
        </button>
      </div>
      <ShareLink />
      <Export />
      <Import onDone={onClose} />
    </dialog>
  );
}

function ShareLink() {
  const [omitFiles, setOmitFiles] = useState(false);
  const [carry, setCarry] = useState<Carry>('source');
  const [link, setLink] = useState<EncodeResult | null>(null);
  const [copied, setCopied] = useState(false);
  const policyText = usePlayground((s) => s.policy.text);
  const module = usePlayground((s) => s.module);
  const source = usePlayground((s) => s.source);
  const id = useId();
  useEffect(() => {
    let live = true;
    setCopied(false);
    void makeShareLink(omitFiles, carry).then((r) => live && setLink(r));
    return () => {
      live = false;
    };
  }, [omitFiles, carry, policyText, module, source]);
  return (
    <section aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Share link</h3>
      <p className="muted small">
        The setup lives in the part after "#", which browsers never send to a server. Secret values are never in it; a module over 4 KB is named by its
        SHA-256 and the person opening the link is asked for the file.
      </p>
      {link === null ? (
        <p className="muted">Making the link…</p>
      ) : link.ok ? (
        <>
          <div className="row">
            <input className="mono grow" readOnly value={link.url} aria-label="Share link" onFocus={(e) => e.target.select()} />
            <button
              type="button"
              className="small"
              onClick={() => {
                void navigator.clipboard?.writeText(link.url).then(() => setCopied(true), () => setCopied(false));
                history.replaceState(null, '', link.url);
              }}
            >
              {copied ? 'Copied' : 'Copy link'}
            </button>
          </div>
          <p className={`small ${link.tooLong ? 'warn-text' : 'muted'}`}>
            {link.length.toLocaleString('en-US')} characters
            {link.tooLong && ` — longer than ${SHARE_LINK_WARN_CHARS.toLocaleString('en-US')}, which chat tools and mail clients may cut`}
            {link.tooLong && link.files.length > 0 && '; leaving out the mount files shortens it'}
          </p>
        </>
      ) : (
        <p className="error">{link.message}</p>
      )}
      {source !== null && (
        <fieldset className="carry">
          <legend className="small">The link carries</legend>
          <label className="check">
            <input type="radio" name={`${id}-carry`} checked={carry === 'source'} onChange={() => setCarry('source')} />
            the source {source.fileName}, compressed, with its flags and compiler (built when Run is pressed)
          </label>
          <label className="check">
            <input type="radio" name={`${id}-carry`} checked={carry === 'module'} disabled={module === null} onChange={() => setCarry('module')} />
            the built module{module === null ? ' (not built yet)' : ` ${module.name}`}
          </label>
        </fieldset>
      )}
      <label className="check">
        <input type="checkbox" checked={omitFiles} onChange={(e) => setOmitFiles(e.target.checked)} />
        Leave out the mount files
      </label>
      {link?.ok && <EmbedSnippet url={link.url} title={source?.fileName ?? module?.name ?? 'Kavach Playground'} />}
    </section>
  );
}

/** The setup as a compact view for a course page: an iframe that runs nothing until its Run is pressed. */
function EmbedSnippet({ url, title }: { url: string; title: string }) {
  const id = useId();
  const snippet = iframeSnippet(url, `${title} in Kavach Playground`);
  return (
    <div className="embed-snippet">
      <h4 id={`${id}-h`}>Embed in a page</h4>
      <p className="muted small">
        A compact view of this setup (the source or module, the policy in one line with its score, Run and Stop, the output and the outcome) for an
        iframe. It needs no special headers and runs nothing until its Run button is pressed. Keep allow-same-origin in the sandbox: browsers give a frame
        without an origin no workers.{' '}
        <a href={embedUrl(url)} target="_blank" rel="noopener">
          Open the embed view
        </a>
      </p>
      <div className="row">
        <textarea className="mono grow" rows={3} readOnly value={snippet} aria-labelledby={`${id}-h`} onFocus={(e) => e.target.select()} />
        <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(snippet)}>
          Copy
        </button>
      </div>
    </div>
  );
}

function Export() {
  const [format, setFormat] = useState<ExportFormat>('wasmtime');
  const config = usePlayground((s) => s.policy.config);
  const module = usePlayground((s) => s.module);
  const id = useId();
  const result = exportAs(format, config, { moduleName: module?.name });
  const extension = result.text.trimStart().startsWith('{') ? 'json' : 'txt';
  return (
    <section aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Export the policy</h3>
      <div className="row">
        <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
          {EXPORT_FORMATS.map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
        <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(result.text)}>
          Copy
        </button>
        <button type="button" className="small" onClick={() => download(runFileName(module?.name ?? 'sandbox', `policy-${format}`, extension, Date.now()), result.text, 'text/plain')}>
          Download
        </button>
      </div>
      {result.analogy && <p className="warn-text small">An analogy only: these flags describe what a host process may touch, not this sandbox.</p>}
      <pre className="export-text" role="group" aria-label="Exported policy" tabIndex={0}>
        {result.text}
      </pre>
      {result.lossy.length > 0 && (
        <div className="lossy">
          <strong>Not expressed in this format:</strong>
          <ul>
            {result.lossy.map((l, i) => (
              <li key={i}>{l}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function Import({ onDone }: { onDone: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const apply = async () => {
    const trimmed = text.trim();
    if (trimmed.includes('#v') && !trimmed.startsWith('{')) {
      // A share link: restore it as opening it would.
      if (await openLink(trimmed.slice(trimmed.indexOf('#')))) onDone();
      else setError(usePlayground.getState().linkNotice?.text ?? 'not a share link');
      return;
    }
    const result = await importAny(trimmed);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setPolicyDocument(result.document as PolicyDoc);
    const m = result.module;
    const notes = [...result.warnings];
    if (m?.kind === 'example') await loadExample(m.id, { keepPolicy: true });
    else if (m?.kind === 'inline') setModule(m.name, m.bytes);
    else if (m?.kind === 'hash') expectModule(m);
    else if (m?.kind === 'source') openSource(m);
    else if (m?.kind === 'named') {
      // The module it names is not here: the one loaded before must not run under this policy.
      expectModule(null);
      notes.push(`it names the module ${m.name} (${m.path}): choose that file`);
    }
    // A kavach document read with the playground's defaults, where kavach's differ: said, field by field.
    const otherwise = result.kavachReadsOtherwise;
    setLinkNotice({
      kind: 'info',
      text: `Imported ${withArticle(FORMAT_LABELS[result.format])}.${notes.length ? ` Note: ${notes.join('; ')}.` : ''}${otherwise.length ? ' kavach would read it otherwise:' : ''}`,
      items: otherwise,
    });
    onDone();
  };
  return (
    <section aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>Import</h3>
      <p className="muted small">Paste a kavach SandboxConfig or SandboxPolicy, an Extism manifest, a wasmtime command line, a playground document or a share link.</p>
      <textarea className="mono" rows={4} aria-label="Text to import" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="small" disabled={text.trim() === ''} onClick={() => void apply()}>
        Import
      </button>
    </section>
  );
}
