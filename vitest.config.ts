import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'core/**/*.test.ts',
      'fixtures/**/*.test.ts',
      'cli/**/*.test.ts',
      'workers/**/*.test.ts',
      'app/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 60_000,
  },
});
