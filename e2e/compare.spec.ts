import { expect, test } from '@playwright/test';
import { limits, openPlayground, result, runToEnd } from './helpers.ts';

test('compare: one module under two policies, the policy diff, both outcomes and scores, the audit logs aligned', async ({ page }) => {
  const guard = await openPlayground(page);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  await page.getByRole('button', { name: /^Read-only attack/ }).click();
  await page.getByRole('button', { name: 'Compare the two policies' }).click();

  const compare = page.getByRole('main', { name: 'Compare two runs' });
  await expect(compare).toContainText('ro_attack.wasm');
  const diff = compare.getByLabel('What B changes');
  await expect(diff).toContainText('policy.landlock_rules[0].access: "ro" → "rw"');
  await expect(diff.getByRole('listitem')).toHaveCount(1);

  await compare.getByRole('button', { name: 'Run both' }).click();
  const a = compare.getByRole('region', { name: 'Run A' });
  const b = compare.getByRole('region', { name: 'Run B' });
  await expect(a).toContainText('ro_attack.wasm exited with code 0', { timeout: 30_000 });
  await expect(b).toContainText('ro_attack.wasm exited with code 1');
  await expect(a).toContainText('strength 77 (hardened)');
  await expect(b).toContainText('strength 76 (hardened)');
  await expect(a.getByLabel('Output of run A')).toContainText('open O_WRONLY input.txt: errno=69');
  await expect(b.getByLabel('Output of run B')).toContainText('open O_WRONLY input.txt: ok');

  const audit = compare.getByRole('region', { name: 'Audit logs aligned' });
  await audit.getByRole('checkbox', { name: 'Only rows that differ' }).check();
  // The first write attempt: denied under A, allowed under B; then B's extra fd_close.
  const rows = audit.getByRole('row');
  await expect(rows.nth(1)).toHaveAccessibleName(/^≠ path_open fd=3 \(\/data\) .*path=input\.txt .*ROFS · landlock_rules\[0\] SUCCESS$/);
  await expect(rows.nth(3)).toHaveAccessibleName(/^\+ fd_close fd=5 \(\/data\/input\.txt\) not called SUCCESS$/);

  // Edit B by hand: an invalid policy disables Run both and says why.
  await compare.getByLabel('Policy B').fill('{"timeout_ms": -1}');
  await expect(compare.getByLabel('Problems with policy B')).toContainText('timeout_ms');
  await expect(compare.getByRole('button', { name: 'Run both' })).toBeDisabled();
  await compare.getByRole('button', { name: 'Copy A' }).click();
  await expect(compare.getByText('Nothing: the two policies are the same')).toBeVisible();
  expect(guard.errors()).toEqual([]);
});

test('compare opens from the toolbar with the playground\'s policy as A and the lesson\'s change as B', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Compare' }).click();
  const compare = page.getByRole('main', { name: 'Compare two runs' });
  await expect(compare.getByLabel('What B changes')).toContainText('policy.wasi_filter');
  await compare.getByRole('button', { name: 'Run both' }).click();
  await expect(compare.getByRole('region', { name: 'Run A' })).toContainText('Hello from WebAssembly!', { timeout: 30_000 });
  await expect(compare.getByRole('region', { name: 'Run B' })).toContainText('(no stdout)');
  await expect(compare.getByRole('region', { name: 'Audit logs aligned' }).getByRole('row', { name: /fd_write .*SUCCESS NOSYS · wasi_filter/ })).toBeVisible();
});

test('the last runs are kept: an earlier run\'s policy can be compared with the current one', async ({ page }) => {
  await openPlayground(page);
  await runToEnd(page);
  await limits(page).getByLabel('Timeout (timeout_ms)').fill('4321');
  await runToEnd(page);
  const recent = result(page).getByText(/^Recent runs \(2\)$/);
  await recent.click();
  const list = result(page).getByRole('list', { name: 'Recent runs' });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list).toContainText('hello.wasm: exited with code 0');
  await list.getByRole('button', { name: 'Compare its policy with the current one' }).click();
  const compare = page.getByRole('main', { name: 'Compare two runs' });
  await expect(compare.getByLabel('What B changes')).toContainText('timeout_ms');
  await expect(compare.getByLabel('What B changes')).toContainText('4321');
});
