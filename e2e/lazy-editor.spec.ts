/**
 * The editor (Monaco, about 1 MB gzip) is fetched only when one is opened or about to be: not as
 * the page loads, not when it is idle; pointing at or focusing a control that opens one starts
 * the fetch, and opening it shows the text. The build names Monaco's chunk editor-[hash].js
 * (vite.config.ts); its workers keep Monaco's names.
 */
import { expect, test, type Page } from '@playwright/test';
import { jsonText, limits, openJsonEditor, openPlayground, output, runToEnd } from './helpers.ts';

/** Monaco's chunk, its styles and its workers, and the page's views built on it. */
const EDITOR_FILE = /\/assets\/(editor-[^/]+\.(js|css)|(editor|json)\.worker-[^/]+\.js|(PolicyJsonEditor|SourcePanel|SourceViewer|GalleryView)-[^/]+\.js)$/;
const EDITOR_CHUNK = /\/assets\/editor-[^/]+\.js$/;

/** Open the playground, recording the path of every request from the start. */
async function openRecorded(page: Page): Promise<{ requested: string[]; errors: () => string[] }> {
  const requested: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const { errors } = await openPlayground(page);
  return { requested, errors };
}

/**
 * Once the page has loaded and been idle, no editor file has been asked for, and no import of one
 * has started (an import adds a modulepreload link for its chunks as it starts). Idle callbacks
 * run in the order they were asked for, so one asked for now runs after any the page asked for.
 */
async function expectNoEditorAfterIdle(page: Page, requested: string[]): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve())));
  await page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve())));
  expect(await page.locator('link[href*="assets/editor-"]').count()).toBe(0);
  expect(requested.filter((path) => EDITOR_FILE.test(path))).toEqual([]);
}

const editorRequested = (requested: string[]) => requested.some((path) => EDITOR_CHUNK.test(path));

test('the JSON editor is fetched when its tab is pointed at, not on load nor when idle, and opens with the policy', async ({ page }, testInfo) => {
  const { requested, errors } = await openRecorded(page);
  await expectNoEditorAfterIdle(page, requested);

  const jsonTab = page.getByRole('tab', { name: 'JSON' });
  await jsonTab.hover();
  await expect.poll(() => editorRequested(requested)).toBe(true);
  // Pointing at the tab fetches; it does not open it.
  await expect(jsonTab).toHaveAttribute('aria-selected', 'false');
  await expect(page.getByRole('form', { name: 'Policy form' })).toBeVisible();

  const timeout = await limits(page).getByLabel('Timeout (timeout_ms)').inputValue();
  await openJsonEditor(page);
  await expect(jsonText(page)).toContainText(`"timeout_ms": ${timeout}`);
  await page.screenshot({ path: testInfo.outputPath('json-tab.png') });
  expect(errors()).toEqual([]);
});

test('the Source tab fetches the editor when pointed at, and opens with the example\'s source', async ({ page }) => {
  const { requested, errors } = await openRecorded(page);
  await expectNoEditorAfterIdle(page, requested);

  const sourceTab = page.getByRole('tab', { name: /^Source/ });
  await sourceTab.hover();
  await expect.poll(() => editorRequested(requested)).toBe(true);
  await expect(sourceTab).toHaveAttribute('aria-selected', 'false');

  await sourceTab.click();
  const panel = page.getByRole('tabpanel', { name: /^Source/ });
  await expect(panel.locator('.monaco-editor .view-lines')).toContainText('Hello from WebAssembly!', { timeout: 20_000 });
  expect(errors()).toEqual([]);
});

test('focusing "Lesson and source" fetches the editor; the gallery opens with the source in it', async ({ page }) => {
  const { requested, errors } = await openRecorded(page);
  await expectNoEditorAfterIdle(page, requested);

  const lessonAndSource = page.getByRole('button', { name: 'Lesson and source' });
  await lessonAndSource.focus();
  await expect.poll(() => editorRequested(requested)).toBe(true);
  await expect(page.getByRole('main', { name: 'Example gallery' })).toHaveCount(0);

  await lessonAndSource.click();
  const source = page.getByRole('main', { name: 'Example gallery' }).getByRole('region', { name: 'Source' });
  await expect(source.locator('.monaco-editor .view-lines')).toContainText('Hello from WebAssembly!', { timeout: 20_000 });
  expect(errors()).toEqual([]);
});

test('an editor that cannot be fetched (offline before it was ever opened) says so, and the page keeps working', async ({ page }) => {
  await openPlayground(page);
  await page.route(EDITOR_CHUNK, (route) => route.abort('internetdisconnected'));
  await page.getByRole('tab', { name: 'JSON' }).click();
  await expect(page.getByRole('tabpanel', { name: 'JSON' }).getByRole('alert')).toContainText('could not be loaded');
  await page.getByRole('tab', { name: 'Form' }).click();
  await expect(limits(page).getByLabel('Timeout (timeout_ms)')).toBeVisible();
  await runToEnd(page);
  await expect(output(page)).toContainText('Hello from WebAssembly!');
});
