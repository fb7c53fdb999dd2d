import { callApi, statusFailure } from './https-check'
import { failure } from './failure'
import { endpointName, header } from './http-client'
import { defineOperations } from './define-operations'

// A Git server over HTTPS: the smart-HTTP ref advertisement (what git fetch asks for first)
// with the username and token as Basic auth. A 200 with git's content type proves the token can
// read the repository. SSH is not checked here: only the server can tell whether it accepts a
// key, and it does so when git connects.

const ADVERTISEMENT = 'application/x-git-upload-pack-advertisement'

export const gitOperations = defineOperations('git', {
  async verify({ config, secrets }, context) {
    if (config.transport === 'ssh')
      throw failure(
        'unsupported',
        'an SSH key is checked by the Git server only when git connects; its format was checked when it was stored.',
        'Try it with bridgekeep exec <connection> -- git ls-remote <address>, or connect over HTTPS with a token, which Verify checks.',
      )
    const repository = config.repository_url ?? ''
    const where = endpointName(repository)
    const response = await callApi(
      `${repository}/info/refs?service=git-upload-pack`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`${config.username ?? ''}:${secrets.token ?? ''}`).toString('base64')}`,
          'user-agent': 'git/2.0 (bridgekeep verify)',
        },
        ...(config.ca_certificate ? { ca: config.ca_certificate } : {}),
      },
      context,
    )
    if (response.status === 404)
      throw failure(
        'wrong-target',
        `${where} has no repository at that address, or hides it from these credentials (HTTP 404).`,
        'Check the repository URL (the Clone button shows it) and that the token can read the repository.',
      )
    if (response.status !== 200)
      throw statusFailure(response, where, {
        service: where,
        authentication:
          'Check the username and token (it may be expired or revoked) and rotate the connection.',
        permission: 'Give the token read access to this repository.',
      })
    if (!(header(response, 'content-type') ?? '').startsWith(ADVERTISEMENT))
      throw failure(
        'wrong-target',
        `${where} answered, but not as a Git repository (no smart-HTTP advertisement).`,
        'Use the address git clone takes, usually ending in .git.',
      )
    const branches = response.body.split('\n').filter((line) => / refs\/heads\//.test(line)).length
    return {
      identity: {
        label: `${config.username ?? ''} on ${where}`,
        details: { repository: new URL(repository).pathname, branches: String(branches) },
      },
    }
  },
})
