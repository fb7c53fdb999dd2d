// Draws Bridgekeep's icons as PNG files into resources/ (run it again after changing the mark):
// the app icon electron-builder turns into each platform's format, and the tray icons for light
// and dark panels. Plain Node (zlib), so it runs wherever the project builds.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32, deflateSync } from 'node:zlib'

const resources = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources')

/** An RGBA PNG of `size` pixels, each the colour `paint(x, y)` gives in the unit square. */
function png(size, paint) {
  const samples = 4 // per axis: 16 samples a pixel smooth the edges
  const rows = []
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4) // filter byte 0, then RGBA
    for (let x = 0; x < size; x++) {
      let [r, g, b, a] = [0, 0, 0, 0]
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const color = paint((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size)
          if (!color) continue
          r += color[0] * color[3]
          g += color[1] * color[3]
          b += color[2] * color[3]
          a += color[3]
        }
      }
      const n = samples * samples
      const alpha = a / n
      row.set(
        alpha === 0 ? [0, 0, 0, 0] : [r / a, g / a, b / a, alpha * 255].map((v) => Math.round(v)),
        1 + x * 4,
      )
    }
    rows.push(row)
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8 bits, RGBA, deflate, no filter choice, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** The keyhole: a round head over a tapering foot, centred in the unit square. */
function inKeyhole(x, y, scale = 1) {
  const [u, v] = [(x - 0.5) / scale, (y - 0.5) / scale]
  const head = Math.hypot(u, v + 0.08) <= 0.13
  const foot = v >= -0.05 && v <= 0.22 && Math.abs(u) <= 0.05 + (v + 0.05) * 0.25
  return head || foot
}

const distance = (x, y) => Math.hypot(x - 0.5, y - 0.5)

/** The app icon: a white keyhole on a blue rounded square. */
function appIcon(x, y) {
  const margin = 0.06
  const radius = 0.2
  const [cx, cy] = [
    Math.min(Math.max(x, margin + radius), 1 - margin - radius),
    Math.min(Math.max(y, margin + radius), 1 - margin - radius),
  ]
  if (Math.hypot(x - cx, y - cy) > radius) return undefined
  if (inKeyhole(x, y, 1.1)) return [255, 255, 255, 1]
  // A slight vertical gradient, lighter at the top.
  const shade = 1 - y * 0.25
  return [Math.round(52 * shade), Math.round(100 * shade), Math.round(230 * shade), 1]
}

/** Tray marks in one colour: a ring (open), a disc (locked), a ring with an amber dot (attention). */
function trayMark(kind, [r, g, b]) {
  return (x, y) => {
    if (kind === 'attention' && Math.hypot(x - 0.8, y - 0.2) <= 0.17) return [245, 158, 11, 1]
    if (kind === 'attention' && Math.hypot(x - 0.8, y - 0.2) <= 0.24) return undefined
    const d = distance(x, y)
    const keyhole = inKeyhole(x, y, 1.45)
    if (kind === 'locked') return d <= 0.46 && !keyhole ? [r, g, b, 1] : undefined
    return (d <= 0.46 && d >= 0.36) || keyhole ? [r, g, b, 1] : undefined
  }
}

function write(path, data) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, data)
  console.log(path)
}

write(join(resources, 'icon.png'), png(1024, appIcon))
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  write(join(resources, 'icons', `${size}x${size}.png`), png(size, appIcon))
}
// Tray: 16 px and its @2x; dark marks for light panels, light marks for dark ones.
const themes = { light: [30, 30, 30], dark: [240, 240, 240] }
for (const kind of ['unlocked', 'locked', 'attention']) {
  for (const [theme, color] of Object.entries(themes)) {
    write(join(resources, 'tray', `${kind}-${theme}.png`), png(16, trayMark(kind, color)))
    write(join(resources, 'tray', `${kind}-${theme}@2x.png`), png(32, trayMark(kind, color)))
  }
}
