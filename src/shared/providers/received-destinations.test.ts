import { describe, expect, it } from 'vitest'
import { receivedDestinationProblem, type ReceivedConnection } from './received-destinations'

const received = (
  provider: string,
  config: Record<string, string>,
  more: Partial<ReceivedConnection> = {},
): ReceivedConnection => ({
  name: 'Shared',
  slug: 'shared',
  provider,
  authMode: 'inline',
  config,
  storedSecrets: [],
  sharedBy: 'Mallory',
  useOnly: false,
  ...more,
})
const problem = (connection: ReceivedConnection) => receivedDestinationProblem(connection)?.message

describe('receivedDestinationProblem', () => {
  const borrowingEcr = { region: 'eu-west-1', account_id: '210987654321', aws_connection: 'ops' }

  it("allows the provider's own endpoints, over https on the default port", () => {
    for (const endpoint of [
      'https://api.ecr.eu-west-1.amazonaws.com',
      'https://vpce-0a1b2c.api.ecr.eu-west-1.vpce.amazonaws.com',
      'https://api.ecr.cn-north-1.amazonaws.com.cn',
      'https://ecr-fips.us-east-1.api.aws',
    ])
      expect(problem(received('ecr', { ...borrowingEcr, ecr_endpoint: endpoint }))).toBe(undefined)
    expect(
      problem(
        received('gcs-state', {
          bucket: 'acme-state',
          storage_endpoint: 'https://storage-psc1.p.googleapis.com',
        }),
      ),
    ).toBe(undefined)
  })

  it('refuses look-alike hosts, plain http, another port and a CA of the sender’s', () => {
    for (const endpoint of [
      'https://api.ecr.eu-west-1.amazonaws.com.evil.example',
      'https://evilamazonaws.com',
      'http://api.ecr.eu-west-1.amazonaws.com',
      'https://api.ecr.eu-west-1.amazonaws.com:8443',
      'http://127.0.0.1:9000',
    ])
      expect(problem(received('ecr', { ...borrowingEcr, ecr_endpoint: endpoint }))).toMatch(
        /^Shared came from Mallory's share, and its ECR API endpoint \(.+\) was chosen by the sender, while it acts with your AWS connection ops\.$/,
      )
    expect(problem(received('ecr', { ...borrowingEcr, ca_certificate: 'PEM' }))).toBe(
      "Shared came from Mallory's share, and its CA certificate was chosen by the sender, while it acts with your AWS connection ops.",
    )
  })

  it("leaves a connection acting with its own stored keys (the sender's) alone", () => {
    const own = { storedSecrets: ['access_key_id', 'secret_access_key'] }
    const endpoint = { ecr_endpoint: 'http://127.0.0.1:9000', ca_certificate: 'PEM' }
    expect(
      problem(received('ecr', { region: 'eu-west-1', account_id: '2', ...endpoint }, own)),
    ).toBe(undefined)
    expect(problem(received('aws', { sts_endpoint: 'http://127.0.0.1:9000' }, own))).toBe(undefined)
    // Cross-account with base keys: the sender's keys assume the role.
    expect(
      problem(
        received(
          'aws',
          { sts_endpoint: 'http://127.0.0.1:9000' },
          { ...own, authMode: 'cross-account' },
        ),
      ),
    ).toBe(undefined)
    // Providers whose credentials are always the connection's own are not concerned.
    expect(problem(received('github', { api_url: 'https://evil.example' }))).toBe(undefined)
  })

  it("names this machine's identity: a runner mode, cross-account without keys, a backend naming none", () => {
    const machine = (cloud: string) =>
      `while it acts with this machine's own ${cloud} identity (the runner's).`
    expect(
      problem(
        received(
          'aws',
          { sts_endpoint: 'https://sts.evil.example' },
          { authMode: 'runner-delegated' },
        ),
      ),
    ).toContain(machine('AWS'))
    expect(
      problem(
        received(
          'aws',
          { iam_endpoint: 'https://iam.evil.example' },
          { authMode: 'runner-delegated' },
        ),
      ),
    ).toContain('its IAM endpoint (https://iam.evil.example)')
    expect(
      problem(
        received(
          'aws',
          { sts_endpoint: 'https://sts.evil.example' },
          { authMode: 'cross-account' },
        ),
      ),
    ).toContain(machine('AWS'))
    expect(
      problem(
        received(
          'gcp',
          { project_id: 'p', token_endpoint: 'https://evil.example/token' },
          { authMode: 'runner-delegated' },
        ),
      ),
    ).toContain(machine('Google Cloud'))
    expect(
      problem(
        received(
          'azure',
          { authority_host: 'https://login.evil.example' },
          { authMode: 'runner-delegated' },
        ),
      ),
    ).toContain(machine('Azure'))
    expect(
      problem(
        received('gcs-state', { bucket: 'acme-state', storage_endpoint: 'https://evil.example' }),
      ),
    ).toContain(machine('Google Cloud'))
    expect(
      problem(received('aws', { sts_endpoint: 'https://sts.evil.example' }, { authMode: 'sso' })),
    ).toContain('while it acts with your IAM Identity Center sign-in.')
  })

  it('says how to fix it: edit a full copy, ask the sender for a use-only one', () => {
    const config = { ...borrowingEcr, ecr_endpoint: 'https://evil.example' }
    expect(receivedDestinationProblem(received('ecr', config))?.hint).toBe(
      "A connection received from someone else uses credentials of yours only with AWS's own endpoints (https, *.amazonaws.com, *.amazonaws.com.cn, *.api.aws) and the system's CAs. Clear the ECR API endpoint of Shared (bridgekeep edit shared, or Edit in the app), or add your own Amazon ECR connection for that endpoint.",
    )
    expect(receivedDestinationProblem(received('ecr', config, { useOnly: true }))?.hint).toContain(
      'Ask Mallory to share it without the ECR API endpoint, or add',
    )
  })
})
