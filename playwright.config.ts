import { defineConfig } from '@playwright/test';

/** Debian's chromium package: `npx playwright install` cannot download a browser on these machines. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** E2E_PORT and CKPTSCOPE_WEB_OUT let two e2e runs on one machine use their own server and build. */
const PORT = Number(process.env.E2E_PORT ?? 4173);
const WEB_OUT = process.env.CKPTSCOPE_WEB_OUT ?? 'dist/web';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    headless: true,
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    trace: 'off',
    timezoneId: 'UTC',
    locale: 'en-US',
    launchOptions: {
      executablePath: CHROMIUM,
      // The machine has no network beyond the package registries: keep Chromium from trying.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${WEB_OUT}`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
