/**
 * The output pane's memory: chunks of decoded text per stream, capped so megabytes of output keep
 * the page fast. Oldest chunks go first; the count of characters dropped is kept for the note.
 */
export type Stream = 'stdout' | 'stderr';

export interface Chunk {
  /** Increases by one per chunk, so a view can tell which chunks are new and which are gone. */
  id: number;
  stream: Stream;
  text: string;
}

export const DEFAULT_CAP_CHARS = 256 * 1024;

export class OutputLog {
  private chunks: Chunk[] = [];
  private nextId = 0;
  private chars = 0;
  private droppedChars = 0;
  private decoders: Record<Stream, TextDecoder> = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private listeners = new Set<() => void>();
  /** Bumped by clear(), so a view knows to start over. */
  generation = 0;

  constructor(private readonly capChars = DEFAULT_CAP_CHARS) {}

  /** Bytes as the module wrote them; split UTF-8 sequences are joined across chunks. */
  appendBytes(stream: Stream, bytes: Uint8Array): void {
    this.append(stream, this.decoders[stream].decode(bytes, { stream: true }));
  }

  append(stream: Stream, text: string): void {
    if (text === '') return;
    if (text.length > this.capChars) {
      this.droppedChars += text.length - this.capChars;
      text = text.slice(-this.capChars);
    }
    this.chunks.push({ id: this.nextId++, stream, text });
    this.chars += text.length;
    let drop = 0;
    while (this.chars > this.capChars && drop < this.chunks.length - 1) {
      this.chars -= this.chunks[drop].text.length;
      this.droppedChars += this.chunks[drop].text.length;
      drop++;
    }
    if (drop > 0) this.chunks = this.chunks.slice(drop);
    this.notify();
  }

  /** Flush what the decoders hold back (an incomplete UTF-8 sequence at the end of output). */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) this.append(stream, this.decoders[stream].decode());
  }

  clear(): void {
    this.chunks = [];
    this.chars = 0;
    this.droppedChars = 0;
    this.decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    this.generation++;
    this.notify();
  }

  get visible(): readonly Chunk[] {
    return this.chunks;
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

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
