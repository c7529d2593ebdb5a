// Fails the browser tests early, with the fix, when no Chromium can be found. Never skips.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter(Boolean);
const found = candidates.find((p) => existsSync(p));
let bundled = null;
try {
  bundled = chromium.executablePath();
} catch {
  bundled = null;
}
if (process.env.CHROMIUM_PATH && !existsSync(process.env.CHROMIUM_PATH)) {
  console.error(`CHROMIUM_PATH is set to ${process.env.CHROMIUM_PATH}, which does not exist.`);
  process.exit(1);
}
if (!found && !(bundled && existsSync(bundled))) {
  console.error([
    'No Chromium found for the browser tests.',
    '  Debian/Ubuntu:  apt-get install -y chromium      (the tests use /usr/bin/chromium)',
    '  elsewhere:      npx playwright install chromium  (Playwright\'s own build)',
    '  or point CHROMIUM_PATH at a Chromium or Chrome binary.',
  ].join('\n'));
  process.exit(1);
}
console.log(`browser tests use ${found ?? bundled}`);
