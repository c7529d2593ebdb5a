import { expect, test } from '@playwright/test';
import { chooseExample, cspViolations, jsonText, limits, openJsonEditor, openPlayground, output, replaceJson, result, runToEnd } from './helpers.ts';

test('a change in the form shows in the JSON, and a change in the JSON shows in the form', async ({ page }) => {
  const guard = await openPlayground(page);
  const policyForm = page.getByRole('form', { name: 'Policy form' });
  await limits(page).getByLabel('Timeout (timeout_ms)').fill('1234');
  await policyForm.getByRole('button', { name: 'Add mount' }).click();
  await policyForm.getByLabel('Access of mount 1').selectOption('rw');
  await policyForm.getByLabel('Preset').selectOption('strict');
  await openJsonEditor(page);
  await expect(jsonText(page)).toContainText('"timeout_ms": 1234');
  await expect(jsonText(page)).toContainText('"path": "/data"');
  await expect(jsonText(page)).toContainText('"access": "rw"');
  await expect(jsonText(page)).toContainText('"seccomp_profile": "strict"');

  await replaceJson(page, JSON.stringify({ timeout_ms: 777, args: ['a1', 'b2'], policy: { memory_limit_mb: 32, landlock_rules: [{ path: '/srv', access: 'ro' }] } }));
  await page.getByRole('tab', { name: 'Form' }).click();
  await expect(limits(page).getByLabel('Timeout (timeout_ms)')).toHaveValue('777');
  await expect(limits(page).getByLabel('Memory cap in MiB (memory_limit_mb)')).toHaveValue('32');
  await expect(policyForm.getByLabel('Argument 2', { exact: true })).toHaveValue('b2');
  await expect(policyForm.getByLabel('Mount 1 path')).toHaveValue('/srv');
  await expect(policyForm.getByLabel('Preset')).toHaveValue('');
  // Monaco and its workers loaded from this site, under the page's CSP.
  expect(guard.outside()).toEqual([]);
  expect(await cspViolations(page)).toEqual([]);
  expect(guard.errors()).toEqual([]);
});

test('invalid JSON shows its error and the last valid policy stays in force', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Arguments and environment');
  await replaceJson(page, '{ "args": ["kept"], "timeout_ms": 5000 }');
  await expect(jsonText(page)).toContainText('"kept"');

  await replaceJson(page, '{ "args": ["lost"], "timeout_ms": -5 }');
  const alert = page.getByRole('alert').filter({ hasText: 'The policy does not load' });
  await expect(alert).toContainText('the last valid one stays in force');
  await expect(alert).toContainText('timeout_ms');
  await expect(alert).toContainText('expected a timeout in milliseconds');
  // The engine's message is also a marker in the editor, at the field.
  await expect(page.locator('.monaco-editor .squiggly-error')).not.toHaveCount(0);
  await page.getByRole('textbox', { name: 'Policy JSON' }).focus();
  await page.keyboard.press('F8');
  await expect(page.locator('.monaco-editor .marker-widget')).toContainText('timeout_ms: expected a timeout');
  await page.keyboard.press('Escape');

  await replaceJson(page, '{ "args": ["lost"], "timeout_ms": 5 } trailing');
  await expect(alert).toContainText('not valid JSON');
  await runToEnd(page);
  await expect(output(page)).toContainText('argv[1]=kept');
  await expect(result(page)).toContainText('exited with code 0');
});

test('a form field shows the engine\'s message for what it does not accept', async ({ page }) => {
  await openPlayground(page);
  const policyForm = page.getByRole('form', { name: 'Policy form' });
  await policyForm.getByRole('button', { name: 'Add mount' }).click();
  await policyForm.getByLabel('Mount 1 path').fill('');
  await expect(policyForm).toContainText('expected a guest path such as "/data"; kavach would accept "", but an empty path names no directory, so it would mount nothing');
  // A relative path loads, as kavach takes it, and the warnings say where it mounts.
  await policyForm.getByLabel('Mount 1 path').fill('data');
  await expect(page.getByRole('region', { name: 'Policy' }).getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Policy warnings' })).toContainText('"data" is relative: mounted at /data');
  await policyForm.getByLabel('Mount 1 path').fill('/data');
  await expect(page.getByRole('region', { name: 'Policy' }).getByRole('alert')).toHaveCount(0);
});

test('a value that does not load survives edits of other fields, says Run uses the last valid policy, and Escape gives it up', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Arguments and environment');
  await expect(page.getByText('args_env.wasm', { exact: true })).toBeVisible();
  const memory = limits(page).getByLabel('Memory cap in MiB (memory_limit_mb)');
  await memory.fill('-5');
  await expect(limits(page)).toContainText('expected a memory limit in MiB (a whole number, 0 or more) or null');
  await limits(page).getByLabel('Timeout (timeout_ms)').fill('3000');
  const policyForm = page.getByRole('form', { name: 'Policy form' });
  await policyForm.getByLabel('Argument 1', { exact: true }).fill('kept');
  // Still there, still explained, and said to be not in force.
  await expect(memory).toHaveValue('-5');
  await expect(limits(page)).toContainText('expected a memory limit in MiB (a whole number, 0 or more) or null');
  await expect(limits(page)).toContainText('Not in force: a run uses the default.');
  const note = page.getByRole('region', { name: 'Run and limits' }).getByRole('status');
  await expect(note).toContainText('Run uses the last valid policy: policy.memory_limit_mb does not load, so it keeps its value in force until fixed.');
  await page.screenshot({ path: '/tmp/kavach-page-shots/draft-kept.png' });
  // The edits that load are in force: the run gets the argument.
  await runToEnd(page);
  await expect(output(page)).toContainText('argv[1]=kept');
  // The policy text holds the draft too, so the JSON editor shows the same error.
  await expect(page.getByRole('alert').filter({ hasText: 'The policy does not load' })).toContainText('policy.memory_limit_mb');
  // Escape in the field gives the draft up: the value in force comes back.
  await memory.focus();
  await page.keyboard.press('Escape');
  await expect(memory).toHaveValue('');
  await expect(note).toHaveCount(0);
  await expect(policyForm.getByLabel('Argument 1', { exact: true })).toHaveValue('kept');
});

test('the JSON editor explains each field on hover, from the same text as the form', async ({ page }) => {
  await openPlayground(page);
  await openJsonEditor(page);
  await expect(page.getByText(/To leave the editor: Esc, then Tab/)).toBeVisible();
  await page.locator('.monaco-editor .view-line span', { hasText: '"timeout_ms"' }).first().hover();
  const hover = page.locator('.monaco-hover').filter({ hasText: 'Wall-clock timeout' });
  await expect(hover).toContainText('Wall-clock timeout in ms: at the deadline the worker is killed', { timeout: 10_000 });
  await expect(hover).toContainText("Default: 10000 (10 s); kavach's: 30000 (30 s).");
  await page.screenshot({ path: '/tmp/kavach-page-shots/json-hover.png' });
  // Esc, then Tab, leaves the editor.
  await page.getByRole('textbox', { name: 'Policy JSON' }).focus();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('textbox', { name: 'Policy JSON' })).not.toBeFocused();
  expect(await page.evaluate(() => document.activeElement !== document.body && document.activeElement !== null)).toBe(true);
});
