import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { Page, TestInfo } from '@playwright/test';
import { AppPage } from './app-page';

/**
 * axe-core on the main states of the page, in both themes (issue 12): no violations at all, and a
 * full-page screenshot of each state kept as a test artifact.
 */

const THEMES = ['light', 'dark'] as const;

interface Violation {
  readonly id: string;
  readonly nodes: readonly { readonly target: unknown; readonly failureSummary?: string }[];
}

function describe(violations: readonly Violation[]): string[] {
  return violations.map(
    (v) =>
      `${v.id}: ${v.nodes
        .slice(0, 3)
        .map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`)
        .join(' | ')}`,
  );
}

async function check(page: Page, testInfo: TestInfo, state: string): Promise<void> {
  // Kept under test-results/ (Playwright preserves output folders) and attached to the report.
  const path = testInfo.outputPath(`${state}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(`${state}.png`, { path, contentType: 'image/png' });
  const result = await new AxeBuilder({ page }).analyze();
  expect(describe(result.violations), state).toEqual([]);
}

for (const theme of THEMES) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme, viewport: { width: 1440, height: 1000 } });

    test(`no axe violations: empty page, sample, tensor detail, repair panel (${theme})`, async ({
      page,
    }, testInfo) => {
      // Eight full-page axe runs: a few seconds each on an idle machine, far more on a loaded one.
      test.setTimeout(240_000);
      const app = new AppPage(page);
      await app.open();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await check(page, testInfo, `${theme}-empty`);

      await app.openSample();
      await app.waitForScan();
      await expect(page.locator('[data-testid=findings-panel]')).toBeVisible();
      await check(page, testInfo, `${theme}-sample`);

      await app.heatmapCell(6, 'mlp.down_proj').click();
      await expect(page.locator('[data-testid=tensor-detail]')).toBeVisible();
      await check(page, testInfo, `${theme}-detail`);

      const repair = page.locator('[data-testid=repair-panel]');
      await repair.scrollIntoViewIfNeeded();
      await expect(repair.locator('[data-testid=repair-command]').first()).toBeVisible();
      await check(page, testInfo, `${theme}-repair`);
    });
  });
}
