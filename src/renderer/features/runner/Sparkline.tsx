import styles from './Sparkline.module.css'

interface Props {
  title: string
  /** Oldest first; null where there is no value (no operations that minute). */
  values: (number | null)[]
  format: (value: number) => string
  /** What the points are, for the chart's description ("per minute, last 30 minutes"). */
  span: string
  kind?: 'line' | 'bars'
}

const WIDTH = 120
const HEIGHT = 32

/** A small inline SVG chart: no library, no inline styles (the CSP allows none). */
export function Sparkline({ title, values, format, span, kind = 'line' }: Props) {
  const present = values.filter((value): value is number => value !== null)
  const max = Math.max(...present, 0)
  const latest = present.at(-1)
  const lastIndex = values.findLastIndex((value) => value !== null)
  const scale = (value: number) => HEIGHT - 2 - (max === 0 ? 0 : (value / max) * (HEIGHT - 4))
  const step = values.length > 1 ? WIDTH / (values.length - 1) : WIDTH
  const description =
    latest === undefined
      ? `${title}, ${span}: no data yet.`
      : `${title}, ${span}: latest ${format(latest)}, highest ${format(max)}.`
  const points = values
    .map((value, index) => (value === null ? null : `${index * step},${scale(value)}`))
    .filter(Boolean)
    .join(' ')
  return (
    <figure className={styles.chart}>
      <figcaption className={styles.caption}>
        <span>{title}</span>
        <span className={styles.value}>{latest === undefined ? '—' : format(latest)}</span>
      </figcaption>
      <svg
        className={styles.svg}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={description}
      >
        <line className={styles.axis} x1="0" x2={WIDTH} y1={HEIGHT - 1} y2={HEIGHT - 1} />
        {kind === 'bars' &&
          values.map((value, index) =>
            value ? (
              <rect
                key={index}
                className={styles.bar}
                x={index * (WIDTH / values.length) + 0.5}
                width={Math.max(1, WIDTH / values.length - 1)}
                y={scale(value)}
                height={HEIGHT - 1 - scale(value)}
              />
            ) : null,
          )}
        {kind === 'line' && latest !== undefined && (
          <>
            <polyline className={styles.line} points={points} />
            {/* The latest point as a dot, so that a single sample shows too. */}
            <line
              className={styles.point}
              x1={lastIndex * step}
              x2={lastIndex * step}
              y1={scale(latest)}
              y2={scale(latest)}
            />
          </>
        )}
      </svg>
    </figure>
  )
}
