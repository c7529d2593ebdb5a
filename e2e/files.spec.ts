import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { chooseExample, openPlayground, output, result, runToEnd } from './helpers.ts';

test('a policy with no read-write mount says so after a run, with no empty table', async ({ page }) => {
  await openPlayground(page);
  await runToEnd(page);
  await page.getByRole('tab', { name: /Files after run/ }).click();
  const files = page.getByRole('tabpanel', { name: /Files after run/ });
  await expect(files).toContainText('This policy has no read-write mount, so the module could not change any file.');
  await expect(files).not.toContainText('changed nothing');
  await expect(files.getByRole('table')).toHaveCount(0);
});

test('a mount file edited before the run is what the module reads', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'cat a mounted file');
  await page.getByRole('tab', { name: 'Files', exact: true }).click();
  const data = page.getByRole('region', { name: 'Files in /data' });
  await data.getByRole('button', { name: /input\.txt/ }).click();
  await page.getByLabel('Contents of /data/input.txt').fill('edited in the page\n');
  await runToEnd(page);
  await expect(output(page)).toHaveText('edited in the page\n');
});

test('files: add, rename, delete, upload before a run; changes and downloads after', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Write files');
  await page.getByRole('tab', { name: 'Files', exact: true }).click();
  const out = page.getByRole('region', { name: 'Files in /out' });

  // Edit the file the example starts with.
  await out.getByRole('button', { name: /notes\.txt/ }).click();
  await page.getByLabel('Contents of /out/notes.txt').fill('edited before the run\n');

  // A new file, renamed.
  await out.getByRole('button', { name: 'New file in /out' }).click();
  await page.getByLabel('Name in /out').fill('todo.md');
  await page.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('Contents of /out/todo.md').fill('- [ ] run it\n');
  await expect(out.getByRole('button', { name: /todo\.md/ })).toBeVisible();

  // An upload, then deleted again.
  await out.getByLabel('Upload to /out').setInputFiles({ name: 'scratch.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0, 1, 2, 3]) });
  await expect(out.getByRole('button', { name: /scratch\.bin/ })).toBeVisible();
  await expect(page.getByText('Binary file (4 B)')).toBeVisible();
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(out.getByRole('button', { name: /scratch\.bin/ })).toHaveCount(0);

  await runToEnd(page);
  await expect(result(page)).toContainText('exited with code 0');
  await expect(output(page)).toContainText('failed=0');

  await page.getByRole('tab', { name: /Files after run/ }).click();
  const after = page.getByRole('tabpanel', { name: /Files after run/ });
  await expect(after).toContainText('4 added, 0 modified, 0 deleted');
  await expect(after.getByRole('row', { name: /\/out\/renamed\.txt.*added/ })).toBeVisible();
  await expect(after.getByRole('row', { name: /\/out\/todo\.md.*unchanged/ })).toBeVisible();

  const [edited] = await Promise.all([page.waitForEvent('download'), after.getByRole('button', { name: 'Download /out/notes.txt' }).click()]);
  expect(edited.suggestedFilename()).toBe('notes.txt');
  expect(readFileSync((await edited.path())!, 'utf8')).toBe('edited before the run\n');
  const [written] = await Promise.all([page.waitForEvent('download'), after.getByRole('button', { name: 'Download /out/renamed.txt' }).click()]);
  expect(readFileSync((await written.path())!, 'utf8')).toBe('written by wasm\n');
});

test('a change the module makes to an existing file shows as modified, a removed one as deleted', async ({ page }) => {
  await openPlayground(page);
  await chooseExample(page, 'Write files');
  await page.getByRole('tab', { name: 'Files', exact: true }).click();
  const out = page.getByRole('region', { name: 'Files in /out' });
  // write_files appends to log.txt and renames hello.txt away: seed both.
  for (const [name, text] of [['log.txt', 'seeded\n'], ['hello.txt', 'will be renamed\n']]) {
    await out.getByRole('button', { name: 'New file in /out' }).click();
    await page.getByLabel('Name in /out').fill(name);
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel(`Contents of /out/${name}`).fill(text);
  }
  await runToEnd(page);
  await page.getByRole('tab', { name: /Files after run/ }).click();
  const after = page.getByRole('tabpanel', { name: /Files after run/ });
  await expect(after.getByRole('row', { name: /\/out\/log\.txt.*modified/ })).toBeVisible();
  await expect(after.getByRole('row', { name: /\/out\/hello\.txt.*deleted/ })).toBeVisible();
  const [log] = await Promise.all([page.waitForEvent('download'), after.getByRole('button', { name: 'Download /out/log.txt' }).click()]);
  expect(readFileSync((await log.path())!, 'utf8')).toBe('seeded\nlog line 1\nlog line 2\n');
});
