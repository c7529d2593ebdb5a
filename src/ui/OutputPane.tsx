/**
 * Streaming output. Blocks of lines are added to the DOM at most once a frame, as text (never as
 * HTML); the oldest are removed when the log drops them, so megabytes stay fast.
 */
import { useEffect, useRef, useState } from 'react';
import { formatBytes } from './format.ts';
import type { Block } from './output-log.ts';
import { endStdin, output, typeStdin, usePlayground, type PlaygroundState } from './store.ts';

/** Line height of the output text in px, for the size a skipped block is assumed to have. */
const LINE_PX = 18;

/**
 * A complete block out of view is neither laid out nor painted (content-visibility), so megabytes
 * of output stay cheap; its assumed height comes from its line count, so scrolling stays true.
 * The last block, still growing, always renders.
 */
function seal(el: HTMLElement, block: Block): void {
  let lines = 0;
  for (const p of block.parts) for (let i = p.text.indexOf('\n'); i >= 0; i = p.text.indexOf('\n', i + 1)) lines++;
  el.style.contentVisibility = 'auto';
  el.style.containIntrinsicSize = `auto ${Math.max(1, lines) * LINE_PX}px`;
}

/** Text only, never markup: the module's bytes stay characters. */
function span(className: string, text: string): HTMLSpanElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  return el;
}

/**
 * stderr is marked by a bar in the gutter and a tint behind it, which no module output can draw
 * (its ANSI escapes only colour text); each line gets its own span, so a mark never spills onto
 * the next line. The sandbox's own messages get a tag of their own.
 */
function nodesOf(part: Block['parts'][number]): Node[] {
  if (part.stream === 'sandbox') {
    const el = span('sandbox', '');
    el.append(span('sandbox-tag', 'sandbox'), document.createTextNode(part.text.replace(/\n$/, '')));
    return [el];
  }
  if (part.stream === 'stdout') return [part.style === '' ? document.createTextNode(part.text) : span(part.style, part.text)];
  const className = ['stderr', part.style].filter(Boolean).join(' ');
  return part.text.split('\n').flatMap((line, i) => [...(i > 0 ? [document.createTextNode('\n')] : []), ...(line === '' ? [] : [span(className, line)])]);
}

function fill(el: HTMLElement, block: Block): void {
  el.replaceChildren(...block.parts.flatMap(nodesOf));
}

/** What an empty pane says, for the state the run is in. */
function emptyText(s: PlaygroundState): string {
  if (s.run.status === 'idle') return 'Output appears here as the module writes it.';
  if (s.run.status === 'running') return 'Waiting for output…';
  const gate = s.run.report.ok ? s.run.report.result.gate : null;
  if (gate && (gate.verdict === 'block' || gate.verdict === 'quarantine')) return 'Output withheld by the output gate: see the result above.';
  return 'The run wrote nothing to stdout or stderr.';
}

export function OutputPane() {
  const placeholder = usePlayground(emptyText);
  const pre = useRef<HTMLPreElement>(null);
  const [dropped, setDropped] = useState(0);
  const [empty, setEmpty] = useState(true);
  useEffect(() => {
    const el = pre.current!;
    /** Elements for the blocks on screen, oldest first. */
    let nodes: { id: number; node: HTMLElement; closed: boolean }[] = [];
    let generation = -1;
    let frame = 0;
    let atBottom = true;
    const onScroll = () => {
      atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    };
    const render = () => {
      frame = 0;
      if (generation !== output.generation) {
        generation = output.generation;
        el.replaceChildren();
        nodes = [];
      }
      const blocks = output.visible;
      const firstId = blocks.length > 0 ? blocks[0].id : Infinity;
      let gone = 0;
      while (gone < nodes.length && nodes[gone].id < firstId) nodes[gone++].node.remove();
      if (gone > 0) nodes = nodes.slice(gone);
      // The last block on screen may have grown since.
      const tail = nodes[nodes.length - 1];
      if (tail && !tail.closed) {
        const block = blocks.find((b) => b.id === tail.id);
        if (block) fill(tail.node, block);
        tail.closed = output.isClosed(tail.id);
        if (block && tail.closed) seal(tail.node, block);
      }
      const lastId = tail ? tail.id : -1;
      const fragment = document.createDocumentFragment();
      for (const block of blocks) {
        if (block.id <= lastId) continue;
        const node = document.createElement('div');
        node.className = 'block';
        fill(node, block);
        const closed = output.isClosed(block.id);
        if (closed) seal(node, block);
        fragment.appendChild(node);
        nodes.push({ id: block.id, node, closed });
      }
      el.appendChild(fragment);
      if (atBottom) el.scrollTop = el.scrollHeight;
      setDropped(output.dropped);
      setEmpty(blocks.length === 0);
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(render);
    };
    render();
    el.addEventListener('scroll', onScroll, { passive: true });
    const unsubscribe = output.subscribe(schedule);
    return () => {
      unsubscribe();
      el.removeEventListener('scroll', onScroll);
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, []);
  return (
    <div className="output">
      {dropped > 0 && (
        <p className="note" role="note">
          {formatBytes(dropped)} of earlier output is not shown (the pane keeps the last {formatBytes(output.capacity)}); Download stdout in the result has all of it.
        </p>
      )}
      <pre ref={pre} className="output-text" role="log" aria-live="off" aria-label="Output" tabIndex={0} data-empty={empty ? placeholder : undefined} />
      <LiveStdin />
      <p className="legend" aria-hidden="true">
        <span className="swatch stdout" /> stdout <span className="swatch stderr" /> stderr <span className="sandbox-tag">sandbox</span> the sandbox's own message
      </p>
    </div>
  );
}

/** A line to type into the running module's stdin; shown only when the page is isolated. */
function LiveStdin() {
  const live = usePlayground((s) => s.run.status === 'running' && s.run.liveStdin);
  const [line, setLine] = useState('');
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    if (live) setEnded(false);
  }, [live]);
  if (!live) return null;
  return (
    <form
      className="stdin-line"
      onSubmit={(e) => {
        e.preventDefault();
        typeStdin(line + '\n');
        setLine('');
      }}
    >
      <input
        aria-label="Type to stdin"
        placeholder={ended ? 'input ended' : 'type a line for the module, Enter sends it'}
        value={line}
        disabled={ended}
        onChange={(e) => setLine(e.target.value)}
      />
      <button type="submit" disabled={ended}>Send</button>
      <button type="button" disabled={ended} onClick={() => { endStdin(); setEnded(true); }}>End input</button>
    </form>
  );
}
