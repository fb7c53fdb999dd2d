import { homedir } from 'node:os'
import { BridgekeepError } from '../../../shared/errors'
import type { ConnectionSummary } from '../../../shared/connections'
import type { AuditService } from '../audit/audit-service'
import type { ConnectionsService } from '../connections/connections-service'
import type { Vault } from '../vault/vault'
import {
  awsFiles,
  previewAwsProfile,
  readAwsProfiles,
  type AwsProfilePreview,
} from './aws-profiles'
import { kubeconfigPath, readKubeContexts } from './kube-contexts'

export interface ImportChoice {
  /** The profile or context to import. */
  source: string
  /** The new connection's name. */
  name: string
}

export interface ImportsOptions {
  connections: ConnectionsService
  /** Previews need the vault unlocked, like the imports they lead to. */
  vault: Pick<Vault, 'requireKey'>
  /** One summary entry per import (each connection also gets its own create entry). */
  audit: Pick<AuditService, 'record' | 'recordFailure'>
  /** Where ~/.aws and ~/.kube are (tests point it at a fixture home). */
  home?: string
  env?: Record<string, string | undefined>
}

/**
 * Imports from the files a DevOps engineer already has: AWS profiles and kubeconfig contexts.
 * Previews carry no secret values (masked key ids only); the chosen items are read again from the
 * files in main, created in one transaction, all or none, and audited.
 */
export class ImportsService {
  private readonly connections: ConnectionsService
  private readonly home: string
  private readonly env: Record<string, string | undefined>

  constructor(private readonly options: ImportsOptions) {
    this.connections = options.connections
    this.home = options.home ?? homedir()
    this.env = options.env ?? process.env
  }

  awsPreview(): { path: string; found: boolean; items: AwsProfilePreview[] } {
    this.options.vault.requireKey()
    const files = awsFiles(this.home, this.env)
    const profiles = readAwsProfiles(files)
    return {
      path: files.credentialsPath,
      found: profiles !== undefined,
      items: (profiles ?? []).map(previewAwsProfile),
    }
  }

  importAws(choices: ImportChoice[]): ConnectionSummary[] {
    return this.audited('AWS profiles', choices, () => this.createAws(choices))
  }

  private createAws(choices: ImportChoice[]): ConnectionSummary[] {
    const files = awsFiles(this.home, this.env)
    const profiles = new Map((readAwsProfiles(files) ?? []).map((p) => [p.profile, p]))
    const inputs = choices.map((choice) => {
      const profile = profiles.get(choice.source)
      if (!profile) throw notThere(`AWS profile "${choice.source}"`, files.credentialsPath)
      const { problem } = previewAwsProfile(profile)
      if (problem) throw cannotImport(`AWS profile "${choice.source}"`, problem)
      return {
        name: choice.name,
        provider: 'aws',
        authMode: 'inline',
        values: profile.values,
        labels: ['imported'],
        notes: `Imported from AWS profile "${choice.source}".`,
      }
    })
    return this.create(inputs)
  }

  kubePreview() {
    this.options.vault.requireKey()
    const path = kubeconfigPath(this.home, this.env)
    const contexts = readKubeContexts(path)
    return {
      path,
      found: contexts !== undefined,
      items: (contexts ?? []).map(({ values: _values, ...preview }) => preview),
    }
  }

  importKube(choices: ImportChoice[]): ConnectionSummary[] {
    return this.audited('kubeconfig contexts', choices, () => this.createKube(choices))
  }

  private createKube(choices: ImportChoice[]): ConnectionSummary[] {
    const path = kubeconfigPath(this.home, this.env)
    const contexts = new Map((readKubeContexts(path) ?? []).map((c) => [c.context, c]))
    const inputs = choices.map((choice) => {
      const context = contexts.get(choice.source)
      if (!context) throw notThere(`Kubernetes context "${choice.source}"`, path)
      if (context.problem) throw cannotImport(`Context "${choice.source}"`, context.problem)
      return {
        name: choice.name,
        provider: 'kubernetes',
        authMode: 'inline',
        values: context.values,
        labels: ['imported'],
        notes: `Imported from kubeconfig context "${choice.source}".`,
      }
    })
    return this.create(inputs)
  }

  /** One summary entry per import, or its failure (the sources' names, never a value). */
  private audited(
    source: string,
    choices: ImportChoice[],
    run: () => ConnectionSummary[],
  ): ConnectionSummary[] {
    const { audit } = this.options
    const detail = `${choices.length} from ${source}: ${choices.map((choice) => choice.source).join(', ')}`
    let created: ConnectionSummary[]
    try {
      created = run()
    } catch (error) {
      audit.recordFailure({ action: 'connection.import', detail }, error)
      throw error
    }
    audit.record({
      action: 'connection.import',
      ...(created.length === 1
        ? { target: { type: 'connection' as const, id: created[0]!.id, name: created[0]!.name } }
        : {}),
      detail,
    })
    return created
  }

  private create(inputs: unknown[]): ConnectionSummary[] {
    if (inputs.length === 0) {
      throw new BridgekeepError('VALIDATION', 'Choose at least one item to import.')
    }
    const ids = new Set(this.connections.createMany(inputs, { imported: true }))
    return this.connections.list().filter((connection) => ids.has(connection.id))
  }
}

function notThere(what: string, path: string): BridgekeepError {
  return new BridgekeepError(
    'NOT_FOUND',
    `${what} is no longer in ${path}.`,
    'Refresh the preview and choose again.',
  )
}

function cannotImport(what: string, problem: string): BridgekeepError {
  return new BridgekeepError(
    'VALIDATION',
    `${what} cannot be imported: ${problem}`,
    'Untick it, or fix the file and try again. Nothing was imported.',
  )
}
