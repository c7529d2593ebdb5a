/** Save bytes as a file the person downloads. */
export function download(name: string, data: Uint8Array | string, type = 'application/octet-stream'): void {
  const blob = new Blob([typeof data === 'string' ? data : new Uint8Array(data)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A name for something a run produced: the module's name, what it is, and when the run started
 * (local time), e.g. "loop-stdout-2026-12-03-140509.txt".
 */
export function runFileName(moduleName: string, what: string, extension: string, startedAt: number): string {
  const stem = moduleName.replace(/\.wasm$/i, '').replace(/[^\w.-]+/g, '_') || 'module';
  const d = new Date(startedAt);
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
  return `${stem}-${what}-${stamp}.${extension}`;
}

export function baseName(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? 'file';
}
