/**
 * Streaming output. Chunks are added to the DOM as text nodes at most once a frame (never as
 * HTML), and the oldest are removed when the log drops them, so megabytes stay fast.
 */
import { useEffect, useRef, useState } from 'react';
import { output } from './store.ts';
import { formatBytes } from './format.ts';

export function OutputPane() {
  const pre = useRef<HTMLPreElement>(null);
  const [dropped, setDropped] = useState(0);
  const [empty, setEmpty] = useState(true);
  useEffect(() => {
    const el = pre.current!;
    /** DOM nodes for the chunks on screen, oldest first, with their chunk ids. */
    let nodes: { id: number; node: Node }[] = [];
    let generation = -1;
    let frame = 0;
    const render = () => {
      frame = 0;
      const stick = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      if (generation !== output.generation) {
        generation = output.generation;
        el.replaceChildren();
        nodes = [];
      }
      const chunks = output.visible;
      const firstId = chunks.length > 0 ? chunks[0].id : Infinity;
      let gone = 0;
      while (gone < nodes.length && nodes[gone].id < firstId) el.removeChild(nodes[gone++].node);
      if (gone > 0) nodes = nodes.slice(gone);
      const lastId = nodes.length > 0 ? nodes[nodes.length - 1].id : -1;
      const fragment = document.createDocumentFragment();
      for (const chunk of chunks) {
        if (chunk.id <= lastId) continue;
        let node: Node;
        if (chunk.stream === 'stderr') {
          const span = document.createElement('span');
          span.className = 'stderr';
          span.textContent = chunk.text;
          node = span;
        } else {
          node = document.createTextNode(chunk.text);
        }
        fragment.appendChild(node);
        nodes.push({ id: chunk.id, node });
      }
      el.appendChild(fragment);
      if (stick) el.scrollTop = el.scrollHeight;
      setDropped(output.dropped);
      setEmpty(chunks.length === 0);
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(render);
    };
    render();
    const unsubscribe = output.subscribe(schedule);
    return () => {
      unsubscribe();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, []);
  return (
    <div className="output">
      <span className="legend" aria-hidden="true">
        <span className="swatch stdout" /> stdout <span className="swatch stderr" /> stderr
      </span>
      {dropped > 0 && (
        <p className="note" role="note">
          {formatBytes(dropped)} of earlier output is not shown here (only the last {formatBytes(output.capacity)} are); download the full output from the result.
        </p>
      )}
      <pre ref={pre} className="output-text" role="log" aria-live="off" aria-label="Output" tabIndex={0} data-empty={empty || undefined} />
    </div>
  );
}
