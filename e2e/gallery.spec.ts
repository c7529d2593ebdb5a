import { expect, test, type Page } from '@playwright/test';
import { EXAMPLES } from '../src/core/examples/index.ts';
import { LESSONS, type Expectation } from '../src/lessons/lessons.ts';
import { openPlayground } from './helpers.ts';

const gallery = (page: Page) => page.getByRole('main', { name: 'Example gallery' });

/** The words the page uses for an outcome (describeOutcome). */
function outcomeText(e: Expectation): RegExp {
  switch (e.outcome) {
    case 'exit': return new RegExp(`exited with code ${e.exitCode}$`);
    case 'fuel_exhausted': return /out of fuel/;
    case 'timeout': return /timed out after \d+ ms \(worker killed\)/;
    case 'stack_overflow': return /stack overflow/;
    default: return new RegExp(e.outcome);
  }
}

test('the gallery lists every example with its summary, and each runs as its lesson says under its own policy', async ({ page }) => {
  test.setTimeout(240_000);
  const guard = await openPlayground(page);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  const list = gallery(page).getByRole('navigation', { name: 'Examples and their lessons' });
  await expect(list.getByRole('button')).toHaveCount(EXAMPLES.length);
  for (const example of EXAMPLES) {
    const item = list.getByRole('button', { name: new RegExp(`^${example.title}`) });
    await expect(item).toContainText(example.summary);
    await item.click();
    const lesson = gallery(page).getByRole('region', { name: /^Lesson/ });
    await expect(lesson.getByRole('heading', { name: example.title, exact: true })).toBeVisible();
    await expect(lesson).toContainText(LESSONS[example.id].tries);
    await lesson.getByRole('button', { name: 'Run with its policy' }).click();
    const run = lesson.getByRole('status', { name: 'Lesson run' });
    await expect(run.getByTestId('lesson-check'), example.id).toContainText('✓ As the lesson says for its own policy', { timeout: 30_000 });
    await expect(run.locator('.status')).toHaveText(new RegExp(`^${example.id}\\.wasm ${outcomeText(LESSONS[example.id].expect).source}`));
  }
  expect(guard.errors()).toEqual([]);
  expect(guard.outside()).toEqual([]);
});

test('an example\'s source shows in Monaco beside its lesson, C or WebAssembly text', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'Lesson and source' }).click();
  const source = gallery(page).getByRole('region', { name: 'Source' });
  await expect(source).toContainText('examples/src/hello.c');
  await expect(source.locator('.monaco-editor .view-lines')).toContainText('Hello from WebAssembly!', { timeout: 20_000 });
  await gallery(page).getByRole('button', { name: /^Network probe/ }).click();
  await expect(source.locator('.monaco-editor .view-lines')).toContainText('(module', { timeout: 20_000 });
  await expect(source.locator('.monaco-editor .view-lines')).toContainText('sock_accept');
});

test('the lesson\'s change runs too, and opening it in the playground keeps that policy', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Gallery' }).click();
  await gallery(page).getByRole('button', { name: /^Network probe/ }).click();
  const lesson = gallery(page).getByRole('region', { name: /^Lesson/ });
  await lesson.getByRole('button', { name: 'Run with the change' }).click();
  const run = lesson.getByRole('status', { name: 'Lesson run' });
  await expect(run.getByTestId('lesson-check')).toContainText('✓ As the lesson says for the lesson\'s change');
  await expect(run).toContainText('sock_accept: errno=8');
  await run.getByRole('button', { name: 'See the output and audit log in the playground' }).click();
  await expect(page.getByRole('form', { name: 'Policy form' }).getByLabel('Call filter (seccomp profile)')).toHaveValue('off');
  await expect(page.getByRole('log', { name: 'Output' })).toContainText('proc_raise: errno=58');
});
