import type { CommandEntry, CommandSpec } from '../framework/command'

const load = (module: Promise<{ default: CommandSpec }>) => module.then((m) => m.default)

/**
 * Every command, in the order --help lists them. Each is one file in this folder, loaded only when
 * it runs. A new command is one new file plus one line here.
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
  {
    name: 'apply',
    summary: 'create or update connections from documents (-f file.yaml), idempotent, with a diff',
    load: () => load(import('./apply')),
  },
  {
    name: 'get',
    summary: 'print connections as documents for apply (-o yaml|json), never a secret value',
    load: () => load(import('./get')),
  },
  {
    name: 'rotate',
    summary: "write a connection's new secret values as a new version",
    load: () => load(import('./rotate')),
  },
  {
    name: 'edit',
    summary: "change a connection's name, labels, notes or settings (not its secrets)",
    load: () => load(import('./edit')),
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
    name: 'rm',
    summary: 'move a connection to the trash',
    load: () => load(import('./rm')),
  },
  {
    name: 'restore',
    summary: 'bring a connection back from the trash',
    load: () => load(import('./restore')),
  },
  { name: 'trash ls', summary: 'list the trash', load: () => load(import('./trash-ls')) },
  {
    name: 'purge',
    summary: 'delete a trashed connection for good (--yes)',
    load: () => load(import('./purge')),
  },
  { name: 'env add', summary: 'create an environment', load: () => load(import('./env-add')) },
  {
    name: 'env rename',
    summary: 'rename an environment (its slug stays unless given)',
    load: () => load(import('./env-rename')),
  },
  {
    name: 'env describe',
    summary: "set an environment's description",
    load: () => load(import('./env-describe')),
  },
  {
    name: 'env protect',
    summary: 'make changes to an environment need confirming',
    load: () => load(import('./env-protect')),
  },
  {
    name: 'env unprotect',
    summary: "remove an environment's protection (--yes)",
    load: () => load(import('./env-unprotect')),
  },
  {
    name: 'env rm',
    summary: 'delete an environment with its authorizations and defaults (--yes)',
    load: () => load(import('./env-rm')),
  },
  {
    name: 'default set',
    summary: "make a connection its provider's default in an environment",
    load: () => load(import('./default-set')),
  },
  {
    name: 'default ls',
    summary: 'list the default connection per provider and environment',
    load: () => load(import('./default-ls')),
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
    name: 'git-credential',
    summary: "git's credential helper: a remote's token from the connection for its host",
    load: () => load(import('./git-credential')),
  },
  {
    name: 'docker-credential',
    summary: "docker's credential helper (docker-credential-bridgekeep): registry logins",
    load: () => load(import('./docker-credential')),
  },
  {
    name: 'kube token',
    summary: "kubectl's exec credential plugin: a cluster token (Kubernetes, or EKS through AWS)",
    load: () => load(import('./kube-token')),
  },
  {
    name: 'aws policy',
    summary: 'the least-privilege IAM policy for AWS capabilities; the cross-account role template',
    load: () => load(import('./aws-policy')),
  },
  {
    name: 'aws rotate-key',
    summary: "create an AWS connection's next access key in IAM, store it, deactivate the old one",
    load: () => load(import('./aws-rotate-key')),
  },
  {
    name: 'aws reconnect',
    summary: "change an AWS connection's capabilities, keeping the connection; shows the diff",
    load: () => load(import('./aws-reconnect')),
  },
  {
    name: 'aws console',
    summary: 'sign in to the AWS console as a connection, in the default browser',
    load: () => load(import('./aws-console')),
  },
  {
    name: 'aws sso login',
    summary: 'sign in to IAM Identity Center (SSO) and list your accounts and permission sets',
    load: () => load(import('./aws-sso-login')),
  },
  {
    name: 'aws sso add',
    summary: 'add connections for accounts and permission sets of an IAM Identity Center sign-in',
    load: () => load(import('./aws-sso-add')),
  },
  {
    name: 'aws sso logout',
    summary: 'sign out of IAM Identity Center: end the session, forget its token and credentials',
    load: () => load(import('./aws-sso-logout')),
  },
  {
    name: 'audit verify',
    summary: 'check the audit trail for altered, truncated or rewritten entries',
    load: () => load(import('./audit-verify')),
  },
  {
    name: 'audit export',
    summary: 'export the audit trail as JSON Lines or CSV',
    load: () => load(import('./audit-export')),
  },
  {
    name: 'backup create',
    summary: 'write an encrypted backup of the whole vault to a new file',
    load: () => load(import('./backup-create')),
  },
  {
    name: 'backup restore',
    summary: 'restore the vault from a backup with its recovery key (--force to replace one)',
    load: () => load(import('./backup-restore')),
  },
  {
    name: 'share identity',
    summary: 'your share address and fingerprint, to give teammates',
    load: () => load(import('./share-identity')),
  },
  {
    name: 'share contacts',
    summary: 'teammates you can share with, and whether they are verified',
    load: () => load(import('./share-contacts')),
  },
  {
    name: 'share add-contact',
    summary: 'add a teammate by their share address',
    load: () => load(import('./share-add-contact')),
  },
  {
    name: 'share verify-contact',
    summary: 'mark a contact verified after comparing fingerprints',
    load: () => load(import('./share-verify-contact')),
  },
  {
    name: 'share export',
    summary: 'share connections as an encrypted .bkshare file (use-only by default)',
    load: () => load(import('./share-export')),
  },
  {
    name: 'share import',
    summary: 'import a .bkshare file or armored text, after checking who sent it',
    load: () => load(import('./share-import')),
  },
  {
    name: 'share ls',
    summary: 'shares this vault sent: outstanding, expired or revoked',
    load: () => load(import('./share-ls')),
  },
  {
    name: 'share resend',
    summary: "share a connection's new version with everyone who holds it (after a rotation)",
    load: () => load(import('./share-resend')),
  },
  {
    name: 'share revoke',
    summary: 'mark a sent share revoked (and what that can and cannot do)',
    load: () => load(import('./share-revoke')),
  },
  {
    name: 'team init',
    summary: 'create a team space in a PostgreSQL database, as its founding admin',
    load: () => load(import('./team-init')),
  },
  {
    name: 'team join',
    summary: 'join a team space you were invited to, pinning its founder',
    load: () => load(import('./team-join')),
  },
  {
    name: 'team ls',
    summary: 'the team spaces this vault is in',
    load: () => load(import('./team-ls')),
  },
  {
    name: 'team members',
    summary: "a team's members and roles, verified from its signed change log",
    load: () => load(import('./team-members')),
  },
  {
    name: 'team invite',
    summary: 'add a teammate to a team space by share address, with a role',
    load: () => load(import('./team-invite')),
  },
  {
    name: 'team remove',
    summary: 'remove a member from a team space',
    load: () => load(import('./team-remove')),
  },
  {
    name: 'team role',
    summary: "change a team member's role",
    load: () => load(import('./team-role')),
  },
  {
    name: 'team rotations',
    summary: 'team secrets a member who left could read, still to rotate (admins)',
    load: () => load(import('./team-rotations')),
  },
  {
    name: 'team push',
    summary: 'push a connection to a team space, end-to-end encrypted (admins)',
    load: () => load(import('./team-push')),
  },
  {
    name: 'team sync',
    summary: "pull a team's connections into this vault's ciphertext copy",
    load: () => load(import('./team-sync')),
  },
  {
    name: 'team connections',
    summary: "a team's connections and where the team allows each",
    load: () => load(import('./team-connections')),
  },
  {
    name: 'team env',
    summary: 'allow or deny a team connection in an environment (admins)',
    load: () => load(import('./team-env')),
  },
  {
    name: 'team rm',
    summary: 'remove a connection from a team space (admins)',
    load: () => load(import('./team-rm')),
  },
  {
    name: 'team verify',
    summary: "replay a team's signed change log and audit trail, naming every warning",
    load: () => load(import('./team-verify')),
  },
  {
    name: 'team runner',
    summary: "run this vault as the team's runner: short-lived credentials for use-only members",
    load: () => load(import('./team-runner')),
  },
  {
    name: 'team credentials',
    summary: "short-lived AWS credentials of a team connection, from the team's runner",
    load: () => load(import('./team-credentials')),
  },
  {
    name: 'runner credentials',
    summary: 'issue credentials for a runner you start yourself',
    load: () => load(import('./runner-credentials')),
  },
  {
    name: 'runner list',
    summary: 'the runners of this vault: name, kind, connected or not, host, last seen',
    load: () => load(import('./runner-list')),
  },
  {
    name: 'runner delete',
    summary: "revoke a remote runner's credentials and forget it",
    load: () => load(import('./runner-delete')),
  },
  {
    name: 'runner start',
    summary: 'start a runner that serves the app (foreground, or --detach)',
    load: () => load(import('./runner-start')),
  },
  {
    name: 'runner stop',
    summary: 'stop a runner started with --detach',
    load: () => load(import('./runner-stop')),
  },
  {
    name: 'runner status',
    summary: "the app's control listener, known runners, detached runners",
    load: () => load(import('./runner-status')),
  },
  {
    name: 'agent',
    summary: 'keep the vault unlocked for the CLI, served on a private socket (foreground)',
    load: () => load(import('./agent')),
  },
  {
    name: 'status',
    summary:
      'the vault (missing, locked, unlocked; keychain or passphrase), the agent, the CLI path',
    load: () => load(import('./status')),
  },
  { name: 'lock', summary: 'lock the running agent', load: () => load(import('./lock')) },
  {
    name: 'unlock',
    summary: 'unlock the running agent (keychain, or the passphrase from a file or the terminal)',
    load: () => load(import('./unlock')),
  },
  {
    name: 'init',
    summary: 'create the vault (keychain, or --passphrase); shows the recovery key once',
    load: () => load(import('./init')),
  },
  {
    name: 'info',
    summary: 'where Bridgekeep keeps its data (BRIDGEKEEP_HOME overrides it)',
    load: () => load(import('./info')),
  },
]
