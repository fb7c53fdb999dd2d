import { providerRunner } from '../../main/services/issued-sessions/runner-issue'
import { keyValues, writeJson } from '../framework/output'
import type { CommandSpec } from '../framework/command'

const awsRotateKey: CommandSpec = {
  usage: '<conn>',
  description: [
    "Rotates an AWS connection's access key (inline mode) in AWS itself, with that key: finds its IAM user (GetUser), creates the user's next access key (CreateAccessKey), stores it as the connection's new secret version (as bridgekeep rotate does), proves it with STS GetCallerIdentity (waiting up to a minute: IAM takes a few seconds to make a new key work), and only then deactivates the old key (UpdateAccessKey Status=Inactive). The old key is never deleted: delete it once nothing uses it.",
    'The key needs iam:GetUser, iam:CreateAccessKey and iam:UpdateAccessKey on its own user. If IAM refuses, or the user already has two keys (the most IAM allows), nothing is changed and the manual steps are printed. The runner’s operations run in this process, so the app need not be open.',
  ].join('\n\n'),
  options: {},
  positionals: { min: 1, max: 1 },
  json: true,
  vault: true,
  examples: ['bridgekeep aws rotate-key prod-aws && bridgekeep share resend prod-aws'],
  async run(context, { positionals }) {
    const services = await context.services()
    const connection = services.connections.findByRef(positionals[0]!)
    const runner = await providerRunner('aws')()
    const rotation = await context.progress(`Rotating the access key of ${connection.name}…`, () =>
      services.awsKeyRotationUsing(runner).rotate(connection.id),
    )
    const holders = services.sharing.resendTargets(connection.id)
    const liveShares = holders.recipients.length + holders.passphraseShares
    if (context.json) return writeJson(context.io.stdout, { ...rotation, liveShares })
    const out = context.io.stdout
    out.write(
      keyValues([
        ['Rotated', connection.name],
        ['IAM user', rotation.userName],
        ['New key', `${rotation.newAccessKeyId} (secret version ${rotation.secretVersion})`],
        ['Verified', rotation.verified ? 'yes (STS GetCallerIdentity)' : 'not yet'],
        [
          'Old key',
          `${rotation.oldAccessKeyId}: ${rotation.oldKeyDeactivated ? 'inactive (not deleted)' : 'still active'}`,
        ],
      ]),
    )
    if (rotation.note) out.write(`\n${rotation.note}\n`)
    if (liveShares > 0)
      out.write(
        `\n${connection.name} has live shares still carrying the old key: re-send the new version with\n  bridgekeep share resend ${connection.slug}\n`,
      )
    return rotation.verified ? 0 : 1
  },
}

export default awsRotateKey
