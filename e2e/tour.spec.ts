import { expect, test, type Page } from '@playwright/test';
import { TOUR } from '../src/lessons/tour.ts';
import { openPlayground, result } from './helpers.ts';

const bar = (page: Page) => page.getByRole('region', { name: 'Guided tour' });
const stepText = (n: number) => `Step ${n} of ${TOUR.length}`;

test('the tour moves next and back, each step loading its example and saying what to try', async ({ page }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  await expect(bar(page)).toContainText(stepText(1));
  await expect(bar(page)).toContainText(TOUR[0].say);
  // It points at the controls it names: outlined, and a button takes the focus there.
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await expect(run).toHaveClass(/tour-target/);
  await bar(page).getByRole('button', { name: 'the Run button' }).click();
  await expect(run).toBeFocused();
  await bar(page).getByRole('button', { name: 'the Audit log tab' }).click();
  await expect(page.getByRole('tab', { name: /Audit log/ })).toBeFocused();
  // The tour is a switch beside the views, not a second current view.
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Playground' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Tour' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Tour', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: '/tmp/kavach-page-shots/tour-points.png' });
  await bar(page).getByRole('button', { name: 'Next ›' }).click();
  await expect(bar(page)).toContainText(stepText(2));
  await expect(bar(page)).toContainText(TOUR[1].title);
  await expect(page.getByText(`${TOUR[1].exampleId}.wasm`, { exact: true })).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#lesson=2');
  await expect(bar(page).getByRole('link', { name: 'Link to this step' })).toHaveAttribute('href', '#lesson=2');
  await expect(result(page)).toContainText('press Run');

  await bar(page).getByRole('button', { name: '‹ Back' }).click();
  await expect(bar(page)).toContainText(stepText(1));
  await expect(bar(page).getByRole('button', { name: '‹ Back' })).toBeDisabled();

  // The last step loads the lesson's change: the deterministic clock.
  for (let i = 1; i < TOUR.length; i++) await bar(page).getByRole('button', { name: 'Next ›' }).click();
  await expect(bar(page)).toContainText(stepText(TOUR.length));
  await expect(page.getByRole('form', { name: 'Policy form' }).getByLabel(/Deterministic/)).toBeChecked();
  await bar(page).getByRole('button', { name: 'Finish' }).click();
  await expect(bar(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Tour', exact: true })).toBeVisible();
});

test('the tour resumes where it was left, after the page is closed', async ({ page, context }) => {
  await openPlayground(page);
  await page.getByRole('button', { name: 'Tour', exact: true }).click();
  await bar(page).getByRole('button', { name: 'Next ›' }).click();
  await bar(page).getByRole('button', { name: 'Next ›' }).click();
  await expect(bar(page)).toContainText(stepText(3));
  await page.close();

  const later = await context.newPage();
  await later.goto('/');
  await expect(later.getByText('hello.wasm', { exact: true })).toBeVisible();
  await expect(bar(later)).toHaveCount(0);
  await later.getByRole('button', { name: `Resume tour (3/${TOUR.length})` }).click();
  await expect(bar(later)).toContainText(stepText(3));
  await expect(later.getByText(`${TOUR[2].exampleId}.wasm`, { exact: true })).toBeVisible();
});

test('a step link opens that step and runs nothing; a bad one says so', async ({ page, context }) => {
  await page.goto('/#lesson=4');
  await expect(bar(page)).toContainText(stepText(4));
  await expect(page.getByText(`${TOUR[3].exampleId}.wasm`, { exact: true })).toBeVisible();
  await expect(page.getByText('Opened step 4 of the tour. Nothing runs until you press Run.')).toBeVisible();
  await expect(result(page)).toContainText('press Run');

  const bad = await context.newPage();
  await bad.goto(`/#lesson=${TOUR.length + 1}`);
  await expect(bad.getByRole('alert')).toContainText(`not a step of the tour: it has steps 1 to ${TOUR.length}`);
  await expect(bad.getByText('hello.wasm', { exact: true })).toBeVisible();
  await expect(bar(bad)).toHaveCount(0);
});
