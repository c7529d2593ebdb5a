/** The page tells the truth about every run: which limit ended it, why, the fix; whose output is whose. */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { chooseExample, limits, openPlayground, output, result, runToEnd, writingModule } from './helpers.ts';

const shot = (name: string) => `/tmp/kavach-page-shots/${name}.png`;

test('a run out of fuel says so, names the rule that set the budget, and one click runs it again with enough', async ({ page }) => {
  await openPlayground(page);
  // hello needs a few thousand units: a budget of 1,000 ends it early.
  await limits(page).getByLabel('Fuel budget (fuel)').fill('1000');
  await expect(page.getByTestId('fuel-line')).toContainText("1,000 units of fuel, from the policy's fuel.");
  await runToEnd(page);
  const why = result(page).getByLabel('Why the run ended');
  await expect(why).toContainText('Out of fuel: the module used all 1,000 units of its budget.');
  await expect(why).toContainText("The budget was set by the policy's fuel.");
  await expect(result(page)).toContainText(/Timed out\s*yes \(out of fuel: kavach counts it as a timeout\)/);
  // The host's own message is in the pane, marked as the sandbox's, not the module's.
  const sandbox = output(page).locator('.sandbox');
  await expect(sandbox).toHaveText('sandboxWASM fuel exhausted: all 1000 units of fuel used');
  await expect(sandbox.locator('.sandbox-tag')).toHaveText('sandbox');
  await expect(output(page)).not.toHaveAttribute('data-empty');
  const [stderr] = await Promise.all([page.waitForEvent('download'), result(page).getByRole('button', { name: 'Download stderr' }).click()]);
  expect(stderr.suggestedFilename()).toMatch(/^hello-stderr-\d{4}-\d\d-\d\d-\d{6}\.txt$/);
  expect(readFileSync((await stderr.path())!, 'utf8')).toBe('WASM fuel exhausted: all 1000 units of fuel used\n');
  await page.screenshot({ path: shot('fuel-ended') });

  await why.getByRole('button', { name: 'Run again with 10x the fuel' }).click();
  await expect(result(page)).toContainText('hello.wasm exited with code 0', { timeout: 30_000 });
  await expect(output(page)).toContainText('Hello from WebAssembly!');
  await expect(limits(page).getByLabel('Fuel budget (fuel)')).toHaveValue('10000');
  await expect(result(page).getByLabel('Why the run ended')).toHaveCount(0);
  await page.screenshot({ path: shot('fuel-fixed') });
});

test('a budget derived from the timeout is named as kavach\'s rule, with what it buys on this machine', async ({ page }) => {
  await openPlayground(page, { measureFuelRate: true });
  await chooseExample(page, 'Infinite loop');
  await expect(page.getByText('loop.wasm', { exact: true })).toBeVisible();
  const fuelLine = page.getByTestId('fuel-line');
  await expect(fuelLine).toContainText("2,000,000,000 units of fuel, from kavach's rule, timeout_ms 2,000 x 1,000,000.");
  // Measured once in a worker, then kept: the line says what the budget buys here.
  await expect(fuelLine).toContainText(/On this machine \([\d.]+ (billion|million) units a second, measured\) that is about [\d.]+ (s|min) of busy CPU/, { timeout: 30_000 });
  await expect(fuelLine.getByRole('button', { name: 'Measure again' })).toBeVisible();
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('kavach-fuel-rate') ?? 'null')?.fuelPerSecond)).toBeGreaterThan(1e6);
  await limits(page).getByLabel('Timeout (timeout_ms)').fill('3000');
  await expect(fuelLine).toContainText("3,000,000,000 units of fuel, from kavach's rule, timeout_ms 3,000 x 1,000,000.");
  await limits(page).getByLabel('Timeout (timeout_ms)').fill('2000');
  await page.screenshot({ path: shot('fuel-line') });

  await runToEnd(page);
  const why = result(page).getByLabel('Why the run ended');
  await expect(why).toContainText('Out of fuel: the module used all 2,000,000,000 units of its budget.');
  await expect(why).toContainText("The policy sets no fuel, so the budget came from kavach's rule, timeout_ms 2,000 x 1,000,000.");
  await expect(why).toContainText(/On this machine that budget is about [\d.]+ s of busy CPU/);
  await expect(why.getByRole('button', { name: 'Run again with 10x the fuel' })).toBeVisible();
});

test('at 1280x720 the limits sit beside Run, with the keys for Run and Stop', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openPlayground(page);
  await expect(page.getByText('Ctrl+Enter runs · Esc stops')).toBeInViewport();
  for (const label of ['Timeout (timeout_ms)', 'Fuel budget (fuel)', 'Memory cap in MiB (memory_limit_mb)']) {
    await expect(limits(page).getByLabel(label)).toBeInViewport();
  }
  await expect(page.getByTestId('fuel-line')).toBeInViewport();
  await page.screenshot({ path: shot('limits-1280x720') });
});

test('a run killed at its timeout offers 10x the timeout', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Long sleep');
  await expect(page.getByText('sleep.wasm', { exact: true })).toBeVisible();
  await limits(page).getByLabel('Timeout (timeout_ms)').fill('300');
  await runToEnd(page);
  const why = result(page).getByLabel('Why the run ended');
  await expect(why).toContainText('Timed out: the 300 ms wall-clock timeout passed and the worker was killed.');
  await expect(why.getByRole('button', { name: 'Run again with 10x the timeout' })).toBeVisible();
  await expect(why).toContainText('sets timeout_ms to 3,000');
});

test('stderr carries a mark ANSI colours cannot draw, so red stdout never passes for it', async ({ page }) => {
  await openPlayground(page);
  const module = await writingModule([[1, '\x1b[31mred on stdout\x1b[0m\n'], [2, 'plain on stderr\n'], [1, 'plain on stdout\n']]);
  await page.getByLabel('Choose a .wasm file').setInputFiles({ name: 'streams.wasm', mimeType: 'application/wasm', buffer: Buffer.from(module) });
  await expect(page.getByText('streams.wasm', { exact: true })).toBeVisible();
  await runToEnd(page);
  await expect(output(page)).toHaveText('red on stdout\nplain on stderr\nplain on stdout\n');
  const mark = (text: string) => output(page).getByText(text, { exact: true }).evaluate((el) => {
    const style = getComputedStyle(el);
    return { stderr: el.classList.contains('stderr'), bar: style.boxShadow, background: style.backgroundColor };
  });
  const err = await mark('plain on stderr');
  const red = await mark('red on stdout');
  expect(err.stderr).toBe(true);
  expect(err.bar).toMatch(/inset/);
  expect(red.stderr).toBe(false);
  expect(red.bar).toBe('none');
  expect(red.background).toBe('rgba(0, 0, 0, 0)');
  await page.screenshot({ path: shot('streams') });
});
