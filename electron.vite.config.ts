import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
      // Bundled (tree-shaken) rather than required from node_modules: loading zod's and yaml's
      // ~170 files one by one was most of the CLI's and the runner's start-up (credential_process
      // runs on every AWS call; see bench/cli.ts and bench/runner.ts).
      externalizeDeps: { exclude: ['zod', 'yaml'] },
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
