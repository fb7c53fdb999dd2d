import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    // Child-process tests start Node with tsx; give a busy two-core machine room.
    testTimeout: 20_000,
    // beforeAll hooks create vaults (keychain over D-Bus, scrypt) and start processes: on a
    // loaded machine that can take longer than the default 10 s.
    hookTimeout: 60_000,
  },
})
