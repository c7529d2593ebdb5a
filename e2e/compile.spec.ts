/**
 * Building C in the page: edit a gallery example and run the rebuilt module under its lesson, a
 * compile error at its line, a source in a share link, the embed view in a sandboxed iframe, and
 * building offline once the compiler has been fetched. Each first build fetches the compiler
 * (105 MB) from the test server and compiles it: these tests are slow by nature.
 */
import { expect, test, type Page, type FrameLocator } from '@playwright/test';
import { openPlayground, output, result, shareLink } from './helpers.ts';

test.setTimeout(300_000);
/** A cold build: fetching and compiling the compiler, on a busy 2-core machine. */
const BUILD_MS = 240_000;
const SHOTS = process.env.KAVACH_SHOTS ?? '/tmp/kavach-page-shots';

type Scope = Page | FrameLocator;

/** Append `text` to the end of `line` of the source in the editor, as typed (one line: no auto-indent). */
async function appendToLine(page: Page, scope: Scope, fileName: string, line: number, text: string): Promise<void> {
  const editor = scope.getByRole('textbox', { name: `Source of ${fileName}` });
  await expect(editor).toBeAttached({ timeout: 30_000 });
  await editor.focus();
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await page.keyboard.insertText(text);
}

const sourceTab = (page: Page) => page.getByRole('tab', { name: /^Source/ });
const sourcePanel = (page: Page) => page.getByRole('tabpanel', { name: /^Source/ });

test('edit a gallery example, run it: the page builds it first, and the lesson checks what the sandbox did', async ({ page }, testInfo) => {
  const guard = await openPlayground(page);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  const gallery = page.getByRole('main', { name: 'Example gallery' });
  await gallery.getByRole('button', { name: /^Read-only attack/ }).click();
  await gallery.getByRole('region', { name: 'Source' }).getByRole('button', { name: 'Edit and rebuild' }).click();

  await expect(sourceTab(page)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText('ro_attack.wasm', { exact: true })).toBeVisible();
  await expect(sourcePanel(page).getByTestId('command-line')).toHaveText('clang --target=wasm32-wasip1 -O2 -std=gnu17 -fno-color-diagnostics -Wall -Wextra -o ro_attack.wasm ro_attack.c');
  // A new attack: create a file on the read-only mount.
  await appendToLine(page, page, 'ro_attack.c', 96, ' try_open("open O_CREAT student.txt", "student.txt", O_WRONLY | O_CREAT);');
  await expect(sourceTab(page)).toContainText('ro_attack.c *');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(result(page).getByRole('status', { name: 'Build' })).toBeVisible();
  await expect(result(page)).toContainText('ro_attack.wasm exited with code 0', { timeout: BUILD_MS });
  await expect(output(page)).toContainText('open O_CREAT student.txt: errno=69 (Read-only file system)');
  await expect(output(page)).toContainText('denied=22 allowed=0');
  await expect(result(page).getByTestId('lesson-check')).toContainText('✓ As the lesson says for its own policy, with your edited program (its own output aside): exits with code 0 · denied by landlock_rules[0]');
  await expect(sourcePanel(page).getByTestId('module-hash')).toHaveText(/^[0-9a-f]{12}…$/);
  await page.screenshot({ path: testInfo.outputPath('edited-example.png') });

  // The gallery shows the edit, and its runs build and run it; Reset goes back to the example.
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  const source = gallery.getByRole('region', { name: 'Source' });
  await expect(source).toContainText('edited in the playground');
  await gallery.getByRole('button', { name: 'Run with its policy' }).click();
  await expect(gallery.getByRole('status', { name: 'Lesson run' }).getByTestId('lesson-check')).toContainText('✓ As the lesson says for its own policy, with your edited program', { timeout: 30_000 });
  await source.getByRole('button', { name: 'Reset' }).click();
  await expect(source).not.toContainText('edited in the playground');
  await gallery.getByRole('button', { name: 'Run with its policy' }).click();
  await expect(gallery.getByRole('status', { name: 'Lesson run' }).getByTestId('lesson-check')).toContainText('✓ As the lesson says for its own policy: exits with code 0', { timeout: 30_000 });
  expect(guard.outside()).toEqual([]);
  expect(guard.errors()).toEqual([]);
});

