import { expect, test } from '@playwright/test';
import { AppPage } from './app-page';

test('the scale trend chart beside the heatmap plots each module kind of the sample across its 8 layers', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.openSample();
  await app.waitForScan();
  const chart = page.locator('[data-testid=scale-trend-chart]');
  await expect(chart).toBeVisible();
  const roles = chart.locator('[data-testid=scale-trend-role] option');
  // The sample's seven NVFP4 projections per layer, one trend each.
  await expect(roles).toHaveCount(7);
  await chart.locator('[data-testid=scale-trend-role]').selectOption('mlp.down_proj');
  await expect(chart.locator('[data-testid=scale-trend-role]')).toHaveValue('mlp.down_proj');
  // Two lines (max and median) over the 8 layers, the x axis labelled 0..7.
  await expect(chart.locator('.recharts-line')).toHaveCount(2);
  await expect(chart.locator('.recharts-xAxis .recharts-cartesian-axis-tick')).toHaveCount(8);
});
