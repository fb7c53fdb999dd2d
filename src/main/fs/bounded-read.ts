import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { BridgekeepError } from '../../shared/errors'

/**
 * The one way Bridgekeep reads a file or stream a user named (a connection file, `@path` values,
 * runner credentials, a share, ~/.aws/credentials, a kubeconfig): in chunks, stopping as soon as
 * it holds more than the limit. A whole-file read of /dev/zero, an endless FIFO or a mistyped
 * path to a disk image would otherwise exhaust memory, and a file's stat size cannot be trusted
 * (devices and FIFOs report 0, and files grow). Failures are BridgekeepErrors with a message a
 * user can act on, so the CLI never reports them as unexpected.
 */

export const DEFAULT_READ_LIMIT = 16 * 1024 * 1024
const CHUNK = 64 * 1024

export type FileReadFailure = 'missing' | 'directory' | 'too-large' | 'unreadable'

export class FileReadError extends BridgekeepError {
  constructor(
    /** For callers that treat one case on their own (an optional file that is missing). */
    readonly reason: FileReadFailure,
    /** The system error code (ENOENT, EACCES...), when there was one. */
    readonly errno: string | undefined,
    message: string,
    hint?: string,
  ) {
    super(reason === 'missing' ? 'NOT_FOUND' : 'VALIDATION', message, hint)
  }
}

export interface ReadLimit {
  /** What the input should be, with its article, for messages: "a kubeconfig". */
  what: string
  /** Bytes; DEFAULT_READ_LIMIT (16 MiB) when left out. */
  limit?: number
  hint?: string
}

/** The whole file, or a FileReadError when it is missing, a directory, unreadable or too large. */
export function readFileLimited(path: string, options: ReadLimit): Buffer {
  const limit = options.limit ?? DEFAULT_READ_LIMIT
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    throw systemFailure(path, error, options)
  }
  try {
    // Opening a directory for reading succeeds on Linux; only reading it fails (EISDIR).
    if (fstatSync(fd).isDirectory()) throw systemFailure(path, { code: 'EISDIR' }, options)
    const chunks: Buffer[] = []
    let size = 0
    for (;;) {
      const chunk = Buffer.alloc(CHUNK)
      const read = readSync(fd, chunk, 0, CHUNK, null)
      if (read === 0) break
      size += read
      if (size > limit) throw tooLarge(path, limit, options, ' Check the path.')
      chunks.push(chunk.subarray(0, read))
    }
    return Buffer.concat(chunks, size)
  } catch (error) {
    throw error instanceof FileReadError ? error : systemFailure(path, error, options)
  } finally {
    closeSync(fd)
  }
}

/** The whole file as UTF-8 text (see readFileLimited). */
export function readTextFileLimited(path: string, options: ReadLimit): string {
  return readFileLimited(path, options).toString('utf8')
}

/**
 * A stream (stdin) to its end, refusing it once it holds more than the limit; the stream is then
 * left unread (the caller is about to fail anyway). `source` names it in messages: "stdin".
 */
export async function readStreamLimited(
  stream: AsyncIterable<unknown>,
  options: ReadLimit & { source: string },
): Promise<Buffer> {
  const limit = options.limit ?? DEFAULT_READ_LIMIT
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string)
    size += buffer.length
    if (size > limit) throw tooLarge(options.source, limit, options, '')
    chunks.push(buffer)
  }
  return Buffer.concat(chunks, size)
}

function tooLarge(subject: string, limit: number, options: ReadLimit, advice: string) {
  return new FileReadError(
    'too-large',
    undefined,
    `${subject} is larger than ${formatSize(limit)}: not ${options.what}.${advice}`,
    options.hint,
  )
}

function systemFailure(path: string, error: unknown, options: ReadLimit): FileReadError {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code
  if (errno === 'ENOENT')
    return new FileReadError('missing', errno, `There is no file ${path}.`, options.hint)
  if (errno === 'EISDIR')
    return new FileReadError(
      'directory',
      errno,
      `${path} is a directory, not ${options.what}. Check the path.`,
      options.hint,
    )
  // Only the code: a system error's message is fine, but anything else's is not ours to show.
  return new FileReadError(
    'unreadable',
    errno,
    `Cannot read ${path}${errno ? ` (${errno})` : ''}.`,
    options.hint,
  )
}

function formatSize(bytes: number): string {
  const MiB = 1024 * 1024
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
}
