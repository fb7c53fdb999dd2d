import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliVault, privateKeyring, SLOW } from '../../test/cli'
import { canary, expectNoSecrets } from '../../test/fixtures/canary'
import { startSmbd } from '../../test/fixtures/smbd'
import type { SmbdFixture } from '../../test/fixtures/smbd'
import { sshKeygen, startSshd } from '../../test/fixtures/sshd'
import type { KeyPair, SshdFixture } from '../../test/fixtures/sshd'
import { environmentIds } from '../../test/services'

// The real clients, driven through `bridgekeep exec` with only the variables and files its
// mappings give them: smbclient against a real smbd, and OpenSSH's sftp against a real sshd.

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0
const isRoot = process.getuid?.() === 0

describe.skipIf(!privateKeyring || !has('smbclient') || !has('sftp') || !isRoot)(
  'smbclient and sftp through bridgekeep exec',
  SLOW,
  () => {
    const smbPassword = `${canary.alnum(20)} ${canary.alnum(6)}`
    const passphrase = canary.alnum(24)
    let key: KeyPair
    let smbd: SmbdFixture
    let sshd: SshdFixture
    let vault: Awaited<ReturnType<typeof cliVault>>

    beforeAll(async () => {
      key = sshKeygen({ passphrase })
      ;[smbd, sshd] = await Promise.all([
        startSmbd({ user: 'backup-svc', password: smbPassword }),
        startSshd({ authorizedKeys: [key.publicKey] }),
      ])
      vault = await cliVault()
      const smb = vault.services.connections.create({
        name: 'nas',
        provider: 'smb',
        authMode: 'inline',
        values: {
          host: '127.0.0.1',
          port: String(smbd.port),
          share: smbd.share,
          username: 'backup-svc',
          password: smbPassword,
        },
      })
      const sftp = vault.services.connections.create({
        name: 'uploads',
        provider: 'sftp',
        authMode: 'inline',
        values: {
          host: '127.0.0.1',
          port: String(sshd.port),
          username: sshd.user,
          auth: 'key',
          private_key: key.privateKey,
          passphrase,
          host_key_fingerprint: sshd.hostKeyFingerprint,
          remote_path: sshd.directory,
        },
      })
      const staging = environmentIds(vault.services).staging!
      vault.services.authorizations.applyChanges({
        grants: [
          { connectionId: smb.id, environmentId: staging },
          { connectionId: sftp.id, environmentId: staging },
        ],
      })
    })
    afterAll(async () => {
      await Promise.all([smbd?.close(), sshd?.close()])
    })

    it('smbclient lists the share with the authentication file exec made', async () => {
      const script =
        'smbclient "//$BRIDGEKEEP_SMB_HOST/$BRIDGEKEEP_SMB_SHARE" -p "$BRIDGEKEEP_SMB_PORT" -A "$BRIDGEKEEP_SMB_AUTH_FILE" -c ls'
      const run = await vault.cli(['exec', 'nas', '--env', 'staging', '--', 'sh', '-c', script])
      expect(run.code, run.stderr).toBe(0)
      for (const name of smbd.files) expect(run.stdout).toContain(name)
      expectNoSecrets([run.stdout, run.stderr], [smbPassword])
    })

    it('sftp lists the directory with the identity file, after checking the pinned host key', async () => {
      // ssh pins host keys, not fingerprints: the script fetches the key, compares its
      // fingerprint with the pinned one, and only then trusts it (docs/architecture.md).
      const script = [
        'set -e',
        'hosts="$(mktemp)"; askpass="$(mktemp)"',
        'ssh-keyscan -t ed25519 -p "$BRIDGEKEEP_SFTP_PORT" "$BRIDGEKEEP_SFTP_HOST" > "$hosts" 2>/dev/null',
        'ssh-keygen -lf "$hosts" | grep -qF " $BRIDGEKEEP_SFTP_HOST_KEY_FINGERPRINT "',
        // sftp -b never asks for a passphrase: the key goes to a private ssh-agent first, whose
        // ssh-add reads the passphrase from the variable through SSH_ASKPASS.
        'eval "$(ssh-agent -s)" >/dev/null',
        'trap \'ssh-agent -k >/dev/null; rm -f "$hosts" "$askpass"\' EXIT',
        'printf "#!/bin/sh\\necho \\"\\$BRIDGEKEEP_SFTP_PASSPHRASE\\"\\n" > "$askpass"; chmod 700 "$askpass"',
        'SSH_ASKPASS="$askpass" SSH_ASKPASS_REQUIRE=force ssh-add "$BRIDGEKEEP_SFTP_IDENTITY_FILE" </dev/null 2>/dev/null',
        'echo "ls $BRIDGEKEEP_SFTP_PATH" | sftp -b - -o UserKnownHostsFile="$hosts" -P "$BRIDGEKEEP_SFTP_PORT" "$BRIDGEKEEP_SFTP_USER@$BRIDGEKEEP_SFTP_HOST"',
      ].join('\n')
      const run = await vault.cli(['exec', 'uploads', '--env', 'staging', '--', 'sh', '-c', script])
      expect(run.code, run.stderr).toBe(0)
      for (const name of sshd.files) expect(run.stdout).toContain(name)
      expect(sshd.log()).toMatch(/Accepted publickey for \S+ from 127\.0\.0\.1/)
      expectNoSecrets([run.stdout, run.stderr], [passphrase])
    })
  },
)
