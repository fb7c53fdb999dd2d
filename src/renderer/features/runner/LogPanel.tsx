import { useId, useLayoutEffect, useRef, useState } from 'react'
import { useRunnerLogs, type KnownRunner, type RunnerLogEntry } from '../../api/runner'
import { ErrorNotice } from '../../components/ErrorNotice'
import styles from './RunnerPage.module.css'
import { formatTime } from './format'
import { mergeOutputLines } from './merge-output'

type Level = RunnerLogEntry['level']
const SHOWN = 500

const levelChoices: { value: Level | ''; label: string }[] = [
  { value: '', label: 'All levels' },
  { value: 'info', label: 'Info and above' },
  { value: 'warn', label: 'Warnings and errors' },
  { value: 'error', label: 'Errors only' },
]

/**
 * The live tail of the runner log (app and runner lines), filtered by runner, level and text. A
 * remote runner's lines are the app's about it (connected, dropped, refused): its own output stays
 * on its machine.
 */
export function LogPanel({ runners }: { runners: readonly KnownRunner[] }) {
  const [runnerId, setRunnerId] = useState('')
  const [level, setLevel] = useState<Level | ''>('')
  const [search, setSearch] = useState('')
  const { lines, error } = useRunnerLogs({ level, search, runnerId }, SHOWN)
  const list = useRef<HTMLOListElement>(null)
  const atBottom = useRef(true)
  const runnerSelectId = useId()
  const levelId = useId()
  const searchId = useId()

  // Follow the tail while the user is at the bottom; leave them where they are otherwise.
  useLayoutEffect(() => {
    const element = list.current
    if (element && atBottom.current) element.scrollTop = element.scrollHeight
  }, [lines])

  return (
    <section className={styles.panel} aria-labelledby="runner-log-title">
      <div className={styles.panelHeader}>
        <h2 id="runner-log-title" className={styles.panelTitle}>
          Log
        </h2>
        <div className={styles.toolbar}>
          <label htmlFor={runnerSelectId}>Runner</label>
          <select
            id={runnerSelectId}
            className={`input ${styles.select}`}
            value={runnerId}
            onChange={(event) => setRunnerId(event.target.value)}
          >
            <option value="">All runners</option>
            {runners.map((runner) => (
              <option key={runner.id} value={runner.id}>
                {runner.name}
              </option>
            ))}
          </select>
          <label htmlFor={levelId}>Level</label>
          <select
            id={levelId}
            className={`input ${styles.select}`}
            value={level}
            onChange={(event) => setLevel(event.target.value as Level | '')}
          >
            {levelChoices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
          <label htmlFor={searchId}>Search</label>
          <input
            id={searchId}
            type="search"
            className={`input ${styles.search}`}
            value={search}
            placeholder="Event or field"
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
      </div>
      {error !== null && <ErrorNotice error={error} title="The log could not be loaded" />}
      <ol
        ref={list}
        className={styles.log}
        aria-label="Runner log"
        data-testid="runner-log"
        tabIndex={0}
        onScroll={(event) => {
          const element = event.currentTarget
          atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24
        }}
      >
        {lines.length === 0 && (
          <li className={styles.empty}>
            {search || level || runnerId ? 'No lines match.' : 'No log lines yet.'}
          </li>
        )}
        {mergeOutputLines(lines).map((line) => (
          <li key={line.seq} className={styles.logLine} data-level={line.level}>
            <time dateTime={line.time}>{formatTime(line.time)}</time>
            <span className={styles[`level_${line.level}`]}>{line.level}</span>
            <span>{line.source}</span>
            <span>
              {line.event}{' '}
              <span className={styles.fields}>
                {Object.entries(line.fields)
                  .map(
                    ([key, value]) =>
                      `${key}=${Array.isArray(value) ? value.join(',') : String(value)}`,
                  )
                  .join(' ')}
              </span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  )
}
