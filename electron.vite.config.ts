import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
      // zod is bundled (tree-shaken) rather than required: loading the whole package, all its
      // locales included, took longer than the rest of the runner's start (see bench/runner.ts).
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        // The runner and the CLI are plain Node programs built beside the main process; they
        // share its services but never import electron.
        input: {
          index: resolve('src/main/index.ts'),
          runner: resolve('src/runner/index.ts'),
          cli: resolve('src/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but electron: bundle zod and our code into it.
      externalizeDeps: false,
    },
  },
  renderer: {
    plugins: [react()],
    build: {
      // Source maps would ship the renderer's source inside the app for no user's benefit.
      sourcemap: false,
    },
  },
})
