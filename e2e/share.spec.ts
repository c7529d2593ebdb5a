import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { chooseExample, expectChangedSetupRestored, HELLO_BYTES, limits, openPlayground, shareChangedSetup, shareLink } from './helpers.ts';

const CAT_BYTES = readFileSync(new URL('../public/examples/cat.wasm', import.meta.url));

test('a share link restores the policy and the example, and runs nothing', async ({ page, context }) => {
  await openPlayground(page);
  const url = await shareChangedSetup(page);
  expect(new URL(url).host).toBe(new URL(page.url()).host);

  const other = await context.newPage();
  await other.goto(url);
  await expectChangedSetupRestored(other);
});

test('a link to a module by hash asks for the file and refuses another one', async ({ page, context }) => {
  await openPlayground(page);
  await page.getByLabel('Choose a .wasm file').setInputFiles({ name: 'mine.wasm', mimeType: 'application/wasm', buffer: CAT_BYTES });
  await expect(page.getByText('mine.wasm', { exact: true })).toBeVisible();
  const url = await shareLink(page);

  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByText(/This link expects the module mine\.wasm/)).toBeVisible();
  await expect(other.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
  await other.getByLabel('Choose a .wasm file').setInputFiles({ name: 'other.wasm', mimeType: 'application/wasm', buffer: HELLO_BYTES });
  await expect(other.getByRole('alert')).toContainText('it is a different module, so it was not loaded');
  // The two hashes break inside the card instead of running past its edge.
  const module = other.getByRole('region', { name: 'Module' });
  expect(await module.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await other.screenshot({ path: '/tmp/kavach-page-shots/hash-mismatch.png' });
  await other.getByLabel('Choose a .wasm file').setInputFiles({ name: 'mine.wasm', mimeType: 'application/wasm', buffer: CAT_BYTES });
  await expect(other.getByText('mine.wasm', { exact: true })).toBeVisible();
  await expect(other.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
});

test('a damaged link says so and the page still works', async ({ page }) => {
  await page.goto('/#v1.this-is-not-a-real-link');
  await expect(page.getByRole('alert')).toContainText('This link could not be opened');
  await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
});

test('export to wasmtime lists what it cannot express; import reads a kavach policy', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Read-only attack');
  await page.getByRole('button', { name: 'Share / export' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share and export' });
  await dialog.getByLabel('Export format').selectOption('wasmtime');
  await expect(dialog.getByLabel('Exported policy')).toContainText('wasmtime run');
  await expect(dialog.getByLabel('Exported policy')).toContainText('--dir');
  await expect(dialog.getByText('Not expressed in this format:')).toBeVisible();

  await dialog.getByLabel('Text to import').fill(JSON.stringify({ seccomp_enabled: true, seccomp_profile: 'strict', memory_limit_mb: 128, landlock_rules: [{ path: '/data', access: 'ro' }] }));
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog).toBeHidden();
  const form = page.getByRole('form', { name: 'Policy form' });
  await expect(limits(page).getByLabel('Memory cap in MiB (memory_limit_mb)')).toHaveValue('128');
  await expect(form.getByLabel('Call filter (seccomp profile)')).toHaveValue('strict');
  // A bare SandboxPolicy: the config around it is the playground's, and the notice says where kavach's differs.
  const notice = page.getByRole('status').filter({ hasText: 'Imported a kavach SandboxPolicy (JSON).' });
  await expect(notice).toContainText('kavach would read it otherwise:');
  await expect(notice.getByRole('listitem')).toHaveText([
    'backend: left out; kavach\'s default is "process", the playground\'s "wasm"',
    "timeout_ms: left out; kavach's default is 30000 (30 s), the playground's 10000 (10 s)",
    "externalization: left out; kavach's default is null (no gate), the playground's the gate at kavach's default thresholds; null is no gate, as in kavach",
  ]);
});

test('importing a setup that names another module puts the loaded one away, and says what it imported', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'Share / export' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share and export' });
  await dialog.getByLabel('Text to import').fill(JSON.stringify({ wasm: [{ path: 'plugin.wasm' }], memory: { max_pages: 16 } }));
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(/^Imported an Extism manifest \(JSON\)\. Note: it names the module plugin\.wasm/)).toBeVisible();
  await expect(page.getByText('hello.wasm', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
  await expect(limits(page).getByLabel('Memory cap in MiB (memory_limit_mb)')).toHaveValue('1');
});
