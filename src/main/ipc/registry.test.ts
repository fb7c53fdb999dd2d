import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { allChannels } from '../../shared/ipc/contract'
import { MemoryKeyStore } from '../security/keystore'
import { memoryLogger } from '../log'
import { createServices } from '../services'
import { createHandlerRegistry } from './registry'

describe('createHandlerRegistry', () => {
  it('has exactly one handler for every channel of the contract', () => {
    const services = createServices({
      dataDir: mkdtempSync(join(tmpdir(), 'bk-registry-')),
      appInfo: { name: 'Bridgekeep', version: '0.0.0', platform: 'linux', host: 'browser' },
      log: memoryLogger(),
      keyStore: new MemoryKeyStore(),
    })
    const registry = createHandlerRegistry(services)
    expect([...registry.keys()].sort()).toEqual(allChannels().sort())
  })
})
