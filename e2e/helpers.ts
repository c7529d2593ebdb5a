/** Shared steps for the browser tests: open the page with a network guard, load modules, run. */
import { readFileSync } from 'node:fs';
import { expect, type Page, type Request } from '@playwright/test';
import wabt from 'wabt';

export const HELLO_BYTES = readFileSync(new URL('../public/examples/hello.wasm', import.meta.url));

/** A fuel rate as the page keeps it after measuring (4 billion units a second). */
export const KEPT_FUEL_RATE = { fuelPerSecond: 4e9, measuredAt: Date.UTC(2026, 0, 1) };

/**
 * Open the playground (at `address`, by default the test server's root) and record every request;
 * `outside()` lists those for another host, which are also refused so none ever leaves. The page
 * finds a fuel rate kept from an earlier visit, so it does not spend a core measuring one while a
 * test runs, unless `measureFuelRate` is set. It is ready when `expectText` (the module's name,
 * hello.wasm by default) shows.
 */
export async function openPlayground(page: Page, options: { address?: string; measureFuelRate?: boolean; expectText?: string } = {}): Promise<{ outside: () => string[]; errors: () => string[] }> {
  const outside: string[] = [];
  const errors: string[] = [];
  const check = (url: string) => {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
    return u.hostname === '127.0.0.1';
  };
  await page.route('**', (route) => {
    if (check(route.request().url())) return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  page.on('request', (r: Request) => {
    if (!check(r.url()) && !outside.includes(r.url())) outside.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  if (!options.measureFuelRate) {
    await page.addInitScript((kept) => {
      if (localStorage.getItem('kavach-fuel-rate') === null) localStorage.setItem('kavach-fuel-rate', kept);
    }, JSON.stringify(KEPT_FUEL_RATE));
  }
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
  });
  await page.goto(options.address ?? '/');
  await expect(page.getByText(options.expectText ?? 'hello.wasm', { exact: true }).first()).toBeVisible();
  return { outside: () => outside, errors: () => errors };
}

/** Content-Security-Policy violations the page has reported so far. */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

export async function chooseExample(page: Page, title: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Examples' }).selectOption({ label: title });
}

export const output = (page: Page) => page.getByRole('log', { name: 'Output' });
/** The timeout, fuel and memory cap, beside Run. */
export const limits = (page: Page) => page.getByRole('group', { name: 'Limits' });
export const result = (page: Page) => page.getByRole('region', { name: 'Result' });

/** Open the Share dialog, read the link it offers, close it. */
export async function shareLink(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Share / export' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share and export' });
  const link = dialog.getByRole('textbox', { name: 'Share link' });
  await expect(link).toHaveValue(/#v\d+\./);
  const url = await link.inputValue();
  await dialog.getByRole('button', { name: 'Close' }).click();
  return url;
}

/** Change the "Arguments and environment" example's setup (a timeout, an argument); its share link. */
export async function shareChangedSetup(page: Page): Promise<string> {
  await chooseExample(page, 'Arguments and environment');
  const policyForm = page.getByRole('form', { name: 'Policy form' });
  await limits(page).getByLabel('Timeout (timeout_ms)').fill('4321');
  await policyForm.getByLabel('Argument 1', { exact: true }).fill('from-the-link');
  return shareLink(page);
}

/** A page opened at a link from `shareChangedSetup`: the setup is back, and nothing has run. */
export async function expectChangedSetupRestored(page: Page): Promise<void> {
  await expect(page.getByText('args_env.wasm', { exact: true })).toBeVisible();
  const form = page.getByRole('form', { name: 'Policy form' });
  await expect(limits(page).getByLabel('Timeout (timeout_ms)')).toHaveValue('4321');
  await expect(form.getByLabel('Argument 1', { exact: true })).toHaveValue('from-the-link');
  await expect(page.getByText('Nothing runs until you press Run')).toBeVisible();
  await expect(result(page)).toContainText('press Run');
  await expect(output(page)).not.toContainText('from-the-link');
}

/** Press Run and wait until the run has ended. */
export async function runToEnd(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Stop', exact: true })).toBeDisabled({ timeout: 30_000 });
}

/** A WASI module from WAT text, compiled with wabt. */
export async function watToWasm(wat: string): Promise<Uint8Array> {
  const w = await wabt();
  const module = w.parseWat('test.wat', wat);
  try {
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

/** A module that writes `text` to stdout and exits 0. */
export function printingModule(text: string): Promise<Uint8Array> {
  return writingModule([[1, text]]);
}

/** A module that writes each text to its descriptor (1 stdout, 2 stderr), in order, and exits 0. */
export function writingModule(writes: [fd: 1 | 2, text: string][]): Promise<Uint8Array> {
  let at = 64;
  const data: string[] = [];
  const calls: string[] = [];
  for (const [fd, text] of writes) {
    const bytes = Buffer.from(text, 'utf8');
    data.push(`(data (i32.const ${at}) "${[...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}")`);
    calls.push(`(i32.store (i32.const 0) (i32.const ${at})) (i32.store (i32.const 4) (i32.const ${bytes.length}))
        (drop (call $fd_write (i32.const ${fd}) (i32.const 0) (i32.const 1) (i32.const 8)))`);
    at += bytes.length;
  }
  return watToWasm(`
    (module
      (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      ${data.join('\n      ')}
      (func (export "_start")
        ${calls.join('\n        ')}))`);
}

/** The JSON editor (Monaco), opened from the Policy's JSON tab. */
export async function openJsonEditor(page: Page) {
  await page.getByRole('tab', { name: 'JSON' }).click();
  const editor = page.getByRole('textbox', { name: 'Policy JSON' });
  await expect(editor).toBeVisible({ timeout: 20_000 });
  return editor;
}

/** Replace the whole JSON text, as pasting would. Keep `text` on one line: Monaco indents after each newline. */
export async function replaceJson(page: Page, text: string): Promise<void> {
  const editor = await openJsonEditor(page);
  await editor.focus();
  await page.keyboard.press('ControlOrMeta+A');
  // Deleting first: typing over a selection would wrap it in the inserted brackets.
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

export const jsonText = (page: Page) => page.locator('.monaco-editor .view-lines');
