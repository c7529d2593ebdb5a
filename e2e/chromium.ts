/**
 * Which Chromium the browser tests use: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else
 * null (Playwright's own download, where one is installed).
 */
import { existsSync } from 'node:fs';

export function chromiumPath(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fromEnv;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return null;
}
