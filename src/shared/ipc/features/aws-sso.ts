import { z } from 'zod'
import {
  ssoCreateConnectionsSchema,
  ssoCreatedSchema,
  ssoInstanceSchema,
  ssoSignedInSchema,
  ssoSignInStartedSchema,
  ssoSignedOutSchema,
  ssoSignOutSchema,
} from '../../aws-sso'
import { channel } from '../define'

export const awsSsoChannels = {
  /** Starts the device flow: the verification page and the code to show. */
  startSignIn: channel(ssoInstanceSchema, ssoSignInStartedSchema),
  /** Waits for the approval, keeps the sign-in, and lists the accounts and permission sets. */
  completeSignIn: channel(
    z.object({ signInId: z.string().min(1).max(100) }).strict(),
    ssoSignedInSchema,
  ),
  /** One connection per ticked account and permission set. */
  createConnections: channel(ssoCreateConnectionsSchema, ssoCreatedSchema),
  /** Ends the sign-in: Logout at the portal, its token and cached role credentials forgotten. */
  signOut: channel(ssoSignOutSchema, ssoSignedOutSchema),
}