test('a compile error is shown at its line, in the editor and in the result area, and nothing runs', async ({ page }, testInfo) => {
  const guard = await openPlayground(page);
  await sourceTab(page).click();
  await appendToLine(page, page, 'hello.c', 10, ' return nope;');
  await sourcePanel(page).getByRole('button', { name: 'Build', exact: true }).click();
  await expect(sourcePanel(page).getByRole('status', { name: 'Build' })).toBeVisible();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${SHOTS}/build-in-progress.png` });
  const message = /hello\.c did not build: 1 error \(line 10, column (\d+): use of undeclared identifier 'nope'\)/;
  await expect(result(page)).toContainText(message, { timeout: BUILD_MS });
  await expect(result(page)).toContainText('Nothing ran: the source must build first.');
  const column = message.exec((await result(page).textContent()) ?? '')![1];
  const messages = sourcePanel(page).getByRole('list', { name: 'Compiler messages' });
  await expect(messages).toContainText(`line 10:${column} error: use of undeclared identifier 'nope'`);
  // A marker at the line: the squiggle under "nope", and the message on hover.
  await expect(sourcePanel(page).locator('.monaco-editor .squiggly-error')).toHaveCount(1);
  await messages.getByRole('button', { name: `line 10:${column}` }).click();
  await expect(sourcePanel(page).locator('.monaco-editor .squiggly-error')).toBeVisible();
  await expect(output(page)).toHaveAttribute('data-empty', 'Output appears here as the module writes it.');
  await page.screenshot({ path: `${SHOTS}/compile-error.png` });
  await page.screenshot({ path: testInfo.outputPath('compile-error.png') });
  expect(guard.outside()).toEqual([]);
});

test('a share link carries the source: it opens to build on Run, and never runs by itself', async ({ page, context }) => {
  await openPlayground(page);
  await sourceTab(page).click();
  await appendToLine(page, page, 'hello.c', 10, ' puts("shared by a link");');
  const url = await shareLink(page);
  expect(url).toMatch(/#v2\.[A-Za-z0-9_-]+$/);

  const other = await context.newPage();
  const guard = await openPlayground(other, { address: url, expectText: 'hello.c' });
  await expect(other.getByRole('region', { name: 'Module' })).toContainText('Opened a shared source, hello.c (an edit of the Hello example). Nothing runs until you press Run, which builds it first.');
  await expect(sourceTab(other)).toHaveAttribute('aria-selected', 'true');
  await expect(sourcePanel(other).locator('.monaco-editor .view-lines')).toContainText('puts("shared by a link");', { timeout: 30_000 });
  await other.waitForTimeout(500);
  await expect(result(other)).toContainText('press Run');
  await other.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(output(other)).toContainText('Hello from WebAssembly!\nshared by a link', { timeout: BUILD_MS });
  await expect(result(other)).toContainText('hello.wasm exited with code 0');
  expect(guard.outside()).toEqual([]);
});

test('the embed page: lessons in iframes with a sandbox attribute, run only when Run is pressed, and build there too', async ({ page }, testInfo) => {
  const outside: string[] = [];
  await page.route('**', (route) => {
    if (new URL(route.request().url()).hostname === '127.0.0.1' || route.request().url().startsWith('blob:')) return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/embed-example.html');
  const frames = page.locator('iframe');
  await expect(frames).toHaveCount(2);
  for (const i of [0, 1]) expect((await frames.nth(i).getAttribute('sandbox'))?.split(' ')).toContain('allow-scripts');

  const first = page.frameLocator('iframe').first();
  await expect(first.getByRole('heading', { name: /Read-only attack/ })).toBeVisible({ timeout: 30_000 });
  await expect(first.getByTestId('policy-summary')).toHaveText('Policy: /data read-only, /out read-write · no call filter · no network · no memory cap · timeout 10 s · 10,000,000,000 fuel · output gate on · Score 77 (hardened)');
  await expect(first.locator('.monaco-editor .view-lines')).toContainText('ro_attack', { timeout: 30_000 });
  // Loaded, and nothing ran.
  await page.waitForTimeout(500);
  await expect(first.getByRole('log', { name: 'Output' })).toHaveAttribute('data-empty', 'Output appears here as the module writes it.');
  const open = first.getByRole('link', { name: 'Open in the playground ↗' });
  expect(await open.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#v2\.[A-Za-z0-9_-]+$/);
  await first.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(first.getByRole('status', { name: 'Outcome' })).toContainText('ro_attack.wasm exited with code 0', { timeout: 30_000 });
  await expect(first.getByTestId('lesson-check')).toContainText('✓ As the lesson says for its own policy');
  await expect(first.getByRole('log', { name: 'Output' })).toContainText('denied=21 allowed=0');

  // The second lesson, edited and rebuilt inside its frame.
  const second = page.frameLocator('iframe').nth(1);
  await frames.nth(1).scrollIntoViewIfNeeded();
  await appendToLine(page, second, 'escape.c', 90, ' puts("edited in the embed");');
  await second.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(second.getByRole('status', { name: 'Outcome' }).or(second.getByText(/did not build/))).toContainText('escape.wasm exited with code 0', { timeout: BUILD_MS });
  await expect(second.getByRole('log', { name: 'Output' })).toContainText('edited in the embed');
  await expect(second.getByTestId('lesson-check')).toContainText('✓ As the lesson says for its own policy, with your edited program');
  await page.screenshot({ path: `${SHOTS}/embed-page.png`, fullPage: true });
  await page.screenshot({ path: testInfo.outputPath('embed-page.png'), fullPage: true });
  expect(outside).toEqual([]);
  expect(errors).toEqual([]);
});

test.describe('offline', () => {
  test.use({ serviceWorkers: 'allow' });

  test('after one build, the compiler is kept: the page reloads and builds offline', async ({ page, context }) => {
    await page.goto('/');
    await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });
    await page.reload();
    await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
    await sourceTab(page).click();
    await sourcePanel(page).getByRole('button', { name: 'Build', exact: true }).click();
    await expect(sourcePanel(page).getByText(/✓ Built hello\.wasm/)).toBeVisible({ timeout: BUILD_MS });
    // The compiler's five files are kept (written a moment after they arrive).
    await expect.poll(() => page.evaluate(async () => {
      const names = [];
      for (const key of await caches.keys()) for (const r of await (await caches.open(key)).keys()) names.push(new URL(r.url).pathname);
      return names.filter((n) => n.startsWith('/compiler/') && /\.(wasm|tar)$/.test(n)).length;
    }), { timeout: 60_000 }).toBe(5);

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByText('hello.wasm', { exact: true })).toBeVisible();
    await sourceTab(page).click();
    await appendToLine(page, page, 'hello.c', 10, ' puts("built offline");');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(output(page)).toContainText('built offline', { timeout: BUILD_MS });
    await expect(result(page)).toContainText('hello.wasm exited with code 0');
  });
});
