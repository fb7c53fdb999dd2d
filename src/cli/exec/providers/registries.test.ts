import { describe, expect, it } from 'vitest'
import { credentialsEnv } from '../credentials-env'
import { AWS_KEYS, inline, resolved, SA_KEY } from './test-support'

describe('credentialsEnv: container registries -> a docker config', () => {
  it('registries: a DOCKER_CONFIG folder with the auth (Docker Hub, GAR) or the ECR helper', async () => {
    const hub = resolved(
      await credentialsEnv(
        inline(
          'dockerhub',
          { username: 'acmeci', registry: 'docker.io' },
          { access_token: 'dckr_pat_x' },
        ),
      ),
    )
    expect(hub.set).toEqual({ DOCKER_CONFIG: '/T/docker' })
    expect(JSON.parse(hub.files['docker/config.json']!)).toEqual({
      auths: {
        'https://index.docker.io/v1/': {
          auth: Buffer.from('acmeci:dckr_pat_x').toString('base64'),
        },
      },
    })
    const gar = resolved(
      await credentialsEnv(
        inline('gar', { host: 'europe-west1-docker.pkg.dev' }, { service_account_key: SA_KEY }),
      ),
    )
    expect(gar.set.GOOGLE_APPLICATION_CREDENTIALS).toBe('/T/gar-key.json')
    expect(JSON.parse(gar.files['docker/config.json']!)).toEqual({
      auths: {
        'europe-west1-docker.pkg.dev': {
          auth: Buffer.from(`_json_key:${SA_KEY}`).toString('base64'),
        },
      },
    })
    // ECR with its own keys, or borrowing an AWS connection's (in the ECR region).
    const own = resolved(
      await credentialsEnv(
        inline('ecr', { region: 'eu-west-1', account_id: '123456789012' }, AWS_KEYS),
      ),
    )
    expect(own.set).toMatchObject({
      AWS_ACCESS_KEY_ID: AWS_KEYS.access_key_id,
      AWS_REGION: 'eu-west-1',
      DOCKER_CONFIG: '/T/docker',
    })
    expect(JSON.parse(own.files['docker/config.json']!)).toEqual({
      credHelpers: { '123456789012.dkr.ecr.eu-west-1.amazonaws.com': 'ecr-login' },
    })
    const lender = inline(
      'aws',
      { default_region: 'us-east-1' },
      { ...AWS_KEYS, access_key_id: 'AKIAOTHERKEY00000000' },
    )
    const borrowed = await credentialsEnv(
      inline(
        'ecr',
        { region: 'eu-west-1', account_id: '1', aws_connection: 'prod-aws' },
        {},
        { aws_connection: lender },
      ),
    )
    expect(borrowed.set).toMatchObject({
      AWS_ACCESS_KEY_ID: 'AKIAOTHERKEY00000000',
      AWS_REGION: 'eu-west-1',
    })
  })
})
