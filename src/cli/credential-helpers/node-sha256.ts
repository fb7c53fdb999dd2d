import { createHash, createHmac } from 'node:crypto'

type HashInput = string | ArrayBuffer | ArrayBufferView

/** node:crypto's SHA-256 and HMAC behind the checksum interface SignatureV4 takes. */
export class Sha256 {
  private hash
  constructor(private readonly secret?: HashInput) {
    this.hash = this.create()
  }
  private create() {
    return this.secret ? createHmac('sha256', bytes(this.secret)) : createHash('sha256')
  }
  update(data: HashInput): void {
    this.hash.update(bytes(data))
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest())
  }
  reset(): void {
    this.hash = this.create()
  }
}

function bytes(data: HashInput): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  return Buffer.from(data)
}
