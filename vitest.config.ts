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
    // Setup hooks write fixture checkpoints (tens of MB) and start loopback servers: on a 2-core
    // machine busy with other work the 10 s default ran out (cli/remote-pin.test.ts in a CI run).
    hookTimeout: 120_000,
  },
});
