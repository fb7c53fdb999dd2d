import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'vite'
import { BROWSER_BRIDGE_BUNDLE, RENDERER_DIR, ROOT } from './paths'

/** Checks the app is built and bundles the browser host's bridge (the preload's stand-in). */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error('The renderer is not built: run `npm run build` first (npm run test:e2e does).')
  }
  await build({
    configFile: false,
    logLevel: 'warn',
    root: ROOT,
    build: {
      outDir: join(BROWSER_BRIDGE_BUNDLE, '..'),
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: join(ROOT, 'e2e', 'hosts', 'browser-bridge.ts'),
        formats: ['iife'],
        name: 'BridgekeepBrowserBridge',
        fileName: () => 'browser-bridge.js',
      },
    },
  })
}
