// The providers' SDKs (@aws-sdk/client-sts, google-auth-library, @azure/identity, pg, nodemailer,
// ssh2) load on first use, not when the runner starts: registering every provider stays cheap, and a
// runner that never verifies an Azure connection never pays for @azure/identity (an idle runner's
// RSS is one of the runner bench's figures). Each provider file calls onFirstUse once at module level.

/**
 * `load` run the first time the returned function is called, its promise shared by every later
 * call. A failed load (a broken install) is not cached: the next operation tries again, and this
 * one fails like any other unexpected error of its provider.
 */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined
      throw error
    })
    return loading
  }
}
