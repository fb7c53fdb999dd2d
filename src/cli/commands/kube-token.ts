import { stringOption, type CommandSpec } from '../framework/command'
import { UsageError } from '../framework/errors'
import { helperCredentials, HELPER_ENV_OPTION } from '../credential-helpers/helper-request'
import { eksToken, kubernetesToken } from '../credential-helpers/kube-exec-credential'

const kubeToken: CommandSpec = {
  usage: '<conn> [--env <env>] [--eks-cluster <name> [--region <region>]]',
  description: [
    "kubectl's exec credential plugin: prints a client.authentication.k8s.io/v1 ExecCredential",
    'with the token of a Kubernetes connection (its stored token), or, for an AWS connection and',
    '--eks-cluster, an EKS token as `aws eks get-token` makes it (a presigned STS',
    'GetCallerIdentity URL, valid 14 minutes; the keys stay here). The connection must be',
    'authorized for the environment (--env, else BRIDGEKEEP_ENV); each call is recorded as usage',
    'and audited. In the kubeconfig, the user:',
    '  exec:',
    '    apiVersion: client.authentication.k8s.io/v1',
    '    command: bridgekeep',
    '    args: [kube, token, prod-eks-aws, --env, production, --eks-cluster, prod]',
    '    interactiveMode: Never',
  ].join('\n'),
  options: {
    env: HELPER_ENV_OPTION,
    'eks-cluster': {
      type: 'string',
      valueName: 'name',
      description: 'AWS connections: the EKS cluster the token is for',
    },
    region: {
      type: 'string',
      valueName: 'region',
      description: "AWS connections: STS's region (default: the connection's region)",
    },
  },
  positionals: { min: 1, max: 1 },
  vault: true,
  examples: [
    'bridgekeep kube token staging-cluster --env staging',
    'bridgekeep kube token connection://staging/staging-cluster',
    'bridgekeep kube token prod-aws --env production --eks-cluster prod --region eu-west-1',
  ],
  async run(context, { values, positionals }) {
    const cluster = stringOption(values, 'eks-cluster')
    const region = stringOption(values, 'region')
    if (cluster !== undefined && !/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(cluster))
      throw new UsageError(
        '--eks-cluster must be an EKS cluster name: up to 100 letters, digits, "-" and "_".',
        'kube token',
      )
    const { credentials } = await helperCredentials(context, values, 'kubectl', {
      ref: positionals[0]!,
    })
    if (credentials.provider === 'aws' && cluster === undefined)
      throw new UsageError('an AWS connection needs --eks-cluster <name>.', 'kube token')
    const answer =
      credentials.provider === 'aws'
        ? await eksToken(credentials, cluster!, region)
        : kubernetesToken(credentials)
    context.io.stdout.write(`${JSON.stringify(answer)}\n`)
  },
}

export default kubeToken
