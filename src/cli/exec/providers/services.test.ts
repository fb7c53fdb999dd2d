import { describe, expect, it } from 'vitest'
import { credentialsEnv } from '../credentials-env'
import { inline, resolved } from './test-support'

describe('credentialsEnv: Scaleway, Git servers, Azure DevOps, search clusters and file shares', () => {
  it('scaleway: SCW_* for scw, the SDKs and Terraform', async () => {
    const plan = await credentialsEnv(
      inline(
        'scaleway',
        { default_project_id: 'P', default_region: 'nl-ams', default_zone: 'nl-ams-1' },
        { access_key: 'SCWX', secret_key: 'S' },
      ),
    )
    expect(plan.set).toEqual({
      SCW_ACCESS_KEY: 'SCWX',
      SCW_SECRET_KEY: 'S',
      SCW_DEFAULT_PROJECT_ID: 'P',
      SCW_DEFAULT_REGION: 'nl-ams',
      SCW_DEFAULT_ZONE: 'nl-ams-1',
    })
    expect(plan.unset).toEqual(['SCW_PROFILE', 'SCW_CONFIG_PATH'])
  })

  it('git over https: an Authorization header for that repository only, and no prompt', async () => {
    const repository = 'https://git.example.com/team/app.git'
    const plan = await credentialsEnv(
      inline(
        'git',
        { transport: 'https', repository_url: repository, username: 'u' },
        { token: 't' },
      ),
    )
    expect(plan.set).toEqual({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: `http.${repository}.extraHeader`,
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${btoa('u:t')}`,
      GIT_TERMINAL_PROMPT: '0',
    })
  })

  it('git over ssh: the key in a file with its final line break, used alone', async () => {
    const plan = resolved(
      await credentialsEnv(
        inline('git', { transport: 'ssh', ssh_url: 'git@h:a.git' }, { private_key: 'KEY' }),
      ),
    )
    expect(plan.set).toEqual({ GIT_SSH_COMMAND: "ssh -i '/T/git-ssh-key' -o IdentitiesOnly=yes" })
    expect(plan.files).toEqual({ 'git-ssh-key': 'KEY\n' })
    expect(plan.unset).toEqual(['GIT_SSH'])
  })

  it('azure-devops: the token for az devops and Terraform, with the organization', async () => {
    const plan = await credentialsEnv(
      inline('azure-devops', { organization_url: 'https://dev.azure.com/contoso' }, { pat: 'P' }),
    )
    expect(plan.set).toEqual({
      AZURE_DEVOPS_EXT_PAT: 'P',
      AZDO_PERSONAL_ACCESS_TOKEN: 'P',
      AZDO_ORG_SERVICE_URL: 'https://dev.azure.com/contoso',
    })
  })

  it('opensearch: the address with a password or an API key, and the CA as a file', async () => {
    const basic = resolved(
      await credentialsEnv(
        inline(
          'opensearch',
          { url: 'https://s.example.com', auth: 'basic', username: 'u', ca_certificate: 'CA' },
          { password: 'p' },
        ),
      ),
    )
    expect(basic.set).toEqual({
      ELASTICSEARCH_URL: 'https://s.example.com',
      ELASTICSEARCH_USERNAME: 'u',
      ELASTICSEARCH_PASSWORD: 'p',
      ELASTICSEARCH_CA_CERT: '/T/search-ca.pem',
    })
    expect(basic.files).toEqual({ 'search-ca.pem': 'CA' })
    const keyed = await credentialsEnv(
      inline('opensearch', { url: 'https://s.example.com', auth: 'api-key' }, { api_key: 'K' }),
    )
    expect(keyed.set).toEqual({
      ELASTICSEARCH_URL: 'https://s.example.com',
      ELASTICSEARCH_API_KEY: 'K',
    })
  })

  it('sftp with a password: BRIDGEKEEP_SFTP_* and SSHPASS for sshpass -e', async () => {
    const plan = await credentialsEnv(
      inline(
        'sftp',
        {
          host: 'files.example.com',
          port: '2222',
          username: 'deploy',
          auth: 'password',
          host_key_fingerprint: 'SHA256:F',
          remote_path: '/upload',
        },
        { password: 'p w' },
      ),
    )
    expect(plan.set).toEqual({
      BRIDGEKEEP_SFTP_HOST: 'files.example.com',
      BRIDGEKEEP_SFTP_PORT: '2222',
      BRIDGEKEEP_SFTP_USER: 'deploy',
      BRIDGEKEEP_SFTP_HOST_KEY_FINGERPRINT: 'SHA256:F',
      BRIDGEKEEP_SFTP_PATH: '/upload',
      BRIDGEKEEP_SFTP_PASSWORD: 'p w',
      SSHPASS: 'p w',
    })
    expect(plan.files).toEqual([])
  })

  it('sftp with a key: an identity file made for the run, and its passphrase', async () => {
    const plan = resolved(
      await credentialsEnv(
        inline(
          'sftp',
          { host: 'h', username: 'u', auth: 'key', host_key_fingerprint: 'SHA256:F' },
          { private_key: 'KEY\n\n', passphrase: 'pp' },
        ),
      ),
    )
    expect(plan.set).toEqual({
      BRIDGEKEEP_SFTP_HOST: 'h',
      BRIDGEKEEP_SFTP_PORT: '22',
      BRIDGEKEEP_SFTP_USER: 'u',
      BRIDGEKEEP_SFTP_HOST_KEY_FINGERPRINT: 'SHA256:F',
      BRIDGEKEEP_SFTP_IDENTITY_FILE: '/T/sftp-key',
      BRIDGEKEEP_SFTP_PASSPHRASE: 'pp',
    })
    expect(plan.files).toEqual({ 'sftp-key': 'KEY\n' })
  })

  it('smb: BRIDGEKEEP_SMB_* and an smbclient authentication file', async () => {
    const plan = resolved(
      await credentialsEnv(
        inline(
          'smb',
          { host: 'nas', share: 'backups', domain: 'CONTOSO', username: 'svc' },
          { password: 'p w' },
        ),
      ),
    )
    expect(plan.set).toEqual({
      BRIDGEKEEP_SMB_HOST: 'nas',
      BRIDGEKEEP_SMB_PORT: '445',
      BRIDGEKEEP_SMB_SHARE: 'backups',
      BRIDGEKEEP_SMB_DOMAIN: 'CONTOSO',
      BRIDGEKEEP_SMB_USER: 'svc',
      BRIDGEKEEP_SMB_PASSWORD: 'p w',
      BRIDGEKEEP_SMB_AUTH_FILE: '/T/smb-credentials',
    })
    expect(plan.files).toEqual({
      'smb-credentials': 'username=svc\npassword=p w\ndomain=CONTOSO\n',
    })
  })
})
