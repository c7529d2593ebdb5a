import { expect, test } from '@playwright/test';
import { openPlayground, watToWasm } from './helpers.ts';

test('a loaded module shows its hash, imports and exports, and whether it is a WASI command', async ({ page }) => {
  await openPlayground(page);
  const module = page.getByRole('region', { name: 'Module' });
  const facts = module.getByText(/^WASI command · \d+ WASI calls$/);
  await expect(facts).toBeVisible();
  await facts.click();
  await expect(module).toContainText(/SHA-256\s*[0-9a-f]{64}/);
  await expect(module).toContainText('wasi_snapshot_preview1.fd_write');
  await expect(module).toContainText('_start (function)');

  const foreign = await watToWasm('(module (import "env" "launch" (func)) (memory (export "memory") 1) (func (export "main")))');
  await page.getByLabel('Choose a .wasm file').setInputFiles({ name: 'foreign.wasm', mimeType: 'application/wasm', buffer: Buffer.from(foreign) });
  await expect(module).toContainText('foreign.wasm');
  await expect(module).toContainText('not a WASI command');
  await expect(module).toContainText('needs what the sandbox lacks: env.launch (function)');
});
