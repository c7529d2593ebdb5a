/** One benchmark figure. `ratio` figures compare against a baseline measured in the same run. */
export interface Figure {
  name: string;
  value: number;
  unit: 'µs' | 'ms' | 'ratio' | 'MB/s' | '%' | 'KB' | 'MiB' | 'count';
  /** Human-readable target, e.g. "<= 1.15"; omitted when the figure is informational. */
  target?: string;
  /** Whether the figure meets its target (undefined when there is no target). */
  ok?: boolean;
  note?: string;
}

export interface Section {
  title: string;
  /** Where it ran: "Node 20.20.2" or "Chromium 156". */
  runtime: string;
  figures: Figure[];
}

/** A suite is a module under bench/suites/ exporting `run`. */
export type Suite = () => Promise<Section[]>;
