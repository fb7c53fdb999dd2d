import type { Services } from '../services'
import { openSecretLink } from '../services/browser/browser'
import { createAuthorized } from '../services/environments/create-authorized'
import type { FeatureHandlers } from './handlers'

export function connectionsHandlers(services: Services): FeatureHandlers<'connections'> {
  const { connections } = services
  // The app's details page shows identifier fields (access key IDs) in clear; the CLI does not.
  const detail = (id: string) => connections.get(id, { clearIdentifiers: true })
  return {
    list: (filter) => connections.list(filter ?? {}),
    get: ({ id }) => detail(id),
    create: (input) => detail(createAuthorized(services, [input])[0]!),
    update: (input) => detail(connections.update(input).id),
    rotate: (input) => detail(connections.rotate(input).id),
    rotateAwsKey: ({ connectionId }) => services.awsKeyRotation.rotate(connectionId),
    checkAwsRole: (input) => services.awsRoleCheck.check(input),
    // Main opens the sign-in link itself: the page learns who and until when, never the link.
    openAwsConsole: async (input) => {
      const { url, ...signedIn } = await services.awsConsole.signIn(input)
      await openSecretLink(services.browser, url)
      return signedIn
    },
    trash: ({ id }) => connections.trash(id),
    restore: ({ id }) => connections.restore(id),
    purge: ({ id }) => {
      connections.purge(id)
      return null
    },
    reveal: ({ id, field }) => ({ value: connections.reveal(id, field) }),
    copy: ({ id, field }) => connections.copy(id, field),
  }
}
