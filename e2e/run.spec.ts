import { expect, test } from '@playwright/test';
import { chooseExample, cspViolations, HELLO_BYTES, limits, openPlayground, output, printingModule, result, runToEnd } from './helpers.ts';

test('hello runs: its line, exit code 0, no outside request', async ({ page }) => {
  const guard = await openPlayground(page);
  await runToEnd(page);
  await expect(output(page)).toContainText('Hello from WebAssembly!');
  await expect(result(page)).toContainText('exited with code 0');
  await expect(result(page).getByTestId('exit-code')).toHaveText('0');
  await expect(result(page)).toContainText('Duration');
  expect(guard.outside()).toEqual([]);
  expect(guard.errors()).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
});

test('Ctrl+Enter runs', async ({ page }) => {
  await openPlayground(page);
  await page.keyboard.press('Control+Enter');
  await expect(output(page)).toContainText('Hello from WebAssembly!');
});

test('an infinite loop runs out of fuel, or with ample fuel is killed when its timeout passes', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Infinite loop');
  await expect(page.getByText('loop.wasm', { exact: true })).toBeVisible();
  await runToEnd(page);
  await expect(output(page)).toContainText('looping forever');
  // Fuel defaults to timeout_ms x 1,000,000, which a tight loop burns before the clock runs out.
  await expect(result(page)).toContainText('out of fuel (budget 2,000,000,000)');

  await limits(page).getByLabel('Fuel budget (fuel)').fill('1000000000000000');
  await limits(page).getByLabel('Timeout (timeout_ms)').fill('1500');
  await runToEnd(page);
  await expect(result(page)).toContainText('timed out after 1500 ms (worker killed)');
  await expect(result(page).getByTestId('exit-code')).toHaveText('-1');
  await expect(result(page)).toContainText(/Timed out\s*yes/i);
});

test('Stop ends a run at once, and so does Escape', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Long sleep');
  const stopButton = page.getByRole('button', { name: 'Stop', exact: true });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(output(page)).toContainText('sleeping 60000 ms');
  await stopButton.click();
  await expect(result(page)).toContainText('stopped', { timeout: 1000 });
  await expect(output(page)).not.toContainText('woke up');

  await chooseExample(page, 'Infinite loop');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(output(page)).toContainText('looping forever');
  await page.keyboard.press('Escape');
  await expect(result(page)).toContainText('stopped', { timeout: 1000 });
});

test('a .wasm dropped on the page is loaded and runs', async ({ page }) => {
  await openPlayground(page);
  await page.evaluate((bytes) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], 'dropped-hello.wasm', { type: 'application/wasm' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
    }
  }, [...HELLO_BYTES]);
  await expect(page.getByText('dropped-hello.wasm', { exact: true })).toBeVisible();
  await runToEnd(page);
  await expect(output(page)).toContainText('Hello from WebAssembly!');
});

test('the file picker loads a module; a non-wasm file is refused with a reason', async ({ page }) => {
  await openPlayground(page);
  const picker = page.getByLabel('Choose a .wasm file');
  await picker.setInputFiles({ name: 'picked.wasm', mimeType: 'application/wasm', buffer: HELLO_BYTES });
  await expect(page.getByText('picked.wasm', { exact: true })).toBeVisible();
  await runToEnd(page);
  await expect(output(page)).toContainText('Hello from WebAssembly!');

  await picker.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not wasm at all') });
  await expect(page.getByRole('alert')).toContainText('notes.txt is not a WebAssembly module');
  await expect(page.getByText('picked.wasm', { exact: true })).toBeVisible();
});

test('module output that looks like HTML is shown as text', async ({ page }) => {
  const guard = await openPlayground(page);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  const payload = '<img src=x onerror=alert(1)><b>bold?</b>\n';
  await page.getByLabel('Choose a .wasm file').setInputFiles({ name: 'xss.wasm', mimeType: 'application/wasm', buffer: Buffer.from(await printingModule(payload)) });
  await expect(page.getByText('xss.wasm', { exact: true })).toBeVisible();
  await runToEnd(page);
  await expect(output(page)).toContainText('<img src=x onerror=alert(1)><b>bold?</b>');
  await expect(output(page).locator('img, b')).toHaveCount(0);
  expect(dialogs).toBe(0);
  expect(guard.outside()).toEqual([]);
});

test('megabytes of output keep only the tail in the page, with a note, and the whole of it downloads', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Output flood');
  const policyForm = page.getByRole('form', { name: 'Policy form' });
  await policyForm.getByLabel('Output cap in bytes (max_output_bytes)').fill('2000000');
  await limits(page).getByLabel('Timeout (timeout_ms)').fill('8000');
  await runToEnd(page);
  await expect(result(page)).toContainText('cut at 1.9 MB (stdout)');
  await expect(page.getByRole('note')).toContainText('of earlier output is not shown');
  const shown = await output(page).evaluate((el) => ({ chars: el.textContent!.length, nodes: el.querySelectorAll('*').length }));
  expect(shown.chars).toBeLessThanOrEqual(512 * 1024);
  expect(shown.nodes).toBeLessThan(400);
  const [file] = await Promise.all([page.waitForEvent('download'), result(page).getByRole('button', { name: 'Download stdout' }).click()]);
  const { size } = await import('node:fs').then((fs) => file.path().then((p) => fs.statSync(p!)));
  expect(size).toBe(2_000_000);
});

test('ANSI colours in output are rendered as colours, and the escape codes are not shown', async ({ page }) => {
  await openPlayground(page);
  const module = await printingModule('plain \x1b[31mred text\x1b[0m done\n');
  await page.getByLabel('Choose a .wasm file').setInputFiles({ name: 'colours.wasm', mimeType: 'application/wasm', buffer: Buffer.from(module) });
  await expect(page.getByText('colours.wasm', { exact: true })).toBeVisible();
  await runToEnd(page);
  await expect(output(page)).toHaveText('plain red text done\n');
  await expect(output(page).locator('span.ansi-fg-1')).toHaveText('red text');
});
