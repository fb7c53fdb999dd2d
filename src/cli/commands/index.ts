import type { CommandEntry, CommandSpec } from '../framework/command'

const load = (module: Promise<{ default: CommandSpec }>) => module.then((m) => m.default)

/**
 * Every command, in the order --help lists them. Each is one file in this folder, loaded only when
 * it runs. A new command is one new file plus one line here; the ones still to come plug in as:
 *   { name: 'share export' | 'share import', ... import('./share-export') } (SharingService)
 *   { name: 'runner start' | 'runner stop' | 'runner status' | 'runner credentials', ... }
 */
export const commands: readonly CommandEntry[] = [
  {
    name: 'ls',
    summary: 'list connections (filter by provider, environment or label)',
    load: () => load(import('./ls')),
  },
  {
    name: 'show',
    summary: 'show one connection: settings, masked secrets, environments, usage',
    load: () => load(import('./show')),
  },
  {
    name: 'add',
    summary: 'add a connection, validated by the provider catalog',
    load: () => load(import('./add')),
  },
  { name: 'env ls', summary: 'list environments', load: () => load(import('./env-ls')) },
  {
    name: 'authorize',
    summary: 'authorize a connection for an environment',
    load: () => load(import('./authorize')),
  },
  {
    name: 'revoke',
    summary: "revoke a connection's authorization for an environment",
    load: () => load(import('./revoke')),
  },
  {
    name: 'verify',
    summary: 'prove connections against their services; prints the identity or the problem',
    load: () => load(import('./verify')),
  },
  {
    name: 'exec',
    summary: "run a command with a connection's credentials in its standard variables",
    load: () => load(import('./exec')),
  },
  {
    name: 'aws credential-process',
    summary: 'print AWS credentials for credential_process in an AWS config',
    load: () => load(import('./aws-credential-process')),
  },
  {
    name: 'audit verify',
    summary: "check the audit trail's hash chain",
    load: () => load(import('./audit-verify')),
  },
  {
    name: 'audit export',
    summary: 'export the audit trail as JSON Lines or CSV',
    load: () => load(import('./audit-export')),
  },
  {
    name: 'info',
    summary: 'where Bridgekeep keeps its data (BRIDGEKEEP_HOME overrides it)',
    load: () => load(import('./info')),
  },
]
