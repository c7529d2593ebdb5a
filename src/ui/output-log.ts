/**
 * The output pane's memory: decoded text in blocks of whole lines, capped so megabytes of output
 * keep the page fast. A view renders each block as its own element, so appending or dropping a
 * block never re-lays out the others; the oldest blocks go first, and what was dropped is counted.
 */
import { AnsiParser } from './ansi.ts';

export type Stream = 'stdout' | 'stderr';

export interface Part {
  /** The module's stdout or stderr, or a message of the sandbox's own (shown apart from both). */
  stream: Stream | 'sandbox';
  text: string;
  /** CSS classes from ANSI colour codes, "" for none. */
  style: string;
}

export interface Block {
  /** Increases by one per block, so a view can tell which blocks are new and which are gone. */
  id: number;
  parts: Part[];
  chars: number;
}

export const DEFAULT_CAP_CHARS = 512 * 1024;
/** A block closes at the first line end past this size (or, for one endless line, at 16x it). */
const BLOCK_CHARS = 4 * 1024;

export class OutputLog {
  private blocks: Block[] = [];
  private nextId = 0;
  /** Blocks with an id up to this one are complete. */
  private closedUpTo = -1;
  private chars = 0;
  private droppedChars = 0;
  private decoders: Record<Stream, TextDecoder> = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private ansi: Record<Stream, AnsiParser> = { stdout: new AnsiParser(), stderr: new AnsiParser() };
  private listeners = new Set<() => void>();
  /** Bumped by clear(), so a view knows to start over. */
  generation = 0;
  /** Bumped whenever the last (open) block changes, so a view re-renders it. */
  revision = 0;

  constructor(private readonly capChars = DEFAULT_CAP_CHARS) {}

  /** Bytes as the module wrote them; UTF-8 sequences split across chunks are joined. */
  appendBytes(stream: Stream, bytes: Uint8Array): void {
    this.append(stream, this.decoders[stream].decode(bytes, { stream: true }));
  }

  append(stream: Stream, raw: string): void {
    for (const { text, style } of this.ansi[stream].push(raw)) this.appendStyled(stream, text, style);
    this.trim();
    this.revision++;
    this.notify();
  }

  /** A message from the sandbox itself (the host), never parsed for ANSI: it is not the module's. */
  appendSandbox(text: string): void {
    this.appendStyled('sandbox', text, '');
    this.trim();
    this.revision++;
    this.notify();
  }

  private appendStyled(stream: Part['stream'], text: string, style: string): void {
    if (text === '') return;
    if (text.length > this.capChars) {
      this.droppedChars += text.length - this.capChars;
      text = text.slice(-this.capChars);
    }
    while (text.length > 0) {
      const block = this.openBlock();
      // Take up to the first line end past the block size, so lines never straddle two blocks.
      const room = BLOCK_CHARS - block.chars;
      let take = text.length;
      if (text.length > room) {
        const nl = text.indexOf('\n', Math.max(0, room - 1));
        take = nl >= 0 ? nl + 1 : Math.min(text.length, Math.max(room, 0) + BLOCK_CHARS * 15);
      }
      const piece = text.slice(0, take);
      text = text.slice(take);
      const last = block.parts[block.parts.length - 1];
      if (last && last.stream === stream && last.style === style) last.text += piece;
      else block.parts.push({ stream, text: piece, style });
      block.chars += piece.length;
      this.chars += piece.length;
      if (block.chars >= BLOCK_CHARS && piece.endsWith('\n')) this.close(block);
      else if (block.chars >= BLOCK_CHARS * 16) this.close(block);
    }
  }

  /** Flush what the decoders hold back (an incomplete UTF-8 sequence at the end of output). */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) this.append(stream, this.decoders[stream].decode());
  }

  clear(): void {
    this.blocks = [];
    this.closedUpTo = -1;
    this.chars = 0;
    this.droppedChars = 0;
    this.decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    this.ansi = { stdout: new AnsiParser(), stderr: new AnsiParser() };
    this.generation++;
    this.revision++;
    this.notify();
  }

  /** The blocks kept, oldest first; the last may still grow. */
  get visible(): readonly Block[] {
    return this.blocks;
  }

  /** Whether block `id` is complete (will not change any more). */
  isClosed(id: number): boolean {
    return id <= this.closedUpTo;
  }

  get dropped(): number {
    return this.droppedChars;
  }

  get capacity(): number {
    return this.capChars;
  }

  get size(): number {
    return this.chars;
  }

  /** All kept text (for tests and copying). */
  text(): string {
    return this.blocks.map((b) => b.parts.map((p) => p.text).join('')).join('');
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private openBlock(): Block {
    const last = this.blocks[this.blocks.length - 1];
    if (last && !this.isClosed(last.id)) return last;
    const block: Block = { id: this.nextId++, parts: [], chars: 0 };
    this.blocks.push(block);
    return block;
  }

  private close(block: Block): void {
    this.closedUpTo = block.id;
  }

  private trim(): void {
    let drop = 0;
    while (this.chars > this.capChars && drop < this.blocks.length - 1) {
      this.chars -= this.blocks[drop].chars;
      this.droppedChars += this.blocks[drop].chars;
      drop++;
    }
    if (drop > 0) this.blocks = this.blocks.slice(drop);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
