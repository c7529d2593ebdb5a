/** The examples' sources, each a small chunk of its own, fetched when first needed. */
const SOURCES = import.meta.glob<string>('../../examples/src/*.{c,wat}', { query: '?raw', import: 'default' });

/** `path` is the catalog's path from the repository root, e.g. "examples/src/hello.c". */
export function exampleSourceText(path: string): Promise<string> {
  const load = SOURCES[`../../${path}`];
  return load ? load() : Promise.reject(new Error(`${path} is not bundled with the page`));
}
